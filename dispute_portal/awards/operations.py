"""The acts of the award and of costs (counterclaims and grace periods: claims.py): each one
verb, checked and audited through the workflow table; they flush and never commit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from .. import policy
from ..auth.models import User
from ..cases.models import Case, Currency, Visibility
from ..db import session_of, utcnow
from ..deadlines import operations as deadlines
from ..deadlines import queries as deadline_queries
from ..errors import TransitionRefused
from ..parties.models import Side
from ..texts import N_
from ..workflow import engine
from ..workflow.models import CaseEvent
from . import queries
from .models import (
    AwardApproval,
    AwardDraft,
    AwardOpinion,
    CostsAllocation,
    CostsDecision,
    CostsItem,
    CostsMode,
    CostsStatement,
    OpinionKind,
)
from .values import award_extra, costs_decision_extra, costs_order_extra

# The date the tribunal sets for the statements of costs lies within the coming year.
COSTS_AHEAD = dt.timedelta(days=365)
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
) -> AwardDraft:
    if not reasons.strip():
        raise FieldRefused("reason", N_("Give the reasons."))
    previous = queries.drafts(case)
    draft = AwardDraft(
        case_id=case.id,
        number=(previous[-1].number + 1) if previous else 1,
        reasons=reasons.strip(),
        counterclaim_decision=_counterclaim_decision(case, counterclaim_decision),
        submitted_by_id=by.id,
        submitted_at=utcnow(),
    )
    draft.set_costs(checked_costs(costs))
    session_of(case).add(draft)
    return draft


def submit_draft(
    case: Case,
    *,
    chair: User,
    reasons: str,
    costs: CostsAllocation,
    counterclaim_decision: str | None = None,
    expected_version: int | None,
) -> AwardDraft:
    """The chair puts a text of the award to a tribunal of three. A new text is a new draft:
    the approvals of the earlier one do not carry over."""
    engine.check(chair, case, "submit_award_draft")
    current = queries.current_draft(case)
    draft = _new_draft(
        case, by=chair, reasons=reasons, costs=costs, counterclaim_decision=counterclaim_decision
    )
    if current is not None and (
        current.reasons,
        current.costs,
        current.counterclaim_decision,
    ) == (draft.reasons, draft.costs, draft.counterclaim_decision):
        session_of(case).expunge(draft)
        raise TransitionRefused(N_("This draft is the same as the current one."))
    data = {"draft": draft.number}
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
    """A member approves the current draft of the award (its number is recorded)."""
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
        data={"draft": draft.number},
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
    if queries.collegial(case):
        draft = queries.current_draft(case)
        assert draft is not None  # the guard
    else:
        draft = _new_draft(
            case,
            by=chair,
            reasons=reasons or "",
            costs=costs or CostsAllocation(CostsMode.OWN),
            counterclaim_decision=counterclaim_decision,
        )
        session_of(case).flush()
    data = {"draft": draft.number, "costs": draft.costs_mode.value}
    if queries.collegial(case):
        data["approvals"] = len(queries.approvers(draft, case))
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


# Costs ------------------------------------------------------------------------------------


class CostsDateRefused(FieldRefused):
    def __init__(self, message: str, **params: object) -> None:
        super().__init__("due", message, **params)


def order_costs_statements(
    case: Case, *, chair: User, due: dt.date, reason: str, expected_version: int | None
) -> CaseEvent:
    """The tribunal sets the date by which each side files its statement of costs: a
    procedural order (a ruling) with its reasons and the date."""
    engine.check(chair, case, "order_costs_statements", reason=reason)
    today = deadline_queries.today()
    if due <= today:
        raise CostsDateRefused(N_("The date must be in the future."))
    if due > today + COSTS_AHEAD:
        raise CostsDateRefused(N_("The date can be at most a year ahead."))
    # The act first (its guard asks whether a date is set already), then its deadline.
    falls_on = deadlines.falls_on(case, due)
    event = engine.apply(
        chair,
        case,
        "order_costs_statements",
        reason=reason,
        expected_version=expected_version,
        data={"deadline": "costs_statement", "due": falls_on.isoformat()},
        ruling_extra=costs_order_extra(case, falls_on),
    )
    deadlines.start_on(case, "costs_statement", due, at=event.at)
    return event


def file_costs_statement(
    case: Case,
    *,
    user: User,
    items: list[tuple[str, Decimal, Currency]],
    note: str | None,
    expected_version: int | None,
) -> CostsStatement:
    """A side's statement of its costs. Once both sides have filed, the time limit is met."""
    engine.check(user, case, "file_costs_statement")
    side = policy.side_of(user, case)
    assert side is not None  # the table: a party
    if not items:
        raise FieldRefused("item_1_description", N_("List at least one item of costs."))
    for description, amount, _currency in items:
        if not description.strip():
            raise TransitionRefused(N_("Describe each item of costs."))
        if amount < 0:
            raise TransitionRefused(N_("An amount cannot be negative."))
    statement = CostsStatement(
        case_id=case.id, side=side, filed_by_id=user.id, note=(note or "").strip() or None
    )
    statement.items = [
        CostsItem(position=n, description=d.strip()[:300], amount=a, currency=c)
        for n, (d, a, c) in enumerate(items, start=1)
    ]
    session_of(case).add(statement)
    totals = statement.totals()
    event = engine.apply(
        user,
        case,
        "file_costs_statement",
        expected_version=expected_version,
        data={
            "side": side.value,
            "items": len(items),
            "totals": {c.value: str(a) for c, a in sorted(totals.items())},
        },
    )
    statement.filed_at = event.at
    session_of(case).flush()
    running = deadline_queries.open_deadline(case, "costs_statement")
    if running is not None:
        since = dt.datetime.combine(running.starts_on, dt.time(), dt.UTC) - dt.timedelta(days=1)
        if queries.sides_filed_costs(case, since) == {Side.CLAIMANT, Side.RESPONDENT}:
            deadlines.satisfy(case, "costs_statement", at=event.at)
    return statement


def decide_costs(
    case: Case, *, chair: User, costs: CostsAllocation, reason: str, expected_version: int | None
) -> CostsDecision:
    """The tribunal's separate decision on costs (a ruling of its own)."""
    engine.check(chair, case, "decide_costs", reason=reason)
    allocation = checked_costs(costs, reserved_allowed=False)
    event = engine.apply(
        chair,
        case,
        "decide_costs",
        reason=reason,
        expected_version=expected_version,
        data={"costs": allocation.mode.value},
        ruling_extra=costs_decision_extra(case, allocation),
    )
    decision = CostsDecision(case_id=case.id, decided_by_id=chair.id, decided_at=event.at)
    decision.set_costs(allocation)
    session_of(case).add(decision)
    return decision
