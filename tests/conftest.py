"""Test fixtures: one database per test session (SQLite by default, PostgreSQL when
DATABASE_URL says so), each test inside a transaction that is rolled back at its end."""

from __future__ import annotations

import datetime as dt
import html
import os
import re
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import psycopg
import pytest
from argon2 import PasswordHasher
from flask import Flask
from psycopg import sql
from sqlalchemy import event, text
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage
from werkzeug.test import stream_encode_multipart

from dispute_portal import create_app
from dispute_portal.auth import passwords
from dispute_portal.auth.models import Role
from dispute_portal.cli import alembic_config
from dispute_portal.config import ProductionConfig, TestingConfig
from dispute_portal.db import db, frozen_time, make_engine
from dispute_portal.rulings import render
from dispute_portal.workflow.states import CaseState

from .factories import Factory
from .standin import standin_pdf, standin_qr

# The public half of TestingConfig's log key, for the production settings the tests build.
TEST_VERIFIER_KEY = (
    "portal.test/transparency-log+f4336570+AQOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4"
)


class ProductionForTests(ProductionConfig):
    """Production's settings with what a real installation sets beside SECRET_KEY: the log's
    public key, and the Centre's own bank accounts (valid, and not the demo's)."""

    INTEGRITY_VERIFIER_KEY = TEST_VERIFIER_KEY
    CENTRE_BANK_ACCOUNTS = "KZT=KZ24722KZT0000123456,USD=KZ36722USD0000123456"
    CENTRE_BIN = "050840002221"


CSRF_RE = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def pytest_collection_modifyitems(config, items) -> None:
    """CI runs the suite on both databases, and some tests belong to one pass only.

    - `postgres_only`: races between two real connections need PostgreSQL's row locks
      (SQLite serialises writing transactions, BEGIN IMMEDIATE, so there the race cannot even
      be staged), and several machines share one PostgreSQL, never one SQLite file.
    - `e2e`: the browser tests check what a person sees and can do, which the database does
      not change; every route and operation they drive runs on PostgreSQL too, in the route
      matrix, the feature tests and the hostile-input test. They run in the SQLite pass (the
      demo's own database), once.
    - `strict_database`: hostile input to the forms. PostgreSQL refuses what SQLite stores
      (a text longer than its column, a NUL byte, an integer out of range), so what these
      tests probe is proved there, in the PostgreSQL pass; production runs on it.
    - `real_pdf`: what WeasyPrint draws from a ruling's values does not depend on the
      database; these tests read the PDFs back, and run in the SQLite pass. Every ruling they
      issue is issued on PostgreSQL too, by the feature tests, through the stand-in renderer.
    - `engine_free`: what the test compares does not come from the database (the page
      cache's copy of a page against the page drawn again; the pages themselves are drawn
      on PostgreSQL by the tests of their features and the route matrix), or the test runs
      a portal on a SQLite database of its own whatever the pass (the wheel's, a killed
      worker's). SQLite pass, once.
    """
    on_postgres = (os.environ.get("DATABASE_URL") or "").startswith("postgresql")
    skipped = (
        {
            "e2e": "browser tests run in the SQLite pass; every route they use runs here too",
            "real_pdf": "rendered and read back in the SQLite pass; issued here by the others",
            "engine_free": "the database engine changes nothing here; the SQLite pass runs it",
        }
        if on_postgres
        else {
            "postgres_only": "needs PostgreSQL (CI runs it in the PostgreSQL pass)",
            "strict_database": "PostgreSQL refuses what SQLite stores; CI's PostgreSQL pass",
        }
    )
    for item in items:
        for marker, reason in skipped.items():
            # The marker itself, not a keyword: every test under tests/e2e/ has the keyword
            # "e2e" (its package's name), test_scale_out.py too, which uses no browser.
            if item.get_closest_marker(marker) is not None:
                item.add_marker(pytest.mark.skip(reason=reason))


def worker_index() -> int:
    """0, 1, … for pytest-xdist's workers gw0, gw1, …; 0 when the suite runs in one process."""
    return int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)


