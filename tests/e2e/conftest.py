"""End-to-end fixtures: the portal in its own process and database, and Debian's chromium.

The portal runs as a subprocess, never in this process: the package has one global `db`
object, which the other tests' fixtures rebind to their own database and connection.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import maintenance_conninfo

ROOT = Path(__file__).resolve().parents[2]
SERVER_START_TIMEOUT = 120.0  # seconds; it answers within one or two, but a loaded 2-core
# machine (a seeded demo server starting while another suite runs) took over 30
COMMAND_TIMEOUT = 120.0
TIMEOUT_MS = 15_000  # for each browser action and expectation; Argon2 logins take a moment
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

CLERK_EMAIL = "registrar.e2e@alatau-adr.example"
CLERK_NAME = "Aigerim Registrar"
CLERK_PASSWORD = "amber harbour compass 1987"
FINANCE_EMAIL = "finance.e2e@alatau-adr.example"
FINANCE_PASSWORD = "copper ledger lantern 2044"


def chromium_path() -> str:
    """Debian's chromium (Playwright cannot download its own browsers here)."""
    candidates = [os.environ.get("CHROMIUM"), shutil.which("chromium"), "/usr/bin/chromium"]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    pytest.fail(
        "The browser tests need Debian's chromium, and none was found (looked at $CHROMIUM, "
        "`chromium` on PATH and /usr/bin/chromium). Install it with `make browser` "
        "(scripts/apt-install chromium) or point $CHROMIUM at a Chromium binary.",
        pytrace=False,
    )


# --- the database ------------------------------------------------------------------------


@contextmanager
def _own_database(tmp_path_factory: pytest.TempPathFactory, name: str) -> Iterator[str]:
    """A database of one live portal alone: never the one the other tests use.

    With DATABASE_URL pointing at PostgreSQL, a fresh database on the same server, dropped
    at the end; otherwise a SQLite file in a temporary directory.
    """
    configured = os.environ.get("DATABASE_URL", "")
    if not configured.startswith("postgresql"):
        path = tmp_path_factory.mktemp(f"{name}-db") / f"{name}.db"
        yield f"sqlite:///{path}"
        return

    import psycopg
    from psycopg import sql
    from sqlalchemy.engine import make_url

    url = make_url(configured)
    db_name = f"{name}_{os.getpid()}"
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(db_name))
    conninfo = maintenance_conninfo(url)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(drop)  # a leftover of an earlier run that had the same pid
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db_name)))
    try:
        yield url.set(database=db_name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(drop)


@pytest.fixture(scope="session")
def e2e_database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with _own_database(tmp_path_factory, "e2e") as url:
        yield url


# --- the portal --------------------------------------------------------------------------


@dataclass
class LiveServer:
    url: str
    env: dict[str, str]
    log_path: Path
    clerk_email: str = CLERK_EMAIL
    clerk_password: str = CLERK_PASSWORD
    clerk_name: str = CLERK_NAME
    finance_email: str = FINANCE_EMAIL
    finance_password: str = FINANCE_PASSWORD

    def mail_link(self, to: str, path_pattern: str) -> str:
        """The path of a link matching `path_pattern` in the newest e-mail to `to` that has
        one, read from the portal's outbox (a background job writes it after the answer)."""
        from sqlalchemy import create_engine, text

        engine = create_engine(self.env["DATABASE_URL"])
        query = text("SELECT body FROM outbox WHERE to_email = :to ORDER BY id DESC")
        deadline = time.monotonic() + TIMEOUT_MS / 1000
        try:
            while True:
                with engine.connect() as conn:
                    bodies = conn.execute(query, {"to": to}).scalars().all()
                for body in bodies:
                    if found := re.search(path_pattern, body):
                        return found.group(0)
                if time.monotonic() > deadline:
                    pytest.fail(f"no e-mail to {to} with a link {path_pattern}: {bodies!r}")
                time.sleep(0.2)
        finally:
            engine.dispose()

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no server log)"
        text = re.sub(r"\x1b\[[0-9;]*m", "", text)  # the dev server colours its lines
        return "\n".join(text.splitlines()[-lines:])


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _flask(env: dict[str, str], *args: str) -> str:
    """Run a `flask --app wsgi` command of the portal: what it printed; fail the run with
    its output."""
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(
            f"`flask --app wsgi {args[0]}` failed ({result.returncode}):\n"
            f"{result.stdout}\n{result.stderr}",
            pytrace=False,
        )
    return result.stdout


