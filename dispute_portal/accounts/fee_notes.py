"""The neutrals' fee notes: a neutral records time and expenses on a case, the registry
approves the note (charged to the advance held for the case) or rejects it with reasons,
and the finance officer records that the Centre paid it. Each is a row of the workflow
table (submit_fee_note, approve_fee_note, reject_fee_note, pay_fee_note): audited on the
case's chain, refused while the case is closed.

The rate is the schedule's (the case's version), hourly or daily, in the currency of the
case's advances (of its lodging fee before any advance). An approval the advance held does
not cover is refused: the registry asks a further advance first.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from ..auth.models import User
from ..cases.models import Case, Currency, Visibility
from ..db import session_of, utcnow
from ..texts import N_, Refusal
from ..workflow import engine
from . import ledger
from .billing import DAY_PAID, check_day, lodging_currency
from .fees import quote, schedule_of
from .models import (
    CENT,
    MAX_AMOUNT,
    AdvanceRequest,
    Holder,
    LedgerAccount,
    LedgerTransaction,
    TransactionKind,
)
from .outgoings import FeeNote, NoteStatus, TimeUnit
from .queries import advance_held

# The most a note may claim at once: a year's days, or a year's working hours.
MOST_TIME = {TimeUnit.DAYS: Decimal(366), TimeUnit.HOURS: Decimal(2000)}


class FeeNoteRefused(Refusal):
    pass


def note_currency(case: Case) -> Currency:
    """The currency of the case's first advance (its fees are charged to it), else of its
    lodging fee."""
    first = session_of(case).scalar(
        select(AdvanceRequest.currency)
        .where(AdvanceRequest.case_id == case.id)
        .order_by(AdvanceRequest.id)
        .limit(1)
    )
    return first or lodging_currency(case, schedule_of(case).fees)


def rate_for(case: Case, unit: TimeUnit) -> Decimal:
    found = quote(schedule_of(case).fees, Decimal(0), note_currency(case))
    return found.daily if unit is TimeUnit.DAYS else found.hourly


def _exact(value: Decimal, most: Decimal, message: str) -> Decimal:
    if not value.is_finite() or not 0 <= value <= most or value != value.quantize(CENT):
        raise FeeNoteRefused(message)
    return value.quantize(CENT)


def submit(
    case: Case,
    *,
    by: User,
    time_spent: Decimal,
    unit: TimeUnit,
    expenses: Decimal,
    description: str,
    expected_version: int | None = None,
) -> FeeNote:
    """A neutral's note of time and expenses on the case, at the schedule's rate."""
    time_spent = _exact(
        time_spent, MOST_TIME[unit], N_("Enter the time spent, at most a year, to two decimals.")
    )
    expenses = _exact(expenses, MAX_AMOUNT, N_("Enter the expenses, exact to the cent."))
    description = description.strip()
    if not description:
        raise FeeNoteRefused(N_("Say what the time and the expenses were for."))
    rate = rate_for(case, unit)
    fees = (time_spent * rate).quantize(CENT)
    if fees + expenses <= 0:
        raise FeeNoteRefused(N_("A note of no time and no expenses claims nothing."))
    currency = note_currency(case)
    event = engine.apply(
        by,
        case,
        "submit_fee_note",
        expected_version=expected_version,
        visibility=_for_neutrals(case),
        data={
            "time_spent": str(time_spent),
            "unit": unit.value,
            "fees": str(fees),
            "expenses": str(expenses),
            "currency": currency.value,
        },
    )
    note = FeeNote(
        case_id=case.id,
        user_id=by.id,
        currency=currency,
        time_spent=time_spent,
        unit=unit,
        rate=rate,
        fees=fees,
        expenses=expenses,
        description=description,
        status=NoteStatus.SUBMITTED,
        submitted_at=event.at,
    )
    session_of(case).add(note)
    session_of(case).flush()
    return note


def _for_neutrals(case: Case) -> str:
    """Who reads a fee note's events: the neutrals of the phase and the registry."""
    return Visibility.for_neutrals(case.state).value


def held(case: Case, currency: Currency) -> Decimal:
    """What the advance held for the case still holds in `currency`, of the money received."""
    return advance_held(session_of(case), case, currency)


