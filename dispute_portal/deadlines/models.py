"""Rule sets (versioned time limits), calendars (versioned days off and working days) and
the deadlines a case runs against them."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    and_,
)
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.elements import ColumnElement

from ..auth.models import enum_column
from ..db import Base, UTCDateTime, utcnow
from ..texts import N_
from .rules import LAPSING


class RuleSet(Base):
    """One version of the procedural time limits. Never edited: a change is a new version,
    and each case keeps the version it was registered under."""

    __tablename__ = "rule_sets"

    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(200))
    rules: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class DayKind(enum.StrEnum):
    """What a listed day is: the Centre closed on a weekday, or open on a weekend or holiday."""

    DAY_OFF = "day_off"
    WORKING_DAY = "working_day"

    @property
    def label(self) -> str:
        return DAY_KIND_LABELS[self]


DAY_KIND_LABELS = {
    DayKind.DAY_OFF: N_("Extra day off"),
    DayKind.WORKING_DAY: N_("Working day"),
}


class DaySource(enum.StrEnum):
    PACKAGE = "package"  # the `holidays` package, as it was when the version was published
    ADMIN = "admin"  # the admin's list (a decree the package does not know)


class CalendarVersion(Base):
    """One version of the calendar: which days the Centre is closed and open, from
    `first_day` to `last_day`. Never edited: a change is a new version, and each case keeps
    the version it was registered under (a newer one may only add days off to it)."""

    __tablename__ = "calendar_versions"
    __table_args__ = (CheckConstraint("last_day >= first_day", name="window"),)

    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(200))
    # The version of the `holidays` package whose dates it holds.
    holidays_package: Mapped[str] = mapped_column(String(40))
    first_day: Mapped[dt.date] = mapped_column(Date)
    last_day: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # None: made by the portal itself (the first version, from the package alone).
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class CalendarDay(Base):
    """A day of a calendar version: a public holiday from the package, or an entry of the
    admin's list. The package lists only days off; the admin's list both kinds."""

    __tablename__ = "calendar_days"
    __table_args__ = (
        CheckConstraint("source = 'admin' OR kind = 'day_off'", name="package_days_off"),
    )

    version: Mapped[int] = mapped_column(ForeignKey("calendar_versions.version"), primary_key=True)
    source: Mapped[DaySource] = mapped_column(
        enum_column(DaySource, "cal_source"), primary_key=True
    )
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    kind: Mapped[DayKind] = mapped_column(enum_column(DayKind, "cal_kind"))
    # The holiday's name (package), or why (admin): "Government decree No. 123 of ...".
    reason: Mapped[str] = mapped_column(String(300))


class CalendarDraftDay(Base):
    """The admin's list as it will be in the next version: edited freely, in force only once
    published (each version copies it)."""

    __tablename__ = "calendar_draft_days"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, unique=True)
    kind: Mapped[DayKind] = mapped_column(enum_column(DayKind, "cal_kind"))
    reason: Mapped[str] = mapped_column(String(300))
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


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
    # The newest calendar when it was computed (with the case's own: calendar_for).
    calendar_version: Mapped[int] = mapped_column(ForeignKey("calendar_versions.version"))
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
    # The day the case's suspension paused it (None: it runs). While paused it is neither
    # due nor overdue; on resumption it is due as many days after as were left.
    paused_on: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    def passed(self, today: dt.date) -> bool:
        """Open, running and past its last day: the time to act in is over."""
        return self.status is DeadlineStatus.OPEN and self.paused_on is None and self.due_on < today

    @classmethod
    def passed_by(cls, today: dt.date) -> ColumnElement[bool]:
        """`passed`, in SQL: for the queries of the daily run."""
        return and_(cls.status == DeadlineStatus.OPEN, cls.paused_on.is_(None), cls.due_on < today)

    def overdue(self, today: dt.date) -> bool:
        """Passed, and someone failed to act: a window (LAPSING) that passed unused is not."""
        return self.passed(today) and self.key not in LAPSING

    @property
    def days_left_when_paused(self) -> int | None:
        return None if self.paused_on is None else max((self.due_on - self.paused_on).days, 0)