def worker_redis_url(slot: int = 0) -> str:
    """A Redis database of this worker's own (two slots each, counting down from 15), so that
    workers emptying their queues and counters never touch another's, nor production's 0."""
    return f"redis://127.0.0.1:6379/{15 - 2 * worker_index() - slot}"


# Argon2id at its least cost in the tests: the same algorithm and code, but a login costs
# a tenth of a millisecond, not 30 ms and 19 MiB (the suite logs in thousands of times).
# test_auth's upgrade test puts the portal's parameters back (`real_password_hashing`).
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
PORTAL_HASHER = passwords._hasher


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashing() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "_hasher", CHEAP_HASHER)
        yield


@pytest.fixture
def real_password_hashing(monkeypatch) -> None:
    """The portal's own Argon2 parameters, for this test."""
    monkeypatch.setattr(passwords, "_hasher", PORTAL_HASHER)


@pytest.fixture(autouse=True)
def _pdf_renderer(request: pytest.FixtureRequest) -> Iterator[None]:
    """WeasyPrint only for the tests marked real_pdf; a stand-in for the rest (standin.py).

    A MonkeyPatch of its own: taking the test's `monkeypatch` here would set that one up
    before every other fixture, so its undo would run after theirs (and put back, say, a
    session bind that the connection fixture had already restored)."""
    with pytest.MonkeyPatch.context() as patch:
        if request.node.get_closest_marker("real_pdf") is None:
            patch.setattr(render, "_weasyprint", standin_pdf)
            patch.setattr(render, "_qr_code", standin_qr)
        yield


def maintenance_conninfo(url: URL) -> str:
    """The server's `postgres` database, from which a test makes and drops its own."""
    return url.set(drivername="postgresql", database="postgres").render_as_string(
        hide_password=False
    )


