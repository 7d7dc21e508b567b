"""The pages of the award: its drafts (and those of a consent award and of a decision on
costs), the members' approvals and opinions, the award and the consent award. Each is thin
(pages.act_page); the pages of costs, counterclaims and grace are claims_views'."""

from __future__ import annotations

from functools import partial
from typing import Any

from flask import abort, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ..cases.loading import load_case
from ..cases.models import Case
from ..core.typed import login_required
from ..core.web import framed_preview
from ..proceedings.forms import ActForm
from ..rulings.operations import preview_html
from ..texts import N_, Refusal
from . import (
    claims_views,  # noqa: F401  (the pages of costs, counterclaims and grace join bp)
    queries,
)
from . import operations as ops
from .forms import AwardForm, CostsDecisionForm, OpinionForm
from .models import AwardDraft, CostsAllocation, CostsMode, DraftKind
from .pages import AWARD_TEXT, act_page, bp
from .values import award_extra

__all__ = ["bp"]  # the blueprint (pages.py) with every page of the package's routes on it


def _prefill_draft(form: Any, case: Case, kind: DraftKind) -> None:
    """The draft of this kind before the tribunal, to change."""
    draft = queries.current_draft(case)
    if draft is None or draft.kind is not kind:
        return
    form.reason.data = draft.reasons
    if kind is DraftKind.AWARD:
        form.counterclaim_decision.data = draft.counterclaim_decision
    if kind is not DraftKind.CONSENT_AWARD:
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

    def run(case: Case, form: Any, reason: str) -> object:
        if queries.collegial(case):
            return ops.issue_award(case, chair=current_user, expected_version=form.version.data)
        return ops.issue_award(
            case,
            chair=current_user,
            reasons=reason,
            costs=form.costs(),
            counterclaim_decision=form.counterclaim_decision.data,
            expected_version=form.version.data,
        )

    return act_page(case_id, "issue_award", AwardForm, run)


@bp.post("/award/preview")
@login_required
def preview(case_id: int) -> ResponseReturnValue:
    """The award or the draft as it would be issued with what is typed so far (nothing is
    stored)."""
    case = load_case(case_id, "issue_award")
    form = AwardForm(prefix="act")
    form.validate_on_submit()
    draft = None if (form.reason.data or "").strip() else queries.current_draft(case)
    if draft is None or draft.kind is not DraftKind.AWARD:  # a draft of another kind is no award
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


# Each kind of draft: its form and what its text is.
DRAFT_FORMS: dict[DraftKind, tuple[type[ActForm], str]] = {
    DraftKind.AWARD: (AwardForm, AWARD_TEXT),
    DraftKind.CONSENT_AWARD: (ActForm, N_("The terms of the settlement")),
    DraftKind.COSTS_DECISION: (CostsDecisionForm, N_("The decision on costs: its reasons")),
}


@bp.route("/award/draft", methods=["GET", "POST"])
@login_required
def draft(case_id: int) -> ResponseReturnValue:
    """A draft put to a tribunal of three: of the award, or (?kind=) of an award embodying
    the parties' settlement or of a decision on costs."""
    load_case(case_id, "submit_award_draft")  # who may not see it or act: 404, 403
    try:
        kind = DraftKind(request.args.get("kind", DraftKind.AWARD.value))
    except ValueError:
        abort(404)
    form_class, text = DRAFT_FORMS[kind]

    def run(case: Case, form: Any, reason: str) -> object:
        consent = kind is DraftKind.CONSENT_AWARD  # the settlement says what it says of costs
        return ops.submit_draft(
            case,
            chair=current_user,
            kind=kind,
            reasons=reason,
            costs=CostsAllocation(CostsMode.OWN) if consent else form.costs(),
            counterclaim_decision=form.counterclaim_decision.data
            if kind is DraftKind.AWARD
            else None,
            expected_version=form.version.data,
        )

    return act_page(
        case_id,
        "submit_award_draft",
        form_class,
        run,
        required=True,
        reason_label=text,
        prefill=partial(_prefill_draft, kind=kind),
        previewable=kind is DraftKind.AWARD,
        draft_kind=kind,
    )


@bp.route("/award/consent", methods=["GET", "POST"])
@login_required
def consent(case_id: int) -> ResponseReturnValue:
    """The parties' settlement embodied in an award: a sole arbitrator writes its terms here;
    a tribunal of three issues the draft that its majority approved."""
    return act_page(
        case_id,
        "consent_award",
        ActForm,
        lambda case, form, reason: ops.issue_consent_award(
            case, chair=current_user, terms=reason, expected_version=form.version.data
        ),
    )


@bp.post("/award/consent/preview")
@login_required
def consent_preview(case_id: int) -> ResponseReturnValue:
    """A sole arbitrator's award embodying the settlement as it would be issued with the
    terms typed so far (nothing is stored)."""
    case = load_case(case_id, "consent_award")
    form = ActForm(prefix="act")
    form.validate_on_submit()
    html = preview_html(
        case, "consent_award", issuer=current_user, reasons=form.reason.data or "", extra=None
    )
    return framed_preview(html)


@bp.route("/award/approve", methods=["GET", "POST"])
@login_required
def approve(case_id: int) -> ResponseReturnValue:
    return act_page(
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
    return act_page(
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
