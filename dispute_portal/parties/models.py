"""Who takes part in a case beyond the claimant (counsel, respondents' representatives) and
the single-use invitations that bring them in."""

from __future__ import annotations

import datetime as dt
import enum
import hashlib

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User, enum_column
from ..db import Base, UTCDateTime, utcnow
from ..texts import N_


class Side(enum.StrEnum):
    """The two sides of a dispute; a case has one party on each."""

    CLAIMANT = "claimant"
    RESPONDENT = "respondent"

    @property
    def other(self) -> Side:
        return Side.RESPONDENT if self is Side.CLAIMANT else Side.CLAIMANT


SIDE_LABELS = {Side.CLAIMANT: N_("Claimant"), Side.RESPONDENT: N_("Respondent")}


class Standing(enum.StrEnum):
    REPRESENTATIVE = "representative"  # acts for the party itself (the respondent's officer)
    COUNSEL = "counsel"

    @property
    def label(self) -> str:
        return STANDING_LABELS[self]


STANDING_LABELS = {
    Standing.REPRESENTATIVE: N_("Representative"),
    Standing.COUNSEL: N_("Counsel"),
}


class Participant(Base):
    """A user who acts for one side of a case (besides the claimant who filed it)."""

    __tablename__ = "participants"
    __table_args__ = (UniqueConstraint("case_id", "user_id", name="one_role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    side: Mapped[Side] = mapped_column(enum_column(Side, "side"))
    standing: Mapped[Standing] = mapped_column(enum_column(Standing, "standing"))
    added_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()


class Invitation(Base):
    """A single-use, expiring link to join a case; only the token's hash is stored."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    side: Mapped[Side] = mapped_column(enum_column(Side, "side"))
    standing: Mapped[Standing] = mapped_column(enum_column(Standing, "standing"))
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    used_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()