def _wait_until_up(process: subprocess.Popen, url: str, server: LiveServer) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"The portal exited with code {process.returncode} before answering:\n"
                f"{server.log_tail()}",
                pytrace=False,
            )
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our server
                if response.status == 200:
                    return
        except urllib.error.HTTPError as exc:  # it answered, but not yet with the page
            exc.close()
            last_error = exc
        except (urllib.error.URLError, OSError) as exc:
            last_error = exc
        time.sleep(0.1)  # polling the server's start-up, bounded by the deadline
    pytest.fail(
        f"The portal did not answer at {url} within {SERVER_START_TIMEOUT:.0f} s "
        f"({last_error}):\n{server.log_tail()}",
        pytrace=False,
    )


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _portal_env(database_url: str, instance: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("FLASK_", "PORTAL_", "SECRET_KEY", "CASE_NUMBER_PREFIX"))
    }
    env.update(
        DATABASE_URL=database_url,
        INSTANCE_PATH=str(instance),
        UPLOAD_DIR=str(instance / "uploads"),
        PORTAL_ENV="development",
        PYTHONUNBUFFERED="1",
    )
    return env


def flask_run(port: int) -> list[str]:
    return [sys.executable, "-m", "flask", "--app", "wsgi", "run",
            "--host", "127.0.0.1", "--port", str(port), "--no-reload", "--no-debugger"]  # fmt: skip


@contextmanager
def _serve(
    env: dict[str, str], instance: Path, command=flask_run, log_name: str = "server.log"
) -> Iterator[LiveServer]:
    """The portal on a free port, started by `command(port)` (the development server unless
    told otherwise), until the block ends."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    server = LiveServer(url=url, env=env, log_path=instance / log_name)
    with server.log_path.open("wb") as log:
        process = subprocess.Popen(
            command(port),
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_up(process, url + "/", server)
        yield server
    finally:
        _stop(process)


@pytest.fixture(scope="session")
def live_server(
    e2e_database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """The portal on a free localhost port, with an empty schema (serve_empty)."""
    instance = tmp_path_factory.mktemp("e2e-instance")
    with serve_empty(e2e_database_url, instance, tmp_path_factory) as server:
        yield server


@contextmanager
def serve_empty(
    database_url: str, instance: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """A portal on this database with an empty schema, one clerk's account and one finance
    officer's (`live_server`, or a test's own when what it registers must not number the
    others' cases). On SQLite a copy of the run's one such database (_empty_template)."""
    env = _portal_env(database_url, instance)
    if database_url.startswith("sqlite:///"):
        template = _empty_template(tmp_path_factory) / "empty.db"
        shutil.copyfile(template, database_url.removeprefix("sqlite:///"))
    else:
        _make_empty(env)
    with _serve(env, instance) as server:
        yield server


def _make_empty(env: dict[str, str]) -> None:
    """The schema, the e2e clerk and the e2e finance officer."""
    _flask(env, "init-db")
    _flask(
        env,
        "create-user",
        "--role", "clerk",
        "--email", CLERK_EMAIL,
        "--name", CLERK_NAME,
        "--password", CLERK_PASSWORD,
    )  # fmt: skip
    _flask(
        env,
        "create-user",
        "--role", "finance",
        "--email", FINANCE_EMAIL,
        "--name", "Saule Finance",
        "--password", FINANCE_PASSWORD,
    )  # fmt: skip


def _empty_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The empty portal's SQLite database (`empty.db`): three `flask` commands of a few
    seconds each, once per run."""
    return _built_once(
        tmp_path_factory,
        "empty-template",
        lambda t: _make_empty(_portal_env(f"sqlite:///{t / 'empty.db'}", t / "instance")),
    )


