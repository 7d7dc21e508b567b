"""The records of costs, award drafts, approvals, opinions and counterclaims.

Money is NUMERIC with two decimals and a currency, never a float. An award draft is never
edited: a changed text is a new draft, so the approvals of the old one stay with the text
they approved and count for nothing on the new one.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User, enum_column
from ..cases.models import Currency
from ..db import Base, UTCDateTime, utcnow
from ..parties.models import Side
from ..texts import N_

MONEY = Numeric(20, 2)
PERCENT = Numeric(5, 2)


class CostsMode(enum.StrEnum):
    OWN = "own"  # each party bears its own costs
    LOSER = "loser"  # the losing party pays the other's costs
    SPLIT = "split"  # the costs are shared in a proportion
    RESERVED = "reserved"  # decided later, in a separate decision on costs


COSTS_MODE_LABELS = {
    CostsMode.OWN: N_("Each party bears its own costs"),
    CostsMode.LOSER: N_("The losing party pays the other party's costs"),
    CostsMode.SPLIT: N_("The costs are shared in a proportion"),
    CostsMode.RESERVED: N_("Costs are reserved for a separate decision on costs"),
}


class DraftKind(enum.StrEnum):
    """What a tribunal of three deliberates on: every decision of the tribunal is made by a
    majority of its members (ICSID Convention art. 48(1); rule 34)."""

    AWARD = "award"
    CONSENT_AWARD = "consent_award"  # the parties' settlement embodied in an award
    COSTS_DECISION = "costs_decision"  # a separate decision on costs


DRAFT_KIND_LABELS = {
    DraftKind.AWARD: N_("Draft of the award"),
    DraftKind.CONSENT_AWARD: N_("Draft of the award embodying the parties' settlement"),
    DraftKind.COSTS_DECISION: N_("Draft of the decision on costs"),
}


class OpinionKind(enum.StrEnum):
    DISSENTING = "dissenting"
    INDIVIDUAL = "individual"


OPINION_LABELS = {
    OpinionKind.DISSENTING: N_("Dissenting opinion"),
    OpinionKind.INDIVIDUAL: N_("Individual opinion"),
}


@dataclass(frozen=True)
class CostsAllocation:
    """How the tribunal allocates the costs: the mode, who pays (losing party, split), the
    claimant's share in per cent (split) and the amount the payer pays the other party."""

    mode: CostsMode
    payer: Side | None = None
    claimant_percent: Decimal | None = None
    amount: Decimal | None = None
    currency: Currency | None = None


class CostsColumns:
    """The columns of a costs allocation, shared by an award draft and a decision on costs."""

    costs_mode: Mapped[CostsMode] = mapped_column(enum_column(CostsMode, "costs_mode"))
    costs_payer: Mapped[Side | None] = mapped_column(enum_column(Side, "costs_payer"))
    costs_claimant_percent: Mapped[Decimal | None] = mapped_column(PERCENT)
    costs_amount: Mapped[Decimal | None] = mapped_column(MONEY)
    costs_currency: Mapped[Currency | None] = mapped_column(enum_column(Currency, "costs_cur"))

    @property
    def costs(self) -> CostsAllocation:
        return CostsAllocation(
            self.costs_mode,
            self.costs_payer,
            self.costs_claimant_percent,
            self.costs_amount,
            self.costs_currency,
        )

    def set_costs(self, costs: CostsAllocation) -> None:
        self.costs_mode = costs.mode
        self.costs_payer = costs.payer
        self.costs_claimant_percent = costs.claimant_percent
        self.costs_amount = costs.amount
        self.costs_currency = costs.currency


def costs_checks() -> tuple[CheckConstraint, CheckConstraint]:
    """The CHECKs of the costs columns, made anew for each table that has them."""
    return (
        CheckConstraint("costs_amount IS NULL OR costs_amount >= 0", name="costs_amount_pos"),
        CheckConstraint(
            "costs_claimant_percent IS NULL OR "
            "(costs_claimant_percent >= 0 AND costs_claimant_percent <= 100)",
            name="costs_percent",
        ),
    )