def _owed_to(note: FeeNote) -> LedgerAccount:
    """The neutral's account on the case: approved fees the Centre owes (a credit)."""
    session = session_of(note)
    case = session.get_one(Case, note.case_id)
    return ledger.account(session, Holder.NEUTRAL, note.currency, case=case, user_id=note.user_id)


def _move(
    note: FeeNote, debit: LedgerAccount, credit: LedgerAccount, what: str, by: User
) -> LedgerTransaction:
    """The note's total from one account to another (a FEES transaction of its case)."""
    session = session_of(note)
    return ledger.post(
        session,
        case=session.get_one(Case, note.case_id),
        kind=TransactionKind.FEES,
        currency=note.currency,
        lines=[(debit, note.total), (credit, -note.total)],
        reason=f"Fee note {note.id}: {what}",
        by=by,
    )


def _pending(note: FeeNote, status: NoteStatus, message: str) -> Case:
    if note.status is not status:
        raise FeeNoteRefused(message)
    return session_of(note).get_one(Case, note.case_id)


def approve(note: FeeNote, *, by: User, expected_version: int | None = None) -> FeeNote:
    """The registry approves the note: its total is charged to the advance held for the
    case and owed to the neutral."""
    case = _pending(note, NoteStatus.SUBMITTED, N_("This fee note was already decided."))
    if held(case, note.currency) < note.total:
        raise FeeNoteRefused(
            N_("The advance held for the case does not cover this note: request a further "
               "advance first.")
        )  # fmt: skip
    engine.apply(
        by,
        case,
        "approve_fee_note",
        expected_version=expected_version,
        visibility=_for_neutrals(case),
        data={"note": note.id, "total": str(note.total), "currency": note.currency.value},
    )
    session = session_of(case)
    advance = ledger.account(session, Holder.ADVANCE, note.currency, case=case)
    transaction = _move(note, advance, _owed_to(note), "approved", by)
    note.status, note.charged_transaction_id = NoteStatus.APPROVED, transaction.id
    note.decided_by_id, note.decided_at = by.id, utcnow()
    session.flush()
    return note


def reject(note: FeeNote, *, by: User, reason: str, expected_version: int | None = None) -> FeeNote:
    """The registry rejects the note, with its reasons: nothing is charged."""
    case = _pending(note, NoteStatus.SUBMITTED, N_("This fee note was already decided."))
    engine.apply(
        by,
        case,
        "reject_fee_note",
        expected_version=expected_version,
        visibility=_for_neutrals(case),
        reason=reason,
        data={"note": note.id},
    )
    note.status, note.decision_reason = NoteStatus.REJECTED, reason.strip()
    note.decided_by_id, note.decided_at = by.id, utcnow()
    session_of(note).flush()
    return note


def pay(
    note: FeeNote, *, by: User, paid_on: dt.date, expected_version: int | None = None
) -> FeeNote:
    """The finance officer records that the Centre paid the neutral an approved note."""
    case = _pending(note, NoteStatus.APPROVED, N_("Only an approved fee note is paid."))
    if note.paid_transaction_id is not None:
        raise FeeNoteRefused(N_("This fee note was already paid."))
    check_day(paid_on, DAY_PAID)
    engine.apply(
        by,
        case,
        "pay_fee_note",
        expected_version=expected_version,
        visibility=_for_neutrals(case),
        data={"note": note.id, "paid_on": paid_on.isoformat()},
    )
    session = session_of(case)
    bank = ledger.account(session, Holder.BANK, note.currency)
    transaction = _move(note, _owed_to(note), bank, f"paid {paid_on.isoformat()}", by)
    note.paid_transaction_id, note.paid_on = transaction.id, paid_on
    session.flush()
    return note


def notes_of(case: Case, user: User | None = None) -> list[FeeNote]:
    """The case's fee notes, the newest first (one neutral's own, when `user` is given)."""
    query = select(FeeNote).where(FeeNote.case_id == case.id)
    if user is not None:
        query = query.where(FeeNote.user_id == user.id)
    return list(session_of(case).scalars(query.order_by(FeeNote.id.desc())))
