"""The case, its parties and its documents, with the enums and labels they use and the
docket's sort key."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    inspect,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, object_session, relationship

from ..auth.models import User, enum_column
from ..db import Base, UTCDateTime, utcnow
from ..deadlines.models import Deadline
from ..neutrals.models import Appointment
from ..nominations.models import Constitution
from ..parties.models import Participant, Side
from ..publication.models import Seal
from ..texts import N_
from ..workflow.models import CaseEvent
from ..workflow.states import MEDIATION_PHASE, NUMBERED_STATES, CaseState
from . import sections
from .names import document_name
from .subject import Consent, LegalBasis, Sector

# A case's title: the claimant's and the respondent's names, joined as each language joins them.
CASE_TITLE = N_("%(claimant)s v. %(respondent)s")


def title_of(claimant: str | None, respondent: str | None, gettext: Callable[[str], str]) -> str:
    """The parties' names joined as a language joins them; a name not given yet is "…"."""
    return gettext(CASE_TITLE) % {"claimant": claimant or "…", "respondent": respondent or "…"}


def reference_of(number: str | None, case_id: int) -> str:
    """The registry number once registered; before that, the filing reference."""
    return number or f"F-{case_id:06d}"


class Currency(enum.StrEnum):
    KZT = "KZT"
    USD = "USD"
    EUR = "EUR"
    CNY = "CNY"


class PartyKind(enum.StrEnum):
    INDIVIDUAL = "individual"
    COMPANY = "company"
    STATE_BODY = "state_body"


class Visibility(enum.StrEnum):
    """Who may read a document (and the audit events about it). What is for a neutral is for
    the neutral of the phase it was filed in: a mediation's settlement positions never reach
    the tribunal, a tribunal's evidence never the former mediator."""

    PARTIES = "parties"  # everyone on the case
    MEDIATOR = "mediator"  # the mediator and the clerk (and the side that filed it)
    TRIBUNAL = "tribunal"  # the arbitral tribunal and the clerk (and the side that filed it)
    CLERK = "clerk"  # the clerk only (and the side that filed it)

    @property
    def label(self) -> str:
        return VISIBILITY_LABELS[self]

    @classmethod
    def for_neutrals(cls, state: CaseState) -> Visibility:
        """What "for the neutrals" means for a document filed in this state."""
        return cls.MEDIATOR if state in MEDIATION_PHASE else cls.TRIBUNAL

    @classmethod
    def offered(cls, state: CaseState) -> list[Visibility]:
        """The choices of a party filing in this state: the neutrals of its phase only."""
        return [cls.PARTIES, cls.for_neutrals(state), cls.CLERK]

    @property
    def of_events(self) -> str | None:
        """The visibility of an audit event about such a document: None when all read it."""
        return None if self is Visibility.PARTIES else self.value


# What audit events about a document "for the mediator or tribunal" say, written before the
# phases existed: the chain keeps them as written (policy.event_visibility reads them).
LEGACY_NEUTRALS = "neutrals"

VISIBILITY_LABELS = {
    Visibility.PARTIES: N_("Everyone on the case"),
    Visibility.MEDIATOR: N_("The mediator and the clerk only"),
    Visibility.TRIBUNAL: N_("The tribunal and the clerk only"),
    Visibility.CLERK: N_("The clerk only"),
}


PARTY_KIND_LABELS = {
    PartyKind.INDIVIDUAL: N_("Individual"),
    PartyKind.COMPANY: N_("Company"),
    PartyKind.STATE_BODY: N_("State body"),
}

_numbered = ", ".join(f"'{s.value}'" for s in sorted(NUMBERED_STATES))


NO_DEADLINE = "9999-12-31"  # sorts after every real date


def docket_key(due: dt.date | None, number: str | None) -> str:
    """The sort key of the case lists: the next due date (none last), then the registry
    number (unnumbered filings last; ties broken by id in the index). Byte order of this text
    is the lists' order, so overdue cases (due before today) are a prefix range."""
    return (due.isoformat() if due else NO_DEADLINE) + ("0" + _numeric(number) if number else "1")


def _numeric(number: str) -> str:
    """ADR-2026-0042 as ADR-2026-000042: a year's 10,000th case sorts after its 9,999th."""
    head, dash, tail = number.rpartition("-")
    return f"{head}{dash}{tail.zfill(6)}" if dash and tail.isdigit() else number