def database_url(tmp_dir: Path) -> str:
    """SQLite in the worker's temporary directory, or, when DATABASE_URL names PostgreSQL,
    a database of this worker's own on that server (test_gw0, test_gw1, …), made if missing."""
    configured = os.environ.get("DATABASE_URL")
    if not configured:
        return f"sqlite:///{tmp_dir / 'tests.db'}"
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker or not configured.startswith("postgresql"):
        return configured
    url = make_url(configured)
    name = f"{url.database}_{worker}"
    with psycopg.connect(maintenance_conninfo(url), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return url.set(database=name).render_as_string(hide_password=False)


def reset_database(url: str) -> None:
    """An empty database, then the schema exactly as the migrations build it."""
    from alembic import command

    engine = make_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    cfg = alembic_config()
    cfg.attributes["database_url"] = url
    cfg.attributes["configure_logger"] = False
    command.upgrade(cfg, "head")


@pytest.fixture(scope="session")
def db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = database_url(tmp_path_factory.mktemp("db"))
    reset_database(url)
    return url


@pytest.fixture(scope="session")
def app(db_url: str, tmp_path_factory: pytest.TempPathFactory):
    with built_app(db_url, tmp_path_factory) as application:
        yield application


@contextmanager
def built_app(
    db_url: str, tmp_path_factory: pytest.TempPathFactory, instance: Path | None = None
) -> Iterator[Flask]:
    """The portal on `db_url`, with upload and ruling folders of its own, or those of an
    `instance` folder that holds the database's files already."""

    class Config(TestingConfig):
        DATABASE_URL = db_url
        UPLOAD_DIR = str(instance / "uploads" if instance else tmp_path_factory.mktemp("uploads"))
        RULINGS_DIR = str(instance / "rulings" if instance else tmp_path_factory.mktemp("rulings"))
        REDIS_URL = worker_redis_url()

    application = create_app(Config)
    try:
        yield application
    finally:
        db.engine_for(application).dispose()


def database_of_its_own(name: str):
    """(db_url, app) fixtures for a module that checks the whole database: it gets one of
    its own, built once; its tests still roll back. In the module: `db_url, app = …`."""

    @pytest.fixture(scope="module")
    def db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
        return own_database(name, tmp_path_factory.mktemp(name))

    @pytest.fixture(scope="module")
    def app(db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
        with built_app(db_url, tmp_path_factory) as application:
            yield application

    return db_url, app


def own_database(name: str, tmp_dir: Path) -> str:
    """A database for one module alone (SQLite in `tmp_dir`, or `<DATABASE_URL>_<name>_<worker>`
    on PostgreSQL), emptied and migrated: for tests that check the whole database."""
    configured = os.environ.get("DATABASE_URL")
    if not configured or not configured.startswith("postgresql"):
        url = f"sqlite:///{tmp_dir / f'{name}.db'}"
    else:
        base = make_url(configured)
        database = f"{base.database}_{name}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
        with psycopg.connect(maintenance_conninfo(base), autocommit=True) as conn:
            if not conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (database,)
            ).fetchone():
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
        url = base.set(database=database).render_as_string(hide_password=False)
    reset_database(url)
    return url


@contextmanager
def shared_connection(app) -> Iterator[Connection]:
    """One connection in a transaction that is rolled back at the end: every session made
    meanwhile (a test's, its requests', a job's) joins it with a savepoint of its own."""
    conn = db.engine_for(app).connect()
    outer = conn.begin()
    saved = dict(db.sessionmaker.kw)
    db.sessionmaker.configure(bind=conn, join_transaction_mode="create_savepoint")
    try:
        yield conn
    finally:
        db.sessionmaker.kw.clear()
        db.sessionmaker.kw.update(saved)
        outer.rollback()
        conn.close()


@contextmanager
def savepoint(conn: Connection) -> Iterator[Connection]:
    """A test inside a module's world (built once on a shared connection): what the test and
    its requests do is rolled back to the world as it was built."""
    nested = conn.begin_nested()
    try:
        yield conn
    finally:
        nested.rollback()


@pytest.fixture
def connection(app) -> Iterator[Connection]:
    """The test's connection: everything a test and its requests do is rolled back. A module
    whose tests read one world overrides it (see test_printing): the world is built once on
    a shared connection, and each test runs in a savepoint of it."""
    with shared_connection(app) as conn:
        yield conn


@pytest.fixture
def session(connection, app) -> Iterator[Session]:
    s = db.sessionmaker(info={"config": app.config})
    try:
        yield s
    finally:
        s.close()


@pytest.fixture
def factory(session: Session, app) -> Factory:
    return Factory(session, app.config)


@pytest.fixture
def upload_dir(app) -> Path:
    return Path(app.config["UPLOAD_DIR"])


class Browser:
    """A test client that behaves like a person's browser: it sends the form's CSRF token."""

    def __init__(self, app) -> None:
        self.client = app.test_client()
        self._token: str | None = None

    def get(self, url: str, **kw):
        return self._done(self.client.get(url, **kw))

    @staticmethod
    def _done(response):
        response.get_data()  # read it all, then close: file downloads hold an open file
        response.close()
        return response

    def csrf(self) -> str:
        if self._token is None:
            page = self.client.get("/no-such-page")  # every page, even a 404, has a form
            self._token = CSRF_RE.search(page.get_data(as_text=True)).group(1)
        return self._token

    def post(self, url: str, data: dict | None = None, *, csrf: bool = True, **kw):
        data = dict(data or {})
        if csrf:
            data.setdefault("csrf_token", self.csrf())
        if kw.pop("content_type", None) == "multipart/form-data":
            # Encode in memory: werkzeug's own encoder spills big bodies to a temp file that
            # nobody closes when the app answers before reading it (a 413).
            fields = {
                k: FileStorage(stream=v[0], filename=v[1]) if isinstance(v, tuple) else v
                for k, v in data.items()
            }
            body, length, boundary = stream_encode_multipart(fields, use_tempfile=False)
            return self.client.post(
                url,
                input_stream=body,
                content_length=length,
                content_type=f'multipart/form-data; boundary="{boundary}"',
                **kw,
            )
        return self.client.post(url, data=data, **kw)

    def login(self, user, password: str | None = None):
        self._token = None
        response = self.post(
            "/login", {"email": user.email, "password": password or Factory.PASSWORD}
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        self._token = None  # a fresh session has a fresh token
        return response


@pytest.fixture
def browser(app, connection) -> Browser:
    return Browser(app)


def browser_for(app, user=None) -> Browser:
    """A browser logged in as `user`; anonymous when there is none."""
    browser = Browser(app)
    if user is not None:
        browser.login(user)
    return browser


@pytest.fixture
def login_as(app, connection, factory):
    """login_as("clerk") -> (Browser, User): a logged-in person of that role."""

    def _login(role: str, user=None):
        user = user or factory.user(role)
        factory.session.commit()
        b = Browser(app)
        b.login(user)
        return b, user

    return _login


# --- time and limits (accounts, sessions, password reset) ------------------------------

CLOCK_START = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)  # on a minute, 15-minute, hour


class Clock:
    def __init__(self, at: dt.datetime) -> None:
        self.now = at
        self._stack = ExitStack()
        self._stack.enter_context(frozen_time(at))

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)
        self._stack.enter_context(frozen_time(self.now))


