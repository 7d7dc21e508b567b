"""Invoices, payments and waivers: the case account's verbs (the ledger underneath).

- `issue_invoice` numbers an invoice (a gapless series a year), gives it its ISO 11649
  payment reference, issues its PDF through the rulings (numbered, verifiable, immutable:
  the Centre's payment instructions on it) and posts it: the side owes (a debit on its
  account), the Centre earns its fee or holds the advance for the case (a credit).
- `record_payment` posts money received (the bank is debited, the side's account credited):
  applied to the invoice up to what it still wants, the rest left to the side as a credit.
- `waive` forgoes what an invoice still wants, with the registry's reasons.

An advance on costs (advances.py) is an invoice to each side for its share; once every
advance of the case is paid, its deadline is met.

Each is audited on the case's chain: the payment and the waiver are rows of the workflow
table (record_payment, waive_fee), the invoice is recorded as issued.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import partial

from babel.dates import format_date

from ..auth.models import User
from ..cases.models import Case, Currency
from ..core.counters import next_in_series
from ..core.money import format_money
from ..db import session_of
from ..deadlines import operations as deadlines
from ..deadlines.queries import today
from ..parties.models import SIDE_LABELS, Side
from ..rulings.operations import issue_ruling, ruling_language, settings
from ..rulings.render import catalogue
from ..texts import N_, Refusal
from ..workflow import engine
from ..workflow.models import record
from . import ledger
from .banking import centre_bank, creditor_reference
from .fees import quote, schedule_of
from .models import (
    CENT,
    INVOICE_PURPOSE_LABELS,
    AdvanceRequest,
    FeeWaiver,
    Holder,
    Invoice,
    InvoiceCounter,
    InvoicePurpose,
    LedgerAccount,
    Payment,
    TransactionKind,
)
from .nonpayment import resume_if_paid
from .queries import advance_outstanding, outstanding


class PaymentRefused(Refusal):
    pass


EARLIEST_PAYMENT = dt.date(2000, 1, 1)  # a day before which no payment is believed
DAY_RECEIVED = N_("The day received cannot be in the future or before 2000.")
DAY_PAID = N_("The day paid cannot be in the future or before 2000.")


def check_day(day: dt.date, message: str) -> None:
    """Money moved on a day that can be believed: not before 2000, not after today."""
    if not EARLIEST_PAYMENT <= day <= today():
        raise PaymentRefused(message)


def _owed_by(case: Case, side: Side, currency: Currency) -> LedgerAccount:
    """The side's account on the case: what it owes (a debit), what it paid beyond (a
    credit)."""
    return ledger.account(session_of(case), Holder.PARTY, currency, case=case, side=side)


def _credited(case: Case, purpose: InvoicePurpose, currency: Currency) -> LedgerAccount:
    """Where an invoice's money goes: the Centre's fees, or the advance held for the case."""
    if purpose is InvoicePurpose.LODGING:
        return ledger.account(session_of(case), Holder.INCOME, currency)
    return ledger.account(session_of(case), Holder.ADVANCE, currency, case=case)


def lodging_currency(case: Case, fees: dict[str, object]) -> Currency:
    """The lodging fee is asked in the claim's currency when the schedule has it, else KZT."""
    claimed = case.claimed_currency
    return claimed if claimed is not None and claimed.value in fees else Currency.KZT


def issue_lodging_invoice(case: Case) -> Invoice:
    """The lodging fee of the schedule the case runs under, asked of the claimant when the
    claim is first filed (issued by the registry itself)."""
    schedule = schedule_of(case)
    currency = lodging_currency(case, schedule.fees)
    fee = quote(schedule.fees, Decimal(0), currency).lodging_fee
    return issue_invoice(
        case, side=Side.CLAIMANT, purpose=InvoicePurpose.LODGING, amount=fee, currency=currency
    )


