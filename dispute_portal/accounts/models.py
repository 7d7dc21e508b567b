"""The ledger: accounts, transactions and their postings (double-entry).

Every movement of money is one transaction whose postings sum to zero, in one currency; an
account holds one currency only. A posting's amount is a debit when positive and a credit
when negative, exact to the cent (NUMERIC; read back exact on SQLite too, which stores it
as a floating-point number). A balance is the sum of an account's postings, added up in
Decimal (ledger.balance), never a stored number. Nothing here is ever edited or deleted: a
mistake is reversed by a new transaction with its reasons (ledger.reverse).
"""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    event,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from ..auth.models import enum_column
from ..cases.models import Case, Currency
from ..db import Base, UTCDateTime, utcnow
from ..parties.models import Side
from ..texts import N_

MONEY = Numeric(20, 2)
CENT = Decimal("0.01")  # the smallest amount the Centre writes
# The largest amount the Centre handles (one posting, one amount in dispute): beyond any claim,
# and well inside NUMERIC(20, 2).
MAX_AMOUNT = Decimal("1000000000000.00")


class Holder(enum.StrEnum):
    """Whose money an account counts. A case's: a side's (what it owes the Centre, a debit;
    what it paid beyond, a credit), the case's advance on costs (held for the case), a
    neutral's fees approved and not yet paid. The Centre's: its bank account, its fees."""

    PARTY = "party"
    ADVANCE = "advance"
    NEUTRAL = "neutral"
    BANK = "bank"
    INCOME = "income"


HOLDER_LABELS = {
    Holder.PARTY: N_("Party's account"),
    Holder.ADVANCE: N_("Advance on costs held for the case"),
    Holder.NEUTRAL: N_("Neutral's fees payable"),
    Holder.BANK: N_("The Centre's bank account"),
    Holder.INCOME: N_("The Centre's fees"),
}
CASE_HOLDERS = frozenset({Holder.PARTY, Holder.ADVANCE, Holder.NEUTRAL})


