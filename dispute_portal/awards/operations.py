"""The acts of the tribunal's decisions: the award, its drafts, approvals and opinions, a
decision on costs, a consent award (the statements of costs, counterclaims and grace
periods: claims.py). Each one verb, checked and audited through the workflow table; they
flush and never commit."""

from __future__ import annotations

from decimal import Decimal

from ..auth.models import User
from ..cases.models import Case, Visibility
from ..db import session_of, utcnow
from ..errors import TransitionRefused
from ..texts import N_
from ..workflow import engine
from ..workflow.models import CaseEvent
from ..workflow.states import CaseState
from . import queries
from .models import (
    AwardApproval,
    AwardDraft,
    AwardOpinion,
    CostsAllocation,
    CostsDecision,
    CostsMode,
    DraftKind,
    OpinionKind,
)
from .values import approved_by, award_extra, costs_decision_extra

TRIBUNAL_ONLY = Visibility.TRIBUNAL.value  # the deliberation on a draft is the tribunal's
HUNDRED = Decimal(100)


class FieldRefused(TransitionRefused):
    """A refusal about one field's input (shown beside it)."""

    def __init__(self, field: str, message: str, **params: object) -> None:
        super().__init__(message, **params)
        self.field = field


def checked_costs(costs: CostsAllocation, *, reserved_allowed: bool = True) -> CostsAllocation:
    """The allocation as it is recorded: what its mode needs is given and within reason,
    what it does not need is dropped."""
    mode = costs.mode
    if mode is CostsMode.RESERVED and not reserved_allowed:
        raise FieldRefused("costs_mode", N_("A decision on costs decides them: choose how."))
    if mode in (CostsMode.OWN, CostsMode.RESERVED):
        return CostsAllocation(mode)
    if costs.payer is None:
        raise FieldRefused("costs_payer", N_("Choose the party that pays."))
    if mode is CostsMode.SPLIT:
        percent = costs.claimant_percent
        if percent is None or not Decimal(0) <= percent <= HUNDRED:
            raise FieldRefused(
                "costs_claimant_percent", N_("Give the claimant's share as a per cent, 0 to 100.")
            )
    if costs.amount is None or costs.amount < 0:
        raise FieldRefused("costs_amount", N_("Give the amount the paying party pays."))
    if costs.currency is None:
        raise FieldRefused("costs_currency", N_("Choose the currency of the amount."))
    return CostsAllocation(
        mode,
        costs.payer,
        costs.claimant_percent if mode is CostsMode.SPLIT else None,
        costs.amount,
        costs.currency,
    )


def _counterclaim_decision(case: Case, text: str | None) -> str | None:
    text = (text or "").strip() or None
    if queries.counterclaims(case) and text is None:
        raise FieldRefused(
            "counterclaim_decision", N_("The award must decide the respondent's counterclaim.")
        )
    return text


def _new_draft(
    case: Case,
    *,
    by: User,
    reasons: str,
    costs: CostsAllocation,
    counterclaim_decision: str | None,
    kind: DraftKind = DraftKind.AWARD,
) -> AwardDraft:
    """A text of the kind: an award decides the costs (or reserves them) and the
    counterclaim; a decision on costs decides them; a consent award embodies the settlement,
    which says what it says of both (its costs columns record nothing of their own)."""
    if not reasons.strip():
        raise FieldRefused("reason", N_("Give the reasons."))
    previous = queries.drafts(case)
    award = kind is DraftKind.AWARD
    draft = AwardDraft(
        case_id=case.id,
        number=(previous[-1].number + 1) if previous else 1,
        kind=kind,
        reasons=reasons.strip(),
        counterclaim_decision=_counterclaim_decision(case, counterclaim_decision)
        if award
        else None,
        submitted_by_id=by.id,
        submitted_at=utcnow(),
    )
    if kind is DraftKind.CONSENT_AWARD:
        draft.set_costs(CostsAllocation(CostsMode.OWN))
    else:
        draft.set_costs(checked_costs(costs, reserved_allowed=award))
    session_of(case).add(draft)
    return draft


