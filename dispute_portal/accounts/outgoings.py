"""What goes out of a case's account: the neutrals' fee notes, and the refund of what was
not spent (the models; fee_notes.py and closing.py are the acts).

A fee note is a neutral's time (hours or days at the schedule's rate) and expenses on one
case. The registry approves it (its amount is then charged to the advance held for the case:
a ledger transaction) or rejects it with reasons; the finance officer records its payment.
A refund is one side's part of the unspent advance, decided with the final statement and
paid by the Centre. Their money is on the ledger; these rows say what each movement was for.
"""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Numeric, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User, enum_column
from ..cases.models import Case, Currency
from ..db import Base, UTCDateTime, utcnow
from ..parties.models import Side
from ..texts import N_
from .models import MONEY


class TimeUnit(enum.StrEnum):
    HOURS = "hours"
    DAYS = "days"


TIME_UNIT_LABELS = {TimeUnit.HOURS: N_("Hours"), TimeUnit.DAYS: N_("Days")}


class NoteStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"


NOTE_STATUS_LABELS = {
    NoteStatus.SUBMITTED: N_("Awaiting the registry"),
    NoteStatus.APPROVED: N_("Approved"),
    NoteStatus.REJECTED: N_("Rejected"),
}


class FeeNote(Base):
    """A neutral's fees and expenses on a case, at the schedule's rate when submitted."""

    __tablename__ = "fee_notes"
    __table_args__ = (
        CheckConstraint("time_spent >= 0 AND expenses >= 0 AND fees >= 0", name="not_negative"),
        CheckConstraint("fees + expenses > 0", name="something"),
        CheckConstraint("(status = 'approved') = (charged_transaction_id IS NOT NULL)",
                        name="charged_when_approved"),
        CheckConstraint("paid_transaction_id IS NULL OR status = 'approved'", name="paid_approved"),
    )  # fmt: skip

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)  # the neutral
    currency: Mapped[Currency] = mapped_column(enum_column(Currency, "fee_note_cur"))
    time_spent: Mapped[Decimal] = mapped_column(Numeric(7, 2))
    unit: Mapped[TimeUnit] = mapped_column(enum_column(TimeUnit, "fee_note_unit"))
    rate: Mapped[Decimal] = mapped_column(MONEY)
    fees: Mapped[Decimal] = mapped_column(MONEY)  # time_spent × rate, to the cent
    expenses: Mapped[Decimal] = mapped_column(MONEY)
    description: Mapped[str] = mapped_column(Text)  # the work done, the expenses incurred
    status: Mapped[NoteStatus] = mapped_column(enum_column(NoteStatus, "fee_note_status"))
    submitted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    decision_reason: Mapped[str | None] = mapped_column(Text)
    charged_transaction_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_transactions.id"))
    paid_transaction_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_transactions.id"))
    paid_on: Mapped[dt.date | None] = mapped_column(Date)

    neutral: Mapped[User] = relationship(foreign_keys=[user_id], viewonly=True)

    @property
    def total(self) -> Decimal:
        return self.fees + self.expenses


class Refund(Base):
    """What the Centre returns to one side at the end: its part of the unspent advance
    (decided with the final statement: a ledger transaction moves it from the advance to the
    side's account) and what it paid beyond its invoices; paid once."""

    __tablename__ = "refunds"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    side: Mapped[Side] = mapped_column(enum_column(Side, "refund_side"))
    currency: Mapped[Currency] = mapped_column(enum_column(Currency, "refund_cur"))
    amount: Mapped[Decimal] = mapped_column(MONEY)
    # The final statement's refund of the unspent advance (None: the side's credit is what
    # it paid beyond its invoices only).
    decided_transaction_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_transactions.id"))
    statement_id: Mapped[int] = mapped_column(ForeignKey("rulings.id"))  # the final statement
    decided_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    paid_transaction_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_transactions.id"))
    paid_on: Mapped[dt.date | None] = mapped_column(Date)
    paid_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    case: Mapped[Case] = relationship(viewonly=True)