def _built_once(
    tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], object]
) -> Path:
    """A folder of this run (with an `instance` folder in it) that `build` fills, by the
    first worker that asks; the others wait for it on a file lock. Never changed: copy it."""
    root = _shared_tmp(tmp_path_factory)
    template = root / name
    with (root / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (template / "ready").exists():
            shutil.rmtree(template, ignore_errors=True)
            (template / "instance").mkdir(parents=True)
            build(template)
            (template / "ready").touch()
    return template


def _seed_demo(env: dict[str, str]) -> str:
    """As `make run` does: the schema, the demo, a demo key and a first signed checkpoint.
    What `seed-demo` printed."""
    _flask(env, "init-db")
    seeded = _flask(env, "seed-demo")
    _flask(env, "integrity", "keygen", "--if-missing")
    _flask(env, "integrity", "checkpoint")
    return seeded


def _shared_tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory of this test run shared by its xdist workers (each has its own basetemp
    below it); the run's own basetemp when there are no workers."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeded demo on SQLite, built once per test run by the first worker that asks; the
    others wait for it, then copy it. The seeding renders some eighty rulings and takes half
    a minute: once, not once a worker (test_seed checks this very demo).

    The folder holds `demo.db`, the `instance` folder (uploads, rulings, the log's key) and
    `seed-demo.out`, what `flask seed-demo` printed. Never changed: copy it."""

    def build(template: Path) -> None:
        env = _portal_env(f"sqlite:///{template / 'demo.db'}", template / "instance")
        (template / "seed-demo.out").write_text(_seed_demo(env), encoding="utf-8")

    return _built_once(tmp_path_factory, "demo-template", build)


@contextmanager
def serve_demo(tmp_path_factory: pytest.TempPathFactory, name: str) -> Iterator[LiveServer]:
    """A portal with a database of its own filled by `seed-demo`: cases in every state, a
    login for every role (README.md), deadlines met, running and overdue. On SQLite a copy
    of the run's one seeded demo (demo_template); on PostgreSQL, seeded for itself."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgresql"):
        own = tmp_path_factory.mktemp(f"{name}-demo")
        shutil.copytree(demo_template(tmp_path_factory), own, dirs_exist_ok=True)
        env = _portal_env(f"sqlite:///{own / 'demo.db'}", own / "instance")
        with _serve(env, own / "instance") as server:
            yield server
        return
    instance = tmp_path_factory.mktemp(f"{name}-instance")
    with _own_database(tmp_path_factory, name) as database_url:
        env = _portal_env(database_url, instance)
        _seed_demo(env)
        with _serve(env, instance) as server:
            yield server


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A second portal, on the demo (serve_demo), shared by the browser tests of a worker."""
    with serve_demo(tmp_path_factory, "demo") as server:
        yield server


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """A failed browser test shows what the portal logged (its errors go to the log)."""
    report = yield
    for name in ("live_server", "demo_server"):
        server = getattr(item, "funcargs", {}).get(name)
        if report.failed and isinstance(server, LiveServer):
            report.sections.append((f"{name} log (last lines)", server.log_tail()))
    return report


# --- the browser -------------------------------------------------------------------------


@pytest.fixture(scope="package")
def chromium():
    """One headless chromium for the browser tests; each gets its own context (cookies).

    Package scope: Playwright's event loop stops when the browser tests are done, so later
    tests that run asyncio themselves (pyHanko's signing) are not inside a running loop."""
    executable = chromium_path()
    from playwright.sync_api import Error, expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)

    playwright = sync_playwright().start()
    try:
        try:
            browser = playwright.chromium.launch(
                executable_path=executable, headless=True, args=CHROMIUM_ARGS
            )
        except Error as exc:
            pytest.fail(f"Could not start chromium at {executable}: {exc}", pytrace=False)
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()


@pytest.fixture
def new_context(chromium, request):
    """new_context(**options) -> a fresh browser context on the live portal, closed at the end.

    The portal is `live_server` (empty), or `demo_server` when the test asks for that one.
    """
    contexts = []
    name = "demo_server" if "demo_server" in request.fixturenames else "live_server"
    server: LiveServer = request.getfixturevalue(name)

    def _make(**options):
        options.setdefault("base_url", server.url)
        options.setdefault("locale", "en-GB")
        options.setdefault("timezone_id", "Asia/Almaty")
        context = chromium.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield _make
    for context in contexts:
        context.close()