def _draftable(case: Case, kind: DraftKind) -> None:
    """After the award only a decision on costs it reserved remains to be made; while the
    proceeding is suspended, only the parties' settlement is drafted (to end it)."""
    if case.suspended_since is not None and kind is not DraftKind.CONSENT_AWARD:
        raise TransitionRefused(queries.SUSPENDED)
    if kind is DraftKind.COSTS_DECISION and (why := queries.costs_open(case)):
        raise TransitionRefused(why)
    if kind is not DraftKind.COSTS_DECISION and case.state is CaseState.AWARDED:
        raise TransitionRefused(N_("The award has been issued: only a decision on costs remains."))


def submit_draft(
    case: Case,
    *,
    chair: User,
    reasons: str,
    costs: CostsAllocation,
    counterclaim_decision: str | None = None,
    kind: DraftKind = DraftKind.AWARD,
    expected_version: int | None,
) -> AwardDraft:
    """The chair puts a text (of the award, of a consent award, of a decision on costs) to a
    tribunal of three. A new text is a new draft, and the one before the tribunal: the
    approvals of the earlier one do not carry over."""
    engine.check(chair, case, "submit_award_draft")
    _draftable(case, kind)
    current = queries.current_draft(case)
    draft = _new_draft(
        case,
        by=chair,
        reasons=reasons,
        costs=costs,
        counterclaim_decision=counterclaim_decision,
        kind=kind,
    )
    if current is not None and (
        current.kind,
        current.reasons,
        current.costs,
        current.counterclaim_decision,
    ) == (draft.kind, draft.reasons, draft.costs, draft.counterclaim_decision):
        session_of(case).expunge(draft)
        raise TransitionRefused(N_("This draft is the same as the current one."))
    data: dict[str, object] = {"draft": draft.number, "kind": kind.value}
    if current is not None:
        data["replaces"] = current.number
        data["approvals_voided"] = len(current.approvals)
    engine.apply(
        chair,
        case,
        "submit_award_draft",
        expected_version=expected_version,
        data=data,
        visibility=TRIBUNAL_ONLY,
    )
    return draft


def approve_draft(case: Case, *, member: User, expected_version: int | None) -> AwardApproval:
    """A member approves the draft before the tribunal (its number and kind are recorded)."""
    engine.check(member, case, "approve_award_draft")
    draft = queries.current_draft(case)
    assert draft is not None  # the guard
    if any(a.user_id == member.id for a in draft.approvals):
        raise TransitionRefused(N_("You have already approved this draft."))
    engine.apply(
        member,
        case,
        "approve_award_draft",
        expected_version=expected_version,
        data={"draft": draft.number, "kind": draft.kind.value},
        visibility=TRIBUNAL_ONLY,
    )
    approval = AwardApproval(user_id=member.id, approved_at=utcnow())
    draft.approvals.append(approval)
    return approval


def attach_opinion(
    case: Case, *, member: User, kind: str, text: str, expected_version: int | None
) -> AwardOpinion:
    """A member's dissenting or individual opinion, issued with the award (writing it again
    replaces it)."""
    engine.check(member, case, "attach_opinion")
    try:
        opinion_kind = OpinionKind(kind)
    except ValueError:
        raise FieldRefused("kind", N_("Choose the kind of opinion.")) from None
    if not text.strip():
        raise FieldRefused("reason", N_("Write the opinion."))
    existing = next((o for o in queries.opinions(case) if o.author_id == member.id), None)
    engine.apply(
        member,
        case,
        "attach_opinion",
        expected_version=expected_version,
        data={"kind": opinion_kind.value, "replaces": existing is not None},
        visibility=TRIBUNAL_ONLY,
    )
    if existing is None:
        existing = AwardOpinion(case_id=case.id, author_id=member.id)
        session_of(case).add(existing)
    existing.kind, existing.text, existing.written_at = opinion_kind, text.strip(), utcnow()
    return existing


