"""Applications of non-disputing parties to file a written submission (ICSID Arbitration
Rules 2022, rule 67): a person, an organisation or a State that is not a party, usually
without an account, applies by e-mail or post; the registry records the application with
its document, the parties observe, the tribunal grants or refuses."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..auth.models import enum_column
from ..db import Base, UTCDateTime, utcnow
from ..texts import N_


class ApplicantKind(enum.StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"
    STATE = "state"

    @property
    def label(self) -> str:
        return APPLICANT_KIND_LABELS[self]


APPLICANT_KIND_LABELS = {
    ApplicantKind.PERSON: N_("A person"),
    ApplicantKind.ORGANISATION: N_("An organisation"),
    ApplicantKind.STATE: N_("A State"),
}


class ReceivedBy(enum.StrEnum):
    EMAIL = "email"
    POST = "post"
    HAND = "hand"

    @property
    def label(self) -> str:
        return RECEIVED_BY_LABELS[self]


RECEIVED_BY_LABELS = {
    ReceivedBy.EMAIL: N_("By e-mail"),
    ReceivedBy.POST: N_("By post"),
    ReceivedBy.HAND: N_("By hand at the registry"),
}


class Decision(enum.StrEnum):
    GRANTED = "granted"
    REFUSED = "refused"

    @property
    def label(self) -> str:
        return DECISION_LABELS[self]


DECISION_LABELS = {
    Decision.GRANTED: N_("Granted: the submission is on the record"),
    Decision.REFUSED: N_("Refused: the submission is not on the record"),
}


class NonDisputingApplication(Base):
    """One application and what became of it: pending until the tribunal decides (a case
    has one pending at a time, so that the observations' time limit is this one's)."""

    __tablename__ = "non_disputing_applications"
    __table_args__ = (
        CheckConstraint("(decision IS NULL) = (decided_at IS NULL)", name="decided_when"),
        CheckConstraint(
            "(claimant_observations IS NULL) = (claimant_observed_at IS NULL)",
            name="claimant_observed_when",
        ),
        CheckConstraint(
            "(respondent_observations IS NULL) = (respondent_observed_at IS NULL)",
            name="respondent_observed_when",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    applicant_name: Mapped[str] = mapped_column(String(300))
    applicant_kind: Mapped[ApplicantKind] = mapped_column(enum_column(ApplicantKind, "ndp_kind"))
    description: Mapped[str] = mapped_column(Text)  # who they are
    interest: Mapped[str] = mapped_column(Text)  # their significant interest in the case
    received_by: Mapped[ReceivedBy] = mapped_column(enum_column(ReceivedBy, "ndp_received"))
    received_on: Mapped[dt.date] = mapped_column(Date)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimant_observations: Mapped[str | None] = mapped_column(Text)
    claimant_observed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    respondent_observations: Mapped[str | None] = mapped_column(Text)
    respondent_observed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    decision: Mapped[Decision | None] = mapped_column(enum_column(Decision, "ndp_decision"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    @property
    def pending(self) -> bool:
        return self.decision is None

    @property
    def on_record(self) -> bool:
        return self.decision is Decision.GRANTED

    def observed(self, side: str) -> bool:
        return getattr(self, f"{side}_observations") is not None

    @property
    def both_observed(self) -> bool:
        return self.observed("claimant") and self.observed("respondent")
