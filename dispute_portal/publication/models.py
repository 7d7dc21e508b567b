"""The public register: one entry for each registered case that is not sealed, kept as the
public may read it. The public pages, exports, feed and sitemap read these rows and nothing
else of a case, so what is not copied here (a summary, an address, a sealed name) cannot
reach them by mistake."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..auth.models import enum_column
from ..cases.subject import LegalBasis, Sector
from ..db import Base, UTCDateTime
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
