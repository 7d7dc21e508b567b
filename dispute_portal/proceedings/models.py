"""What happens inside a case: meetings (sessions and hearings), the neutral's private notes,
and the parties' submissions."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User, enum_column
from ..db import Base, UTCDateTime, utcnow
from ..parties.models import Side
from ..texts import N_


class MeetingKind(enum.StrEnum):
    MEDIATION_SESSION = "session"
    HEARING = "hearing"

    @property
    def label(self) -> str:
        return MEETING_KIND_LABELS[self]


MEETING_KIND_LABELS = {
    MeetingKind.MEDIATION_SESSION: N_("Mediation session"),
    MeetingKind.HEARING: N_("Hearing"),
}


class Meeting(Base):
    """A mediation session or a hearing: when, and where or by which video link."""

    __tablename__ = "meetings"
    __table_args__ = (
        CheckConstraint("place IS NOT NULL OR video_link IS NOT NULL", name="somewhere"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[MeetingKind] = mapped_column(enum_column(MeetingKind, "meeting_kind"))
    starts_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    duration_minutes: Mapped[int] = mapped_column(default=120)
    place: Mapped[str | None] = mapped_column(String(300))
    video_link: Mapped[str | None] = mapped_column(String(500))
    agenda: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    created_by: Mapped[User | None] = relationship()


class PrivateNote(Base):
    """A neutral's own note on a case: only its author ever sees it, and it is not audited."""

    __tablename__ = "private_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


# The pleadings of the written phase, in the order they are filed, each with its label and
# the side that files it (the workflow table's acts "file_<key>" say the same).
PLEADINGS: dict[str, tuple[str, Side]] = {
    "memorial": (N_("Memorial"), Side.CLAIMANT),
    "counter_memorial": (N_("Counter-memorial"), Side.RESPONDENT),
    "reply": (N_("Reply"), Side.CLAIMANT),
    "rejoinder": (N_("Rejoinder"), Side.RESPONDENT),
}


class Submission(Base):
    """A party's written submission (a response, a statement, a pleading of the written
    phase), with its documents."""

    __tablename__ = "submissions"
    __table_args__ = (
        CheckConstraint(
            "pleading IS NULL OR pleading IN ('memorial', 'counter_memorial', 'reply', "
            "'rejoinder')",
            name="pleading",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    side: Mapped[Side] = mapped_column(enum_column(Side, "side"))
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str | None] = mapped_column(Text)
    is_response: Mapped[bool] = mapped_column(default=False)
    pleading: Mapped[str | None] = mapped_column(String(20))  # a key of PLEADINGS
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User] = relationship()