class Case(Base):
    __tablename__ = "cases"
    __table_args__ = (
        CheckConstraint(f"state NOT IN ({_numbered}) OR number IS NOT NULL", name="numbered"),
        CheckConstraint("state = 'draft' OR submitted_at IS NOT NULL", name="submitted_at"),
        CheckConstraint("state <> 'closed' OR closed_at IS NOT NULL", name="closed_at"),
        CheckConstraint("amount_invested IS NULL OR amount_invested >= 0", name="invested_pos"),
        CheckConstraint("amount_claimed IS NULL OR amount_claimed >= 0", name="claimed_pos"),
        Index("ix_cases_docket", "docket_order", "id"),
        Index("ix_cases_state_docket", "state", "docket_order", "id"),
        Index("ix_cases_updated", "updated_at", "id"),  # the case lists: latest change first
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    state: Mapped[CaseState] = mapped_column(
        enum_column(CaseState, "state"), default=CaseState.DRAFT, index=True
    )
    version: Mapped[int] = mapped_column(Integer, default=1)
    number: Mapped[str | None] = mapped_column(String(20), unique=True)
    claimant_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # Set from the "new claim" form so a double-clicked create makes one case, not two.
    client_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    language: Mapped[str] = mapped_column(String(5), default="en")

    project_name: Mapped[str | None] = mapped_column(String(300))
    sector: Mapped[Sector | None] = mapped_column(enum_column(Sector, "sector"))
    location: Mapped[str | None] = mapped_column(String(300))
    amount_invested: Mapped[Decimal | None] = mapped_column(Numeric(20, 2))
    invested_currency: Mapped[Currency | None] = mapped_column(enum_column(Currency, "inv_cur"))

    summary: Mapped[str | None] = mapped_column(Text)
    measures: Mapped[str | None] = mapped_column(Text)
    legal_basis: Mapped[LegalBasis | None] = mapped_column(enum_column(LegalBasis, "basis"))
    legal_basis_ref: Mapped[str | None] = mapped_column(String(500))
    relief_sought: Mapped[str | None] = mapped_column(Text)
    amount_claimed: Mapped[Decimal | None] = mapped_column(Numeric(20, 2))
    claimed_currency: Mapped[Currency | None] = mapped_column(enum_column(Currency, "claim_cur"))

    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)
    registered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # The time limits it runs under (deadlines/): fixed at registration.
    rule_set_version: Mapped[int | None] = mapped_column(ForeignKey("rule_sets.version"))
    # The schedule of fees in force when the claim was first filed (accounts/operations.py).
    fee_schedule_version: Mapped[int | None] = mapped_column(ForeignKey("fee_schedules.version"))
    # The calendar of days off it was registered under (deadlines/calendar.py): a newer one
    # may add a day off to its new deadlines, never take one away.
    calendar_version: Mapped[int | None] = mapped_column(ForeignKey("calendar_versions.version"))
    expedited: Mapped[bool] = mapped_column(default=False)
    referred_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    tribunal_constituted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_submission_on: Mapped[dt.date | None] = mapped_column(Date)
    # Since when the proceeding is suspended (suspensions/: by agreement, a challenge, a
    # vacancy), None when it is not: the workflow reads it for every act.
    suspended_since: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # The hash of the last audit event (set by workflow.models.append_event, outside the
    # ORM): `flask audit verify` checks the chain ends there.
    audit_head: Mapped[str | None] = mapped_column(String(64))
    # Moves on every event, so "nothing happened for 120 days" is one comparison.
    last_activity_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)
    # The earliest running deadline, kept by deadlines.operations on every flush that starts,
    # meets, cancels or moves one (and on registration): lists read it instead of computing
    # it for every case. docket_order is the lists' sort key (see docket_key), indexed, so a
    # page 2,000 pages in costs what page 1 costs (keyset pagination on docket_order, id).
    next_due_on: Mapped[dt.date | None] = mapped_column(Date)
    next_deadline_key: Mapped[str | None] = mapped_column(String(40))
    docket_order: Mapped[str] = mapped_column(
        String(40).with_variant(String(40, collation="C"), "postgresql"),
        default=lambda ctx: docket_key(None, ctx.get_current_parameters().get("number")),
    )

    claimant_user: Mapped[User] = relationship(foreign_keys=[claimant_user_id])
    parties: Mapped[list[Party]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Party.id"
    )
    documents: Mapped[list[Document]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Document.id"
    )
    events: Mapped[list[CaseEvent]] = relationship(
        order_by=CaseEvent.seq, cascade="all, delete-orphan", passive_deletes=True
    )

    appointments: Mapped[list[Appointment]] = relationship(
        cascade="all, delete-orphan", order_by="Appointment.id", lazy="selectin"
    )
    # Present when the parties constitute the tribunal (nominations/), else the Centre does.
    constitution: Mapped[Constitution | None] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )
    participants: Mapped[list[Participant]] = relationship(
        cascade="all, delete-orphan", order_by="Participant.id", lazy="selectin"
    )
    deadlines: Mapped[list[Deadline]] = relationship(
        cascade="all, delete-orphan", order_by="Deadline.due_on, Deadline.id"
    )
    # The seals in force (publication/sealing.py): what of the case the public, or also the
    # other side, may not read. The policy and the register ask them.
    seals: Mapped[list[Seal]] = relationship(
        primaryjoin="and_(Seal.case_id == Case.id, Seal.lifted_at.is_(None))",
        viewonly=True,
        order_by="Seal.id",
    )

    __mapper_args__ = {"version_id_col": version}

    def party(self, side: Side) -> Party | None:
        return next((p for p in self.parties if p.side == side), None)

    @property
    def claimant(self) -> Party | None:
        return self.party(Side.CLAIMANT)

    @property
    def respondent(self) -> Party | None:
        return self.party(Side.RESPONDENT)

    def title_in(self, gettext: Callable[[str], str]) -> str:
        """The parties' names joined as a language joins them ("v.", "против"): `gettext`
        is that language's (Flask-Babel's for the reader, a catalog's for a ruling)."""
        claimant, respondent = self.claimant, self.respondent
        return title_of(
            claimant.name if claimant else None, respondent.name if respondent else None, gettext
        )

    @property
    def title(self) -> str:
        """The title in English (logs, the command line); pages and rulings use `title_in`."""
        return self.title_in(str)

    @property
    def reference(self) -> str:
        """The registry number once registered; before that, the filing reference."""
        return reference_of(self.number, self.id)

    def missing_sections(self) -> list[str]:
        return sections.missing_sections(self)

    def last_event(self, action: str) -> CaseEvent | None:
        found = self.events_of(action, last=True)
        return found[-1] if found else None

    def events_of(self, *actions: str, last: bool = False) -> list[CaseEvent]:
        """The case's events of these acts, oldest first (`last`: only the latest one). From
        the trail when it is loaded; else asked of the database, without loading the trail
        (a case can hold hundreds of events: the case page reads the few it needs)."""
        session = object_session(self)
        if session is None or "events" not in inspect(self).unloaded or self.id is None:
            found = [e for e in self.events if e.action in actions]
            return found[-1:] if last else found
        query = select(CaseEvent).where(CaseEvent.case_id == self.id, CaseEvent.action.in_(actions))
        if last:
            query = query.order_by(CaseEvent.seq.desc()).limit(1)
        else:
            query = query.order_by(CaseEvent.seq)
        return list(session.scalars(query))

    def side_joined(self, side: Side) -> bool:
        """Whether a party account acts for this side on the case: the claimant who filed it
        always does; the respondent once a representative or counsel has joined."""
        return side is Side.CLAIMANT or any(p.side is side for p in self.participants)