def issue_invoice(
    case: Case,
    *,
    side: Side,
    purpose: InvoicePurpose,
    amount: Decimal,
    currency: Currency,
    by: User | None = None,
    due_on: dt.date | None = None,
    advance: AdvanceRequest | None = None,
) -> Invoice:
    """Ask one side of the case to pay: the lodging fee, or its share of an `advance`."""
    session = session_of(case)
    config = settings(session)
    issued_on = today()
    due_on = due_on or issued_on + dt.timedelta(days=int(config["INVOICE_DUE_DAYS"]))
    sequence = next_in_series(session, InvoiceCounter, issued_on.year)
    number = f"INV-{issued_on.year}-{sequence:06d}"
    reference = creditor_reference(issued_on.year, sequence)
    language = ruling_language(case)
    t = catalogue(language)
    payer = case.claimant if side is Side.CLAIMANT else case.respondent
    extra = {
        "invoice_number": number,
        "purpose": t.gettext(INVOICE_PURPOSE_LABELS[purpose]),
        "payer": payer.name if payer is not None and payer.name else "",
        "side": t.gettext(SIDE_LABELS[side]),
        "amount": format_money(amount, currency, language),
        "due_on": format_date(due_on, "d MMMM y", locale=language),
        "payment": centre_bank(config).instructions(currency, reference),
    }
    ruling = issue_ruling(case, "invoice", issuer=by, extra=extra)
    transaction = ledger.post(
        session,
        case=case,
        kind=TransactionKind.INVOICE,
        currency=currency,
        lines=[
            (_owed_by(case, side, currency), amount),
            (_credited(case, purpose, currency), -amount),
        ],
        reason=f"{number}: {INVOICE_PURPOSE_LABELS[purpose]}",
        by=by,
    )
    invoice = Invoice(
        number=number,
        reference=reference,
        case_id=case.id,
        side=side,
        purpose=purpose,
        currency=currency,
        amount=amount,
        due_on=due_on,
        transaction_id=transaction.id,
        ruling_id=ruling.id,
        advance_id=advance.id if advance is not None else None,
    )
    session.add(invoice)
    session.flush()
    record(
        by,
        case,
        "issue_invoice",
        data={
            "invoice": number,
            "side": side.value,
            "purpose": purpose.value,
            "amount": str(amount),
            "currency": currency.value,
            "due_on": due_on.isoformat(),
        },
    )
    return invoice


