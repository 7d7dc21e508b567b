"""The account's statements and its end: what each side paid, what was spent on what, and
the balance; the final statement, which settles the account when the proceeding has ended;
the payment of its refunds.

The final statement (the registry's act, `issue_final_statement`, once the case is in a
final state and no fee note waits for a decision):
1. writes off what is still unpaid on any invoice (the proceeding is over: the Centre no
   longer asks it), with the reasons;
2. charges the Centre's administrative fee (the schedule's, for the amount in dispute; per
   year begun when the schedule charges by the year) to the advance, up to what it holds;
3. refunds what is left of the advance to the sides in proportion to what each paid of the
   advances (a substitution counts for the side that paid it), the claimant's part rounded
   to the cent and the respondent's the rest;
4. issues the statement (a numbered, verifiable PDF) and a refund to each side whose account
   is in credit (its part of the advance and anything it paid beyond its invoices).
The registry or the finance officer then records each refund's payment (`pay_refund`). The
account is then settled: every account of the case at zero, which closing the case requires.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select

from ..auth.models import User
from ..cases.models import Case, Currency
from ..db import session_of
from ..deadlines.calendar import local_date
from ..deadlines.queries import today
from ..parties.models import Side
from ..rulings.models import Ruling
from ..rulings.operations import issue_ruling, ruling_language
from ..texts import N_, Refusal
from ..workflow import engine
from . import ledger
from .billing import DAY_PAID, check_day, forgo
from .fees import quote, schedule_of
from .models import CENT, AdvanceRequest, Holder, TransactionKind
from .outgoings import Refund
from .queries import advance_held, case_account, paid_toward_advances
from .sheets import sheets, sheets_extra

WRITTEN_OFF = "Unpaid when the proceeding ended: written off with the final statement."


class ClosingRefused(Refusal):
    pass


def administrative_fee(case: Case, currency: Currency) -> Decimal:
    """The schedule's administrative fee for the case in `currency`: on the amount in dispute
    when it is claimed in that currency; a fixed fee for each year begun (from registration to
    the end) when the schedule charges by the year."""
    in_dispute = case.amount_claimed if case.claimed_currency is currency else None
    found = quote(schedule_of(case).fees, in_dispute or Decimal(0), currency)
    if not found.per_year:
        return found.administrative_fee
    start = local_date(case.registered_at) if case.registered_at else today()
    end = local_date(case.decided_at) if case.decided_at else today()
    years = max(1, -(-((end - start).days + 1) // 365))
    return found.administrative_fee * years


def _advance_currencies(case: Case) -> list[Currency]:
    found = session_of(case).scalars(
        select(AdvanceRequest.currency).where(AdvanceRequest.case_id == case.id).distinct()
    )
    return sorted(set(found), key=lambda c: c.value)


def _settle_advance(case: Case, currency: Currency, by: User) -> int | None:
    """Charge the administrative fee to the advance, refund the rest to the sides; the
    refund's transaction id (None when nothing was left)."""
    session = session_of(case)
    advance = ledger.account(session, Holder.ADVANCE, currency, case=case)
    held = advance_held(session, case, currency)
    charged = min(administrative_fee(case, currency), held)
    if charged > 0:
        income = ledger.account(session, Holder.INCOME, currency)
        ledger.post(
            session, case=case, kind=TransactionKind.FEES, currency=currency,
            lines=[(advance, charged), (income, -charged)],
            reason="The Centre's administrative fee, charged with the final statement", by=by,
        )  # fmt: skip
    rest = held - charged
    if rest <= 0:
        return None
    paid = paid_toward_advances(session, case, currency)
    total = paid[Side.CLAIMANT] + paid[Side.RESPONDENT]
    share = paid[Side.CLAIMANT] / total if total > 0 else Decimal("0.5")
    claimant = (rest * share).quantize(CENT, ROUND_HALF_UP)
    parts = {Side.CLAIMANT: claimant, Side.RESPONDENT: rest - claimant}
    lines = [(advance, rest)] + [
        (ledger.account(session, Holder.PARTY, currency, case=case, side=side), -part)
        for side, part in parts.items()
        if part > 0
    ]
    refund = ledger.post(
        session, case=case, kind=TransactionKind.REFUND, currency=currency, lines=lines,
        reason="The unspent advance, refunded in proportion to what each side paid", by=by,
    )  # fmt: skip
    return refund.id


def issue_final_statement(case: Case, *, by: User, expected_version: int | None = None) -> Ruling:
    """The registry's final statement of a case whose proceeding has ended (see above)."""
    engine.apply(by, case, "issue_final_statement", expected_version=expected_version)
    session = session_of(case)
    for standing in case_account(session, case).standings:
        if standing.due > 0:
            forgo(standing.invoice, standing.due, reason=WRITTEN_OFF, by=by)
    refunded = {c: _settle_advance(case, c, by) for c in _advance_currencies(case)}
    found = sheets(case)
    statement = issue_ruling(
        case, "final_statement", issuer=by, extra=sheets_extra(found, ruling_language(case))
    )
    for sheet in found:  # each side the Centre owes something back
        for side, credit in sheet.credit.items():
            if credit > 0:
                session.add(
                    Refund(
                        case_id=case.id, side=side, currency=sheet.currency, amount=credit,
                        decided_transaction_id=refunded.get(sheet.currency),
                        statement_id=statement.id,
                    )
                )  # fmt: skip
    session.flush()
    return statement


def issue_account_statement(case: Case, *, by: User, expected_version: int | None = None) -> Ruling:
    """An interim statement of the account, as it stands (nothing moves)."""
    engine.apply(by, case, "issue_account_statement", expected_version=expected_version)
    return issue_ruling(
        case,
        "account_statement",
        issuer=by,
        extra=sheets_extra(sheets(case), ruling_language(case)),
    )


def pay_refund(
    refund: Refund, *, by: User, paid_on: dt.date, expected_version: int | None = None
) -> Refund:
    """The registry or the finance officer records that the Centre paid a side its refund."""
    if refund.paid_on is not None:
        raise ClosingRefused(N_("This refund was already paid."))
    check_day(paid_on, DAY_PAID)
    session = session_of(refund)
    case = session.get_one(Case, refund.case_id)
    engine.apply(
        by,
        case,
        "pay_refund",
        expected_version=expected_version,
        data={
            "side": refund.side.value,
            "amount": str(refund.amount),
            "currency": refund.currency.value,
            "paid_on": paid_on.isoformat(),
        },
    )
    party = ledger.account(session, Holder.PARTY, refund.currency, case=case, side=refund.side)
    transaction = ledger.post(
        session,
        case=case,
        kind=TransactionKind.REFUND,
        currency=refund.currency,
        lines=[(party, refund.amount), (ledger.account(session, Holder.BANK, refund.currency),
                                        -refund.amount)],
        reason=f"Refund to the {refund.side.value}, paid {paid_on.isoformat()}",
        by=by,
    )  # fmt: skip
    refund.paid_transaction_id, refund.paid_on, refund.paid_by_id = transaction.id, paid_on, by.id
    session.flush()
    return refund
