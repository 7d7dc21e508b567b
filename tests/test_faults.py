"""A request that dies half-way leaves no orphan file and no half-applied change.

The worker killed during an upload: a stream that breaks off in the middle (in this process),
a real portal killed with SIGKILL while the body is arriving, and a process killed while it
copies the file into the upload directory (its temporary file is swept once stale).
The database gone during a transition that issues a ruling (a PDF file is written): failing
at the flush, at the commit, and for good (even the rollback fails).
"""

from __future__ import annotations

import http.client
import io
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Request
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError

from dispute_portal import files
from dispute_portal.cases.models import Case, Document
from dispute_portal.cases.uploads import CHUNK as UPLOAD_CHUNK
from dispute_portal.rulings.models import Ruling
from dispute_portal.workflow.models import CaseEvent
from dispute_portal.workflow.states import CaseState

from .conftest import CSRF_RE
from .e2e.conftest import ROOT, _flask, _free_port, _portal_env, _stop, _wait_until_up
from .factories import pdf_bytes

SERVER_ERROR = "Something went wrong"


def _files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


def _documents(session, case: Case) -> int:
    return session.scalar(select(func.count()).where(Document.case_id == case.id))


def _no_stack_trace(page: str) -> None:
    assert SERVER_ERROR in page
    for leak in ("Traceback", "OperationalError", 'File "', "sqlalchemy", "werkzeug"):
        assert leak not in page


# --- the upload stream breaks off ---------------------------------------------------------


class BreaksAfter(io.RawIOBase):
    """A request body that stops with an error after `limit` bytes: what a reset connection
    or a dying proxy looks like to the application."""

    def __init__(self, data: bytes, limit: int) -> None:
        self._data, self._limit, self._at = data, limit, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._at >= self._limit:
            raise ConnectionResetError("connection reset by peer")
        n = min(len(buffer), self._limit - self._at)
        buffer[:n] = self._data[self._at : self._at + n]
        self._at += n
        return n


def _draft(factory, session, login_as):
    browser, investor = login_as("investor")
    case = factory.case(CaseState.DRAFT, claimant=investor, complete=False)
    session.commit()
    return browser, case


def _body(browser, data: bytes) -> tuple[bytes, str]:
    boundary = "fault-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n'
            f"{browser.csrf()}\r\n"
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def _wired(app) -> None:
    assert getattr(app.request_class, "closes_upload_streams", False), (
        "create_app must call dispute_portal.files.init_app(app)"
    )


@pytest.mark.parametrize("how", ["reset", "cut_short"])
def test_an_upload_whose_body_breaks_off_leaves_nothing(
    how, app, monkeypatch, factory, session, login_as, upload_dir
):
    _wired(app)  # the half-spooled temporary file is closed when the request ends
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)  # as in production
    browser, case = _draft(factory, session, login_as)
    body, content_type = _body(browser, pdf_bytes("x" * 1_500_000))
    half = len(body) // 2
    stream = BreaksAfter(body, half) if how == "reset" else io.BytesIO(body[:half])
    before = _files(upload_dir)
    response = browser.client.post(
        f"/cases/{case.id}/documents",
        environ_overrides={
            "wsgi.input": stream,
            "CONTENT_LENGTH": str(len(body)),  # more than will ever come
            "CONTENT_TYPE": content_type,
        },
    )
    assert response.status_code == 400  # the client went away (werkzeug: ClientDisconnected)
    assert _files(upload_dir) == before
    assert _documents(session, case) == 0


@pytest.mark.engine_free  # an app of its own on an in-memory SQLite, in either pass
def test_the_app_sweeps_stale_uploads_at_start_up(tmp_path):
    from dispute_portal import create_app
    from dispute_portal.config import TestingConfig
    from dispute_portal.db import db

    uploads = tmp_path / "uploads"
    uploads.mkdir()
    stale = uploads / f"{files.PART_PREFIX}killed{files.PART_SUFFIX}"
    stale.write_bytes(b"half an upload")
    hour_ago = time.time() - files.STALE_AFTER - 60
    os.utime(stale, (hour_ago, hour_ago))

    class Config(TestingConfig):
        DATABASE_URL = "sqlite://"
        UPLOAD_DIR = str(uploads)

    started = create_app(Config)
    try:
        assert not stale.exists(), "create_app must call files.init_app(app)"
        _wired(started)
    finally:
        db.engine_for(started).dispose()