class AwardDraft(CostsColumns, Base):
    """A text the chair put to the tribunal (`kind`: the award, with its reasons, costs and
    the counterclaim; an award embodying the settlement; a decision on costs); a sole
    arbitrator's award is recorded the same way, as the text it issued. The drafts of a case
    are numbered in one sequence: the latest one not issued is the one before the tribunal."""

    __tablename__ = "award_drafts"
    __table_args__ = (*costs_checks(), UniqueConstraint("case_id", "number"))

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]  # 1, 2, … within the case: the latest is the current draft
    kind: Mapped[DraftKind] = mapped_column(
        enum_column(DraftKind, "draft_kind"), default=DraftKind.AWARD
    )
    reasons: Mapped[str] = mapped_column(Text)
    counterclaim_decision: Mapped[str | None] = mapped_column(Text)
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    issued_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    submitted_by: Mapped[User] = relationship()
    approvals: Mapped[list[AwardApproval]] = relationship(
        back_populates="draft", order_by="AwardApproval.id", cascade="all, delete-orphan"
    )


class AwardApproval(Base):
    """A member's approval of one draft of the award (an audited act)."""

    __tablename__ = "award_approvals"
    __table_args__ = (UniqueConstraint("draft_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(
        ForeignKey("award_drafts.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    draft: Mapped[AwardDraft] = relationship(back_populates="approvals")
    user: Mapped[User] = relationship()


class AwardOpinion(Base):
    """A member's dissenting or individual opinion, issued with the award (one per member:
    writing it again replaces it until the award is issued)."""

    __tablename__ = "award_opinions"
    __table_args__ = (UniqueConstraint("case_id", "author_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[OpinionKind] = mapped_column(enum_column(OpinionKind, "opinion_kind"))
    text: Mapped[str] = mapped_column(Text)
    written_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User] = relationship()


class CostsDecision(CostsColumns, Base):
    """The tribunal's separate decision on costs (a ruling of its own)."""

    __tablename__ = "costs_decisions"
    __table_args__ = costs_checks()

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class CostsStatement(Base):
    """A side's statement of its costs: items, each with an amount and a currency."""

    __tablename__ = "costs_statements"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    side: Mapped[Side] = mapped_column(enum_column(Side, "side"))
    filed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    filed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    note: Mapped[str | None] = mapped_column(Text)

    filed_by: Mapped[User] = relationship()
    items: Mapped[list[CostsItem]] = relationship(
        order_by="CostsItem.position", cascade="all, delete-orphan"
    )

    def totals(self) -> dict[Currency, Decimal]:
        """The sum of the items in each currency (amounts in different currencies are never
        added together)."""
        sums: dict[Currency, Decimal] = {}
        for item in self.items:
            sums[item.currency] = sums.get(item.currency, Decimal("0.00")) + item.amount
        return sums


class CostsItem(Base):
    __tablename__ = "costs_items"
    __table_args__ = (CheckConstraint("amount >= 0", name="amount_pos"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(
        ForeignKey("costs_statements.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    description: Mapped[str] = mapped_column(String(300))
    amount: Mapped[Decimal] = mapped_column(MONEY)
    currency: Mapped[Currency] = mapped_column(enum_column(Currency, "item_cur"))


class Counterclaim(Base):
    """The respondent's counterclaim (ICSID rule 48): the amount, what it is about, and the
    submission that carries its documents."""

    __tablename__ = "counterclaims"
    __table_args__ = (CheckConstraint("amount >= 0", name="amount_pos"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    filed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    filed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    amount: Mapped[Decimal] = mapped_column(MONEY)
    currency: Mapped[Currency] = mapped_column(enum_column(Currency, "counterclaim_cur"))
    description: Mapped[str] = mapped_column(Text)
    submission_id: Mapped[int | None] = mapped_column(
        ForeignKey("submissions.id", ondelete="SET NULL")
    )

    filed_by: Mapped[User] = relationship()
