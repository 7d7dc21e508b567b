"""The pages of the award, the costs, the counterclaims and a grace period. Each is thin:
load the case (404 if the user may not see it, 403 if they may not act), build the form, run
it with `core.actions.run_form_action`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, current_app, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from .. import policy
from ..cases.contents import UploadRejected
from ..cases.loading import load_case
from ..cases.models import Case, Currency
from ..core.actions import redirect_with, run_form_action
from ..core.i18n import translate
from ..core.typed import login_required
from ..core.web import framed_preview, takes_uploads
from ..db import db
from ..deadlines.rules import DEADLINE_LABELS
from ..proceedings.forms import ActForm
from ..proceedings.presenter import event_label
from ..rulings.operations import preview_html
from ..texts import N_, Refusal
from ..workflow import transitions as wf
from ..workflow.roles import ARBITRATOR
from . import claims, queries
from . import operations as ops
from .forms import (
    FILE_SLOTS,
    AwardForm,
    CostsDecisionForm,
    CostsOrderForm,
    CostsStatementForm,
    CounterclaimForm,
    GraceForm,
    OpinionForm,
)
from .models import COSTS_MODE_LABELS, OPINION_LABELS, AwardDraft, CostsAllocation, CostsMode
from .values import award_extra

bp = Blueprint("awards", __name__, url_prefix="/cases/<int:case_id>")

AWARD_TEXT = N_("The award: the decision and its reasons")
Run = Callable[[Case, Any, str], object]


def panel(case: Case, user: Any = None) -> dict[str, Any]:
    """What the case page and these pages show of the award, the costs and counterclaims:
    the counterclaims and statements of costs to everyone on the case, the deliberation on a
    draft to the tribunal's members only."""
    user = user if user is not None else current_user
    member = ARBITRATOR in policy.case_roles(user, case)
    draft = queries.current_draft(case) if member else None
    names = {a.user_id: a.user.name for a in queries.members(case)}
    return {
        "counterclaims": queries.counterclaims(case),
        "costs_statements": queries.costs_statements(case),
        "draft": draft,
        "draft_approvers": [names.get(i, "") for i in queries.approvers(draft, case)]
        if draft
        else [],
        "majority": queries.majority(case),
        "opinions": queries.opinions(case) if member else [],
        "costs_mode_labels": COSTS_MODE_LABELS,
        "opinion_labels": OPINION_LABELS,
    }


@bp.app_context_processor
def _award_helpers() -> dict[str, Any]:
    return {"award_panel": panel}


def _page(
    case_id: int,
    action: str,
    form_class: type[ActForm],
    run: Run,
    *,
    required: bool | None = None,
    reason_label: str | None = None,
    prefill: Callable[[Any, Case], None] | None = None,
    refused_on: str | None = None,
    uploads: bool = False,
) -> ResponseReturnValue:
    t = wf.transition(action)
    case = load_case(case_id, action, lock=request.method == "POST")
    takes_reason = t.needs_reason if required is None else required
    form = form_class(
        reason_label=translate(reason_label or t.reason_label), required=takes_reason, prefix="act"
    )
    if request.method == "GET" and prefill is not None:
        prefill(form, case)

    def page(status: int) -> ResponseReturnValue:
        form.version.data = case.version
        return render_template(
            "awards/act.html",
            case=case,
            t=t,
            action=action,
            form=form,
            blocked=t.blocked(case),
            takes_reason=takes_reason,
            uploads=uploads,
            deadline_labels=DEADLINE_LABELS,
            previewable=action in ("issue_award", "submit_award_draft") and takes_reason,
            **panel(case),
        ), status

    def perform() -> object:
        try:
            return run(case, form, (form.reason.data or "").strip())
        except UploadRejected as exc:
            if exc.position is not None and hasattr(form, "upload_field"):
                exc.field = form.upload_field(exc.position)
            raise

    return run_form_action(
        form,
        perform,
        done=lambda _: redirect_with(
            translate(event_label(action)), url_for("cases.show", case_id=case.id)
        ),
        page=page,
        refused_on=refused_on,
    )


def _prefill_draft(form: Any, case: Case) -> None:
    draft = queries.current_draft(case)
    if draft is None:
        return
    form.reason.data = draft.reasons
    form.counterclaim_decision.data = draft.counterclaim_decision
    form.costs_mode.data = draft.costs_mode.value
    form.costs_payer.data = draft.costs_payer.value if draft.costs_payer else None
    form.costs_claimant_percent.data = draft.costs_claimant_percent
    form.costs_amount.data = draft.costs_amount
    form.costs_currency.data = draft.costs_currency.value if draft.costs_currency else ""


@bp.route("/award", methods=["GET", "POST"])
@login_required
def issue(case_id: int) -> ResponseReturnValue:
    """The award: a sole arbitrator writes it here; a tribunal of three issues the draft
    that its majority approved."""
    case = load_case(case_id, "issue_award")
    collegial = queries.collegial(case)

    def run(case: Case, form: Any, reason: str) -> object:
        if collegial:
            return ops.issue_award(case, chair=current_user, expected_version=form.version.data)
        return ops.issue_award(
            case,
            chair=current_user,
            reasons=reason,
            costs=form.costs(),
            counterclaim_decision=form.counterclaim_decision.data,
            expected_version=form.version.data,
        )

    return _page(
        case_id,
        "issue_award",
        ActForm if collegial else AwardForm,
        run,
        required=not collegial,
    )


