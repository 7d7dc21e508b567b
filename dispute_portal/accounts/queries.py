"""What the case account says, read from its rows: what an invoice still wants, its status,
whether the lodging fee lets the registry register the claim, what a side owes by age."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import ColumnElement, Subquery, func, or_, select
from sqlalchemy.orm import Session, joinedload

from ..cases.models import Case, Currency, Party
from ..db import session_of
from ..parties.models import Side
from ..texts import N_
from ..workflow.states import CaseState
from .ledger import account_key, balances
from .models import (
    CENT,
    AdvanceRequest,
    FeeWaiver,
    Holder,
    Invoice,
    InvoicePurpose,
    LedgerTransaction,
    Payment,
)

ZERO = Decimal("0.00")


class InvoiceStatus(enum.StrEnum):
    UNPAID = "unpaid"
    PARTLY_PAID = "partly_paid"
    PAID = "paid"
    WAIVED = "waived"


STATUS_LABELS = {
    InvoiceStatus.UNPAID: N_("Unpaid"),
    InvoiceStatus.PARTLY_PAID: N_("Partly paid"),
    InvoiceStatus.PAID: N_("Paid"),
    InvoiceStatus.WAIVED: N_("Waived"),
}

# A payment whose ledger transaction was reversed (a mistake) counts for nothing.
_REVERSED = select(LedgerTransaction.reverses_id).where(LedgerTransaction.reverses_id.is_not(None))


@dataclass(frozen=True)
class Standing:
    """An invoice and what became of it."""

    invoice: Invoice
    applied: Decimal  # paid against it
    waived: Decimal
    due: Decimal  # still wanted

    @property
    def status(self) -> InvoiceStatus:
        if self.due > 0:
            return InvoiceStatus.PARTLY_PAID if self.applied > 0 else InvoiceStatus.UNPAID
        return InvoiceStatus.WAIVED if self.waived > 0 else InvoiceStatus.PAID

    def overdue(self, on: dt.date) -> bool:
        return self.due > 0 and self.invoice.due_on < on


def standings(session: Session, invoices: list[Invoice]) -> list[Standing]:
    """Each invoice with what was paid and waived against it (two queries for them all)."""
    ids = [i.id for i in invoices]
    paid: dict[int, Decimal] = {}
    for invoice_id, applied in session.execute(
        select(Payment.invoice_id, Payment.applied).where(
            Payment.invoice_id.in_(ids), Payment.transaction_id.not_in(_REVERSED)
        )
    ):
        paid[invoice_id] = paid.get(invoice_id, ZERO) + applied
    waived: dict[int, Decimal] = {
        invoice_id: amount
        for invoice_id, amount in session.execute(
            select(FeeWaiver.invoice_id, FeeWaiver.amount).where(
                FeeWaiver.invoice_id.in_(ids), FeeWaiver.transaction_id.not_in(_REVERSED)
            )
        )
    }
    out = []
    for invoice in invoices:
        applied, forgone = paid.get(invoice.id, ZERO), waived.get(invoice.id, ZERO)
        due = max(ZERO, invoice.amount - applied - forgone)
        out.append(Standing(invoice, applied, forgone, due))
    return out


def outstanding(session: Session, invoice: Invoice) -> Decimal:
    return standings(session, [invoice])[0].due


def case_invoices(session: Session, case: Case) -> list[Invoice]:
    return list(
        session.scalars(select(Invoice).where(Invoice.case_id == case.id).order_by(Invoice.id))
    )


def lodging_invoice(session: Session, case: Case) -> Invoice | None:
    return session.scalar(
        select(Invoice)
        .where(Invoice.case_id == case.id, Invoice.purpose == InvoicePurpose.LODGING)
        .order_by(Invoice.id)
        .limit(1)
    )


def advance_outstanding(session: Session, case: Case) -> bool:
    """Whether something of an advance on costs of the case is still due."""
    invoices = list(
        session.scalars(
            select(Invoice).where(
                Invoice.case_id == case.id, Invoice.purpose == InvoicePurpose.ADVANCE
            )
        )
    )
    return any(s.due > 0 for s in standings(session, invoices))


def advance_held(session: Session, case: Case, currency: Currency) -> Decimal:
    """What the advance account holds for the case in `currency` of the money received: its
    balance (a credit: what was asked, less what was spent or refunded) less the shares
    still unpaid, which the Centre asked but does not hold."""
    key = account_key(case, Holder.ADVANCE, currency, side=None, user_id=None)
    asked_less_spent = -balances(session, case).get(key, ZERO)
    invoices = list(
        session.scalars(
            select(Invoice).where(
                Invoice.case_id == case.id,
                Invoice.purpose == InvoicePurpose.ADVANCE,
                Invoice.currency == currency,
            )
        )
    )
    return asked_less_spent - sum((s.due for s in standings(session, invoices)), ZERO)


def paid_toward_advances(session: Session, case: Case, currency: Currency) -> dict[Side, Decimal]:
    """What each side paid of the case's advances in `currency` (applied to their shares;
    a share paid in substitution counts for the side that paid it)."""
    rows = session.execute(
        select(Payment.side, Payment.applied)
        .join(Invoice, Invoice.id == Payment.invoice_id)
        .where(
            Payment.case_id == case.id,
            Payment.currency == currency,
            Invoice.purpose == InvoicePurpose.ADVANCE,
            Payment.transaction_id.not_in(_REVERSED),
        )
    )
    paid = {side: ZERO for side in Side}
    for side, applied in rows:
        paid[side] += applied
    return paid


def advance_requests(session: Session, case: Case) -> list[AdvanceRequest]:
    return list(
        session.scalars(
            select(AdvanceRequest)
            .where(AdvanceRequest.case_id == case.id)
            .order_by(AdvanceRequest.id)
        )
    )


def advance_unripe(case: Case) -> str | None:
    """The guard of an advance's request: in arbitration, once the tribunal is constituted
    (the advance for the arbitration is reckoned on its members)."""
    if case.state is CaseState.ARBITRATION and case.tribunal_constituted_at is None:
        return N_("The tribunal is not constituted yet: its advance is asked once it is.")
    return None


def lodging_unsettled(case: Case) -> str | None:
    """The registration's guard: the lodging fee is paid in full or waived. A claim filed
    before the Centre charged fees through the portal has no invoice, and is not held."""
    invoice = lodging_invoice(session_of(case), case)
    if invoice is None or outstanding(session_of(case), invoice) == 0:
        return None
    return N_("The lodging fee is not paid: record its payment, or waive it with reasons.")


def lodging_due(case: Case) -> str | None:
    """The waiver's guard: there is a lodging fee and something of it is still due."""
    invoice = lodging_invoice(session_of(case), case)
    if invoice is None or outstanding(session_of(case), invoice) == 0:
        return N_("No lodging fee is due on this claim.")
    return None


