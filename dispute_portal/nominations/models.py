"""The record that the parties, not the Centre, constitute a case's tribunal.

A case with no such record keeps the default route: the registry proposes the whole
tribunal (neutrals/). With it, each side nominates a co-arbitrator (or the parties agree on
a sole arbitrator), the presiding arbitrator is chosen by the co-arbitrators or the parties
together, and the Centre fills in default any seat left empty after its time limit. Who
chose each arbitrator is on the appointment (`Appointment.chosen_by`).
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User, enum_column
from ..db import Base, UTCDateTime, utcnow
from ..texts import N_


class TribunalSize(enum.StrEnum):
    SOLE = "sole"
    THREE = "three"

    @property
    def label(self) -> str:
        return SIZE_LABELS[self]


SIZE_LABELS = {
    TribunalSize.SOLE: N_("A sole arbitrator, chosen by the parties' agreement"),
    TribunalSize.THREE: N_(
        "Three arbitrators: one nominated by each side, the presiding one chosen by the two"
    ),
}


class Basis(enum.StrEnum):
    """Why the parties appoint: the registry's decision under the rules, or their agreement."""

    REGISTRY = "registry"
    AGREEMENT = "agreement"

    @property
    def label(self) -> str:
        return BASIS_LABELS[self]


BASIS_LABELS = {
    Basis.REGISTRY: N_("The registry's decision under the Rules"),
    Basis.AGREEMENT: N_("The parties' agreement"),
}


class Constitution(Base):
    """The parties appoint this case's tribunal, of this size (one row a case, at most)."""

    __tablename__ = "constitutions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), unique=True, index=True
    )
    size: Mapped[TribunalSize] = mapped_column(enum_column(TribunalSize, "tribunal_size"))
    basis: Mapped[Basis] = mapped_column(enum_column(Basis, "constitution_basis"))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    recorded_by: Mapped[User | None] = relationship()


class Seat(enum.StrEnum):
    """A seat of a tribunal the parties constitute."""

    CLAIMANT = "claimant"  # the co-arbitrator the claimant nominates
    RESPONDENT = "respondent"  # the co-arbitrator the respondent nominates
    PRESIDING = "presiding"
    SOLE = "sole"

    @property
    def label(self) -> str:
        return SEAT_LABELS[self]

    @property
    def deadline(self) -> str:
        """The time limit (deadlines/rules.py) within which the seat is to be filled."""
        return "presiding_nomination" if self is Seat.PRESIDING else "party_nomination"


SEAT_LABELS = {
    Seat.CLAIMANT: N_("The claimant's co-arbitrator"),
    Seat.RESPONDENT: N_("The respondent's co-arbitrator"),
    Seat.PRESIDING: N_("Presiding arbitrator"),
    Seat.SOLE: N_("Sole arbitrator"),
}
