"""Engine and session wiring, the declarative base and shared column types.

One scoped session per application context. Operations flush; the request wrapper in
the app factory commits once (or rolls back) when the view is done.

`db.session` is the registry (SQLAlchemy's scoped_session): its methods act on the current
context's session, and the teardown and the tests reach the registry through it.
`db.session()` is that session itself, typed `Session`: what operations take as an argument.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from pathlib import Path
from typing import Any, cast

from flask import Flask, current_app, has_app_context
from flask.globals import app_ctx
from sqlalchemy import DateTime, MetaData, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, CursorResult, Engine, Result
from sqlalchemy.orm import DeclarativeBase, Session, object_session, scoped_session, sessionmaker
from sqlalchemy.pool import StaticPool
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


_frozen_now: ContextVar[dt.datetime | None] = ContextVar("frozen_now", default=None)


def utcnow() -> dt.datetime:
    """The current time in UTC; every timestamp the portal writes comes from here."""
    return _frozen_now.get() or dt.datetime.now(dt.UTC)


@contextmanager
def frozen_time(at: dt.datetime) -> Iterator[None]:
    """Act as if it were `at` (the demo seed backdates its history; tests pin the clock)."""
    token = _frozen_now.set(at)
    try:
        yield
    finally:
        _frozen_now.reset(token)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware UTC timestamp on every database (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware UTC timestamp")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


def make_engine(url: str, **kwargs: Any) -> Engine:
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {})
        kwargs["connect_args"].setdefault("timeout", 30)
        if ":memory:" in url or url in ("sqlite://", "sqlite:///"):
            kwargs["connect_args"]["check_same_thread"] = False
            kwargs.setdefault("poolclass", StaticPool)
        engine = create_engine(url, **kwargs)
        if engine.url.database and engine.url.database != ":memory:":
            Path(engine.url.database).parent.mkdir(parents=True, exist_ok=True)
        _sqlite_pragmas(engine)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


_reading: ContextVar[bool] = ContextVar("reading", default=False)

_WRITE = re.compile(r"\s*(?:INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


class WriteWhileReading(RuntimeError):
    """A write statement in a transaction begun to read (on SQLite): a GET view that
    writes must be marked `@writes` (core/web.py), or the write moved out of the request."""


def begin_reading() -> Token[bool]:
    """From here on, in this context, transactions only read (a GET request): on SQLite
    they begin DEFERRED. Undo with end_reading(token)."""
    return _reading.set(True)


def end_reading(token: Token[bool]) -> None:
    _reading.reset(token)


@contextmanager
def writing() -> Iterator[None]:
    """Transactions begun inside this block may write (IMMEDIATE on SQLite), even in a GET."""
    token = _reading.set(False)
    try:
        yield
    finally:
        _reading.reset(token)


@contextmanager
def short_write(session: Session) -> Iterator[Session]:
    """A write that a reading request cannot leave out (a login session ended, print jobs
    recovered): the read so far is committed (it wrote nothing), the block's work runs in a
    transaction of its own that may write (IMMEDIATE on SQLite), committed at its end."""
    session.commit()
    with writing():
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def _sqlite_pragmas(engine: Engine) -> None:
    """pysqlite's own transaction handling breaks SAVEPOINT and lets two writers read the
    same stale row; we take control and choose how each transaction begins.

    - IMMEDIATE (the default: writing requests, the CLI, jobs, tests' own sessions): it
      takes the write lock at once, so writers queue on it instead of both acting on what
      they read.
    - DEFERRED, when the context is reading (begin_reading: GET and HEAD requests not
      marked `@writes`): it takes no lock, so readers in WAL mode never wait for each other
      or for a writer.

    The guard: a write statement in a reading context, or in a transaction that began
    DEFERRED, raises WriteWhileReading. It stays on in production. SQLite would refuse to
    upgrade a deferred transaction whose snapshot a concurrent writer has made stale
    (SQLITE_BUSY_SNAPSHOT), so such a write already fails whenever it meets a concurrent
    writer; the guard makes it fail every time, loudly and with the reason, instead of
    now and then as "database is locked", and it never lets a write rest on a stale read.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        if engine.url.database not in (None, "", ":memory:"):
            cur.execute("PRAGMA journal_mode=WAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        deferred = _reading.get()
        conn.info["deferred"] = deferred
        conn.exec_driver_sql("BEGIN DEFERRED" if deferred else "BEGIN IMMEDIATE")

    @event.listens_for(engine, "before_cursor_execute")
    def _refuse_writes_while_reading(
        conn: Connection, _cursor: Any, statement: str, *_args: Any
    ) -> None:
        if (_reading.get() or conn.info.get("deferred")) and _WRITE.match(statement):
            raise WriteWhileReading(
                "a write in a transaction begun to read (a GET view that writes must be "
                f"marked @writes): {statement.split(None, 3)[:3]}"
            )


def session_of(obj: object) -> Session:
    """The session an ORM object belongs to: operations are handed a case, not a session."""
    session = object_session(obj)
    assert session is not None, "the object must belong to a session"
    return session


def upsert_insert(session: Session) -> Any:
    """The dialect's own insert() (it has ON CONFLICT), for the database this session uses."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert
    return sqlite.insert


def rowcount(result: Result[*tuple[Any, ...]]) -> int:
    """How many rows an UPDATE or DELETE matched: Session.execute() is typed to return a
    plain Result, though for these statements it is a CursorResult, which counts them."""
    return cast(CursorResult[*tuple[Any, ...]], result).rowcount


def writes(session: Session) -> int:
    """How many times this session has written (flushes, ORM UPDATE/DELETE/INSERT) or ended
    a transaction: a value read earlier is still what the database says while this stays
    the same and nothing is pending (see auth.operations.find_session)."""
    return int(session.info.get("writes", 0))


def unchanged_since(session: Session, mark: int) -> bool:
    """Whether a value this session read when writes() was `mark` is still what the
    database holds for it: nothing written or ended since, and nothing pending."""
    return mark == writes(session) and not (session.new or session.dirty or session.deleted)


def _wrote(session: Session) -> None:
    session.info["writes"] = session.info.get("writes", 0) + 1


event.listen(Session, "after_flush", lambda session, _context: _wrote(session))
event.listen(Session, "after_transaction_end", lambda session, _tx: _wrote(session))
event.listen(
    Session,
    "do_orm_execute",
    lambda state: None if state.is_select else _wrote(state.session),
)


def _app_ctx_id() -> int:
    return id(app_ctx._get_current_object())  # type: ignore[attr-defined]


class _AppSession(Session):
    """Binds to the current app's engine, unless a connection was given (the tests).

    `info["config"]` carries the app's settings to operations that need one (where files
    go, the public address), so operations stay free of Flask.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if has_app_context():
            self.info.setdefault("config", current_app.config)

    def get_bind(self, *args: Any, **kw: Any) -> Engine | Connection:
        if self.bind is not None:
            return self.bind
        return Database.engine_for(current_app)


class Database:
    """The session factory; each app keeps its own engine in app.extensions."""

    def __init__(self) -> None:
        self.sessionmaker = sessionmaker(class_=_AppSession, expire_on_commit=False)
        self.session: scoped_session[_AppSession] = scoped_session(
            self.sessionmaker, scopefunc=_app_ctx_id
        )

    def init_app(self, app: Flask) -> None:
        app.extensions["database"] = make_engine(app.config["DATABASE_URL"])

        @app.teardown_appcontext
        def _remove_session(_exc: BaseException | None) -> None:
            self.session.remove()

    @staticmethod
    def engine_for(app: Flask) -> Engine:
        return cast(Engine, app.extensions["database"])

    @property
    def engine(self) -> Engine:
        return self.engine_for(current_app)


db = Database()
