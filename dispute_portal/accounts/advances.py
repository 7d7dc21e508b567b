"""Advances on costs: what the Centre asks the parties to deposit for the proceedings.

The registry requests an advance as mediation starts and once the tribunal is constituted
(and a further one when it runs short): a row of the workflow table, `request_advance`. The
amount is the schedule's (`proposal`) unless the registry enters another; it is split
between the sides in equal shares unless the registry gives reasons for another split. Each
side's share is an invoice of its own, due on the day the deadline engine gives
(`advance_payment`, rule set version 3: 30 days, ICSID Administrative and Financial
Regulation 15(3)); the money is held for the case (the ledger's advance account) until it is
spent on the neutrals' fees or refunded.

What the schedule suggests: the administrative fee for the amount in dispute, once per case
(with the first advance), and the neutrals' fees at the schedule's daily rate for the days a
stage usually takes (ESTIMATED_DAYS) for each neutral sitting.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select

from ..auth.models import User
from ..cases.models import Case, Currency
from ..db import session_of
from ..deadlines.queries import open_deadline
from ..neutrals.queries import accepted
from ..parties.models import Side
from ..texts import N_, Refusal
from ..workflow import engine
from ..workflow.states import CaseState
from .billing import issue_invoice, lodging_currency
from .fees import currencies, quote, schedule_of
from .models import CENT, MAX_AMOUNT, AdvanceRequest, AdvanceStage, InvoicePurpose

EQUAL = Decimal("50")  # the claimant's share, in per cent, unless the registry gives reasons
PERCENT_STEP = Decimal("0.01")
# The days of a neutral's work an advance of each stage provides for, at the daily rate.
ESTIMATED_DAYS = {AdvanceStage.MEDIATION: 2, AdvanceStage.TRIBUNAL: 10, AdvanceStage.FURTHER: 5}


class AdvanceRefused(Refusal):
    pass


@dataclass(frozen=True)
class Proposal:
    """The schedule's suggestion for the case's next advance, and how it is reckoned."""

    stage: AdvanceStage
    currency: Currency
    administrative_fee: Decimal  # none after the case's first advance
    neutrals: int
    days: int
    daily: Decimal

    @property
    def amount(self) -> Decimal:
        return self.administrative_fee + self.neutrals * self.days * self.daily


def next_stage(case: Case) -> AdvanceStage:
    """Mediation's advance in mediation; in arbitration, the tribunal's first, then further."""
    if case.state is CaseState.MEDIATION:
        return AdvanceStage.MEDIATION
    earlier = session_of(case).scalar(
        select(AdvanceRequest.id).where(
            AdvanceRequest.case_id == case.id, AdvanceRequest.stage == AdvanceStage.TRIBUNAL
        )
    )
    return AdvanceStage.TRIBUNAL if earlier is None else AdvanceStage.FURTHER


def proposal(case: Case) -> Proposal:
    """What the schedule the case runs under suggests for its next advance, in the currency
    of its lodging fee (the claim's, when the schedule is published in it)."""
    fees = schedule_of(case).fees
    currency = lodging_currency(case, fees)
    in_dispute = case.amount_claimed if case.claimed_currency is currency else None
    found = quote(fees, min(in_dispute or Decimal(0), MAX_AMOUNT), currency)
    stage = next_stage(case)
    first = (
        session_of(case).scalar(
            select(AdvanceRequest.id).where(AdvanceRequest.case_id == case.id).limit(1)
        )
        is None
    )
    sitting = 1 if stage is AdvanceStage.MEDIATION else len(accepted(case, tribunal=True))
    return Proposal(
        stage=stage,
        currency=currency,
        administrative_fee=found.administrative_fee if first else Decimal("0.00"),
        neutrals=max(1, sitting),
        days=ESTIMATED_DAYS[stage],
        daily=found.daily,
    )


def offered_currencies(case: Case) -> list[Currency]:
    return currencies(schedule_of(case).fees)


def shares(amount: Decimal, claimant_percent: Decimal) -> tuple[Decimal, Decimal]:
    """The claimant's and the respondent's shares, to the cent, adding up to the amount."""
    claimant = (amount * claimant_percent / 100).quantize(CENT, ROUND_HALF_UP)
    return claimant, amount - claimant


def request_advance(
    case: Case,
    *,
    amount: Decimal,
    currency: Currency,
    claimant_percent: Decimal = EQUAL,
    reason: str = "",
    by: User,
    expected_version: int | None = None,
) -> AdvanceRequest:
    """The registry asks the sides for an advance on costs: one invoice for each side's share
    (none for a share of nothing), due by the deadline the rule set gives."""
    if not amount.is_finite() or not 0 < amount <= MAX_AMOUNT or amount != amount.quantize(CENT):
        raise AdvanceRefused(N_("Enter the advance, exact to the cent."))
    if currency not in offered_currencies(case):
        raise AdvanceRefused(N_("The schedule has no fees in this currency."))
    if (
        not claimant_percent.is_finite()
        or not 0 <= claimant_percent <= 100
        or claimant_percent != claimant_percent.quantize(PERCENT_STEP)
    ):
        raise AdvanceRefused(N_("The claimant's share is a percentage from 0 to 100."))
    reason = reason.strip()
    if claimant_percent != EQUAL and not reason:
        raise AdvanceRefused(N_("Give the reasons for shares that are not equal."))
    claimant, respondent = shares(amount, claimant_percent)
    stage = next_stage(case)
    engine.apply(
        by,
        case,
        "request_advance",
        expected_version=expected_version,
        reason=reason or None,
        data={
            "stage": stage.value,
            "amount": str(amount),
            "currency": currency.value,
            "claimant_share": str(claimant),
            "respondent_share": str(respondent),
        },
    )
    session = session_of(case)
    deadline = open_deadline(case, "advance_payment")  # the act started it (the table's)
    assert deadline is not None
    request = AdvanceRequest(
        case_id=case.id,
        stage=stage,
        currency=currency,
        amount=amount,
        claimant_share=claimant,
        respondent_share=respondent,
        split_reason=reason if claimant_percent != EQUAL else None,
        due_on=deadline.due_on,
        requested_by_id=by.id,
    )
    session.add(request)
    session.flush()
    for side, share in ((Side.CLAIMANT, claimant), (Side.RESPONDENT, respondent)):
        if share > 0:
            issue_invoice(
                case,
                side=side,
                purpose=InvoicePurpose.ADVANCE,
                amount=share,
                currency=currency,
                by=by,
                due_on=deadline.due_on,
                advance=request,
            )
    return request