@pytest.fixture
def clock():
    c = Clock(CLOCK_START)
    yield c
    c._stack.close()


@pytest.fixture
def limited(app, connection, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_ENABLED", True)
    limiter = app.extensions["auth_limiter"]
    limiter.reset()
    yield limiter
    limiter.reset()


# --- SQL statements per page -----------------------------------------------------------------


class QueryCounter:
    """The SQL statements sent while it is open (an SQLAlchemy engine event)."""

    def __init__(self, engine) -> None:
        self.engine, self.statements = engine, []

    def __enter__(self) -> QueryCounter:
        event.listen(self.engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *exc) -> None:
        event.remove(self.engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn, _cursor, statement, *_args) -> None:
        self.statements.append(statement)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def drawn_pages(app):
    """The page cache off for this test, and the values it keeps: every page is drawn
    whole (a test that counts a drawing's queries, or patches the code a page is drawn
    with, which no cache key can see)."""
    with pages_drawn(app):
        yield


@contextmanager
def pages_drawn(app):
    """Meanwhile every page is drawn afresh and every value computed; the caches are kept
    as they were."""
    cache = app.extensions["page_cache"]
    kept = cache.store, cache.values
    cache.store = cache.values = None
    try:
        yield
    finally:
        cache.store, cache.values = kept


@pytest.fixture
def count_queries(app, drawn_pages):
    """`with count_queries() as q: ...` then q.count, q.statements: of pages drawn."""
    return lambda: QueryCounter(db.engine_for(app))


def hidden(page: str, name: str = "version") -> str:
    """The value of the page's hidden field of this name (a form's version, an id)."""
    found = re.search(rf'name="{re.escape(name)}" type="hidden" value="([^"]*)"', page)
    assert found, f"no hidden field {name!r} on the page"
    return html.unescape(found.group(1))


def link(page: str, text: str) -> str | None:
    """The address of the link with this text on a page ("Next page"), or None."""
    found = re.search(rf'href="([^"]+)">{text}</a>', page)
    return html.unescape(found.group(1)) if found else None


# --- background jobs -------------------------------------------------------------------------


class JobRecorder:
    """A job runner that only records what it is given, as RQ does seen from the request
    (the work happens in a worker later); `run_all()` then runs them, as that worker would."""

    name = "recorder"

    def __init__(self, app) -> None:
        self.app, self.jobs = app, []

    def enqueue(self, path: str, *args: object) -> str | None:
        self.jobs.append((path, args))
        return None

    def status(self, job_id: str | None) -> str | None:
        return None

    def run_all(self) -> None:
        from dispute_portal.jobs import run_job

        jobs, self.jobs = self.jobs, []
        with self.app.app_context():
            for path, args in jobs:
                run_job(path, *args)


@pytest.fixture
def queued_jobs(app, monkeypatch) -> JobRecorder:
    """Jobs are recorded instead of run at once (the inline runner of the tests)."""
    recorder = JobRecorder(app)
    monkeypatch.setitem(app.extensions, "jobs", recorder)
    return recorder


@pytest.fixture
def mediation_cast(factory, session):
    """A mediation with its clerk, a finance officer and its (accepted) mediator."""
    clerk, officer = factory.user(Role.CLERK), factory.user(Role.FINANCE)
    case = factory.case(CaseState.MEDIATION, clerk=clerk)
    mediator = next(a.user for a in case.appointments if a.status.value == "accepted")
    return case, clerk, officer, mediator