@dataclass(frozen=True)
class Totals:
    """One currency's sums on a case account (or one side's of it)."""

    asked: Decimal
    paid: Decimal  # applied to invoices
    waived: Decimal
    due: Decimal
    credit: Decimal  # paid beyond what the invoices asked: the side's to use or be refunded


@dataclass(frozen=True)
class CaseAccount:
    """What the account page shows: the invoices (with what became of them), the payments
    against them, and the totals in each currency."""

    standings: list[Standing]
    payments: list[Payment]
    totals: dict[str, Totals]


def case_account(session: Session, case: Case, side: Side | None = None) -> CaseAccount:
    """The case's account, or the part of it one side reads (its own invoices only)."""
    query = select(Invoice).where(Invoice.case_id == case.id).order_by(Invoice.id)
    if side is not None:
        query = query.where(Invoice.side == side)
    invoices = list(session.scalars(query))
    found = standings(session, invoices)
    ids = [i.id for i in invoices]
    payments = list(
        session.scalars(
            select(Payment)
            .where(Payment.invoice_id.in_(ids), Payment.transaction_id.not_in(_REVERSED))
            .order_by(Payment.received_on, Payment.id)
        )
    )
    totals: dict[str, Totals] = {}
    for currency in dict.fromkeys(i.currency.value for i in invoices):
        mine = [s for s in found if s.invoice.currency.value == currency]
        credit = sum((p.amount - p.applied for p in payments if p.currency.value == currency), ZERO)
        totals[currency] = Totals(
            asked=sum((s.invoice.amount for s in mine), ZERO),
            paid=sum((s.applied for s in mine), ZERO),
            waived=sum((s.waived for s in mine), ZERO),
            due=sum((s.due for s in mine), ZERO),
            credit=credit,
        )
    return CaseAccount(found, payments, totals)


