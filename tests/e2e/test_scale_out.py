"""Two machines behind a load balancer: nothing lives in one process.

Two gunicorn servers (two workers each) share one database, one Redis and one documents
directory, as two machines behind a load balancer would. A person's requests may land on
either, so: a login made on one is a login on the other, and a logout on one ends it on
both; failed logins are counted in Redis, whichever machine saw them; a document uploaded
through one downloads, identical, through the other. (Background jobs across machines:
tests/test_printing.py runs a print batch through Redis on an RQ worker.) Several machines
share one PostgreSQL (README, "Several machines"), never one SQLite file: the PostgreSQL
pass runs it.
"""

from __future__ import annotations

import http.cookiejar
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass

import pytest

from tests.conftest import worker_redis_url
from tests.factories import pdf_bytes

from .conftest import (
    LiveServer,
    _flask,
    _own_database,
    _portal_env,
    _serve,
)

pytestmark = pytest.mark.postgres_only

REDIS_DB = worker_redis_url(1)  # this test's own Redis database, emptied first
PASSWORD = "granite lantern meadow 4471"
CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


@dataclass
class Cluster:
    machines: list[LiveServer]
    investor: str
    clerk: str


def _redis_or_fail():
    import redis

    client = redis.Redis.from_url(REDIS_DB, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.fail(f"Redis is needed on 127.0.0.1:6379 (`make redis`): {exc}", pytrace=False)
    return client


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    _redis_or_fail().flushdb()
    shared = tmp_path_factory.mktemp("shared")  # the documents' shared storage
    with _own_database(tmp_path_factory, "cluster") as database_url:
        env = _portal_env(database_url, shared)
        env.update(RATELIMIT_STORAGE_URI=REDIS_DB, REDIS_URL=REDIS_DB, JOB_RUNNER="rq")
        _flask(env, "init-db")
        people = {"investor": "investor.cluster@example.com", "clerk": "clerk.cluster@example.com"}
        for role, email in people.items():
            _flask(env, "create-user", "--role", role, "--email", email,
                   "--name", f"Cluster {role}", "--password", PASSWORD)  # fmt: skip
        with ExitStack() as stack:
            machines = [
                stack.enter_context(_serve(env, shared, gunicorn, log_name=f"machine{n}.log"))
                for n in (1, 2)
            ]
            yield Cluster(machines, people["investor"], people["clerk"])


def gunicorn(port: int) -> list[str]:
    """One machine: gunicorn with two workers."""
    return [sys.executable, "-m", "gunicorn", "--workers", "2",
            "--bind", f"127.0.0.1:{port}", "wsgi:app"]  # fmt: skip


class Person:
    """One browser: its cookies go to whichever machine it asks."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def get(self, url: str) -> tuple[int, str, dict[str, str]]:
        return self._send(urllib.request.Request(url))  # noqa: S310 - our loopback servers

    def post(self, url: str, form_page: str, fields: dict[str, str], *, files=None):
        """POST a form with the CSRF token of `form_page` (a page the form is on)."""
        _, page, _ = self.get(form_page)
        data = {"csrf_token": CSRF.search(page).group(1), **fields}
        if files:
            body, ctype = _multipart(data, files)
        else:
            body, ctype = urllib.parse.urlencode(data).encode(), "application/x-www-form-urlencoded"
        request = urllib.request.Request(url, body, {"Content-Type": ctype})  # noqa: S310
        return self._send(request)

    def _send(self, request) -> tuple[int, str, dict[str, str]]:
        try:
            with self.opener.open(request, timeout=60) as response:
                raw = response.read()
                return response.status, _text(raw, response.headers), dict(response.headers)
        except urllib.error.HTTPError as exc:
            with exc:
                return exc.code, _text(exc.read(), exc.headers), dict(exc.headers)

    def login(self, machine: LiveServer, email: str, password: str = PASSWORD) -> int:
        status, _, _ = self.post(
            f"{machine.url}/login", f"{machine.url}/login", {"email": email, "password": password}
        )
        return status


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer to look at, not to follow


def _text(raw: bytes, headers) -> str:
    return raw.decode() if "text" in (headers.get("Content-Type") or "") else ""


def _multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]):
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(f"{head}{value}\r\n".encode())
    for name, (filename, data) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        )
        parts.append(head.encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def test_a_login_on_one_machine_holds_on_the_other_and_a_logout_ends_it_on_both(cluster):
    one, two = cluster.machines
    person = Person()
    assert person.login(one, cluster.clerk) == 302
    for machine in (one, two, one, two):
        status, page, _ = person.get(f"{machine.url}/registry/intake")
        assert status == 200 and "Cluster clerk" in page
    status, _, _ = person.post(f"{two.url}/logout", f"{two.url}/registry/intake", {})
    assert status == 302
    for machine in (one, two):
        status, _, headers = person.get(f"{machine.url}/registry/intake")
        assert status == 302 and headers["Location"].startswith("/login")


def test_failed_logins_are_counted_whichever_machine_saw_them(cluster):
    one, two = cluster.machines
    attempts = [Person().login(m, cluster.investor, "wrong password") for m in (one, two, one)]
    assert attempts == [200, 200, 200]  # three failures, spread over both machines
    # The fourth attempt, on the machine that saw only one failure, is paused: the count
    # lives in Redis, not in the process that happened to answer.
    assert Person().login(two, cluster.investor) == 429


def test_a_document_uploaded_through_one_machine_downloads_from_the_other(cluster):
    one, two = cluster.machines
    _redis_or_fail().flushdb()  # the previous test paused the investor's logins
    person = Person()
    assert person.login(one, cluster.investor) == 302
    status, _, headers = person.post(
        f"{one.url}/cases/new", f"{one.url}/cases/", {"client_token": uuid.uuid4().hex}
    )
    assert status == 302
    case_path = re.match(r"(?:https?://[^/]+)?(/cases/\d+)", headers["Location"]).group(1)
    content = pdf_bytes("evidence shared by both machines")
    status, _, _ = person.post(
        f"{two.url}{case_path}/documents",
        f"{two.url}{case_path}/documents",
        {},
        files={"file": ("Evidence.pdf", content)},
    )
    assert status == 302
    _, page, _ = person.get(f"{one.url}{case_path}/documents")
    link = re.search(rf'href="({case_path}/documents/\d+)"', page).group(1)
    for machine in (one, two):
        request = urllib.request.Request(f"{machine.url}{link}")  # noqa: S310
        with person.opener.open(request, timeout=60) as response:
            assert response.status == 200 and response.read() == content
