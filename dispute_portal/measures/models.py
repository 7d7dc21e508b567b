"""Requests for provisional measures (ICSID Arbitration Rules 2022, rule 47): what a party
asks the tribunal to order or recommend pending the award, the other party's observations,
and the tribunal's order."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User, enum_column
from ..db import Base, UTCDateTime, utcnow
from ..parties.models import Side
from ..texts import N_


class Outcome(enum.StrEnum):
    GRANTED = "granted"
    PARTLY_GRANTED = "partly_granted"
    REFUSED = "refused"

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self]


OUTCOME_LABELS = {
    Outcome.GRANTED: N_("Granted"),
    Outcome.PARTLY_GRANTED: N_("Granted in part"),
    Outcome.REFUSED: N_("Refused"),
}


class ProvisionalRequest(Base):
    """One request: while it has no outcome it is pending (a case has one at a time, so
    that the time limits of the table, one of each kind, are this request's)."""

    __tablename__ = "provisional_requests"
    __table_args__ = (
        CheckConstraint("(outcome IS NULL) = (decided_at IS NULL)", name="decided_with_outcome"),
        CheckConstraint("(observations IS NULL) = (observed_at IS NULL)", name="observed_when"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    side: Mapped[Side] = mapped_column(enum_column(Side, "side"))
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    measures: Mapped[str] = mapped_column(Text)  # what the party asks the tribunal to order
    grounds: Mapped[str] = mapped_column(Text)  # why: the rights to preserve, the urgency
    requested_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    observations: Mapped[str | None] = mapped_column(Text)
    observed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    observed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[Outcome | None] = mapped_column(enum_column(Outcome, "pm_outcome"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id])
    observed_by: Mapped[User | None] = relationship(foreign_keys=[observed_by_id])

    @property
    def pending(self) -> bool:
        return self.outcome is None

    @property
    def other_side(self) -> Side:
        return self.side.other
