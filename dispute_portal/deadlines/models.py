"""Rule sets (versioned time limits) and the deadlines a case runs against them."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..auth.models import enum_column
from ..db import Base, UTCDateTime, utcnow
from ..texts import N_


class RuleSet(Base):
    """One version of the procedural time limits. Never edited: a change is a new version,
    and each case keeps the version it was registered under."""

    __tablename__ = "rule_sets"

    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(200))
    rules: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class DeadlineStatus(enum.StrEnum):
    OPEN = "open"
    MET = "met"
    CANCELLED = "cancelled"  # the case ended (withdrawn, settled…) before it mattered

    @property
    def label(self) -> str:
        return DEADLINE_STATUS_LABELS[self]


DEADLINE_STATUS_LABELS = {
    DeadlineStatus.OPEN: N_("Open"),
    DeadlineStatus.MET: N_("Met"),
    DeadlineStatus.CANCELLED: N_("No longer running"),
}


class Deadline(Base):
    __tablename__ = "deadlines"
    __table_args__ = (
        CheckConstraint("due_on >= starts_on", name="due_after_start"),
        CheckConstraint("status = 'open' OR closed_at IS NOT NULL", name="closed_at"),
        Index("ix_deadlines_open_due", "status", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(40))
    rule_version: Mapped[int] = mapped_column(ForeignKey("rule_sets.version"))
    starts_on: Mapped[dt.date] = mapped_column(Date)
    due_on: Mapped[dt.date] = mapped_column(Date)
    original_due_on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[DeadlineStatus] = mapped_column(
        enum_column(DeadlineStatus, "dl_status"), default=DeadlineStatus.OPEN
    )
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    extensions: Mapped[int] = mapped_column(Integer, default=0)
    last_reason: Mapped[str | None] = mapped_column(Text)
    # Each reminder goes out once: these record that it did.
    reminded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    overdue_notified_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    def overdue(self, today: dt.date) -> bool:
        return self.status is DeadlineStatus.OPEN and self.due_on < today
