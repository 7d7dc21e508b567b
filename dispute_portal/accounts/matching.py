"""The bank statement comes in: its credits are stored once, matched to invoices by their
payment reference, and the rest wait in a queue for the finance officer.

- `import_statement` reads the file (statements.py: refused whole, nothing written, when it
  is not sound), stores each credit not seen before (the bank's reference is unique: the same
  statement imported twice adds nothing, and of two imports at once the second is refused
  whole, its credits being the first's), and records a payment for each credit whose
  details carry the valid reference of an invoice in the same currency, on a case the
  account is still open on.
- `match` is the officer's hand: one credit to one invoice. The credit is claimed with a
  conditional update (`matched_at IS NULL`), so of two officers matching it at once one
  wins and the other is told, whatever the database.
- `suggestions` offers the invoices a credit may be for: the same amount still due, or a
  payer whose name the case's party bears.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..auth.models import User
from ..cases.models import Currency
from ..db import utcnow
from ..errors import TransitionRefused
from ..parties.models import Side
from ..texts import N_
from . import billing
from .banking import CentreBank, references_in
from .models import BankLine, BankStatement, Invoice
from .queries import outstanding_invoices
from .statements import StatementRefused, read_statement

SUGGESTIONS = 5


@dataclass(frozen=True)
class Imported:
    statement: BankStatement
    matched: int  # credits paid against an invoice by their reference
    unmatched: int  # new credits left for the officer


def import_statement(
    session: Session, data: bytes, *, filename: str, bank: CentreBank, by: User
) -> Imported:
    statement = read_statement(data, bank)
    known = set(
        session.scalars(
            select(BankLine.bank_ref).where(
                BankLine.bank_ref.in_([c.bank_ref for c in statement.credits])
            )
        )
    )
    fresh = [c for c in statement.credits if c.bank_ref not in known]
    fresh = list({c.bank_ref: c for c in fresh}.values())  # a reference twice in one file
    record = BankStatement(
        format=statement.format,
        filename=filename[:200] or "statement",
        sha256=hashlib.sha256(data).hexdigest(),
        account=statement.account,
        credits=len(statement.credits),
        new_credits=len(fresh),
        imported_by_id=by.id,
    )
    session.add(record)
    session.flush()
    lines = [
        BankLine(
            statement_id=record.id,
            bank_ref=credit.bank_ref,
            booked_on=credit.booked_on,
            amount=credit.amount,
            currency=statement.currency,
            payer=credit.payer or "—",
            details=credit.details,
        )
        for credit in fresh
    ]
    try:
        with session.begin_nested():  # the credits of an import running at this moment
            session.add_all(lines)
    except IntegrityError:
        raise StatementRefused(
            N_(
                "Another officer imported this statement a moment ago. Its credits are in; "
                "nothing was imported twice."
            )
        ) from None
    by_reference = _invoices_by_reference(session, lines)
    matched = 0
    for line in lines:
        invoice = next(
            (by_reference[r] for r in references_in(line.details) if r in by_reference), None
        )
        if invoice is None or invoice.currency.value != line.currency:
            continue
        if _pay(session, line, invoice, by):
            matched += 1
    return Imported(record, matched, len(lines) - matched)


def _invoices_by_reference(session: Session, lines: list[BankLine]) -> dict[str, Invoice]:
    wanted = {r for line in lines for r in references_in(line.details)}
    found: dict[str, Invoice] = {}
    for chunk in _chunks(sorted(wanted), 500):
        for invoice in session.scalars(select(Invoice).where(Invoice.reference.in_(chunk))):
            found[invoice.reference] = invoice
    return found


def _chunks(items: list[str], size: int) -> list[list[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _record(line: BankLine, invoice: Invoice, by: User, paid_by: Side | None = None) -> None:
    """The credit, as the bank reported it, recorded as a payment of `invoice` (by the other
    side, in substitution, when the officer says so)."""
    billing.record_payment(
        invoice,
        amount=line.amount,
        received_on=line.booked_on,
        payer=line.payer,
        by=by,
        bank_line_id=line.id,
        paid_by=paid_by,
    )


def _pay(session: Session, line: BankLine, invoice: Invoice, by: User) -> bool:
    """The payment of `line` against `invoice`, in a savepoint: a case whose account no
    longer takes payments (closed) leaves the line in the queue, and the import goes on."""
    nested = session.begin_nested()
    try:
        _record(line, invoice, by)
    except (TransitionRefused, billing.PaymentRefused):
        nested.rollback()
        return False
    nested.commit()
    line.matched_at, line.matched_by_id = utcnow(), by.id
    return True


class MatchRefused(StatementRefused):
    pass


def match(
    session: Session, line: BankLine, invoice: Invoice, *, by: User, paid_by: Side | None = None
) -> None:
    """The officer's match of one credit to one invoice. Refused when the currencies differ,
    or when the credit was matched meanwhile (by another officer: the conditional update
    claims it for one of them only)."""
    if invoice.currency.value != line.currency:
        raise MatchRefused(
            N_("The credit is in %(credit)s and invoice %(number)s in %(invoice)s."),
            credit=line.currency,
            number=invoice.number,
            invoice=invoice.currency.value,
        )
    claimed = session.execute(
        update(BankLine)
        .where(BankLine.id == line.id, BankLine.matched_at.is_(None))
        .values(matched_at=utcnow(), matched_by_id=by.id)
        .execution_options(synchronize_session=False)
    )
    if getattr(claimed, "rowcount", 0) != 1:
        raise MatchRefused(N_("This credit was matched meanwhile, by another officer."))
    _record(line, invoice, by, paid_by)
    session.expire(line)


def unmatched(session: Session, *, limit: int = 100) -> list[BankLine]:
    return list(
        session.scalars(
            select(BankLine)
            .where(BankLine.matched_at.is_(None))
            .order_by(BankLine.booked_on, BankLine.id)
            .limit(limit)
        )
    )


_WORD = re.compile(r"\w{3,}")
_FORMS = {"llp", "llc", "ltd", "jsc", "gmbh", "inc", "too", "the"}  # legal forms say nothing


def suggestions(session: Session, line: BankLine) -> list[tuple[Invoice, Decimal]]:
    """Invoices still owed in the credit's currency that it may pay: those wanting exactly
    its amount first, then those of a case whose party bears a word of the payer's name."""
    try:
        currency = Currency(line.currency)
    except ValueError:
        return []
    found = outstanding_invoices(
        session, currency=currency, due_exactly=line.amount, limit=SUGGESTIONS
    )
    words = [w for w in _WORD.findall(line.payer) if w.lower() not in _FORMS][:3]
    if words and len(found) < SUGGESTIONS:
        seen = {invoice.id for invoice, _ in found}
        named = outstanding_invoices(
            session, currency=currency, party_words=words, limit=SUGGESTIONS * 2
        )
        found += [(i, due) for i, due in named if i.id not in seen][: SUGGESTIONS - len(found)]
    return found
