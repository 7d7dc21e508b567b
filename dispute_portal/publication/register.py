"""Reading the register: the list with its filters and search, one entry, and the whole
register in order for the exports, the feed and the sitemap. Of a case, only what
entries.py copied into its `RegisterEntry` is read, and the published versions of its
decisions (publishing.py): nothing else of a case can leak by mistake."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..cases.subject import LegalBasis, Sector
from ..clock import ALMATY
from ..core.keyset import Page, paginate
from ..db import utcnow
from ..rulings.models import Ruling
from ..search.operations import query_terms
from .models import Outcome, Publication, RegisterEntry, Seal, SealTarget, Stage

PAGE_SIZE = 50
COUNT_UP_TO = 10_000  # "more than 10,000 entries": counting further reads every row
EXPORT_BATCH = 2_000


@dataclass(frozen=True)
class Filters:
    """What the list asks for; None: any."""

    year: int | None = None
    sector: Sector | None = None
    basis: LegalBasis | None = None
    stage: Stage | None = None
    outcome: Outcome | None = None
    q: str | None = None

    @property
    def terms(self) -> list[str]:
        return query_terms(self.q)

    @property
    def params(self) -> dict[str, str]:
        """The filters as the list's query string."""
        values = {
            "year": self.year,
            "sector": self.sector,
            "basis": self.basis,
            "stage": self.stage,
            "outcome": self.outcome,
            "q": self.q,
        }
        return {k: str(v) for k, v in values.items() if v not in (None, "")}


def _year_range(year: int) -> tuple[dt.datetime, dt.datetime]:
    """A year in Almaty as a range of registration times (the order index serves it)."""
    start = dt.datetime(year, 1, 1, tzinfo=ALMATY).astimezone(dt.UTC)
    return start, dt.datetime(year + 1, 1, 1, tzinfo=ALMATY).astimezone(dt.UTC)


def matching(filters: Filters) -> sa.Select[RegisterEntry]:
    query = sa.select(RegisterEntry)
    if filters.year is not None:
        start, end = _year_range(filters.year)
        query = query.where(RegisterEntry.registered_at >= start, RegisterEntry.registered_at < end)
    for column, value in (
        (RegisterEntry.sector, filters.sector),
        (RegisterEntry.basis, filters.basis),
        (RegisterEntry.stage, filters.stage),
        (RegisterEntry.outcome, filters.outcome),
    ):
        if value is not None:
            query = query.where(column == value)
    for term in filters.terms:
        # Each term a whole word of the entry's terms (they are letters and digits only).
        query = query.where(RegisterEntry.terms.contains(f" {term} ", autoescape=True))
    return query


ORDER = (RegisterEntry.registered_at, RegisterEntry.case_id)


def listing(
    session: Session,
    filters: Filters,
    *,
    after: int | None = None,
    before: int | None = None,
    per_page: int = PAGE_SIZE,
) -> Page:
    """A page of the entries that match, newest registration first."""
    return paginate(
        session,
        matching(filters),
        ORDER,
        after=after,
        before=before,
        per_page=per_page,
        descending=True,
        count_up_to=COUNT_UP_TO,
        row_id=lambda row: row[0].case_id,
    )


# What a case number can be (ADR-2026-0042, with the installation's prefix): anything else
# is no entry, and never reaches the database (PostgreSQL refuses a NUL byte in a query).
CASE_NUMBER = re.compile(r"[A-Za-z0-9-]{1,20}")


def entry(session: Session, number: str) -> RegisterEntry | None:
    if not CASE_NUMBER.fullmatch(number):
        return None
    return session.scalar(sa.select(RegisterEntry).where(RegisterEntry.number == number))


def years(session: Session) -> list[int]:
    """The years the filter offers: from the first registration to this one, newest first."""
    first = session.scalar(sa.select(sa.func.min(RegisterEntry.registered_at)))
    if first is None:
        return []
    this_year = utcnow().astimezone(ALMATY).year
    return list(range(this_year, first.astimezone(ALMATY).year - 1, -1))


