"""The act page: one page for every act of the workflow table a person takes with a form
(its reasons, a date), and the live preview of the ruling the act would issue.

Most acts are the table's plain acts (a reason at most); those with a form of their own are
rows of FORM_ACTS: the form, the operation, and its arguments from the filled form.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import abort, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ...cases.loading import load_case
from ...cases.models import Case
from ...core.actions import redirect_with, run_form_action
from ...core.i18n import translate
from ...core.templating import show_datetime
from ...core.typed import login_required
from ...core.web import framed_preview
from ...deadlines.rules import DEADLINE_LABELS
from ...discontinuance import operations as ending
from ...rulings.kinds import KINDS
from ...rulings.operations import preview_html
from ...suspensions import operations as suspensions
from ...workflow import transitions as wf
from .. import operations as ops
from ..forms import (
    ActForm,
    CloseSubmissionsForm,
    DefaultForm,
    DelayNoticeForm,
    HearingHeldForm,
    SuspendForm,
)
from ..presenter import act_details, event_label
from ..queries import hearings_to_record
from .blueprint import bp


@dataclass(frozen=True)
class FormAct:
    """An act of the act page with a form of its own: the form, the operation it runs, and
    that operation's arguments from the filled form and the typed reason (the case and the
    version the form was rendered from are always passed)."""

    form: type[ActForm]
    operation: Callable[..., Any]
    arguments: Callable[[Any, str], dict[str, Any]]
    prepare: Callable[[Any, Case], None] | None = None  # fills the form's choices for the case


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
        lambda form, reason: {
            "chair": current_user,
            "last_on": form.last_on.data,
            "reason": reason,
        },
    ),
    "record_default": FormAct(
        DefaultForm,
        ops.record_default,
        lambda form, reason: {"chair": current_user, "side": form.side.data, "reason": reason},
    ),
    "record_hearing_held": FormAct(
        HearingHeldForm,
        ops.record_hearing_held,
        lambda form, reason: {
            "chair": current_user,
            "meeting_id": form.meeting.data,
            "reason": reason,
        },
        prepare=lambda form, case: setattr(form.meeting, "choices", hearing_choices(case)),
    ),
    "decide_correction": FormAct(
        ActForm,
        ops.decide_correction,
        lambda form, reason: {"chair": current_user, "reason": reason},
    ),
    # Suspension by agreement (suspensions/)
    "suspend": FormAct(
        SuspendForm,
        suspensions.suspend_by_agreement,
        lambda form, reason: {
            "user": current_user,
            "reason": reason,
            "resume_on": form.resume_on.data,
        },
    ),
    "resume": FormAct(
        ActForm,
        suspensions.resume,
        lambda form, reason: {"user": current_user, "reason": reason or None},
    ),
}


def _ending_arguments(action: str) -> Callable[[Any, str], dict[str, Any]]:
    return lambda form, reason: {"user": current_user, "action": action, "reason": reason}


# Ending without an award, and mediation as the parties choose (discontinuance/).
FORM_ACTS |= {
    action: FormAct(ActForm, ending.act, _ending_arguments(action)) for action in ending.ENDING_ACTS
}
# The other acts of the page are the table's plain acts: a reason at most.
SIMPLE_ACT = FormAct(
    ActForm,
    ops.act,
    lambda form, reason: {"user": current_user, "reason": reason or None},
)
ACTS = ops.SIMPLE_ACTS | frozenset(FORM_ACTS)


def hearing_choices(case: Case) -> list[tuple[int, str]]:
    """The hearings that can be recorded as held, by their time in Almaty and their place."""
    return [
        (m.id, " · ".join(x for x in (show_datetime(m.starts_at), m.place or m.video_link) if x))
        for m in hearings_to_record(case)
    ]


def _act_form(action: str, t: wf.Transition, case: Case) -> ActForm:
    spec = FORM_ACTS.get(action, SIMPLE_ACT)
    form = spec.form(reason_label=translate(t.reason_label), required=t.needs_reason, prefix="act")
    if spec.prepare is not None:
        spec.prepare(form, case)
    return form


def _previewable(t: wf.Transition) -> bool:
    """Acts whose ruling a person writes can be previewed before they are issued."""
    return bool(t.ruling) and not t.automatic_ruling


def _ruling_extra(case: Case, action: str, form: ActForm) -> dict[str, Any] | None:
    if action in ending.ENDING_ACTS:
        return ending.ruling_extra(case, action, current_user)
    expected_on = form.expected_on.valid_data() if hasattr(form, "expected_on") else None
    return ops.ruling_extra(case, action, expected_on=expected_on)


def _run_act(action: str, case: Case, form: ActForm) -> object:
    reason = (form.reason.data or "").strip()
    if action in FORM_ACTS:
        spec, extra = FORM_ACTS[action], {}
    else:
        spec, extra = SIMPLE_ACT, {"action": action}
    return spec.operation(
        case,
        expected_version=form.version.data,
        **extra,
        **spec.arguments(form, reason),
    )


@bp.route("/act/<action>", methods=["GET", "POST"])
@login_required
def act(case_id: int, action: str) -> ResponseReturnValue:
    if action not in ACTS:
        abort(404)
    t = wf.transition(action)
    case = load_case(case_id, action, lock=request.method == "POST")
    form = _act_form(action, t, case)

    def page(status: int) -> ResponseReturnValue:
        # A refused form comes back with what was typed and the case's version as it now
        # is: sending it again is a decision taken on the case as it now stands.
        form.version.data = case.version
        return render_template(
            "proceedings/act.html",
            case=case,
            t=t,
            action=action,
            form=form,
            blocked=t.blocked(case),
            takes_reason=t.needs_reason,
            previewable=_previewable(t),
            ruling_title=KINDS[t.ruling].title if t.ruling else None,
            details=act_details(case, action),
            deadline_labels=DEADLINE_LABELS,
        ), status

    return run_form_action(
        form,
        lambda: _run_act(action, case, form),
        done=lambda _: redirect_with(
            translate(event_label(action)), url_for("cases.show", case_id=case.id)
        ),
        page=page,
    )


@bp.post("/act/<action>/preview")
@login_required
def preview(case_id: int, action: str) -> ResponseReturnValue:
    """The ruling as it would be issued with the text typed so far, shown in a frame beside
    the form (or on its own, without frames); nothing is stored."""
    if action not in ACTS or not _previewable(wf.transition(action)):
        abort(404)
    t = wf.transition(action)
    case = load_case(case_id, action)
    form = _act_form(action, t, case)
    form.validate_on_submit()  # the CSRF check ran already; empty reasons preview as empty
    assert t.ruling is not None  # _previewable: the act issues a ruling
    html = preview_html(
        case,
        t.ruling,
        issuer=current_user,
        reasons=form.reason.data or "",
        extra=_ruling_extra(case, action, form),
    )
    return framed_preview(html)