def record_payment(
    invoice: Invoice,
    *,
    amount: Decimal,
    received_on: dt.date,
    payer: str,
    by: User,
    bank_line_id: int | None = None,
    expected_version: int | None = None,
    paid_by: Side | None = None,
) -> Payment:
    """Money received against `invoice`: the finance officer's act (a row of the table).
    `paid_by` the other side: it pays an overdue share of an advance in substitution (the
    money is its own, credited to it, then moved to settle the defaulting side's share)."""
    session = session_of(invoice)
    case = session.get(Case, invoice.case_id)
    assert case is not None
    if not amount.is_finite() or amount <= 0 or amount != amount.quantize(CENT):
        raise PaymentRefused(N_("Enter the amount received, exact to the cent."))
    check_day(received_on, DAY_RECEIVED)
    payer_side = paid_by or invoice.side
    substitution = payer_side is not invoice.side
    if substitution and (
        invoice.purpose is not InvoicePurpose.ADVANCE or invoice.due_on >= today()
    ):
        raise PaymentRefused(
            N_("The other side may pay a share of an advance in substitution once it is overdue.")
        )
    due = outstanding(session, invoice)
    applied = min(amount, due)
    event = engine.apply(
        by,
        case,
        "record_payment",
        expected_version=expected_version,
        data={
            "invoice": invoice.number,
            "amount": str(amount),
            "applied": str(applied),
            "currency": invoice.currency.value,
            "received_on": received_on.isoformat(),
            "bank_line": bank_line_id,
        }
        | ({"substitution_by": payer_side.value} if substitution else {}),
    )
    transaction = ledger.post(
        session,
        case=case,
        kind=TransactionKind.PAYMENT,
        currency=invoice.currency,
        lines=[
            (ledger.account(session, Holder.BANK, invoice.currency), amount),
            (_owed_by(case, payer_side, invoice.currency), -amount),
        ],
        reason=f"{invoice.number}: payment received {received_on.isoformat()} (event {event.seq})",
        by=by,
    )
    if substitution and applied > 0:
        ledger.post(
            session,
            case=case,
            kind=TransactionKind.SUBSTITUTION,
            currency=invoice.currency,
            lines=[
                (_owed_by(case, payer_side, invoice.currency), applied),
                (_owed_by(case, invoice.side, invoice.currency), -applied),
            ],
            reason=f"{invoice.number}: paid in substitution by the {payer_side.value}",
            by=by,
        )
    language = ruling_language(case)
    t = catalogue(language)
    money = partial(format_money, currency=invoice.currency, language=language)
    receipt = issue_ruling(
        case,
        "payment_receipt",
        issuer=by,
        extra={
            "invoice_number": invoice.number,
            "payer": payer.strip(),
            "side": t.gettext(SIDE_LABELS[payer_side]),
            "substitution": t.gettext(SIDE_LABELS[invoice.side]) if substitution else None,
            "received_on": format_date(received_on, "d MMMM y", locale=language),
            "amount": money(amount),
            "applied": money(applied),
            "still_due": money(due - applied),
            "credit": money(amount - applied) if amount > applied else None,
        },
    )
    payment = Payment(
        case_id=case.id,
        invoice_id=invoice.id,
        side=payer_side,
        currency=invoice.currency,
        amount=amount,
        applied=applied,
        received_on=received_on,
        payer=payer.strip()[:200] or "—",
        bank_line_id=bank_line_id,
        transaction_id=transaction.id,
        receipt_id=receipt.id,
        recorded_by_id=by.id,
    )
    session.add(payment)
    session.flush()
    if invoice.purpose is InvoicePurpose.ADVANCE and not advance_outstanding(session, case):
        deadlines.satisfy(case, "advance_payment", at=event.at)
        deadlines.satisfy(case, "advance_substitution", at=event.at)
        resume_if_paid(case)
    return payment


def waive(
    invoice: Invoice, *, reason: str, by: User, expected_version: int | None = None
) -> FeeWaiver:
    """The registry forgoes what the invoice still wants, with its reasons (a row of the
    table: waive_fee, which says when it may)."""
    session = session_of(invoice)
    case = session.get(Case, invoice.case_id)
    assert case is not None
    due = outstanding(session, invoice)
    if invoice.purpose is not InvoicePurpose.LODGING:
        raise PaymentRefused(N_("Only a lodging fee is waived."))
    if due <= 0:
        raise PaymentRefused(N_("Nothing is due on this invoice."))
    engine.apply(
        by,
        case,
        "waive_fee",
        expected_version=expected_version,
        reason=reason,
        data={"invoice": invoice.number},
    )
    return forgo(invoice, due, reason=reason, by=by)


def forgo(invoice: Invoice, amount: Decimal, *, reason: str, by: User) -> FeeWaiver:
    """Post the Centre's forgoing `amount` of what the invoice still wants (a waiver, or the
    final statement's write-off of what was never paid), with its reasons."""
    session = session_of(invoice)
    case = session.get_one(Case, invoice.case_id)
    transaction = ledger.post(
        session,
        case=case,
        kind=TransactionKind.WAIVER,
        currency=invoice.currency,
        lines=[
            (_credited(case, invoice.purpose, invoice.currency), amount),
            (_owed_by(case, invoice.side, invoice.currency), -amount),
        ],
        reason=f"{invoice.number}: waived",
        by=by,
    )
    waiver = FeeWaiver(
        invoice_id=invoice.id,
        amount=amount,
        reason=reason.strip(),
        transaction_id=transaction.id,
        waived_by_id=by.id,
    )
    session.add(waiver)
    session.flush()
    return waiver
