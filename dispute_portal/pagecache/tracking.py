"""Which transactions change what a page may show, and the data version they replace.

Every statement the portal sends passes `_note_write`: a write to any table but the few no
cached page reads (sessions, second factors, the logs, notifications, mail) marks the
connection. When a session commits, a marked connection gets a new data version in the same
transaction, so the version a reader sees never runs ahead of the rows it reads. A statement
this module cannot read counts as a write: an unknown change costs a page, never shows a
stale one.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from sqlalchemy import ScalarSelect, event, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from ..db import unchanged_since, upsert_insert, writes, writing
from .models import DATA, PageVersion

# Tables no cached page reads (tests/test_page_cache.py checks it against the pages' SQL):
# writing them changes no page, so a login, a read notice or a sent e-mail keeps the cache.
EXEMPT_TABLES = frozenset(
    {
        "activation_tokens",
        "auth_sessions",
        "chain_heads",
        "log_checkpoints",
        "log_leaves",
        "log_nodes",
        "mfa_challenges",
        "mfa_enrol_links",
        "mfa_recovery_codes",
        "mfa_secrets",
        "notifications",
        "outbox",
        "page_versions",
        "password_reset_tokens",
        "security_events",
    }
)
_READS = ("SELECT", "PRAGMA", "SAVEPOI", "RELEASE", "ROLLBAC", "BEGIN", "COMMIT", "SHOW", "EXPLAIN")
_WRITE = re.compile(r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)', re.I)
_WROTE = "pagecache_wrote"
_CONNECTION = "pagecache_connection"
_READ = "pagecache_version_read"


def install() -> None:
    """Hook the tracking into every engine and session (idempotent; the app factory calls it
    after the transparency log's, so every commit takes the log's head before the version)."""
    if event.contains(Engine, "before_cursor_execute", _note_write):
        return
    event.listen(Engine, "before_cursor_execute", _note_write)
    for name in ("begin", "commit", "rollback"):
        event.listen(Engine, name, _forget)
    event.listen(Session, "after_begin", _note_connection)
    event.listen(Session, "before_commit", _new_version_if_written)


def is_write(statement: str) -> bool:
    """Whether a statement may change a row some cached page reads."""
    head = statement.lstrip()[:7].upper()
    if head.startswith(_READS):
        return False
    found = _WRITE.match(statement)
    return found is None or found.group(1).lower() not in EXEMPT_TABLES


def _note_write(conn: Connection, _cursor: Any, statement: str, *_args: Any) -> None:
    if is_write(statement):
        conn.info[_WROTE] = True


def _forget(conn: Connection) -> None:
    # A transaction begins, commits or rolls back: no write of this connection is pending.
    conn.info.pop(_WROTE, None)


def _note_connection(session: Session, _transaction: Any, connection: Connection) -> None:
    # The session's transaction has a connection: its writes are noted there. A session
    # that never had one (a page that read nothing) has written nothing.
    session.info[_CONNECTION] = connection


def _connection_of(session: Session) -> Connection | None:
    conn: Connection | None = session.info.get(_CONNECTION)
    return conn if conn is not None and not conn.closed else None


def _new_version_if_written(session: Session) -> None:
    if session.in_nested_transaction():
        return
    session.flush()  # what is still pending is written now, and noted
    conn = _connection_of(session)
    if conn is not None and conn.info.pop(_WROTE, False):
        # The write is this transaction's (a reading request that wrote was refused at its
        # write), or, in the tests, another session's on the same connection.
        token = secrets.token_hex(16)
        insert = upsert_insert(session)(PageVersion).values(name=DATA, token=token)
        with writing():
            session.execute(
                insert.on_conflict_do_update(index_elements=["name"], set_={"token": token})
            )


def has_pending_writes(session: Session) -> bool:
    """Whether this session's transaction changed rows that others cannot see yet: a page it
    draws now shows them, so it must neither be stored nor served from the cache."""
    if session.new or session.dirty or session.deleted:
        return True
    conn = _connection_of(session)
    return conn is not None and bool(conn.info.get(_WROTE))


def version_query() -> ScalarSelect[str]:
    """The data version, as a column of another query (the login session's, the first of
    every request): see remember_version."""
    return select(PageVersion.token).where(PageVersion.name == DATA).scalar_subquery()


def remember_version(session: Session, token: str | None) -> None:
    """The data version as read with the login session; read_version answers with it while
    this session has written nothing, ended no transaction and has nothing pending since."""
    session.info[_READ] = (writes(session), token)


def read_version(session: Session) -> str | None:
    """The data version, read before the rows a page shows (so they are at least as new)."""
    remembered = session.info.get(_READ)
    if remembered is not None and unchanged_since(session, remembered[0]):
        token: str | None = remembered[1]
        return token
    return session.scalar(select(PageVersion.token).where(PageVersion.name == DATA))
