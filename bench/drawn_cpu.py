"""Drawn CPU (issue 14): what one page costs to draw from scratch, in this process, for the
portal (its page cache off) and for the minimal comparison page (bench/minimal), side by
side, in the same run.

Both apps get the same login cookie (the portal's, made by a real login through the portal)
and the same requests through Flask's test client (no HTTP, no gunicorn). For each page:
`warmup` requests, then `rounds` rounds of `requests` requests each, the two apps taking turns
round by round so that a noisy moment hits both; a round's CPU is time.process_time() over
it (this process, every thread), divided by its requests; the median round is reported.
The database's CPU: on SQLite it runs inside this process, so it is inside the app's figure
(reported as such, "in app"); on PostgreSQL it is the server's backend process of each
connection the app opened (pg_backend_pid(), read when the connection is made), its
utime + stime from /proc/<pid>/stat before and after the round (the server is local). The
statements each request sends are counted (BEGIN, SAVEPOINT and RELEASE left out).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from dataclasses import dataclass, field
from typing import Any

import build_data
import minimal
from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from support import CSRF, ROOT, cpu_seconds

sys.path.insert(0, str(ROOT))  # the checkout's package (before any of it is imported)

# Neither imports the portal's settings (config.py reads the environment when it is
# imported): create_app does, after measure() has set the bench database's environment.
from dispute_portal import create_app  # noqa: E402
from dispute_portal.db import db  # noqa: E402

HEADERS = {"User-Agent": "portal-speed-bench", "Accept-Language": "en"}
NOT_COUNTED = ("SAVEPOINT", "RELEASE", "BEGIN", "ROLLBACK", "COMMIT")


@dataclass
class Meter:
    """One app's engine, watched: statements sent, and its PostgreSQL backends."""

    engine: Engine
    statements: int = 0
    backends: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        event.listen(self.engine, "before_cursor_execute", self._count)
        if self.engine.dialect.name == "postgresql":
            event.listen(self.engine, "connect", self._backend)
            self.engine.dispose()  # every connection from here on is seen being made

    def _count(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip().upper().startswith(NOT_COUNTED):
            self.statements += 1

    def _backend(self, dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("SELECT pg_backend_pid()")
        self.backends.add(int(cursor.fetchone()[0]))
        cursor.close()

    def db_seconds(self) -> float | None:
        if self.engine.dialect.name != "postgresql":
            return None
        return sum(cpu_seconds(pid) or 0.0 for pid in self.backends)


@dataclass
class Subject:
    name: str
    client: Any
    meter: Meter


def _round(subject: Subject, path: str, cookie: str | None, requests: int) -> dict[str, Any]:
    headers = dict(HEADERS)
    if cookie:
        headers["Cookie"] = cookie
    db_before = subject.meter.db_seconds()
    statements = subject.meter.statements
    cache: dict[str, int] = {}
    started = time.process_time()
    for _ in range(requests):
        answer = subject.client.get(path, headers=headers)
        if answer.status_code != 200:
            raise SystemExit(f"{subject.name}: GET {path} answered {answer.status_code}")
        seen = answer.headers.get("X-Page-Cache", "none")
        cache[seen] = cache.get(seen, 0) + 1
    app = (time.process_time() - started) / requests * 1000
    db_after = subject.meter.db_seconds()
    return {
        "app_ms": app,
        "db_ms": None if db_before is None else (db_after - db_before) / requests * 1000,
        "queries": (subject.meter.statements - statements) / requests,
        "cache": cache,
    }


def _summary(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    app = statistics.median(r["app_ms"] for r in rounds)
    dbs = [r["db_ms"] for r in rounds if r["db_ms"] is not None]
    db = statistics.median(dbs) if dbs else None
    cache: dict[str, int] = {}
    for r in rounds:
        for k, n in r["cache"].items():
            cache[k] = cache.get(k, 0) + n
    return {
        "app_ms": round(app, 2),
        "db_ms": None if db is None else round(db, 2),
        "total_ms": round(app + (db or 0.0), 2),
        "queries": round(statistics.median(r["queries"] for r in rounds), 1),
        "page_cache": cache,
    }


def portal(place: build_data.Place, secret_key: str, config: dict[str, Any]) -> Flask:
    """The portal in this process, on the bench database (its environment set first: the
    portal reads its settings when create_app first imports them)."""
    os.environ.update(place.env({}))
    app: Flask = create_app({"SECRET_KEY": secret_key, **config})
    return app


def measure(
    place: build_data.Place,
    portal_app: Flask,
    cookies: dict[str, str],
    pages: list[tuple[str, str, str | None]],
    *,
    requests: int,
    rounds: int,
    warmup: int,
) -> list[dict[str, Any]]:
    """`pages` are (name, path, who: a key of `cookies`, or None); the minimal app draws
    the docket, the caseload, the case page and /healthz (other pages: portal only)."""
    portal = Subject(
        "portal", portal_app.test_client(use_cookies=False), Meter(db.engine_for(portal_app))
    )
    floor_app = minimal.create_app(place.url, portal_app.config["SECRET_KEY"])
    floor = Subject(
        "minimal",
        floor_app.test_client(use_cookies=False),
        Meter(floor_app.extensions["minimal_engine"]),
    )
    results = []
    for name, path, who in pages:
        cookie = cookies[who] if who else None
        subjects = [portal] + ([floor] if minimal.draws(path) else [])
        for subject in subjects:
            for _ in range(warmup):
                subject.client.get(
                    path, headers={**HEADERS, **({"Cookie": cookie} if cookie else {})}
                )
        measured: dict[str, list[dict[str, Any]]] = {s.name: [] for s in subjects}
        for _ in range(rounds):
            for subject in subjects:
                measured[subject.name].append(_round(subject, path, cookie, requests))
        row: dict[str, Any] = {"name": name, "path": path}
        for subject in subjects:
            row[subject.name] = _summary(measured[subject.name])
        if "minimal" in row and row["minimal"]["total_ms"]:
            row["ratio"] = round(row["portal"]["total_ms"] / row["minimal"]["total_ms"], 2)
        results.append(row)
        print(f"  drawn: {name} done", flush=True)
    return results


def login(app: Flask, email: str, password: str) -> str:
    """A real login through the portal's form (its CSRF token), then the page it leads to,
    so the cookie carries the session's CSRF token as a browser's does."""
    client = app.test_client()
    page = client.get("/login", headers=HEADERS).get_data(as_text=True)
    found = CSRF.search(page)
    if found is None:
        raise SystemExit("the login page has no CSRF token")
    answer = client.post(
        "/login",
        data={"csrf_token": found.group(1), "email": email, "password": password, "next": ""},
        headers=HEADERS,
    )
    if answer.status_code != 302:
        raise SystemExit(f"logging in as {email} in-process failed: {answer.status_code}")
    client.get(answer.headers["Location"], headers=HEADERS)
    cookie = client.get_cookie(app.config.get("SESSION_COOKIE_NAME", "session"))
    if cookie is None:
        raise SystemExit(f"no session cookie after logging in as {email}")
    return f"{cookie.key}={cookie.value}"