@bp.post("/award/preview")
@login_required
def preview(case_id: int) -> ResponseReturnValue:
    """The award or the draft as it would be issued with what is typed so far (nothing is
    stored)."""
    case = load_case(case_id, "issue_award")
    form = AwardForm(prefix="act")
    form.validate_on_submit()
    draft = None if (form.reason.data or "").strip() else queries.current_draft(case)
    if draft is None:
        draft = AwardDraft(
            reasons=form.reason.data or "",
            counterclaim_decision=(form.counterclaim_decision.data or "").strip() or None,
        )
        try:
            draft.set_costs(ops.checked_costs(form.costs()))
        except (Refusal, ValueError):
            draft.set_costs(CostsAllocation(CostsMode.OWN))
    html = preview_html(
        case, "award", issuer=current_user, reasons=draft.reasons, extra=award_extra(case, draft)
    )
    return framed_preview(html)


@bp.route("/award/draft", methods=["GET", "POST"])
@login_required
def draft(case_id: int) -> ResponseReturnValue:
    return _page(
        case_id,
        "submit_award_draft",
        AwardForm,
        lambda case, form, reason: ops.submit_draft(
            case,
            chair=current_user,
            reasons=reason,
            costs=form.costs(),
            counterclaim_decision=form.counterclaim_decision.data,
            expected_version=form.version.data,
        ),
        required=True,
        reason_label=AWARD_TEXT,
        prefill=_prefill_draft,
    )


@bp.route("/award/approve", methods=["GET", "POST"])
@login_required
def approve(case_id: int) -> ResponseReturnValue:
    return _page(
        case_id,
        "approve_award_draft",
        ActForm,
        lambda case, form, reason: ops.approve_draft(
            case, member=current_user, expected_version=form.version.data
        ),
    )


def _prefill_opinion(form: Any, case: Case) -> None:
    mine = next((o for o in queries.opinions(case) if o.author_id == current_user.id), None)
    if mine is not None:
        form.kind.data, form.reason.data = mine.kind.value, mine.text


@bp.route("/award/opinion", methods=["GET", "POST"])
@login_required
def opinion(case_id: int) -> ResponseReturnValue:
    return _page(
        case_id,
        "attach_opinion",
        OpinionForm,
        lambda case, form, reason: ops.attach_opinion(
            case,
            member=current_user,
            kind=form.kind.data,
            text=reason,
            expected_version=form.version.data,
        ),
        required=True,
        reason_label=N_("The opinion"),
        prefill=_prefill_opinion,
    )


@bp.route("/costs/order", methods=["GET", "POST"])
@login_required
def costs_order(case_id: int) -> ResponseReturnValue:
    return _page(
        case_id,
        "order_costs_statements",
        CostsOrderForm,
        lambda case, form, reason: ops.order_costs_statements(
            case,
            chair=current_user,
            due=form.due.data,
            reason=reason,
            expected_version=form.version.data,
        ),
    )


@bp.route("/costs/statement", methods=["GET", "POST"])
@login_required
def costs_statement(case_id: int) -> ResponseReturnValue:
    return _page(
        case_id,
        "file_costs_statement",
        CostsStatementForm,
        lambda case, form, reason: ops.file_costs_statement(
            case,
            user=current_user,
            items=form.items(),
            note=reason,
            expected_version=form.version.data,
        ),
        required=False,
        reason_label=N_("A note on the statement (optional)"),
    )


@bp.route("/costs/decision", methods=["GET", "POST"])
@login_required
def costs_decision(case_id: int) -> ResponseReturnValue:
    return _page(
        case_id,
        "decide_costs",
        CostsDecisionForm,
        lambda case, form, reason: ops.decide_costs(
            case,
            chair=current_user,
            costs=form.costs(),
            reason=reason,
            expected_version=form.version.data,
        ),
    )


@bp.route("/counterclaim", methods=["GET", "POST"])
@login_required
@takes_uploads(len(FILE_SLOTS))
def counterclaim(case_id: int) -> ResponseReturnValue:
    return _page(
        case_id,
        "file_counterclaim",
        CounterclaimForm,
        lambda case, form, reason: claims.file_counterclaim(
            db.session(),
            case,
            user=current_user,
            amount=form.amount.data,
            currency=Currency(form.currency.data),
            description=reason,
            files=form.uploads(),
            upload_dir=current_app.config["UPLOAD_DIR"],
            max_bytes=current_app.config["MAX_UPLOAD_BYTES"],
            expected_version=form.version.data,
        ),
        uploads=True,
    )


@bp.route("/counterclaim/allow", methods=["GET", "POST"])
@login_required
def allow_counterclaim(case_id: int) -> ResponseReturnValue:
    return _page(
        case_id,
        "allow_counterclaim",
        ActForm,
        lambda case, form, reason: claims.allow_counterclaim(
            case, chair=current_user, reason=reason, expected_version=form.version.data
        ),
    )


@bp.route("/grace", methods=["GET", "POST"])
@login_required
def grace(case_id: int) -> ResponseReturnValue:
    return _page(
        case_id,
        "grant_grace",
        GraceForm,
        lambda case, form, reason: claims.grant_grace(
            case,
            chair=current_user,
            until=form.until.data,
            reason=reason,
            expected_version=form.version.data,
        ),
    )
