"""SQLite readers that do not queue: a GET's transactions begin DEFERRED, so readers hold
their snapshots side by side and beside a writer; a write can never rest on a stale read
(SQLite refuses to upgrade a stale snapshot, and the portal's guard refuses any write in a
reading transaction); the GETs that write are marked and still write; the login session's
last-seen time moves in a short transaction of its own.

Real connections on a database file of this module's own; threads where a request must be
held open, with events, never sleeps or timing assertions.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, template_rendered
from sqlalchemy import Engine, event, select, text
from sqlalchemy.exc import OperationalError

from dispute_portal.auth.models import AuthSession, Role, User
from dispute_portal.core.web import writes
from dispute_portal.db import (
    WriteWhileReading,
    begin_reading,
    db,
    end_reading,
    make_engine,
    writing,
)
from dispute_portal.proceedings.models import PrivateNote
from dispute_portal.rulings.models import BatchStatus, PrintBatch
from dispute_portal.workflow.models import CaseEvent
from dispute_portal.workflow.states import CaseState

from .conftest import CLOCK_START, Browser, built_app, own_database
from .factories import Factory

pytestmark = pytest.mark.skipif(
    (os.environ.get("DATABASE_URL") or "").startswith("postgresql"),
    reason="SQLite's transactions; PostgreSQL reads in READ COMMITTED and never queues",
)

# How long a thread waits for the other side before the test gives up: a deadlock breaker
# only (a queued reader fails at once with "database is locked", busy_timeout being short).
WAIT = 20
BUSY_MS = 200  # a transaction that would queue gives up after this, and says so


def _short_busy_timeout(engine: Engine) -> None:
    """Registered after the portal's own connect hook, so it runs after it and wins."""

    @event.listens_for(engine, "connect")
    def _busy(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.execute(f"PRAGMA busy_timeout={BUSY_MS}")


@contextmanager
def reading() -> Iterator[None]:
    token = begin_reading()
    try:
        yield
    finally:
        end_reading(token)


# The engine: DEFERRED readers, IMMEDIATE writers ---------------------------------------------


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'readers.db'}")
    _short_busy_timeout(engine)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, value INTEGER)"))
        conn.execute(text("INSERT INTO t (id, value) VALUES (1, 1)"))
    yield engine
    engine.dispose()


def _value(conn: Any) -> int:
    return int(conn.execute(text("SELECT value FROM t WHERE id = 1")).scalar_one())


def test_two_readers_hold_their_snapshots_at_once(engine):
    with reading(), engine.connect() as first, engine.connect() as second:
        assert _value(first) == 1  # the first reader's transaction is open, its snapshot held
        assert _value(second) == 1  # the second begins and reads meanwhile: no lock taken
        assert _value(first) == 1
        first.rollback()
        second.rollback()


def test_writers_still_queue_on_the_write_lock(engine):
    """The same two transactions outside a reading context begin IMMEDIATE: the second waits
    for the first (here it gives up after busy_timeout), which is what readers escape."""
    with engine.connect() as first, engine.connect() as second:
        assert _value(first) == 1
        with pytest.raises(OperationalError, match="database is locked"):
            _value(second)
        first.rollback()


def test_a_writer_commits_beside_an_open_reader(engine):
    with engine.connect() as reader:
        with reading():
            assert _value(reader) == 1
        with engine.begin() as writer:  # IMMEDIATE, while the reader's snapshot is held
            writer.execute(text("UPDATE t SET value = 2 WHERE id = 1"))
        assert _value(reader) == 1  # the reader still sees its own snapshot
        reader.rollback()
        with reading():
            assert _value(reader) == 2
            reader.rollback()


def test_a_stale_reader_never_writes(engine):
    """A writer commits while a deferred reader is open: the reader's write is refused by
    the guard, and by SQLite itself below it (SQLITE_BUSY_SNAPSHOT); the value stays the
    writer's."""
    with engine.connect() as reader:
        with reading():
            assert _value(reader) == 1
        with engine.begin() as writer:
            writer.execute(text("UPDATE t SET value = 2 WHERE id = 1"))
        # The reading context is over, but the transaction began DEFERRED: still refused.
        with writing(), pytest.raises(WriteWhileReading, match="marked @writes"):
            reader.execute(text("UPDATE t SET value = value + 10 WHERE id = 1"))
        # Past the guard, straight to the driver: SQLite will not upgrade a stale snapshot.
        raw = reader.connection.driver_connection
        assert raw is not None
        with pytest.raises(sqlite3.OperationalError, match="database is locked"):
            raw.execute("UPDATE t SET value = value + 10 WHERE id = 1")
        reader.rollback()
    with engine.connect() as conn:
        assert _value(conn) == 2