def _approved_draft(case: Case) -> AwardDraft | None:
    """The draft a tribunal of three decides with (the act's guard: of its kind, approved by
    a majority); None for a sole arbitrator, who decides with what the form says."""
    return queries.current_draft(case) if queries.collegial(case) else None


def _draft_data(draft: AwardDraft | None, case: Case) -> dict[str, object]:
    if draft is None:
        return {}
    return {"draft": draft.number, "approvals": len(queries.approvers(draft, case))}


def issue_award(
    case: Case,
    *,
    chair: User,
    reasons: str | None = None,
    costs: CostsAllocation | None = None,
    counterclaim_decision: str | None = None,
    expected_version: int | None,
) -> CaseEvent:
    """The award: a sole arbitrator's text as given here; a tribunal of three's, the draft
    its majority approved (the text, the costs, the counterclaim), with the members'
    opinions after it."""
    engine.check(chair, case, "issue_award", reason=reasons or "-")
    approved = _approved_draft(case)
    draft = approved
    if draft is None:  # a sole arbitrator's award: the text given here, recorded as its draft
        draft = _new_draft(
            case,
            by=chair,
            reasons=reasons or "",
            costs=costs or CostsAllocation(CostsMode.OWN),
            counterclaim_decision=counterclaim_decision,
        )
        session_of(case).flush()
    data: dict[str, object] = {
        "draft": draft.number,
        "costs": draft.costs_mode.value,
        **_draft_data(approved, case),
    }
    if approved is not None:
        data["opinions"] = len(queries.opinions(case))
    event = engine.apply(
        chair,
        case,
        "issue_award",
        reason=draft.reasons,
        expected_version=expected_version,
        data=data,
        ruling_extra=award_extra(case, draft),
    )
    draft.issued_at = event.at  # the draft is the award now: no longer a draft to approve
    return event


# A decision on costs and a consent award, from an approved draft like the award -----------


def decide_costs(
    case: Case,
    *,
    chair: User,
    costs: CostsAllocation | None = None,
    reason: str = "",
    expected_version: int | None,
) -> CostsDecision:
    """The tribunal's separate decision on costs (a ruling of its own): a sole arbitrator's
    as given here, a tribunal of three's the draft its majority approved."""
    draft = _approved_draft(case)
    reason = draft.reasons if draft is not None else reason
    engine.check(chair, case, "decide_costs", reason=reason)
    if draft is not None:
        allocation = draft.costs
    else:
        allocation = checked_costs(costs or CostsAllocation(CostsMode.OWN), reserved_allowed=False)
    event = engine.apply(
        chair,
        case,
        "decide_costs",
        reason=reason,
        expected_version=expected_version,
        data={"costs": allocation.mode.value, **_draft_data(draft, case)},
        ruling_extra=costs_decision_extra(case, allocation, draft),
    )
    if draft is not None:
        draft.issued_at = event.at  # decided: no longer a draft before the tribunal
    decision = CostsDecision(case_id=case.id, decided_by_id=chair.id, decided_at=event.at)
    decision.set_costs(allocation)
    session_of(case).add(decision)
    return decision


def issue_consent_award(
    case: Case, *, chair: User, terms: str = "", expected_version: int | None
) -> CaseEvent:
    """The parties' settlement embodied in an award, at their request (ICSID rule 55(2)):
    a sole arbitrator's text as given here, a tribunal of three's the draft its majority
    approved."""
    draft = _approved_draft(case)
    terms = draft.reasons if draft is not None else terms.strip()
    engine.check(chair, case, "consent_award", reason=terms)
    data = _draft_data(draft, case) or None
    event = engine.apply(chair, case, "consent_award", reason=terms, data=data,
                         expected_version=expected_version,
                         ruling_extra={"approved_by": approved_by(case, draft)})  # fmt: skip
    if draft is not None:
        draft.issued_at = event.at
    return event
