"""A suspension of a case's proceeding: why, since when, until when, and when it ended.

A case may be suspended for several causes at once (a challenge while the parties' agreed
suspension runs); it resumes when the last one ends. `cases.suspended_since` says whether it
is suspended now, in one column the workflow reads for every act.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..auth.models import enum_column
from ..db import Base, UTCDateTime, utcnow
from ..texts import N_


class Cause(enum.StrEnum):
    AGREEMENT = "agreement"  # the parties agreed (ICSID Arbitration Rule 54)
    CHALLENGE = "challenge"  # a proposal for disqualification is pending (rule 22)
    VACANCY = "vacancy"  # a seat of the tribunal is empty (rule 25)
    NON_PAYMENT = "non_payment"  # the advances on costs are unpaid

    @property
    def label(self) -> str:
        return CAUSE_LABELS[self]


CAUSE_LABELS = {
    Cause.AGREEMENT: N_("by agreement of the parties"),
    Cause.CHALLENGE: N_("while a proposal for disqualification is decided"),
    Cause.VACANCY: N_("while a vacancy on the tribunal is filled"),
    Cause.NON_PAYMENT: N_("for non-payment of the advances on costs"),
}


class Suspension(Base):
    __tablename__ = "suspensions"
    __table_args__ = (
        CheckConstraint("ended_at IS NULL OR ended_at >= started_at", name="ends_after_start"),
        Index("ix_suspensions_open_resume", "ended_at", "resume_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    cause: Mapped[Cause] = mapped_column(enum_column(Cause, "susp_cause"))
    reason: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The day the parties agreed to resume on (the scheduler resumes the case that day);
    # None: until the cause ends (a challenge decided, a vacancy filled).
    resume_on: Mapped[dt.date | None] = mapped_column(Date)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    @property
    def open(self) -> bool:
        return self.ended_at is None
