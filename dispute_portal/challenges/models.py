"""Proposals for the disqualification of a mediator or arbitrator (a challenge), the persons
each names, and the votes of the other members of the tribunal that decide it.

A proposal names one or more neutrals sitting on the case (ICSID Arbitration Rules 2022,
rules 22 and 23): the challenged persons comment, the other party files observations, then
the other members decide it, or the Centre when they cannot (see queries.decided_by_centre).
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import CheckConstraint, Date, ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User, enum_column
from ..db import Base, UTCDateTime, utcnow
from ..neutrals.models import Appointment
from ..parties.models import Side
from ..texts import N_


class Outcome(enum.StrEnum):
    UPHELD = "upheld"  # the person leaves the case: a vacancy
    REJECTED = "rejected"  # the person stays
    MOOT = "moot"  # every person named left the case (resigned) before a decision

    @classmethod
    def decisions(cls) -> tuple[Outcome, ...]:
        """What a decision may say (a moot proposal is not decided)."""
        return (cls.UPHELD, cls.REJECTED)

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self]


OUTCOME_LABELS = {
    Outcome.UPHELD: N_("Upheld: the person is disqualified"),
    Outcome.REJECTED: N_("Rejected: the person stays on the case"),
    Outcome.MOOT: N_("Moot: the person named has left the case"),
}


class Vote(enum.StrEnum):
    """What one of the other members of the tribunal says on the proposal."""

    UPHOLD = "uphold"
    REJECT = "reject"
    UNDECIDED = "undecided"  # cannot decide: the Centre decides

    @property
    def label(self) -> str:
        return VOTE_LABELS[self]


VOTE_LABELS = {
    Vote.UPHOLD: N_("Uphold the proposal"),
    Vote.REJECT: N_("Reject the proposal"),
    Vote.UNDECIDED: N_("Cannot decide: leave the decision to the Centre"),
}


class Challenge(Base):
    """A party's proposal to disqualify one or more neutrals of the case."""

    __tablename__ = "challenges"
    __table_args__ = (
        CheckConstraint("outcome IS NULL OR decided_at IS NOT NULL", name="decided"),
        CheckConstraint("decided_at IS NULL OR pleadings_closed_at IS NOT NULL", name="in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    side: Mapped[Side] = mapped_column(enum_column(Side, "side"))  # the proposing party
    filed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    filed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    facts: Mapped[str] = mapped_column(Text)
    learned_on: Mapped[dt.date] = mapped_column(Date)  # when the party learned of the facts
    observations: Mapped[str | None] = mapped_column(Text)  # the other party's
    observed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    observed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The comments are in (or their time ran out): the decision's time limit runs from here.
    pleadings_closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[Outcome | None] = mapped_column(enum_column(Outcome, "outcome"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    by_centre: Mapped[bool | None] = mapped_column()  # who decided it, once decided

    filed_by: Mapped[User] = relationship(foreign_keys=[filed_by_id])
    targets: Mapped[list[ChallengeTarget]] = relationship(
        cascade="all, delete-orphan", order_by="ChallengeTarget.id", lazy="selectin"
    )
    votes: Mapped[list[ChallengeVote]] = relationship(
        cascade="all, delete-orphan", order_by="ChallengeVote.id", lazy="selectin"
    )

    @property
    def pending(self) -> bool:
        return self.decided_at is None


class ChallengeTarget(Base):
    """One person a proposal names, and their comments on it."""

    __tablename__ = "challenge_targets"
    __table_args__ = (UniqueConstraint("challenge_id", "appointment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(
        ForeignKey("challenges.id", ondelete="CASCADE"), index=True
    )
    appointment_id: Mapped[int] = mapped_column(ForeignKey("appointments.id"), index=True)
    comments: Mapped[str | None] = mapped_column(Text)
    commented_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    appointment: Mapped[Appointment] = relationship(lazy="joined")


class ChallengeVote(Base):
    """The vote of one of the other members of the tribunal on a proposal."""

    __tablename__ = "challenge_votes"
    __table_args__ = (UniqueConstraint("challenge_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(
        ForeignKey("challenges.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    vote: Mapped[Vote] = mapped_column(enum_column(Vote, "vote"))
    reasons: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()
