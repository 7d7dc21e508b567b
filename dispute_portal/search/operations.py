"""Full-text case search: the tokeniser, the index (`case_search`) and the query.

One tokeniser for both databases, so they find the same cases: text is NFKC-normalised and
case-folded, split into runs of letters and digits, and each word is stemmed in Python
(Snowball: Russian for Cyrillic words, English for the rest); runs of digits lose their
leading zeros, so "0042", "00042" and "42" are one term. A case is indexed as the set of
its terms (number, title, summary, party, counsel and firm names); a search finds the cases
that hold every term asked for. The database only compares terms it is given verbatim:

- PostgreSQL: `case_search.document` is a tsvector made with array_to_tsvector (no parser,
  no dictionary), searched with a tsquery cast from 'term' & 'term' through its GIN index;
- SQLite: `case_search` is an FTS5 table (tokenizer "ascii", which keeps our non-ASCII terms
  whole) whose rowid is the case id, searched with "term" "term" (each term quoted).

What a person types is never passed on as query syntax: it is only ever split into terms.
The index follows every change through a session hook (`_reindex_changed`, in the flushing
transaction, so a rollback takes the index back too); `rebuild` makes it anew in bulk.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, cast

import snowballstemmer
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.engine import Connection
from sqlalchemy.orm import InstanceState, Session

from .. import policy
from ..auth.models import Role, User
from ..cases.models import Case, Party
from ..db import db
from ..parties.models import Side
from ..workflow.states import CaseState

TABLE = "case_search"
GIN_INDEX = "ix_case_search_document"  # PostgreSQL (made by the migration)
PAGE_SIZE = 50
MAX_QUERY_CHARS = 200  # what the search field takes; longer input is refused, not searched
MAX_TERMS = 12  # a search needs a few words; more only makes the query longer
MAX_TERM_CHARS = 60  # a longer "word" is cut first (PostgreSQL refuses lexemes over 2 KB)
BATCH = 2000  # cases indexed per statement by rebuild()

_WORD = re.compile(r"[^\W_]+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff\u0500-\u052f]")
_STEMMERS = {
    "ru": snowballstemmer.stemmer("russian"),
    "en": snowballstemmer.stemmer("english"),
}
_STEM_LOCK = threading.Lock()  # a Snowball stemmer keeps its word in itself while it works


# The tokeniser --------------------------------------------------------------------------------


def words(text: str | None) -> list[str]:
    """The words of a text: runs of letters and digits, case-folded (ё as е)."""
    if not text:
        return []
    folded = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    return _WORD.findall(folded)


@lru_cache(maxsize=50_000)
def term(word: str) -> str:
    """The indexed form of one word (from `words`): its stem, or a number without zeros."""
    if word.isascii() and word.isdigit():
        return word.lstrip("0") or "0"
    stemmer = _STEMMERS["ru" if _CYRILLIC.search(word) else "en"]
    with _STEM_LOCK:
        stem = stemmer.stemWord(word)
    return stem or word


def terms(*texts: str | None) -> list[str]:
    """The distinct terms of some texts, in the order they first occur."""
    return list(dict.fromkeys(term(w[:MAX_TERM_CHARS]) for text in texts for w in words(text)))


def query_terms(query: str | None) -> list[str]:
    """What a search asks for: every one of these terms (at most MAX_TERMS)."""
    return terms((query or "")[:MAX_QUERY_CHARS])[:MAX_TERMS]


# The index ------------------------------------------------------------------------------------


def _dialect(bind: Session | Connection) -> str:
    return bind.dialect.name if isinstance(bind, Connection) else bind.get_bind().dialect.name


def _connection(bind: Session | Connection) -> Connection:
    return bind if isinstance(bind, Connection) else bind.connection()


def _documents(conn: Connection, picked: Callable[..., Any]) -> dict[int, list[str]]:
    """Each case's terms, for the cases `picked` chooses (a condition on a case id column)."""
    texts: dict[int, list[str | None]] = {}
    for case_id, *parts in conn.execute(
        sa.select(Case.id, Case.number, Case.project_name, Case.summary).where(picked(Case.id))
    ):
        texts[case_id] = parts
    for case_id, *names in conn.execute(
        sa.select(Party.case_id, Party.name, Party.counsel_name, Party.counsel_firm)
        .where(picked(Party.case_id))
        .order_by(Party.id)
    ):
        if case_id in texts:
            texts[case_id].extend(names)
    return {case_id: terms(*parts) for case_id, parts in texts.items()}


def _delete(conn: Connection, case_ids: list[int] | None) -> None:
    key = "case_id" if conn.dialect.name == "postgresql" else "rowid"
    if case_ids is None and conn.dialect.name == "postgresql":
        # Not DELETE: its dead rows would double what every search reads until a vacuum.
        # (Searches wait for the rebuild's commit: it is for loads, restores, migrations.)
        conn.execute(sa.text(f"TRUNCATE {TABLE}"))
    elif case_ids is None:
        conn.execute(sa.text(f"DELETE FROM {TABLE}"))  # noqa: S608 (constants only)
    elif case_ids:
        conn.execute(
            sa.text(f"DELETE FROM {TABLE} WHERE {key} IN :ids").bindparams(  # noqa: S608
                sa.bindparam("ids", expanding=True)
            ),
            {"ids": case_ids},
        )


