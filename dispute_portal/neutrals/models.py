"""Appointments of mediators and arbitrators to a case (capacity, status, declaration) and
the conflicts a neutral declares with a party."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User, enum_column
from ..db import Base, UTCDateTime, utcnow
from ..parties.models import Side
from ..texts import N_


class Capacity(enum.StrEnum):
    MEDIATOR = "mediator"
    SOLE_ARBITRATOR = "sole"
    PRESIDING_ARBITRATOR = "presiding"
    CO_ARBITRATOR = "co"

    @property
    def label(self) -> str:
        return CAPACITY_LABELS[self]

    @property
    def in_tribunal(self) -> bool:
        return self is not Capacity.MEDIATOR

    @property
    def chairs(self) -> bool:
        """The sole or presiding arbitrator signs the tribunal's orders and its award."""
        return self in (Capacity.SOLE_ARBITRATOR, Capacity.PRESIDING_ARBITRATOR)


CAPACITY_LABELS = {
    Capacity.MEDIATOR: N_("Mediator"),
    Capacity.SOLE_ARBITRATOR: N_("Sole arbitrator"),
    Capacity.PRESIDING_ARBITRATOR: N_("Presiding arbitrator"),
    Capacity.CO_ARBITRATOR: N_("Co-arbitrator"),
}


class AppointmentStatus(enum.StrEnum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    # Left the case after accepting: resigned, or disqualified on a proposal (ended_reason).
    ENDED = "ended"

    @property
    def label(self) -> str:
        return APPOINTMENT_STATUS_LABELS[self]


APPOINTMENT_STATUS_LABELS = {
    AppointmentStatus.PROPOSED: N_("Awaiting acceptance"),
    AppointmentStatus.ACCEPTED: N_("Accepted"),
    AppointmentStatus.DECLINED: N_("Declined"),
    AppointmentStatus.ENDED: N_("Left the case"),
}


class EndReason(enum.StrEnum):
    """Why an accepted neutral left the case: the seat they held is then vacant."""

    RESIGNED = "resigned"
    DISQUALIFIED = "disqualified"

    @property
    def label(self) -> str:
        return END_REASON_LABELS[self]


END_REASON_LABELS = {
    EndReason.RESIGNED: N_("Resigned"),
    EndReason.DISQUALIFIED: N_("Disqualified"),
}


class Chooser(enum.StrEnum):
    """Who chose an arbitrator when the parties constitute the tribunal."""

    CLAIMANT = "claimant"  # the claimant's side nominated its co-arbitrator
    RESPONDENT = "respondent"
    PARTIES = "parties"  # the parties together (their agreement, recorded by the registry)
    CO_ARBITRATORS = "co_arbitrators"  # the two co-arbitrators chose the presiding one
    CENTRE = "centre"  # the Centre's appointing authority, in default of the others

    @property
    def label(self) -> str:
        return CHOOSER_LABELS[self]


CHOOSER_LABELS = {
    Chooser.CLAIMANT: N_("Nominated by the claimant"),
    Chooser.RESPONDENT: N_("Nominated by the respondent"),
    Chooser.PARTIES: N_("Chosen by the parties together"),
    Chooser.CO_ARBITRATORS: N_("Chosen by the co-arbitrators"),
    Chooser.CENTRE: N_("Appointed by the Centre in default"),
}


class Appointment(Base):
    """A neutral proposed for a case by the clerk, and their answer.

    Accepting means signing the declaration of independence and impartiality (its text is
    stored as signed); declining carries the disclosure or reason.
    """

    __tablename__ = "appointments"
    __table_args__ = (
        CheckConstraint(
            "status <> 'accepted' OR (declaration IS NOT NULL AND answered_at IS NOT NULL)",
            name="accepted_declared",
        ),
        CheckConstraint("status <> 'ended' OR ended_at IS NOT NULL", name="ended_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    capacity: Mapped[Capacity] = mapped_column(enum_column(Capacity, "capacity"))
    status: Mapped[AppointmentStatus] = mapped_column(
        enum_column(AppointmentStatus, "appt_status"), default=AppointmentStatus.PROPOSED
    )
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    proposed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    declaration: Mapped[str | None] = mapped_column(Text)
    disclosure: Mapped[str | None] = mapped_column(Text)
    # Constitution by the parties (nominations/): whose co-arbitrator this is (None for the
    # presiding and sole seats, and on the Centre's route) and who chose the arbitrator.
    side: Mapped[Side | None] = mapped_column(enum_column(Side, "appt_side"))
    chosen_by: Mapped[Chooser | None] = mapped_column(enum_column(Chooser, "appt_chosen_by"))
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    ended_reason: Mapped[EndReason | None] = mapped_column(enum_column(EndReason, "end_reason"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    proposed_by: Mapped[User | None] = relationship(foreign_keys=[proposed_by_id])

    @property
    def active(self) -> bool:
        """Proposed or sitting: not declined, and not left the case."""
        return self.status not in INACTIVE


# Statuses of an appointment that no longer holds a seat on the case.
INACTIVE = frozenset({AppointmentStatus.DECLINED, AppointmentStatus.ENDED})


class Conflict(Base):
    """A party a neutral may not sit for (a client, an employer, a relative's company)."""

    __tablename__ = "conflicts"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    party_name: Mapped[str] = mapped_column(String(300))
    # casefolded, punctuation and legal-form noise removed: what matching compares
    match_key: Mapped[str] = mapped_column(String(300), index=True)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