class Party(Base):
    __tablename__ = "parties"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    side: Mapped[Side] = mapped_column(enum_column(Side, "side"))
    kind: Mapped[PartyKind | None] = mapped_column(enum_column(PartyKind, "kind"))
    name: Mapped[str | None] = mapped_column(String(300))
    country: Mapped[str | None] = mapped_column(String(2))
    address: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(50))
    contact_person: Mapped[str | None] = mapped_column(String(200))
    counsel_name: Mapped[str | None] = mapped_column(String(200))
    counsel_firm: Mapped[str | None] = mapped_column(String(300))
    counsel_email: Mapped[str | None] = mapped_column(String(254))
    # May the award and other decisions be published (publication/consent.py)? Stated at
    # filing (the claimant) or joining (the respondent), changeable until the award.
    publication_consent: Mapped[Consent | None] = mapped_column(enum_column(Consent, "consent"))

    case: Mapped[Case] = relationship(back_populates="parties")


class Document(Base):
    __tablename__ = "documents"
    __table_args__ = (CheckConstraint("size > 0", name="size_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    visibility: Mapped[Visibility] = mapped_column(
        enum_column(Visibility, "visibility"), default=Visibility.PARTIES
    )
    side: Mapped[Side | None] = mapped_column(enum_column(Side, "side"))
    submission_id: Mapped[int | None] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )

    case: Mapped[Case] = relationship(back_populates="documents")
    uploaded_by: Mapped[User] = relationship()

    @property
    def download_name(self) -> str:
        """The name it is listed and downloaded under: the uploader's, ending in the extension
        of its checked type. Derived from `content_type`, not from the stored name, so a row
        stored before names followed the type ("Exhibit R-2.html" that is a PDF) is offered
        as "Exhibit R-2.pdf" too."""
        return document_name(self.original_name, self.content_type)