def _insert(conn: Connection, documents: dict[int, list[str]]) -> None:
    if not documents:
        return
    if conn.dialect.name == "postgresql":
        # One statement a batch: the terms travel as one text each, split in the database.
        conn.execute(
            sa.text(
                f"INSERT INTO {TABLE} (case_id, document) "  # noqa: S608
                "SELECT id, array_to_tsvector(string_to_array(terms, ' ')) "
                "FROM unnest(CAST(:ids AS integer[]), CAST(:terms AS text[])) AS t(id, terms)"
            ),
            {"ids": list(documents), "terms": [" ".join(t) for t in documents.values()]},
        )
    else:
        conn.execute(
            sa.text(f"INSERT INTO {TABLE} (rowid, document) VALUES (:id, :terms)"),  # noqa: S608
            [{"id": i, "terms": " ".join(t)} for i, t in documents.items()],
        )


def reindex(bind: Session | Connection, case_ids: Iterable[int]) -> None:
    """Index these cases as the database holds them now (a case that is gone: no entry)."""
    ids = sorted(set(case_ids))
    if not ids:
        return
    conn = _connection(bind)
    _delete(conn, ids)
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        _insert(conn, _documents(conn, lambda column, chunk=chunk: column.in_(chunk)))


def rebuild(bind: Session | Connection) -> int:
    """Index every case anew, in batches by id; the number of cases indexed."""
    conn = _connection(bind)
    _delete(conn, None)
    count, after = 0, 0
    while True:
        last = conn.scalar(
            sa.select(sa.func.max(sa.literal_column("id"))).select_from(
                sa.select(Case.id).where(Case.id > after).order_by(Case.id).limit(BATCH).subquery()
            )
        )
        if last is None:
            break
        documents = _documents(conn, lambda column, lo=after + 1, hi=last: column.between(lo, hi))
        _insert(conn, documents)
        count += len(documents)
        after = last
    if conn.dialect.name == "postgresql":
        # The GIN index took the rows into its pending list: merge it now (searches would
        # read it row by row), and give the planner the new term frequencies.
        conn.execute(sa.text(f"SELECT gin_clean_pending_list(CAST('{GIN_INDEX}' AS regclass))"))
        conn.execute(sa.text(f"ANALYZE {TABLE}"))
    else:
        # One b-tree instead of one a batch: what a search reads is then one lookup a term.
        conn.execute(sa.text(f"INSERT INTO {TABLE}({TABLE}) VALUES ('optimize')"))  # noqa: S608
    return count


def rebuild_if_present(bind: Session | Connection) -> int | None:
    """rebuild(), on a database whose schema has the index (a restore at an older revision
    gets it from the migration that adds it)."""
    conn = _connection(bind)
    if not sa.inspect(conn).has_table(TABLE):
        return None
    return rebuild(conn)


_CASE_FIELDS = ("number", "project_name", "summary")
_PARTY_FIELDS = ("name", "counsel_name", "counsel_firm", "case_id")


def _changed_cases(session: Session) -> set[int]:
    """The cases whose indexed text this flush wrote (new, changed or deleted rows)."""
    ids: set[int] = set()
    for obj in session.new:
        if isinstance(obj, Case | Party):
            ids.add(obj.id if isinstance(obj, Case) else obj.case_id)
    for obj in session.dirty:
        if not isinstance(obj, Case | Party):
            continue
        fields = _CASE_FIELDS if isinstance(obj, Case) else _PARTY_FIELDS
        state: InstanceState[Case | Party] = sa.inspect(obj)
        if not any(state.attrs[name].history.has_changes() for name in fields):
            continue
        if isinstance(obj, Case):
            ids.add(obj.id)
        else:
            ids.add(obj.case_id)
            ids.update(v for v in state.attrs.case_id.history.deleted if v is not None)
    for obj in session.deleted:
        if isinstance(obj, Case):
            ids.add(obj.id)
        elif isinstance(obj, Party):
            ids.add(obj.case_id)
    ids.discard(None)
    return ids


@event.listens_for(db.sessionmaker, "after_flush")
def _reindex_changed(session: Session, _context: Any) -> None:
    if ids := _changed_cases(session):
        reindex(session, ids)


# The search -----------------------------------------------------------------------------------


@dataclass
class Hit:
    id: int
    number: str | None
    title: str | None
    state: CaseState
    claimants: list[str] = field(default_factory=list)
    respondents: list[str] = field(default_factory=list)


@dataclass
class Results:
    terms: list[str]
    hits: list[Hit]
    more_after: int | None  # the id to continue after, when there are more


