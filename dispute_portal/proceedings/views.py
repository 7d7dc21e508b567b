"""Acting on a case: the transition pages, submissions, sessions and hearings, notes, trail.

Each view is thin: load the case (404 if the user may not see it), ask the policy (403),
validate the form, run the operation through `perform` (a refusal rolls back and says why),
flash and redirect. What the case page shows of the proceedings is gathered by `case_page`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext
from flask_login import current_user, login_required

from .. import policy
from ..cases.loading import load_case
from ..cases.models import Case
from ..core.i18n import translate
from ..core.web import Outcome, perform
from ..db import db
from ..deadlines.rules import DEADLINE_LABELS
from ..rulings.kinds import KINDS
from ..rulings.operations import preview_html
from ..workflow import transitions as wf
from ..workflow.models import verify_chain
from ..workflow.states import CaseState
from . import operations as ops
from .forms import (
    ActForm,
    CloseSubmissionsForm,
    DelayNoticeForm,
    ExtendDeadlineForm,
    MeetingForm,
    NoteForm,
    SubmissionForm,
)
from .models import MEETING_KIND_LABELS
from .presenter import (
    act_details,
    document_visibility_shown,
    event_label,
    role_label,
    show_day,
    viewer_events,
)

bp = Blueprint("proceedings", __name__, url_prefix="/cases/<int:case_id>")


@bp.app_context_processor
def _proceedings_helpers() -> dict[str, Any]:
    return {
        "event_label": event_label,
        "role_label": role_label,
        "viewer_events": viewer_events,
        "meeting_kind_labels": MEETING_KIND_LABELS,
    }


bp.add_app_template_filter(show_day, "day")
bp.add_app_template_global(document_visibility_shown)


@dataclass(frozen=True)
class FormAct:
    """An act of the act page with a form of its own: the form, the operation it runs, and
    that operation's arguments from the filled form and the typed reason (the case and the
    version the form was rendered from are always passed)."""

    form: type[ActForm]
    operation: Callable[..., Any]
    arguments: Callable[[Any, str], dict[str, Any]]


FORM_ACTS: dict[str, FormAct] = {
    "extend_mediation": FormAct(
        ActForm,
        ops.extend_mediation,
        lambda form, reason: {"user": current_user, "reason": reason},
    ),
    "delay_notice": FormAct(
        DelayNoticeForm,
        ops.notice_of_delay,
        lambda form, reason: {
            "chair": current_user,
            "reason": reason,
            "expected_on": form.expected_on.data,
        },
    ),
    "close_submissions": FormAct(
        CloseSubmissionsForm,
        ops.close_submissions,
        lambda form, reason: {"chair": current_user, "last_on": form.last_on.data},
    ),
    "decide_correction": FormAct(
        ActForm,
        ops.decide_correction,
        lambda form, reason: {"chair": current_user, "reason": reason},
    ),
}
# The other acts of the page are the table's plain acts: a reason at most.
SIMPLE_ACT = FormAct(
    ActForm,
    ops.act,
    lambda form, reason: {"user": current_user, "reason": reason or None},
)
ACTS = ops.SIMPLE_ACTS | frozenset(FORM_ACTS)

# Acts of the workflow table ---------------------------------------------------------------


def _act_form(action: str, t: wf.Transition, **kw: Any) -> ActForm:
    form_class = FORM_ACTS.get(action, SIMPLE_ACT).form
    return form_class(
        reason_label=translate(t.reason_label), required=t.needs_reason, prefix="act", **kw
    )


def _previewable(t: wf.Transition) -> bool:
    """Acts whose ruling a person writes can be previewed before they are issued."""
    return bool(t.ruling) and not t.automatic_ruling


def _ruling_extra(case: Case, action: str, form: ActForm) -> dict[str, Any] | None:
    expected_on = form.expected_on.data if hasattr(form, "expected_on") else None
    return ops.ruling_extra(case, action, expected_on=expected_on)


def _run_act(action: str, case: Case, form: ActForm) -> Outcome:
    reason = (form.reason.data or "").strip()
    if action in FORM_ACTS:
        spec, extra = FORM_ACTS[action], {}
    else:
        spec, extra = SIMPLE_ACT, {"action": action}
    return perform(
        spec.operation,
        case,
        expected_version=form.version.data,
        **extra,
        **spec.arguments(form, reason),
    )


@bp.route("/act/<action>", methods=["GET", "POST"])
@login_required
def act(case_id: int, action: str):
    if action not in ACTS:
        abort(404)
    t = wf.transition(action)
    case = load_case(case_id, action, lock=request.method == "POST")
    form = _act_form(action, t)
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            if _run_act(action, case, form).ok:
                flash(translate(event_label(action)), "success")
                return redirect(url_for("cases.show", case_id=case.id))
            status = 409  # refused: nothing was applied, the flash says why
        else:
            status = 400
    # A refused form comes back with what was typed and the case's version as it now is:
    # sending it again is a decision taken on the case as it now stands.
    form.version.data = case.version
    return render_template(
        "proceedings/act.html",
        case=case,
        t=t,
        action=action,
        form=form,
        blocked=t.guard(case) if t.guard else None,
        takes_reason=t.needs_reason,
        previewable=_previewable(t),
        ruling_title=KINDS[t.ruling].title if t.ruling else None,
        details=act_details(case, action),
        deadline_labels=DEADLINE_LABELS,
    ), status


@bp.post("/act/<action>/preview")
@login_required
def preview(case_id: int, action: str):
    """The ruling as it would be issued with the text typed so far, shown in a frame beside
    the form (or on its own, without frames); nothing is stored."""
    if action not in ACTS or not _previewable(wf.transition(action)):
        abort(404)
    t = wf.transition(action)
    case = load_case(case_id, action)
    form = _act_form(action, t)
    form.validate_on_submit()  # the CSRF check ran already; empty reasons preview as empty
    html = preview_html(
        case,
        t.ruling,
        issuer=current_user,
        reasons=form.reason.data or "",
        extra=_ruling_extra(case, action, form),
    )
    response = make_response(html)
    # Its own policy: the ruling's inline styles, our fonts, no scripts, framed by us only.
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; font-src 'self'; img-src data:; "
        "frame-ancestors 'self'; sandbox"
    )
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


# Submissions ----------------------------------------------------------------------------


@bp.route("/submissions/new", methods=["GET", "POST"])
@login_required
def submission(case_id: int):
    is_response = request.args.get("response") == "1"
    action = "file_response" if is_response else "file_submission"
    case = load_case(case_id, action, lock=request.method == "POST")
    form = SubmissionForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            outcome = perform(
                ops.file_submission,
                db.session,
                case,
                author=current_user,
                title=form.title.data or "",
                body=(form.body.data or "").strip() or None,
                files=form.uploads(),
                is_response=is_response,
                upload_dir=current_app.config["UPLOAD_DIR"],
                max_bytes=current_app.config["MAX_UPLOAD_BYTES"],
                expected_version=form.version.data,
            )
            if outcome.ok:
                flash(translate(event_label(action)), "success")
                return redirect(url_for("cases.show", case_id=case.id) + "#submissions")
            status = 409
        else:
            status = 400
    form.version.data = case.version
    return render_template(
        "proceedings/submission.html",
        case=case,
        form=form,
        is_response=is_response,
        t=wf.transition(action),
    ), status


# Sessions and hearings ------------------------------------------------------------------


@bp.route("/meetings/new", methods=["GET", "POST"])
@login_required
def meeting(case_id: int):
    peek = load_case(case_id)
    hearing = peek.state is CaseState.ARBITRATION
    action = "schedule_hearing" if hearing else "schedule_session"
    case = load_case(case_id, action, lock=request.method == "POST")
    form = MeetingForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            outcome = perform(
                ops.schedule,
                db.session,
                case,
                user=current_user,
                starts_at=form.starts_at(),
                place=(form.place.data or "").strip() or None,
                video_link=(form.video_link.data or "").strip() or None,
                agenda=(form.agenda.data or "").strip() or None,
                expected_version=form.version.data,
            )
            if outcome.ok:
                flash(translate(event_label(action)), "success")
                return redirect(url_for("cases.show", case_id=case.id) + "#meetings")
            status = 409
        else:
            status = 400
    form.version.data = case.version
    t = wf.transition(action)
    return render_template(
        "proceedings/meeting.html",
        case=case,
        form=form,
        t=t,
        hearing=hearing,
        blocked=t.guard(case) if t.guard else None,
    ), status


# A neutral's private notes ---------------------------------------------------------------


@bp.route("/notes", methods=["GET", "POST"])
@login_required
def notes(case_id: int):
    case = load_case(case_id, policy.NOTE)
    form = NoteForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            if perform(ops.add_note, db.session, case, author=current_user, body=form.body.data).ok:
                flash(gettext("Your note was saved."), "success")
                return redirect(url_for("proceedings.notes", case_id=case.id))
            status = 409
        else:
            status = 400
    return render_template(
        "proceedings/notes.html",
        case=case,
        form=form,
        notes=ops.notes(db.session, case, current_user),
    ), status


# The audit trail ----------------------------------------------------------------------------


@bp.get("/trail")
@login_required
def trail(case_id: int):
    case = load_case(case_id, policy.TRAIL)
    # The chain is checked over every event; the page lists only those the reader may read.
    broken_at = verify_chain(case.events)
    return render_template(
        "proceedings/trail.html",
        case=case,
        events=ops.visible_events(case, current_user),
        broken_at=broken_at,
        total=len(case.events),
        show_ip=wf.CLERK in policy.case_roles(current_user, case),
    )


# Extending a deadline (the clerk) ---------------------------------------------------------------


@bp.route("/deadlines/extend", methods=["GET", "POST"])
@login_required
def extend_deadline(case_id: int):
    case = load_case(case_id, "extend_deadline", lock=request.method == "POST")
    t = wf.transition("extend_deadline")
    form = ExtendDeadlineForm(reason_label=translate(t.reason_label), required=True)
    running = ops.running_deadlines(case)
    form.deadline.choices = [
        (
            d.id,
            gettext(
                "%(label)s (due %(day)s)",
                label=translate(DEADLINE_LABELS.get(d.key, d.key)),
                day=show_day(d.due_on),
            ),
        )
        for d in running
    ]
    if request.method == "GET" and request.args.get("deadline", type=int):
        form.deadline.data = request.args.get("deadline", type=int)
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            outcome = perform(
                ops.extend_deadline,
                case,
                clerk=current_user,
                deadline_id=form.deadline.data,
                new_due=form.new_due.data,
                reason=(form.reason.data or "").strip(),
                expected_version=form.version.data,
            )
            if outcome.ok:
                flash(translate(event_label("extend_deadline")), "success")
                return redirect(url_for("cases.show", case_id=case.id) + "#deadlines")
            status = 409
        else:
            status = 400
    form.version.data = case.version
    return render_template(
        "proceedings/extend_deadline.html",
        case=case,
        form=form,
        t=t,
        running=running,
        blocked=t.guard(case) if t.guard else None,
        deadline_labels=DEADLINE_LABELS,
    ), status
