"""The public register: one entry for each registered case that is not sealed, kept as the
public may read it. The public pages, exports, feed and sitemap read these rows and nothing
else of a case, so what is not copied here (a summary, an address, a sealed name) cannot
reach them by mistake."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from ..auth.models import enum_column
from ..cases.subject import LegalBasis, Sector
from ..db import Base, UTCDateTime, utcnow
from ..parties.models import Side
from ..texts import N_
from ..workflow.states import CaseState


class Stage(enum.StrEnum):
    """Where a case stands, as the register says it."""

    REGISTERED = "registered"
    MEDIATION = "mediation"
    ARBITRATION = "arbitration"
    CONCLUDED = "concluded"

    @property
    def label(self) -> str:
        return STAGE_LABELS[self]


STAGE_LABELS = {
    Stage.REGISTERED: N_("Registered"),
    Stage.MEDIATION: N_("Mediation"),
    Stage.ARBITRATION: N_("Arbitration"),
    Stage.CONCLUDED: N_("Concluded"),
}

STAGE_OF = {
    CaseState.REGISTERED: Stage.REGISTERED,
    CaseState.MEDIATION: Stage.MEDIATION,
    CaseState.IMPASSE: Stage.MEDIATION,  # mediation failed; arbitration not yet asked for
    CaseState.ARBITRATION: Stage.ARBITRATION,
}


class Outcome(enum.StrEnum):
    """How a concluded case ended (a closed case: the ending it was closed after)."""

    SETTLED = "settled"
    AWARDED = "awarded"
    DISMISSED = "dismissed"
    WITHDRAWN = "withdrawn"
    DISCONTINUED = "discontinued"

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self]


OUTCOME_LABELS = {
    Outcome.SETTLED: N_("Settled in mediation"),
    Outcome.AWARDED: N_("Award rendered"),
    Outcome.DISMISSED: N_("Claim dismissed"),
    Outcome.WITHDRAWN: N_("Claim withdrawn"),
    Outcome.DISCONTINUED: N_("Proceeding discontinued"),
}


class RegisterEntry(Base):
    __tablename__ = "register_entries"
    __table_args__ = (
        # The list: newest registration first, a page an index range (keyset).
        Index("ix_register_entries_order", "registered_at", "case_id"),
    )

    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    number: Mapped[str] = mapped_column(String(20), unique=True)
    registered_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    year: Mapped[int] = mapped_column(Integer)  # of the registration, in Almaty
    claimant: Mapped[str | None] = mapped_column(String(300))
    claimant_country: Mapped[str | None] = mapped_column(String(2))
    respondent: Mapped[str | None] = mapped_column(String(300))
    # The filters need no index of their own: a page walks the order index and keeps the
    # entries that match (even a rare combination reads the register once, bench/).
    sector: Mapped[Sector | None] = mapped_column(enum_column(Sector, "reg_sector"))
    basis: Mapped[LegalBasis | None] = mapped_column(enum_column(LegalBasis, "reg_basis"))
    stage: Mapped[Stage] = mapped_column(enum_column(Stage, "reg_stage"))
    outcome: Mapped[Outcome | None] = mapped_column(enum_column(Outcome, "reg_outcome"))
    concluded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # The sitting mediator and arbitrators: [{"capacity", "name", "nationality"}], in the
    # order they were appointed.
    neutrals: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # What the register's search finds it by: " term term … " (search.operations.terms of
    # the number and the names shown), a space before and after each term.
    terms: Mapped[str] = mapped_column(Text, default="")
    changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class SealTarget(enum.StrEnum):
    """What a seal keeps from the public (and, for some, from others on the case)."""

    CASE = "case"  # the whole case: no public entry, nothing of it on any public page
    PARTY_NAME = "party_name"  # a party's name: "Confidential" in the public register
    # A party's address, e-mail, telephone and contact person: read only by the registry,
    # the neutrals and the party's own side (never the other side).
    PARTY_CONTACT = "party_contact"
    # A document: read only by the registry, the neutrals and the side that filed it.
    DOCUMENT = "document"


class Seal(Base):
    """An order that keeps something of a case confidential, until it is lifted. Both the
    sealing and the lifting are acts of the workflow table: their reasons are in the trail."""

    __tablename__ = "seals"
    __table_args__ = (
        CheckConstraint(
            "target NOT IN ('party_name', 'party_contact') OR side IS NOT NULL", name="side"
        ),
        CheckConstraint("target <> 'document' OR document_id IS NOT NULL", name="document"),
        CheckConstraint(
            "lifted_at IS NULL OR (lifted_by_id IS NOT NULL AND lift_reason IS NOT NULL)",
            name="lifted",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    target: Mapped[SealTarget] = mapped_column(enum_column(SealTarget, "seal_target"))
    side: Mapped[Side | None] = mapped_column(enum_column(Side, "seal_side"))
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[str] = mapped_column(Text)
    sealed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    sealed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    lifted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    lifted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    lift_reason: Mapped[str | None] = mapped_column(Text)

    @property
    def active(self) -> bool:
        return self.lifted_at is None


def find_seal(
    seals: Iterable[Seal],
    target: SealTarget,
    *,
    side: Side | None = None,
    document_id: int | None = None,
) -> Seal | None:
    """The seal in force (of a case's `seals`) on this target, or None."""
    return next(
        (
            s
            for s in seals
            if s.target is target and s.side == side and s.document_id == document_id
        ),
        None,
    )


# The decisions a register may publish: the awards and the tribunal's decisions that end or
# shape the proceeding; notices, orders of procedure and the account's papers never.
PUBLISHABLE = frozenset(
    {
        "award",
        "consent_award",
        "merit_award",
        "jurisdiction_award",
        "jurisdiction_decision",
        "dismissal_order",
        "costs_decision",
        "correction_decision",
    }
)


class ProposalStatus(enum.StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return PROPOSAL_STATUS_LABELS[self]


PROPOSAL_STATUS_LABELS = {
    ProposalStatus.PROPOSED: N_("Awaiting the tribunal's decision"),
    ProposalStatus.APPROVED: N_("Withheld by the tribunal"),
    ProposalStatus.REJECTED: N_("Refused by the tribunal"),
}


class RedactionProposal(Base):
    """A side asks that a passage of a decision be withheld from its published version; the
    other side comments; the tribunal's chair decides (publication/redaction.py)."""

    __tablename__ = "redaction_proposals"
    __table_args__ = (
        CheckConstraint(
            "status = 'proposed' OR (decided_by_id IS NOT NULL AND decided_at IS NOT NULL)",
            name="decided",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    ruling_id: Mapped[int] = mapped_column(ForeignKey("rulings.id"), index=True)
    side: Mapped[Side] = mapped_column(enum_column(Side, "redaction_side"))
    passage: Mapped[str] = mapped_column(Text)  # as it stands in the decision
    reason: Mapped[str] = mapped_column(Text)
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    proposed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    comment: Mapped[str | None] = mapped_column(Text)  # the other side's
    commented_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[ProposalStatus] = mapped_column(
        enum_column(ProposalStatus, "redaction_status"), default=ProposalStatus.PROPOSED
    )
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    decision_reason: Mapped[str | None] = mapped_column(Text)


class ProposalsDone(Base):
    """A side says it proposes no more passages of a decision: once both have, the period to
    propose them ends before its last day (publication/redaction.py)."""

    __tablename__ = "redaction_proposals_done"
    __table_args__ = (
        UniqueConstraint("ruling_id", "side", name="uq_redaction_proposals_done_side"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    ruling_id: Mapped[int] = mapped_column(ForeignKey("rulings.id"))
    side: Mapped[Side] = mapped_column(enum_column(Side, "proposals_done_side"))
    said_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    said_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Publication(Base):
    """A decision made public: its redacted version (a ruling of its own, with its own
    verification code) when both sides consented, else the excerpt the tribunal chose. The
    decision itself stays with the case."""

    __tablename__ = "publications"
    __table_args__ = (
        CheckConstraint("published_id IS NOT NULL OR excerpt IS NOT NULL", name="something"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    ruling_id: Mapped[int] = mapped_column(ForeignKey("rulings.id"), unique=True)
    published_id: Mapped[int | None] = mapped_column(ForeignKey("rulings.id"), unique=True)
    excerpt: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