# How a page is found. A page is the newest PAGE_SIZE visible matches: either walk the cases
# from the newest until a page is full (cheap when many match) or take every match and keep
# the newest (cheap when few do). Which user asks matters as much: a clerk sees nearly every
# case, anyone else a few hundred (a state body's representative: a few thousand).
#
# SQLite: FTS5 hands out its matches newest first and stops when the page is full. A clerk's
# matches are checked against their case rows; anyone else's against the set of their cases,
# made once, so a common word costs a walk through the index, not a case lookup a match.
# PostgreSQL: GIN has no order, and the planner takes any term outside its statistics for
# 0.5% of the rows, so a probe counts the matches up to PROBE first. Fewer: the page is made
# from all of them (an array taken from the GIN index). More: the planner's plan stands, and
# for a term that common it walks the cases newest first. Either way: the same queries.
PROBE = 2000


def _match_expression(dialect: str, wanted: list[str]) -> str:
    """The match argument for these terms (plain words; quoted all the same)."""
    if dialect == "postgresql":
        return " & ".join("'" + t.replace("\\", "\\\\").replace("'", "''") + "'" for t in wanted)
    return " ".join('"' + t.replace('"', '""') + '"' for t in wanted)


def _sqlite_page(
    visible: sa.Select[Case], match: str, broad: bool, after: int | None
) -> sa.Select[*tuple[Any, ...]]:
    fts = sa.table(TABLE, sa.column("rowid", sa.Integer))
    conditions: list[sa.ColumnElement[bool] | sa.TextClause] = [
        sa.text(f"{TABLE} MATCH :match").bindparams(match=match)
    ]
    if after is not None:
        conditions.append(fts.c.rowid < after)
    if broad:
        return (
            visible.with_only_columns(*_COLUMNS)
            .join(fts, fts.c.rowid == Case.id)
            .where(*conditions)
            .order_by(fts.c.rowid.desc())
            .limit(PAGE_SIZE + 1)
        )
    # "+ 0": the user's cases filter what the index hands out; they do not drive it.
    mine = sa.literal_column(f"{TABLE}.rowid + 0").in_(visible.with_only_columns(Case.id))
    page = (
        sa.select(fts.c.rowid)
        .where(*conditions, mine)
        .order_by(fts.c.rowid.desc())
        .limit(PAGE_SIZE + 1)
    )
    return sa.select(*_COLUMNS).where(Case.id.in_(page)).order_by(Case.id.desc())


def _postgresql_page(
    session: Session, visible: sa.Select[Case], match: str, after: int | None
) -> sa.Select[*tuple[Any, ...]]:
    index = sa.table(TABLE, sa.column("case_id", sa.Integer), sa.column("document"))
    query = sa.cast(sa.literal(match), TSQUERY)
    matching = sa.select(index.c.case_id).where(index.c.document.op("@@")(query))
    found = session.execute(
        sa.select(sa.func.count()).select_from(matching.limit(PROBE).subquery())
    ).scalar_one()
    if found < PROBE:
        statement = visible.with_only_columns(*_COLUMNS).where(
            Case.id == sa.any_(sa.func.array(matching.scalar_subquery()))
        )
    else:
        statement = visible.with_only_columns(*_COLUMNS).where(Case.id.in_(matching))
    if after is not None:
        statement = statement.where(Case.id < after)
    return statement.order_by(Case.id.desc()).limit(PAGE_SIZE + 1)


_COLUMNS = (Case.id, Case.number, Case.project_name, Case.state)


def search(
    session: Session, user: User | None, query: str | None, *, after: int | None = None
) -> Results:
    """The cases this user may see that match the query, newest first (by id), a page of
    PAGE_SIZE after the case `after`; the same few queries whatever the number of matches."""
    wanted = query_terms(query)
    if not wanted:
        return Results(wanted, [], None)
    dialect = _dialect(session)
    visible = policy.visible_cases(user)
    match = _match_expression(dialect, wanted)
    if dialect == "postgresql":
        statement = _postgresql_page(session, visible, match, after)
    else:
        statement = _sqlite_page(visible, match, policy.is_staff(user, Role.CLERK), after)
    rows = session.execute(statement).all()
    hits = {r.id: Hit(r.id, r.number, r.project_name, r.state) for r in rows[:PAGE_SIZE]}
    if hits:
        for case_id, side, name in session.execute(
            sa.select(Party.case_id, Party.side, Party.name)
            .where(Party.case_id.in_(list(hits)), Party.name.is_not(None))
            .order_by(Party.id)
        ):
            hit = hits[case_id]
            named = cast(str, name)  # the query takes only parties that have a name
            (hit.claimants if side is Side.CLAIMANT else hit.respondents).append(named)
    more = rows[PAGE_SIZE - 1].id if len(rows) > PAGE_SIZE else None
    return Results(wanted, list(hits.values()), more)
