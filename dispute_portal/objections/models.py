"""A preliminary objection on a case: who raised it, on which ground, the request for
bifurcation that may come with it, the last submission on it and how it was decided.

The acts themselves are rows of the workflow table and events of the trail; this record
holds what the table's guards and the case page ask between them (is one pending, are the
merits suspended).
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import CheckConstraint, Date, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..auth.models import enum_column
from ..db import Base, UTCDateTime, utcnow
from ..parties.models import Side
from ..texts import N_


class Ground(enum.StrEnum):
    MERIT = "merit"  # the claims manifestly lack legal merit (rule 41)
    JURISDICTION = "jurisdiction"  # the dispute is not within the Centre's jurisdiction (43)

    @property
    def label(self) -> str:
        return GROUND_LABELS[self]


GROUND_LABELS = {
    Ground.MERIT: N_("Manifest lack of legal merit"),
    Ground.JURISDICTION: N_("Objection to jurisdiction"),
}


class Bifurcation(enum.StrEnum):
    REQUESTED = "requested"
    GRANTED = "granted"  # the objection is decided first: the merits are suspended
    REFUSED = "refused"  # the objection is joined to the merits

    @property
    def label(self) -> str:
        return BIFURCATION_LABELS[self]


BIFURCATION_LABELS = {
    Bifurcation.REQUESTED: N_("Bifurcation requested"),
    Bifurcation.GRANTED: N_("Bifurcation granted: the merits are suspended"),
    Bifurcation.REFUSED: N_("Bifurcation refused"),
}


class Outcome(enum.StrEnum):
    UPHELD = "upheld"  # the objection succeeds: the claims are dismissed
    REJECTED = "rejected"  # the objection fails: the case goes on
    JOINED = "joined"  # joined to the merits: decided with the award

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self]


OUTCOME_LABELS = {
    Outcome.UPHELD: N_("Upheld: the claims are dismissed"),
    Outcome.REJECTED: N_("Rejected: the proceedings go on"),
    Outcome.JOINED: N_("Joined to the merits"),
}


class Objection(Base):
    """One preliminary objection (pending while it has no outcome)."""

    __tablename__ = "objections"
    __table_args__ = (
        CheckConstraint("ground = 'jurisdiction' OR bifurcation IS NULL", name="bifurcation"),
        CheckConstraint("outcome IS NULL OR decided_at IS NOT NULL", name="decided_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    ground: Mapped[Ground] = mapped_column(enum_column(Ground, "objection_ground"))
    side: Mapped[Side] = mapped_column(enum_column(Side, "side"))
    filed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    filed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    grounds: Mapped[str] = mapped_column(Text)
    bifurcation: Mapped[Bifurcation | None] = mapped_column(
        enum_column(Bifurcation, "objection_bifurcation")
    )
    # The day the tribunal recorded the last submission on it: its decision runs from it.
    last_submission_on: Mapped[dt.date | None] = mapped_column(Date)
    outcome: Mapped[Outcome | None] = mapped_column(enum_column(Outcome, "objection_outcome"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    @property
    def pending(self) -> bool:
        return self.outcome is None