def every_entry(
    session: Session, filters: Filters | None = None
) -> Iterator[tuple[RegisterEntry, list[Published]]]:
    """The entries that match, newest first, each with its published decisions, read a
    batch at a time (the exports)."""
    query = matching(filters or Filters())
    anchor: tuple[Any, ...] | None = None
    while True:
        batch = query
        if anchor is not None:
            batch = batch.where(sa.tuple_(*ORDER) < sa.tuple_(*anchor))
        rows = list(session.scalars(batch.order_by(*(c.desc() for c in ORDER)).limit(EXPORT_BATCH)))
        published = publications_of(session, [row.case_id for row in rows])
        for row in rows:
            yield row, published.get(row.case_id, [])
        if len(rows) < EXPORT_BATCH:
            return
        anchor = (rows[-1].registered_at, rows[-1].case_id)
        session.expunge_all()


def latest(session: Session, limit: int) -> list[RegisterEntry]:
    """The newest entries (the feed)."""
    return list(
        session.scalars(sa.select(RegisterEntry).order_by(*(c.desc() for c in ORDER)).limit(limit))
    )


def numbers(session: Session, *, after: int, limit: int) -> list[tuple[int, str, dt.datetime]]:
    """(case id, number, last change) of the entries after a case id, by id (the sitemap)."""
    return [
        (row.case_id, row.number, row.changed_at)
        for row in session.execute(
            sa.select(RegisterEntry.case_id, RegisterEntry.number, RegisterEntry.changed_at)
            .where(RegisterEntry.case_id > after)
            .order_by(RegisterEntry.case_id)
            .limit(limit)
        )
    ]


def count(session: Session) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(RegisterEntry)) or 0


def case_id_at(session: Session, position: int) -> int | None:
    """The case id of the entry at this position (1 is the first) in case id order."""
    return session.scalar(
        sa.select(RegisterEntry.case_id)
        .order_by(RegisterEntry.case_id)
        .offset(position - 1)
        .limit(1)
    )


@dataclass(frozen=True)
class Published:
    """A published decision of an entry: its kind, when, and its published version's code
    (in full) or the excerpt."""

    kind: str
    published_at: dt.datetime
    code: str | None
    excerpt: str | None


# A name sealed after a decision was published may stand in it: the publication is withdrawn
# from the public for as long as that seal holds.
STILL_PUBLIC = ~sa.exists().where(
    Seal.case_id == Publication.case_id,
    Seal.target == SealTarget.PARTY_NAME,
    Seal.lifted_at.is_(None),
    Seal.sealed_at > Publication.published_at,
)


def _published_query() -> sa.Select[int, str, dt.datetime, str, str | None]:
    """(case id, kind, published at, published version's code or None, excerpt or None) of
    the publications the public may see."""
    original = sa.orm.aliased(Ruling)
    version = sa.orm.aliased(Ruling)
    return (
        sa.select(
            Publication.case_id,
            original.kind,
            Publication.published_at,
            version.verification_code,
            Publication.excerpt,
        )
        .join(original, original.id == Publication.ruling_id)
        .outerjoin(version, version.id == Publication.published_id)
        .where(STILL_PUBLIC)
    )


def publications_of(session: Session, case_ids: list[int]) -> dict[int, list[Published]]:
    found: dict[int, list[Published]] = {}
    if case_ids:
        query = _published_query().where(Publication.case_id.in_(case_ids))
        for case_id, kind, at, code, excerpt in session.execute(
            query.order_by(Publication.published_at, Publication.id)
        ):
            found.setdefault(case_id, []).append(Published(kind, at, code, excerpt))
    return found


def publications(session: Session, case_id: int) -> list[Published]:
    return publications_of(session, [case_id]).get(case_id, [])


def latest_publications(session: Session, limit: int) -> list[tuple[RegisterEntry, Published]]:
    """The newest publications with their entries (the feed): a sealed case has no entry,
    so its publications are not among them."""
    rows = list(
        session.execute(
            _published_query()
            .join(RegisterEntry, RegisterEntry.case_id == Publication.case_id)
            .order_by(Publication.published_at.desc(), Publication.id.desc())
            .limit(limit)
        )
    )
    ids = {row[0] for row in rows}
    entries = {
        e.case_id: e
        for e in session.scalars(sa.select(RegisterEntry).where(RegisterEntry.case_id.in_(ids)))
    }
    return [
        (entries[case_id], Published(kind, at, code, excerpt))
        for case_id, kind, at, code, excerpt in rows
    ]


def published_version(session: Session, case_id: int, code: str) -> Ruling | None:
    """The published version of one of this case's decisions, by its verification code."""
    return session.scalar(
        sa.select(Ruling)
        .join(Publication, Publication.published_id == Ruling.id)
        .where(Publication.case_id == case_id, Ruling.verification_code == code, STILL_PUBLIC)
    )