def lodging_status(session: Session, cases: list[Case]) -> dict[int, InvoiceStatus]:
    """The lodging fee's status of each case that has one (the intake queue's column)."""
    invoices = list(
        session.scalars(
            select(Invoice).where(
                Invoice.case_id.in_([c.id for c in cases]),
                Invoice.purpose == InvoicePurpose.LODGING,
            )
        )
    )
    return {s.invoice.case_id: s.status for s in standings(session, invoices)}


# The finance officer's ageing of what is owed: by the days since the invoice fell due.
AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    (N_("Not yet due"), -(10**6), 0),
    (N_("0–30 days overdue"), 1, 30),
    (N_("31–60 days overdue"), 31, 60),
    (N_("61–90 days overdue"), 61, 90),
    (N_("Over 90 days overdue"), 91, None),
)


def _due_expression() -> tuple[ColumnElement[Decimal], Subquery, Subquery]:
    """What each invoice still wants, in SQL: its amount less the payments applied to it
    and its waiver (reversed ones aside)."""
    paid = (
        select(Payment.invoice_id, func.sum(Payment.applied).label("paid"))
        .where(Payment.transaction_id.not_in(_REVERSED))
        .group_by(Payment.invoice_id)
        .subquery()
    )
    waived = (
        select(FeeWaiver.invoice_id, FeeWaiver.amount.label("waived"))
        .where(FeeWaiver.transaction_id.not_in(_REVERSED))
        .subquery()
    )
    due = Invoice.amount - func.coalesce(paid.c.paid, 0) - func.coalesce(waived.c.waived, 0)
    return due, paid, waived


def outstanding_invoices(
    session: Session,
    *,
    limit: int | None = None,
    currency: Currency | None = None,
    due_exactly: Decimal | None = None,
    party_words: list[str] | None = None,
) -> list[tuple[Invoice, Decimal]]:
    """Every invoice something is still due on, the longest overdue first; or those of one
    currency, still wanting exactly an amount, or of a case a party of which bears one of
    these words in its name (a credit's suggestions)."""
    due, paid, waived = _due_expression()
    query = (
        select(Invoice, due.label("due"))
        .options(joinedload(Invoice.case))
        .outerjoin(paid, paid.c.invoice_id == Invoice.id)
        .outerjoin(waived, waived.c.invoice_id == Invoice.id)
        .where(due > 0)
        .order_by(Invoice.due_on, Invoice.id)
    )
    if currency is not None:
        query = query.where(Invoice.currency == currency)
    if due_exactly is not None:
        query = query.where(due == due_exactly)
    if party_words:
        named = [Party.name.ilike(f"%{word}%") for word in party_words]
        query = query.where(Invoice.case_id.in_(select(Party.case_id).where(or_(*named))))
    if limit is not None:
        query = query.limit(limit)
    return [(invoice, Decimal(amount).quantize(CENT)) for invoice, amount in session.execute(query)]


def ageing(session: Session, on: dt.date) -> dict[str, list[Decimal]]:
    """What is owed in each currency, in the bands of AGE_BANDS (summed in the database)."""
    due, paid, waived = _due_expression()
    rows = session.execute(
        select(Invoice.currency, Invoice.due_on, func.sum(due))
        .outerjoin(paid, paid.c.invoice_id == Invoice.id)
        .outerjoin(waived, waived.c.invoice_id == Invoice.id)
        .where(due > 0)
        .group_by(Invoice.currency, Invoice.due_on)
    )
    out: dict[str, list[Decimal]] = {}
    for currency, due_on, amount in rows:
        bands = out.setdefault(currency.value, [ZERO] * len(AGE_BANDS))
        late = (on - due_on).days
        for i, (_, low, high) in enumerate(AGE_BANDS):
            if late >= low and (high is None or late <= high):
                bands[i] += Decimal(amount).quantize(CENT)
    return dict(sorted(out.items()))