class _BreakingFileStream(io.BytesIO):
    """The spooled upload reads back only so far, then fails (a disk error, a dying worker)."""

    limit = 300_000

    def read(self, size: int = -1) -> bytes:
        if self.tell() >= self.limit:
            raise OSError("I/O error")
        return super().read(size)


def test_an_upload_that_fails_while_it_is_stored_leaves_no_file_and_no_row(
    app, monkeypatch, factory, session, login_as, upload_dir
):
    class Request(app.request_class):
        def _get_file_stream(self, *args, **kwargs):
            return _BreakingFileStream()

    monkeypatch.setattr(app, "request_class", Request)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    browser, case = _draft(factory, session, login_as)
    before = _files(upload_dir)
    response = browser.post(
        f"/cases/{case.id}/documents",
        {"file": (io.BytesIO(pdf_bytes("x" * 1_000_000)), "big.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 500
    _no_stack_trace(response.get_data(as_text=True))
    assert _files(upload_dir) == before  # the half-written temporary file is gone
    assert _documents(session, case) == 0


# --- a worker killed for real --------------------------------------------------------------

INVESTOR_EMAIL, INVESTOR_PASSWORD = "killed.upload@example.com", "correct horse battery 99"


class _Client:
    """Just enough of a browser for a live portal: cookies, CSRF tokens, no redirects."""

    def __init__(self, port: int) -> None:
        self.port, self.cookies = port, {}

    def request(self, method: str, path: str, body: bytes = b"", headers: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        conn.close()
        return response.status, response.headers, text

    def form(self, path: str, fields: dict[str, str], token_from: str):
        from urllib.parse import urlencode

        status, _headers, page = self.request("GET", token_from)
        fields = {"csrf_token": CSRF_RE.search(page).group(1), **fields}
        return self.request(
            "POST",
            path,
            urlencode(fields).encode(),
            {"Content-Type": "application/x-www-form-urlencoded"},
        )


def _deleted_files_in(pid: int, directory: Path) -> list[str]:
    """The files the process holds open in `directory` that have no name any more (an
    anonymous temporary file shows as '<dir>/#123 (deleted)'; where the file system has no
    O_TMPFILE, Python names the file and unlinks it at once: until then it is not one of
    these, and a kill in between would leave the name behind through no fault of ours)."""
    found = []
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith(str(directory)) and target.endswith(" (deleted)"):
            found.append(target)
    return found


@pytest.fixture
def live_portal(tmp_path: Path) -> Iterator[tuple[subprocess.Popen, int, Path, Path]]:
    """A portal of its own (SQLite, its own upload and temporary directories) in a
    subprocess that the test may kill."""
    instance = tmp_path / "instance"
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir(parents=True)
    env = _portal_env(f"sqlite:///{tmp_path / 'portal.db'}", instance)
    env["TMPDIR"] = str(tmpdir)
    _flask(env, "init-db")
    _flask(
        env,
        "create-user",
        "--role", "investor",
        "--email", INVESTOR_EMAIL,
        "--name", "Killed Upload",
        "--password", INVESTOR_PASSWORD,
    )  # fmt: skip
    port = _free_port()
    with (instance / "server.log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "wsgi", "run",
             "--host", "127.0.0.1", "--port", str(port), "--no-reload", "--no-debugger"],
            cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        _wait_until_up(process, f"http://127.0.0.1:{port}/", _Log(instance / "server.log"))
        yield process, port, instance / "uploads", tmpdir
    finally:
        _stop(process)


class _Log:
    def __init__(self, path: Path) -> None:
        self.path = path

    def log_tail(self) -> str:
        return self.path.read_text(errors="replace")[-3000:] if self.path.exists() else ""


@pytest.mark.engine_free  # the portal it kills runs on a SQLite file of its own
def test_a_worker_killed_during_an_upload_leaves_no_file(live_portal):
    process, port, uploads, tmpdir = live_portal
    client = _Client(port)
    status, _h, _p = client.form(
        "/login", {"email": INVESTOR_EMAIL, "password": INVESTOR_PASSWORD}, "/login"
    )
    assert status == 302
    status, headers, _p = client.form("/cases/new", {"client_token": "killed-1"}, "/cases/")
    case_id = int(re.search(r"/cases/(\d+)/", headers["Location"]).group(1))
    _s, _h, page = client.request("GET", f"/cases/{case_id}/documents")
    token = CSRF_RE.search(page).group(1)

    data = pdf_bytes("y" * 3_000_000)
    boundary = "killed-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.putrequest("POST", f"/cases/{case_id}/documents")
    conn.putheader("Cookie", "; ".join(f"{k}={v}" for k, v in client.cookies.items()))
    conn.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
    conn.putheader("Content-Length", str(len(body)))
    conn.endheaders()
    conn.send(body[: len(body) // 2])
    # The worker is receiving: the part of the file that arrived is spooled to a temp file.
    deadline = time.monotonic() + 10
    while not _deleted_files_in(process.pid, tmpdir) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _deleted_files_in(process.pid, tmpdir), "the upload never reached the worker"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    conn.close()
    assert _files(tmpdir) == []  # the spooled body died with the process
    assert [name for name in _files(uploads) if not name.startswith(".")] == []
    assert [name for name in _files(uploads) if name.startswith(files.PART_PREFIX)] == []


KILL_WHILE_COPYING = textwrap.dedent(
    """
    import io, os, signal, sys
    from sqlalchemy.orm import Session
    from dispute_portal.cases import uploads

    class Dies(io.RawIOBase):
        # a worker killed (SIGKILL: no except, no finally) half-way through the copy
        def __init__(self):
            self.sent = 0
        def readable(self):
            return True
        def readinto(self, buffer):
            if self.sent >= 3 * uploads.CHUNK:
                os.kill(os.getpid(), signal.SIGKILL)
            buffer[:len(buffer)] = b"x" * len(buffer)
            self.sent += len(buffer)
            return len(buffer)

    uploads.save_upload(Session(), io.BufferedReader(Dies()), sys.argv[1], 2**30)
    """
)


def test_a_worker_killed_while_storing_leaves_a_temporary_file_that_is_swept(tmp_path):
    uploads = tmp_path / "uploads"
    process = subprocess.run(
        [sys.executable, "-c", KILL_WHILE_COPYING, str(uploads)],
        cwd=ROOT,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert process.returncode == -signal.SIGKILL, process.stderr
    (left,) = uploads.iterdir()  # SIGKILL runs no cleanup: the temporary file stays ...
    assert left.name.startswith(files.PART_PREFIX) and left.name.endswith(files.PART_SUFFIX)
    assert left.stat().st_size >= 3 * UPLOAD_CHUNK

    in_flight = uploads / f"{files.PART_PREFIX}another-worker{files.PART_SUFFIX}"
    in_flight.write_bytes(b"an upload in progress")
    document = uploads / "0123456789abcdef0123456789abcdef.pdf"
    document.write_bytes(pdf_bytes())
    hour_ago = time.time() - files.STALE_AFTER - 60
    os.utime(left, (hour_ago, hour_ago))
    os.utime(document, (hour_ago, hour_ago))

    class App:  # what files.init_app reads at start-up
        config = {"UPLOAD_DIR": str(uploads)}
        request_class = Request

    files.init_app(App())
    # ... until the start-up sweep: stale temporary files go, a young one (an upload in
    # progress in another worker) and the documents stay.
    assert _files(uploads) == sorted([in_flight.name, document.name])


def test_stale_temporary_files_are_swept_before_an_upload_too(
    factory, session, login_as, upload_dir
):
    stale = upload_dir / f"{files.PART_PREFIX}killed{files.PART_SUFFIX}"
    stale.write_bytes(b"half an upload")
    hour_ago = time.time() - files.STALE_AFTER - 60
    os.utime(stale, (hour_ago, hour_ago))
    files._last_sweep.pop(str(upload_dir), None)  # this worker has not swept yet
    browser, case = _draft(factory, session, login_as)
    response = browser.post(
        f"/cases/{case.id}/documents",
        {"file": (io.BytesIO(pdf_bytes()), "claim.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert not stale.exists()


# --- files follow the transaction they were written in ---------------------------------------


def _written(session, directory: Path, name: str) -> Path:
    path = directory / name
    path.write_bytes(b"data")
    files.delete_on_rollback(session, path)
    return path


def test_a_file_written_in_a_released_savepoint_goes_if_the_transaction_rolls_back(
    session, tmp_path
):
    session.commit()
    with session.begin_nested():
        inner = _written(session, tmp_path, "inner.pdf")
    assert inner.exists()
    session.rollback()
    assert not inner.exists()


def test_a_rolled_back_savepoint_takes_only_its_own_files(session, tmp_path):
    session.commit()
    outer = _written(session, tmp_path, "outer.pdf")
    savepoint = session.begin_nested()
    inner = _written(session, tmp_path, "inner.pdf")
    savepoint.rollback()
    assert not inner.exists() and outer.exists()
    session.commit()
    assert outer.exists()


def test_a_deleted_file_goes_only_when_the_outermost_transaction_commits(session, tmp_path):
    session.commit()
    kept = tmp_path / "kept.pdf"
    kept.write_bytes(b"x")
    with session.begin_nested():
        files.delete_after_commit(session, kept)
    assert kept.exists()  # a released savepoint is not a commit
    session.rollback()
    assert kept.exists()  # and the deletion never happened

    files.delete_after_commit(session, kept)
    session.commit()
    assert not kept.exists()


def test_a_file_goes_even_when_the_rollback_itself_fails(connection, session, tmp_path):
    session.commit()
    path = _written(session, tmp_path, "orphan.pdf")
    session.flush()
    with (
        _database_fails(connection, lambda statement: statement.startswith("ROLLBACK")),
        pytest.raises(OperationalError),
    ):
        session.rollback()
    assert not path.exists()


# --- the database gone during a transition ----------------------------------------------------


@contextmanager
def _database_fails(connection, when: Callable[[str], bool]) -> Iterator[list[str]]:
    """Every statement `when` picks fails as a lost connection would.

    A commit that fails is a transaction the server never committed: in the tests the
    request's commit is the release of its savepoint, so its work is rolled back first.
    """
    failed: list[str] = []

    def before(_conn, cursor, statement, parameters, _context, _executemany):
        if when(statement):
            failed.append(statement)
            if statement.startswith("RELEASE SAVEPOINT"):
                name = statement.removeprefix("RELEASE SAVEPOINT").strip()
                cursor.execute(f"ROLLBACK TO SAVEPOINT {name}")
            raise OperationalError(statement, parameters, Exception("server closed the connection"))
        return statement, parameters

    event.listen(connection, "before_cursor_execute", before, retval=True)
    try:
        yield failed
    finally:
        event.remove(connection, "before_cursor_execute", before)


def _is(prefix: str) -> Callable[[str], bool]:
    return lambda statement: statement.lstrip().upper().startswith(prefix)


class _After:
    """From the first statement `first` picks on, every statement fails: the database gone."""

    def __init__(self, first: Callable[[str], bool]) -> None:
        self.first, self.gone = first, False

    def __call__(self, statement: str) -> bool:
        self.gone = self.gone or self.first(statement)
        return self.gone


FAILURES = {
    "at_the_ruling_insert": lambda: _is("INSERT INTO RULINGS"),
    "at_the_case_update": lambda: _is("UPDATE CASES"),
    "at_the_commit": lambda: _is("RELEASE SAVEPOINT"),  # the request's commit, in the tests
    "for_good_from_the_ruling_on": lambda: _After(_is("INSERT INTO RULINGS")),
}


@pytest.mark.parametrize("failure", sorted(FAILURES))
def test_the_database_gone_during_a_ruling_transition_changes_nothing(
    failure, app, monkeypatch, connection, factory, session, login_as
):
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)  # as in production
    rulings_dir = Path(app.config["RULINGS_DIR"])
    case = factory.case(CaseState.SUBMITTED)
    session.commit()
    browser, _clerk = login_as("clerk")
    state, version = case.state, case.version
    events = session.scalar(select(func.count()).where(CaseEvent.case_id == case.id))
    rulings = session.scalar(select(func.count()).where(Ruling.case_id == case.id))
    files_before = _files(rulings_dir)

    with _database_fails(connection, FAILURES[failure]()) as failed:
        response = browser.post(f"/registry/cases/{case.id}/register", {"version": str(version)})
    assert failed, "the failure was never triggered"
    assert response.status_code == 500
    _no_stack_trace(response.get_data(as_text=True))
    assert _files(rulings_dir) == files_before  # the registration notice's PDF is gone
    if failure.startswith("for_good"):
        # Even the rollback failed: what the dead connection did is discarded by the database
        # server, which the test connection (still alive) cannot show.
        return

    session.expire_all()
    case = session.get(Case, case.id)
    assert (case.state, case.version, case.number) == (state, version, None)
    assert session.scalar(select(func.count()).where(CaseEvent.case_id == case.id)) == events
    assert session.scalar(select(func.count()).where(Ruling.case_id == case.id)) == rulings
    assert _files(rulings_dir) == files_before  # the registration notice's PDF is gone

    # And the same request, the database back, goes through (nothing was left half-done).
    assert (
        browser.post(f"/registry/cases/{case.id}/register", {"version": str(version)}).status_code
        == 302
    )
    session.expire_all()
    assert session.get(Case, case.id).state is CaseState.REGISTERED
    assert len(_files(rulings_dir)) == len(files_before) + 1
