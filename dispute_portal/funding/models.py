"""Third-party funding disclosed by a party (ICSID Arbitration Rules 2022, rule 14), and the
neutrals' re-confirmations of their declarations that follow a disclosure.

A disclosure is never edited: an update ends it and starts the one that replaces it, a
withdrawal ends it; the history stays, and each change is an audit event of the case."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User, enum_column
from ..db import Base, UTCDateTime, utcnow
from ..parties.models import Side
from ..texts import N_


class Ending(enum.StrEnum):
    UPDATED = "updated"  # replaced by the disclosure that names it as `replaces_id`
    WITHDRAWN = "withdrawn"  # the funding ended, or was disclosed by mistake

    @property
    def label(self) -> str:
        return ENDING_LABELS[self]


ENDING_LABELS = {
    Ending.UPDATED: N_("Updated"),
    Ending.WITHDRAWN: N_("Withdrawn"),
}


class FundingDisclosure(Base):
    """A funder of one side's costs: its name and address, as the party disclosed them."""

    __tablename__ = "funding_disclosures"
    __table_args__ = (CheckConstraint("(ended_at IS NULL) = (ending IS NULL)", name="ended_how"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    side: Mapped[Side] = mapped_column(enum_column(Side, "side"))
    funder_name: Mapped[str] = mapped_column(String(300))
    funder_address: Mapped[str] = mapped_column(Text)
    disclosed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    disclosed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("funding_disclosures.id"))
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    ending: Mapped[Ending | None] = mapped_column(enum_column(Ending, "funding_ending"))

    disclosed_by: Mapped[User] = relationship(foreign_keys=[disclosed_by_id])

    @property
    def current(self) -> bool:
        return self.ended_at is None


class Reconfirmation(Base):
    """A neutral confirmed (or updated) their declaration of independence after a funding
    disclosure: the statement as they signed it."""

    __tablename__ = "declaration_reconfirmations"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    appointment_id: Mapped[int] = mapped_column(
        ForeignKey("appointments.id", ondelete="CASCADE"), index=True
    )
    statement: Mapped[str] = mapped_column(Text)
    confirmed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