def test_every_kind_of_write_is_refused_while_reading(engine):
    statements = [
        "INSERT INTO t (id, value) VALUES (2, 2)",
        "  update t SET value = 3",
        "DELETE FROM t",
        "REPLACE INTO t (id, value) VALUES (1, 5)",
    ]
    with reading(), engine.connect() as conn:
        for statement in statements:
            with pytest.raises(WriteWhileReading):
                conn.execute(text(statement))
        assert _value(conn) == 1
        conn.rollback()


# Through the app ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return own_database("sqlite_readers", tmp_path_factory.mktemp("sqlite_readers"))


@pytest.fixture(scope="module")
def app(db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    with built_app(db_url, tmp_path_factory) as application:
        _short_busy_timeout(db.engine_for(application))
        _test_routes(application)
        yield application


def _test_routes(app: Flask) -> None:
    """Two GET pages that write a user's language: one marked, one not."""

    def write_locale(user_id: int) -> str:
        user = db.session.get(User, user_id)
        assert user is not None
        user.locale = "kk"
        db.session.flush()
        return "written"

    def unmarked(user_id: int) -> str:
        return write_locale(user_id)

    @writes
    def marked(user_id: int) -> str:
        return write_locale(user_id)

    app.add_url_rule("/test/unmarked/<int:user_id>", "unmarked", unmarked)
    app.add_url_rule("/test/marked/<int:user_id>", "marked", marked)


@pytest.fixture(scope="module")
def world(app: Flask) -> dict[str, int]:
    """A case in mediation, committed for every connection: its claimant and mediator."""
    with app.app_context():
        factory = Factory(db.session(), app.config)
        clerk = factory.user(Role.CLERK)
        case = factory.case(CaseState.REGISTERED, clerk=clerk)
        mediator = factory.mediate(case, clerk)
        db.session.commit()
        return {
            "case": case.id,
            "claimant": case.claimant_user_id,
            "mediator": mediator.id,
            "document": case.documents[0].id,
        }


def _browser(app: Flask, user_id: int) -> Browser:
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user is not None
        browser = Browser(app)
        browser.login(user)
    return browser


def _in_thread(target: Any) -> tuple[threading.Thread, list[Any]]:
    results: list[Any] = []
    thread = threading.Thread(target=lambda: results.append(target()), daemon=True)
    thread.start()
    return thread, results


@contextmanager
def held_at_render(app: Flask, template: str) -> Iterator[tuple[threading.Event, threading.Event]]:
    """(rendered, release): a request that renders `template` stops there, its reading
    transaction open, and signals `rendered`; it goes on when `release` is set."""
    rendered, release = threading.Event(), threading.Event()

    def hold(_sender: Any, **extra: Any) -> None:
        if extra["template"].name == template and not rendered.is_set():
            rendered.set()
            release.wait(WAIT)

    template_rendered.connect(hold, app)
    try:
        yield rendered, release
    finally:
        release.set()
        template_rendered.disconnect(hold, app)


def test_a_post_writes_while_a_get_holds_its_read(app, world):
    reader = _browser(app, world["claimant"])
    writer = _browser(app, world["mediator"])
    case_id = world["case"]
    with held_at_render(app, "cases/show.html") as (rendered, release):
        thread, page = _in_thread(lambda: reader.get(f"/cases/{case_id}"))
        assert rendered.wait(WAIT)
        # The GET's transaction is open; the mediator's note is written and committed.
        response = writer.post(f"/cases/{case_id}/notes", {"body": "While they read."})
        assert response.status_code == 302, response.get_data(as_text=True)
        release.set()
        thread.join(WAIT)
    assert page[0].status_code == 200
    with app.app_context():
        bodies = db.session.scalars(
            select(PrivateNote.body).where(PrivateNote.case_id == case_id)
        ).all()
    assert "While they read." in bodies


def test_a_get_reads_while_a_post_holds_the_write_lock(app, world):
    reader = _browser(app, world["claimant"])
    writer = _browser(app, world["mediator"])
    case_id = world["case"]
    engine = db.engine_for(app)
    holding, release = threading.Event(), threading.Event()
    writer_thread: list[int] = []

    def hold(_conn: Any) -> None:  # just before the POST's COMMIT: its writes done, lock held
        if threading.get_ident() in writer_thread and not holding.is_set():
            holding.set()
            release.wait(WAIT)

    event.listen(engine, "commit", hold)
    try:

        def post() -> Any:
            writer_thread.append(threading.get_ident())
            return writer.post(f"/cases/{case_id}/notes", {"body": "Held open."})

        thread, answer = _in_thread(post)
        assert holding.wait(WAIT)
        assert reader.get(f"/cases/{case_id}").status_code == 200
        assert reader.get("/cases/").status_code == 200
        release.set()
        thread.join(WAIT)
    finally:
        release.set()
        event.remove(engine, "commit", hold)
    assert answer[0].status_code == 302


def test_a_download_records_its_event_beside_an_open_reader(app, world):
    reader = _browser(app, world["claimant"])
    downloader = _browser(app, world["claimant"])
    case_id, document_id = world["case"], world["document"]

    def downloads() -> int:
        with app.app_context():
            return len(
                db.session.scalars(
                    select(CaseEvent).where(
                        CaseEvent.case_id == case_id, CaseEvent.action == "download"
                    )
                ).all()
            )

    before = downloads()
    with held_at_render(app, "cases/show.html") as (rendered, release):
        thread, page = _in_thread(lambda: reader.get(f"/cases/{case_id}"))
        assert rendered.wait(WAIT)
        response = downloader.get(f"/cases/{case_id}/documents/{document_id}")
        assert response.status_code == 200
        release.set()
        thread.join(WAIT)
    assert page[0].status_code == 200
    assert downloads() == before + 1


def test_an_unmarked_get_that_writes_is_refused_and_a_marked_one_writes(app, world):
    client = app.test_client()
    user_id = world["claimant"]
    assert client.get(f"/test/unmarked/{user_id}").status_code == 500
    with app.app_context():
        assert db.session.get(User, user_id).locale != "kk"
    assert client.get(f"/test/marked/{user_id}").status_code == 200
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user.locale == "kk"
        user.locale = None
        db.session.commit()


# The login session's last-seen time --------------------------------------------------------


@pytest.fixture
def statements(app):
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    engine = db.engine_for(app)
    event.listen(engine, "before_cursor_execute", note)
    yield seen
    event.remove(engine, "before_cursor_execute", note)


def _auth_row(app: Flask, user_id: int) -> AuthSession:
    with app.app_context():
        return db.session.scalars(
            select(AuthSession)
            .where(AuthSession.user_id == user_id)
            .order_by(AuthSession.id.desc())
        ).first()


def test_a_get_moves_last_seen_in_a_short_transaction_of_its_own(app, world, clock, statements):
    browser = _browser(app, world["claimant"])
    assert _auth_row(app, world["claimant"]).last_seen_at == CLOCK_START
    clock.advance(seconds=30)
    statements.clear()
    assert browser.get("/cases/").status_code == 200
    assert not any(s.startswith("UPDATE auth_sessions") for s in statements)
    assert _auth_row(app, world["claimant"]).last_seen_at == CLOCK_START
    clock.advance(seconds=31)
    statements.clear()
    assert browser.get("/cases/").status_code == 200
    assert _auth_row(app, world["claimant"]).last_seen_at == clock.now
    begins = [s for s in statements if s.startswith("BEGIN") or s.startswith("UPDATE")]
    # The page read DEFERRED; the touch came after, in an IMMEDIATE transaction.
    assert begins[0] == "BEGIN DEFERRED"
    touch = next(i for i, s in enumerate(begins) if s.startswith("UPDATE auth_sessions"))
    assert begins[touch - 1] == "BEGIN IMMEDIATE"
    assert all(s == "BEGIN DEFERRED" for s in begins[: touch - 1])


def test_an_idle_session_still_expires_on_a_get(app, world, clock):
    browser = _browser(app, world["claimant"])
    clock.advance(minutes=29)
    assert browser.get("/cases/").status_code == 200
    clock.advance(minutes=29)  # 29 minutes after the last request: still alive
    assert browser.get("/cases/").status_code == 200
    clock.advance(minutes=30)
    response = browser.get("/cases/")
    assert response.status_code == 302 and response.location.startswith("/login")
    row = _auth_row(app, world["claimant"])
    assert row.revoked_at == clock.now and row.end_reason == "expired"
    page = browser.get(response.location).get_data(as_text=True)
    assert "Your session expired. Please log in again." in page


def test_the_first_get_of_a_process_still_recovers_the_print_jobs(app, world, monkeypatch):
    """The recovery runs in the first request, a GET as often as not: it writes apart, in a
    short transaction of its own (db.short_write), not in the GET's reading one."""
    with app.app_context():
        batch = PrintBatch(
            status=BatchStatus.RUNNING,
            ruling_ids=[],
            total=0,
            attempts=3,
            created_by_id=world["mediator"],
        )
        db.session.add(batch)
        db.session.commit()
        batch_id = batch.id
    monkeypatch.setitem(app.config, "TESTING", False)  # the tests skip the recovery
    monkeypatch.delitem(app.extensions, "print_jobs_recovered", raising=False)
    assert app.test_client().get("/").status_code == 200
    with app.app_context():
        batch = db.session.get_one(PrintBatch, batch_id)
        assert batch.status is BatchStatus.FAILED and batch.error