class LedgerAccount(Base):
    """One account, in one currency. `key` names it uniquely (ledger.account_key): a case's
    accounts by the case, the Centre's without one."""

    __tablename__ = "ledger_accounts"
    __table_args__ = (
        CheckConstraint(
            "(holder IN ('bank', 'income')) = (case_id IS NULL)", name="case_or_centre"
        ),
        CheckConstraint("(holder = 'party') = (side IS NOT NULL)", name="party_has_side"),
        CheckConstraint("(holder = 'neutral') = (user_id IS NOT NULL)", name="neutral_has_user"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    holder: Mapped[Holder] = mapped_column(enum_column(Holder, "ledger_holder"))
    side: Mapped[Side | None] = mapped_column(enum_column(Side, "ledger_side"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    currency: Mapped[Currency] = mapped_column(enum_column(Currency, "ledger_account_cur"))
    opened_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class TransactionKind(enum.StrEnum):
    """What a transaction records (the flows of the case account add their own)."""

    INVOICE = "invoice"
    PAYMENT = "payment"
    SUBSTITUTION = "substitution"
    WAIVER = "waiver"
    FEES = "fees"  # a neutral's approved fees charged to the advance
    REFUND = "refund"
    REVERSAL = "reversal"


class LedgerTransaction(Base):
    """One movement of money: its postings sum to zero. A reversal names the transaction it
    undoes (once: `reverses_id` is unique)."""

    __tablename__ = "ledger_transactions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[TransactionKind] = mapped_column(enum_column(TransactionKind, "ledger_kind"))
    currency: Mapped[Currency] = mapped_column(enum_column(Currency, "ledger_tx_cur"))
    reason: Mapped[str] = mapped_column(Text)
    reverses_id: Mapped[int | None] = mapped_column(
        ForeignKey("ledger_transactions.id"), unique=True
    )
    made_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    made_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    postings: Mapped[list[Posting]] = relationship(
        back_populates="transaction", order_by="Posting.id", cascade="save-update, merge"
    )


class Posting(Base):
    """One line of a transaction: a debit (positive) or a credit (negative) to an account."""

    __tablename__ = "ledger_postings"
    __table_args__ = (CheckConstraint("amount <> 0", name="amount_not_zero"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    transaction_id: Mapped[int] = mapped_column(ForeignKey("ledger_transactions.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("ledger_accounts.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(MONEY)

    transaction: Mapped[LedgerTransaction] = relationship(back_populates="postings")
    account: Mapped[LedgerAccount] = relationship()


class FeeSchedule(Base):
    """One version of the Centre's fees (accounts/fees.py says what `fees` holds). Never
    edited: a change is a new version; each case keeps the version it was filed under."""

    __tablename__ = "fee_schedules"

    version: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(200))
    fees: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class InvoicePurpose(enum.StrEnum):
    LODGING = "lodging"  # the lodging fee, asked when the claim is filed
    ADVANCE = "advance"  # an advance on costs


INVOICE_PURPOSE_LABELS = {
    InvoicePurpose.LODGING: N_("Lodging fee"),
    InvoicePurpose.ADVANCE: N_("Advance on costs"),
}


class AdvanceStage(enum.StrEnum):
    """When an advance on costs is asked: as mediation starts, once the tribunal is
    constituted, or later, when the first advance runs short."""

    MEDIATION = "mediation"
    TRIBUNAL = "tribunal"
    FURTHER = "further"


ADVANCE_STAGE_LABELS = {
    AdvanceStage.MEDIATION: N_("Advance for the mediation"),
    AdvanceStage.TRIBUNAL: N_("Advance for the arbitration"),
    AdvanceStage.FURTHER: N_("Further advance"),
}


class AdvanceRequest(Base):
    """The registry's request for an advance on costs: the amount, how it is split between
    the sides (equal shares unless the registry gave reasons), and the day it is due (the
    deadline engine's). Each side's share is an invoice of its own."""

    __tablename__ = "advance_requests"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        # To the cent: SQLite keeps NUMERIC as a floating-point number, whose sums are not
        # exact (PostgreSQL's are; there the rounding changes nothing).
        CheckConstraint(
            "claimant_share >= 0 AND respondent_share >= 0 "
            "AND round((claimant_share + respondent_share - amount) * 100) = 0",
            name="shares_add_up",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    stage: Mapped[AdvanceStage] = mapped_column(enum_column(AdvanceStage, "advance_stage"))
    currency: Mapped[Currency] = mapped_column(enum_column(Currency, "advance_cur"))
    amount: Mapped[Decimal] = mapped_column(MONEY)
    claimant_share: Mapped[Decimal] = mapped_column(MONEY)
    respondent_share: Mapped[Decimal] = mapped_column(MONEY)
    split_reason: Mapped[str | None] = mapped_column(Text)  # when the shares are not equal
    due_on: Mapped[dt.date] = mapped_column(Date)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class InvoiceCounter(Base):
    """The last invoice number of a year (core.counters: gapless)."""

    __tablename__ = "invoice_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_value: Mapped[int] = mapped_column(Integer, default=0)


class Invoice(Base):
    """What the Centre asks one side of a case to pay: numbered, with its payment reference
    (ISO 11649, accounts/banking.py) and its PDF (a ruling of kind "invoice"). Never changed:
    what was paid or waived against it is in its payments and its waiver."""

    __tablename__ = "invoices"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    reference: Mapped[str] = mapped_column(String(25), unique=True)  # RF… on the transfer
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    side: Mapped[Side] = mapped_column(enum_column(Side, "invoice_side"))
    purpose: Mapped[InvoicePurpose] = mapped_column(enum_column(InvoicePurpose, "purpose"))
    currency: Mapped[Currency] = mapped_column(enum_column(Currency, "invoice_cur"))
    amount: Mapped[Decimal] = mapped_column(MONEY)
    due_on: Mapped[dt.date] = mapped_column(Date)
    issued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    transaction_id: Mapped[int] = mapped_column(ForeignKey("ledger_transactions.id"))
    ruling_id: Mapped[int] = mapped_column(ForeignKey("rulings.id"))
    # A side's share of an advance on costs (None: the lodging fee).
    advance_id: Mapped[int | None] = mapped_column(ForeignKey("advance_requests.id"), index=True)

    case: Mapped[Case] = relationship(viewonly=True)
    payments: Mapped[list[Payment]] = relationship(
        back_populates="invoice", order_by="Payment.id", viewonly=True
    )
    waiver: Mapped[FeeWaiver | None] = relationship(viewonly=True)


class Payment(Base):
    """Money a side paid the Centre, against an invoice: `amount` as received, `applied`
    the part of it the invoice still wanted (the rest stays on the side's account, a
    credit). From the bank statement (`bank_line_id`) or recorded by hand."""

    __tablename__ = "payments"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("applied >= 0 AND applied <= amount", name="applied_within"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    side: Mapped[Side] = mapped_column(enum_column(Side, "payment_side"))
    currency: Mapped[Currency] = mapped_column(enum_column(Currency, "payment_cur"))
    amount: Mapped[Decimal] = mapped_column(MONEY)
    applied: Mapped[Decimal] = mapped_column(MONEY)
    received_on: Mapped[dt.date] = mapped_column(Date)
    payer: Mapped[str] = mapped_column(String(200))
    bank_line_id: Mapped[int | None] = mapped_column(ForeignKey("bank_lines.id"), unique=True)
    transaction_id: Mapped[int] = mapped_column(ForeignKey("ledger_transactions.id"))
    receipt_id: Mapped[int] = mapped_column(ForeignKey("rulings.id"))  # its receipt's PDF
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    invoice: Mapped[Invoice] = relationship()


class FeeWaiver(Base):
    """What the registry waived of an invoice (what was still due), with its reasons."""

    __tablename__ = "fee_waivers"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), unique=True)
    amount: Mapped[Decimal] = mapped_column(MONEY)
    reason: Mapped[str] = mapped_column(Text)
    transaction_id: Mapped[int] = mapped_column(ForeignKey("ledger_transactions.id"))
    waived_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    waived_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class StatementFormat(enum.StrEnum):
    MT940 = "mt940"
    CAMT053 = "camt053"


class BankStatement(Base):
    """One bank statement file the finance officer imported."""

    __tablename__ = "bank_statements"

    id: Mapped[int] = mapped_column(primary_key=True)
    format: Mapped[StatementFormat] = mapped_column(enum_column(StatementFormat, "format"))
    filename: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    account: Mapped[str] = mapped_column(String(64))  # as the statement names it (an IBAN)
    credits: Mapped[int] = mapped_column(Integer)  # credit lines in the file
    new_credits: Mapped[int] = mapped_column(Integer)  # of which not imported before
    imported_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    imported_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class BankLine(Base):
    """One credit on the Centre's account, as the bank reported it. `bank_ref` (the bank's
    own reference, with the account) is unique: a statement imported twice adds nothing.
    Matched once: `matched_at` is set by one officer's conditional update (matching.py)."""

    __tablename__ = "bank_lines"
    __table_args__ = (CheckConstraint("amount > 0", name="credit_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("bank_statements.id"), index=True)
    bank_ref: Mapped[str] = mapped_column(String(120), unique=True)
    booked_on: Mapped[dt.date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(MONEY)
    currency: Mapped[str] = mapped_column(String(3))  # any the bank reports; KZT, USD match
    payer: Mapped[str] = mapped_column(String(200))
    details: Mapped[str] = mapped_column(Text)
    matched_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    matched_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)


class LedgerRewritten(RuntimeError):
    """Code tried to change or delete what the ledger recorded: a bug, never a user's act."""


@event.listens_for(Session, "before_flush")
def _never_rewritten(session: Session, _context: object, _instances: object) -> None:
    """The ledger only grows: an account, a transaction or a posting once written is never
    changed or deleted (a mistake is reversed by a new transaction)."""
    ledger = (
        LedgerAccount,
        LedgerTransaction,
        Posting,
        Invoice,
        Payment,
        FeeWaiver,
        AdvanceRequest,
    )
    for obj in session.deleted:
        if isinstance(obj, ledger):
            raise LedgerRewritten(f"the ledger is never deleted from: {obj!r}")
    for obj in session.dirty:
        if isinstance(obj, ledger) and session.is_modified(obj, include_collections=False):
            raise LedgerRewritten(f"the ledger is never changed: {obj!r}")
