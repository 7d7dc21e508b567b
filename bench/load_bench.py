"""The portal under load: simulated users against gunicorn, then the books are checked.

    .venv/bin/python bench/load_bench.py             # PostgreSQL, 50 users, 60 s
    .venv/bin/python bench/load_bench.py --sqlite --seconds 20

(from the repository's root).

Sets up a throw-away installation (its own database `load_<pid>` on the local PostgreSQL,
user postgres, or SQLite with --sqlite; instance, uploads and rulings in a temp dir), fills
it with the demo data and the bench's accounts, starts gunicorn on a free loopback port
and lets --users simulated users (threads, each with its own cookie jar) work for
--seconds: investors file claims (every section, a PDF, submit), clerks register the
submitted ones (racing each other: a refusal is a correct answer), neutrals browse their
caseload. Then it checks in the database that every submission a client saw succeed is
there, whole, and runs `audit verify` and `documents verify`. Exit status 1 on any 5xx,
any lost submission or a broken chain (or a failed setup). See bench/README.md.
"""

from __future__ import annotations

import argparse
import http.client
import http.cookiejar
import json
import os
import random
import re
import resource
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from support import (
    BIN,
    CSRF,
    PG_ADMIN,
    ROOT,
    NoRedirect,
    Sampler,
    children,
    cpu_seconds,
    flask,
    free_port,
    percentile,
    small_pdf,
    start_gunicorn,
    stop_gunicorn,
    wait_ready,
)

PASSWORD = "Alatau-Demo-2026!"  # noqa: S105 - the demo's (README.md); the bench's accounts share it
NEUTRALS = (  # demo accounts with a caseload to browse (README.md, "Demo logins")
    "mediator@demo.adr.kz",
    "mediator2@demo.adr.kz",
    "arbitrator@demo.adr.kz",
    "arbitrator2@demo.adr.kz",
    "arbitrator3@demo.adr.kz",
)
REQUEST_TIMEOUT = 60  # seconds a client waits for one answer

VERSION = re.compile(r'name="version"[^>]*value="(\d+)"')
CLIENT_TOKEN = re.compile(r'name="client_token"[^>]*value="([^"]+)"')
FLASH_ERROR = re.compile(r'class="flash flash-error"[^>]*>([^<]*)<')
REFERENCE = re.compile(r"\bF-\d{6}\b")


class Interrupted(Exception):
    """The hard time limit or a signal: stop and clean up."""


class Abort(Exception):
    """This user's current errand went wrong (already recorded); start the next one."""


class NoAnswer(Abort):
    """The request got no HTTP answer at all (refused, reset, timed out)."""


# Recording -----------------------------------------------------------------------------------


def route_of(path: str) -> str:
    return re.sub(r"/\d+", "/<id>", path.split("?", 1)[0])


@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    server_errors: list[dict] = field(default_factory=list)
    unexpected: Counter = field(default_factory=Counter)
    unexpected_example: dict = field(default_factory=dict)
    transport: Counter = field(default_factory=Counter)
    submissions: dict[int, str] = field(default_factory=dict)  # case id -> filing reference
    submit_unknown: set[int] = field(default_factory=set)  # no answer seen
    submit_refused: Counter = field(default_factory=Counter)
    double_submit: Counter = field(default_factory=Counter)
    double_click: Counter = field(default_factory=Counter)
    drafts: set[int] = field(default_factory=set)
    registrations: set[int] = field(default_factory=set)
    register_refused: Counter = field(default_factory=Counter)
    register_gone: int = 0  # opened a case another clerk had registered meanwhile
    logins: int = 0
    first: float | None = None
    last: float | None = None

    def request(self, kind: str, status: int, latency: float, at: float) -> None:
        with self.lock:
            self.latencies[kind].append(latency)
            self.statuses[kind][status] += 1
            self.first = at if self.first is None else min(self.first, at)
            self.last = at + latency if self.last is None else max(self.last, at + latency)

    def note(self, counter: str, key, example: str | None = None) -> None:
        with self.lock:
            getattr(self, counter)[key] += 1
            if example is not None and key not in self.unexpected_example:
                self.unexpected_example[key] = example


@dataclass
class Response:
    status: int
    location: str  # the redirect's path, "" if none
    text: str


class Client:
    """One browser: a cookie jar, and every request recorded."""

    def __init__(self, base: str, stats: Stats) -> None:
        self.base = base
        self.stats = stats
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )
        self.referer = base + "/"

    def call(
        self,
        kind: str,
        method: str,
        path: str,
        *,
        form: dict | None = None,
        body: bytes | None = None,
        content_type: str | None = None,
        expect: tuple[int, ...] = (200,),
    ) -> Response:
        headers = {"Accept-Language": "en", "User-Agent": "portal-load-bench"}
        request_id = uuid.uuid4().hex
        headers["X-Request-ID"] = request_id
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            content_type = "application/x-www-form-urlencoded"
        if method == "POST":
            headers["Origin"] = self.base
            headers["Referer"] = self.referer
            headers["Content-Type"] = content_type or "application/octet-stream"
        url = self.base + path  # always http://127.0.0.1:<port>/...
        request = urllib.request.Request(url, data=body, method=method)  # noqa: S310
        for name, value in headers.items():
            request.add_header(name, value)
        started_wall, started = time.time(), time.perf_counter()
        try:
            try:
                with self.opener.open(request, timeout=REQUEST_TIMEOUT) as answer:
                    status, head, raw = answer.status, answer.headers, answer.read()
            except urllib.error.HTTPError as exc:
                status, head, raw = exc.code, exc.headers, exc.read()
                exc.close()
        except (OSError, http.client.HTTPException) as exc:
            reason = getattr(exc, "reason", exc)
            self.stats.note("transport", (kind, method, route_of(path), type(reason).__name__))
            raise NoAnswer from exc
        latency = time.perf_counter() - started
        self.stats.request(kind, status, latency, started_wall)
        text = raw.decode("utf-8", "replace")
        location = urllib.parse.urlsplit(head.get("Location", "")).path
        if status >= 500:
            with self.stats.lock:
                self.stats.server_errors.append(
                    {
                        "kind": kind,
                        "method": method,
                        "path": path,
                        "status": status,
                        "request_id": request_id,
                        "at": time.strftime("%H:%M:%S", time.localtime(started_wall)),
                    }
                )
            raise Abort
        if status not in expect:
            key = (kind, method, route_of(path), status)
            example = f"{path} -> {status} {location or _gist(text)}"
            self.stats.note("unexpected", key, example)
            raise Abort
        if method == "GET" and status == 200:
            self.referer = self.base + path
        return Response(status, location, text)


def _gist(text: str) -> str:
    flash = FLASH_ERROR.search(text)
    if flash:
        return flash.group(1).strip()
    title = re.search(r"<title>([^<]*)</title>", text)
    return title.group(1).strip() if title else text[:80]


def find(pattern: re.Pattern, text: str, what: str) -> str:
    match = pattern.search(text)
    if match is None:
        raise ValueError(f"no {what} in the page")
    return match.group(1)


def multipart(fields: dict[str, str], name: str, filename: str, data: bytes, ctype: str):
    boundary = "----portal-bench-" + secrets.token_hex(12)
    parts = []
    for key, value in fields.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'
        parts.append(f"{head}{value}\r\n".encode())
    parts.append(
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {ctype}\r\n\r\n'
        ).encode()
        + data
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


# The simulated users -------------------------------------------------------------------------


class User:
    role = "user"

    def __init__(self, index: int, email: str, base: str, stats: Stats, args, stop: float):
        self.index, self.email, self.stats, self.args, self.stop = index, email, stats, args, stop
        self.client = Client(base, stats)
        self.rng = random.Random(args.seed * 1000 + index)
        self.logged_in = False

    def live(self) -> bool:
        return time.monotonic() < self.stop

    def think(self) -> None:
        pause = self.rng.uniform(0, 2 * self.args.think)
        time.sleep(max(0.0, min(pause, self.stop - time.monotonic())))
        if not self.live():
            raise Abort

    def login(self) -> None:
        page = self.client.call("page", "GET", "/login", expect=(200, 302))
        if page.status == 302:  # the session from before still works
            self.logged_in = True
            return
        token = find(CSRF, page.text, "CSRF token")
        self.think()
        answer = self.client.call(
            "login",
            "POST",
            "/login",
            form={"csrf_token": token, "email": self.email, "password": PASSWORD, "next": ""},
            expect=(302,),
        )
        if answer.location.startswith("/login") or answer.location.startswith("/mfa"):
            self.stats.note("unexpected", ("login", "POST", "/login", answer.location))
            raise Abort
        self.logged_in = True
        with self.stats.lock:
            self.stats.logins += 1

    def logout(self, page_text: str) -> None:
        token = find(CSRF, page_text, "CSRF token")
        self.client.call("logout", "POST", "/logout", form={"csrf_token": token}, expect=(302,))
        self.logged_in = False

    def run(self) -> None:
        while self.live():
            try:
                if not self.logged_in:
                    self.login()
                    self.think()
                self.errand()
            except Abort:
                if self.live():
                    self.logged_in = False  # start over from a fresh login
                    time.sleep(0.5)
            except ValueError as exc:  # a page without the form the user came for
                self.stats.note("unexpected", (self.role, "parse", str(exc), 200))
                self.logged_in = False
                time.sleep(0.5)
            except Exception as exc:  # a bug of the bench, not of the portal: show it once
                self.stats.note("unexpected", (self.role, "bench", repr(exc)[:80], 0))
                time.sleep(1)

    def errand(self) -> None:
        raise NotImplementedError

    def browse_case(self, text: str, pattern: str = r'href="/cases/(\d+)"') -> None:
        ids = re.findall(pattern, text)
        if ids:
            self.think()
            self.client.call("page", "GET", f"/cases/{self.rng.choice(ids)}")


class Investor(User):
    role = "investor"

    def section_values(self, n: int) -> dict[str, dict[str, str]]:
        who = f"Load Investor {self.index}"
        return {
            "claimant": {
                "kind": self.rng.choice(["individual", "company"]),
                "name": f"{who} Holdings {n}",
                "country": self.rng.choice(["KZ", "DE", "CN", "US", "TR"]),
                "address": f"{n} Abai Avenue\nAlmaty",
                "email": self.email,
                "phone": "+7 727 000 00 00",
                "contact_person": who,
                "counsel_name": "",
                "counsel_firm": "",
                "counsel_email": "",
            },
            "respondent": {
                "kind": "state_body",
                "name": "Akimat of Alatau City",
                "country": "",
                "address": "",
                "email": "",
                "phone": "",
                "contact_person": "",
            },
            "investment": {
                "project_name": f"Solar park {self.index}-{n}",
                "sector": "energy",
                "location": "Alatau City",
                "amount_invested": "1 500 000.00",
                "invested_currency": "USD",
            },
            "dispute": {
                "summary": "The permit was revoked without notice. " * 20,
                "measures": "Revocation of the construction permit.",
                "legal_basis": "investment_law",
                "legal_basis_ref": "Article 12",
                "relief_sought": "Reinstatement of the permit and damages.",
                "amount_claimed": "2500000.50",
                "claimed_currency": "USD",
                "language": "en",
            },
        }

    def errand(self) -> None:
        c, n = self.client, self.rng.randrange(10**6)
        home = c.call("page", "GET", "/cases/")
        form = {
            "csrf_token": find(CSRF, home.text, "CSRF token"),
            "client_token": find(CLIENT_TOKEN, home.text, "client token"),
        }
        self.think()
        created = c.call("new", "POST", "/cases/new", form=form, expect=(302,))
        match = re.fullmatch(r"/cases/(\d+)/edit/claimant", created.location)
        if match is None:
            self.stats.note("unexpected", ("new", "POST", "/cases/new", created.location))
            raise Abort
        case_id = int(match.group(1))
        with self.stats.lock:
            self.stats.drafts.add(case_id)
        if self.rng.random() < self.args.double_click:  # the same form once more
            again = c.call("new", "POST", "/cases/new", form=form, expect=(302,))
            same = again.location == created.location
            self.stats.note("double_click", "same draft" if same else "ANOTHER DRAFT")
        for section, values in self.section_values(n).items():
            self.think()
            page = c.call("page", "GET", f"/cases/{case_id}/edit/{section}")
            self.think()
            c.call(
                "save",
                "POST",
                f"/cases/{case_id}/edit/{section}",
                form={"csrf_token": find(CSRF, page.text, "CSRF token"), **values, "continue": "1"},
                expect=(302,),
            )
        self.think()
        page = c.call("page", "GET", f"/cases/{case_id}/documents")
        body, ctype = multipart(
            {"csrf_token": find(CSRF, page.text, "CSRF token")},
            "file",
            f"exhibit-{self.index}-{n}.pdf",
            small_pdf(f"{self.index}-{n}-{secrets.token_hex(8)}"),
            "application/pdf",
        )
        self.think()
        c.call(
            "upload",
            "POST",
            f"/cases/{case_id}/documents",
            body=body,
            content_type=ctype,
            expect=(302,),
        )
        self.think()
        review = c.call("page", "GET", f"/cases/{case_id}/submit")
        form = {
            "csrf_token": find(CSRF, review.text, "CSRF token"),
            "version": find(VERSION, review.text, "version"),
        }
        self.think()
        try:
            submitted = c.call(
                "submit", "POST", f"/cases/{case_id}/submit", form=form, expect=(302,)
            )
        except NoAnswer:
            with self.stats.lock:
                self.stats.submit_unknown.add(case_id)
            raise
        if submitted.location != f"/cases/{case_id}/filed":
            page = c.call("page", "GET", submitted.location or f"/cases/{case_id}/submit")
            self.stats.note("submit_refused", _gist(page.text))
            raise Abort
        with self.stats.lock:
            self.stats.submissions[case_id] = ""
        if self.rng.random() < self.args.double_click:  # a double click on "Submit"
            again = c.call(
                "submit", "POST", f"/cases/{case_id}/submit", form=form, expect=(302, 403)
            )
            self.stats.note("double_submit", f"{again.status} {route_of(again.location)}".strip())
        filed = c.call("page", "GET", f"/cases/{case_id}/filed")
        reference = REFERENCE.search(filed.text)
        with self.stats.lock:
            self.stats.submissions[case_id] = reference.group(0) if reference else "?"
        self.think()
        mine = c.call("page", "GET", "/cases/")
        self.browse_case(mine.text)
        if self.rng.random() < 0.25:  # now and then: log out, log in again
            self.think()
            self.logout(mine.text)


class Clerk(User):
    role = "clerk"

    def errand(self) -> None:
        c = self.client
        intake = c.call("page", "GET", "/registry/intake")
        waiting = re.findall(r'href="/registry/cases/(\d+)"', intake.text)
        self.think()
        if waiting and self.rng.random() < 0.8:
            # The oldest few: clerks working the same queue meet on the same case.
            case_id = int(self.rng.choice(waiting[:3]))
            review = c.call("page", "GET", f"/registry/cases/{case_id}")
            version = VERSION.search(review.text)
            if version is None:  # "no longer waiting for screening"
                with self.stats.lock:
                    self.stats.register_gone += 1
                return
            self.think()
            answer = c.call(
                "register",
                "POST",
                f"/registry/cases/{case_id}/register",
                form={
                    "csrf_token": find(CSRF, review.text, "CSRF token"),
                    "version": version.group(1),
                },
                expect=(302,),
            )
            if answer.location == "/registry/intake":
                with self.stats.lock:
                    self.stats.registrations.add(case_id)
                return
            page = c.call("page", "GET", answer.location or f"/registry/cases/{case_id}")
            message = _gist(page.text)
            if "changed since you opened it" in message or "Not possible while" in message:
                self.stats.note("register_refused", message)
            else:
                self.stats.note("unexpected", ("register", "refusal", message, answer.status))
            return
        page = self.rng.choice(["", "?page=2", "?state=registered", "?overdue=y"])
        docket = c.call("page", "GET", f"/registry/docket{page}")
        self.browse_case(docket.text)
        if self.rng.random() < 0.05:
            self.think()
            self.logout(docket.text)


class Neutral(User):
    role = "neutral"

    def errand(self) -> None:
        c = self.client
        query = self.rng.choice(["", "", "?state=mediation", "?state=arbitration"])
        caseload = c.call("page", "GET", f"/caseload{query}")
        self.browse_case(caseload.text)
        self.think()
        if self.rng.random() < 0.05:
            self.logout(caseload.text)


# The installation ----------------------------------------------------------------------------

CREATE_USERS = """
import json, sys
from wsgi import app
from dispute_portal.auth.models import Role
from dispute_portal.auth.operations import create_user
from dispute_portal.db import db
spec = json.loads(sys.argv[1])
with app.app_context():
    for email, name, role in spec["users"]:
        create_user(db.session, email=email, name=name, password=spec["password"],
                    role=Role(role), locale="en")
    db.session.commit()
print(len(spec["users"]), "accounts")
"""


# The checks after the run --------------------------------------------------------------------


def check_books(url: str, stats: Stats, load_user_ids: set[int]) -> tuple[list[str], dict]:
    """Every submission a client saw is a whole case; nothing half-written anywhere."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    problems: list[str] = []
    try:
        with engine.connect() as conn:
            cases = {
                row.id: row
                for row in conn.execute(
                    text("SELECT id, state, submitted_at, number, claimant_user_id FROM cases")
                )
            }
            rulings: dict[str, Counter] = defaultdict(Counter)
            for case_id, kind in conn.execute(text("SELECT case_id, kind FROM rulings")):
                rulings[kind][case_id] += 1
            events: dict[str, Counter] = defaultdict(Counter)
            for case_id, action in conn.execute(text("SELECT case_id, action FROM case_events")):
                events[action][case_id] += 1
            documents = Counter(
                cid for (cid,) in conn.execute(text("SELECT case_id FROM documents"))
            )
    finally:
        engine.dispose()
    numbered = {"registered", "mediation", "settled", "impasse", "arbitration", "awarded"}
    for case_id in sorted(stats.submissions):
        row = cases.get(case_id)
        if row is None:
            problems.append(f"LOST: case {case_id} (submitted) is not in the database")
        elif row.state == "draft" or row.submitted_at is None:
            problems.append(f"LOST: case {case_id} (submitted) is {row.state}, not submitted")
        elif not rulings["filing_receipt"][case_id] or not events["submit"][case_id]:
            problems.append(f"LOST: case {case_id} has no filing receipt or submit event")
    for case_id in sorted(stats.registrations):
        row = cases.get(case_id)
        if row is None or row.state not in numbered or not row.number:
            problems.append(f"case {case_id} (registered) is not registered with a number")
        elif not rulings["registration_notice"][case_id] or not events["register"][case_id]:
            problems.append(f"case {case_id} (registered) has no notice or register event")
    for case_id, row in cases.items():
        if row.state != "draft" and row.submitted_at is None:
            problems.append(f"half-written: case {case_id} is {row.state} without submitted_at")
        if row.state in numbered and not row.number:
            problems.append(f"half-written: case {case_id} is {row.state} without a number")
        if rulings["filing_receipt"][case_id] != events["submit"][case_id]:
            problems.append(
                f"half-written: case {case_id} has {events['submit'][case_id]} submit events "
                f"and {rulings['filing_receipt'][case_id]} filing receipts"
            )
        if rulings["registration_notice"][case_id] != events["register"][case_id]:
            problems.append(
                f"half-written: case {case_id} has {events['register'][case_id]} register "
                f"events and {rulings['registration_notice'][case_id]} registration notices"
            )
        if row.state != "draft" and not documents[case_id]:
            problems.append(f"half-written: case {case_id} is {row.state} without documents")
    ours = {cid: row for cid, row in cases.items() if row.claimant_user_id in load_user_ids}
    figures = {
        "cases filed by the bench's investors": len(ours),
        "of them submitted or later": sum(1 for r in ours.values() if r.state != "draft"),
        "of them still drafts (unfinished at the end)": sum(
            1 for r in ours.values() if r.state == "draft"
        ),
        "of them registered": sum(1 for r in ours.values() if r.state in numbered),
        "submitted without the client seeing it": sorted(
            cid for cid, r in ours.items() if r.state != "draft" and cid not in stats.submissions
        ),
    }
    return problems, figures


# Main ----------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--sqlite", action="store_true", help="SQLite instead of PostgreSQL")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--think", type=float, default=0.5, help="mean pause between requests")
    parser.add_argument("--double-click", type=float, default=0.1, help="share of repeated POSTs")
    parser.add_argument("--setup-budget", type=float, default=180, help="seconds, on top")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the temp dir and database")
    args = parser.parse_args()
    if args.users < 3:
        parser.error("--users: at least 3 (an investor, a clerk, a neutral)")

    def interrupt(signum, _frame):
        raise Interrupted(signal.Signals(signum).name)

    signal.signal(signal.SIGALRM, interrupt)
    signal.signal(signal.SIGTERM, interrupt)
    signal.alarm(int(args.seconds + args.setup_budget))

    tmp = Path(tempfile.mkdtemp(prefix="portal-load-"))
    dbname = f"load_{os.getpid()}"
    server: subprocess.Popen | None = None
    created_db = False
    failed = True
    log_path = tmp / "gunicorn.log"
    try:
        if args.sqlite:
            url = f"sqlite:///{tmp / 'portal.db'}"
        else:
            import psycopg

            with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=10) as conn:
                conn.execute(f'CREATE DATABASE "{dbname}"')
            created_db = True
            url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{dbname}"
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = {
            **os.environ,
            "PORTAL_ENV": "development",
            "DATABASE_URL": url,
            "INSTANCE_PATH": str(tmp / "instance"),
            "UPLOAD_DIR": str(tmp / "uploads"),
            "RULINGS_DIR": str(tmp / "rulings"),
            "JOB_RUNNER": "thread",
            "SECRET_KEY": secrets.token_urlsafe(48),
            "PUBLIC_BASE_URL": base,
            "PYTHONUNBUFFERED": "1",
        }
        for name in ("MAIL_SERVER", "SIGNING_CERT", "CLAMD_SOCKET", "CLAMD_HOST"):
            env.pop(name, None)

        clerks = max(1, args.users // 10)
        neutrals = max(1, args.users // 10)
        investors = args.users - clerks - neutrals
        accounts = [
            (f"load-investor-{i}@example.com", f"Load Investor {i}", "investor")
            for i in range(investors)
        ] + [(f"load-clerk-{i}@example.com", f"Load Clerk {i}", "clerk") for i in range(clerks)]

        t0 = time.monotonic()
        flask(env, "init-db")
        flask(env, "seed-demo")
        subprocess.run(  # noqa: S603
            [
                str(BIN / "python"),
                "-c",
                CREATE_USERS,
                json.dumps({"users": accounts, "password": PASSWORD}),
            ],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            timeout=300,
        )
        setup_db = time.monotonic() - t0

        server = start_gunicorn(
            env,
            port,
            log_path,
            workers=args.workers,
            extra=("--access-logfile", str(tmp / "access.log")),
        )
        setup_server = wait_ready(server, base, workers=args.workers)

        load_ids = _user_ids(url, [a[0] for a in accounts])
        stats = Stats()
        sampler = Sampler(server.pid)
        sampler.sample()
        sampler.start()
        stop = time.monotonic() + args.seconds
        users: list[User] = []
        for i in range(args.users):
            if i < investors:
                users.append(Investor(i, accounts[i][0], base, stats, args, stop))
            elif i < investors + clerks:
                users.append(Clerk(i, accounts[i][0], base, stats, args, stop))
            else:
                email = NEUTRALS[(i - investors - clerks) % len(NEUTRALS)]
                users.append(Neutral(i, email, base, stats, args, stop))
        load_before = os.getloadavg()
        cpu_before = sum(c for c in map(cpu_seconds, children(server.pid)) if c is not None)
        threads = [threading.Thread(target=u.run, daemon=True) for u in users]
        own_before = resource.getrusage(resource.RUSAGE_SELF)
        run_started = time.monotonic()
        for thread in threads:
            thread.start()
            time.sleep(min(0.02, args.seconds / args.users / 10))  # not all in one instant
        for thread in threads:
            thread.join(timeout=max(0.0, stop - time.monotonic()) + REQUEST_TIMEOUT + 5)
        run_wall = time.monotonic() - run_started
        own_after = resource.getrusage(resource.RUSAGE_SELF)
        bench_cpu = (own_after.ru_utime - own_before.ru_utime) + (
            own_after.ru_stime - own_before.ru_stime
        )
        stragglers = sum(t.is_alive() for t in threads)
        sampler.stop()
        load_after = os.getloadavg()
        server_cpu = sum(sampler.cpu.values()) - cpu_before

        t_check = time.monotonic()
        problems, figures = check_books(url, stats, load_ids)
        audit = flask(env, "audit", "verify", timeout=300, check=False)
        has_documents_verify = (
            flask(env, "documents", "--help", timeout=120, check=False).returncode == 0
        )
        documents = (
            flask(env, "documents", "verify", timeout=300, check=False)
            if has_documents_verify
            else None
        )
        check_time = time.monotonic() - t_check

        failed = report(
            args=args,
            mix=(investors, clerks, neutrals),
            stats=stats,
            run_wall=run_wall,
            stragglers=stragglers,
            sampler=sampler,
            server_cpu=server_cpu,
            bench_cpu=bench_cpu,
            loads=(load_before, load_after),
            problems=problems,
            figures=figures,
            audit=audit,
            documents=documents,
            timings=(setup_db, setup_server, check_time),
            url=url,
        )
        if failed:
            print_log_tail(log_path, stats)
        return 1 if failed else 0
    except Interrupted as exc:
        print(f"\nInterrupted ({exc}): cleaning up.", file=sys.stderr)
        print_log_tail(log_path, None)
        return 1
    except KeyboardInterrupt:
        print("\nInterrupted (Ctrl-C): cleaning up.", file=sys.stderr)
        failed = False  # asked for: nothing to keep for a post-mortem
        return 1
    except (SystemExit, subprocess.SubprocessError) as exc:
        detail = getattr(exc, "stderr", None)
        print(f"Setup failed: {exc}", file=sys.stderr)
        if detail:
            print(detail.decode() if isinstance(detail, bytes) else detail, file=sys.stderr)
        print_log_tail(log_path, None)
        return 1
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not skip cleanup
        stop_gunicorn(server)
        if created_db and not args.keep:
            import psycopg

            try:
                with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=10) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
            except psycopg.Error as exc:
                print(f"could not drop database {dbname}: {exc}", file=sys.stderr)
        if args.keep or failed:
            print(f"(kept {tmp}{'' if args.sqlite or not args.keep else f' and {dbname}'})")
        if not (args.keep or failed):
            shutil.rmtree(tmp, ignore_errors=True)
        signal.signal(signal.SIGINT, signal.default_int_handler)


def _user_ids(url: str, emails: list[str]) -> set[int]:
    from sqlalchemy import bindparam, create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            query = text("SELECT id FROM users WHERE email IN :emails").bindparams(
                bindparam("emails", expanding=True)
            )
            return {row[0] for row in conn.execute(query, {"emails": emails})}
    finally:
        engine.dispose()


def print_log_tail(path: Path, stats: Stats | None, lines: int = 80) -> None:
    if not path.exists():
        return
    text = path.read_text(errors="replace").splitlines()
    if stats is not None and stats.server_errors:
        for error in stats.server_errors[:5]:
            hits = [i for i, line in enumerate(text) if error["request_id"] in line]
            if hits:
                start = hits[0]
                end = next(
                    (j for j in range(start + 1, len(text)) if text[j].startswith("[")),
                    len(text),
                )
                print(f"\n--- server log for {error['method']} {error['path']} ---")
                print("\n".join(text[start : min(end, start + 60)]))
    print(f"\n--- last {lines} lines of {path} ---")
    print("\n".join(text[-lines:]))


def report(**r) -> bool:
    args, stats = r["args"], r["stats"]
    investors, clerks, neutrals = r["mix"]
    total = sum(len(v) for v in stats.latencies.values())
    span = (stats.last - stats.first) if stats.first is not None else 0.0
    fives = len(stats.server_errors)
    print()
    print(f"Dispute Portal under load ({'SQLite' if args.sqlite else 'PostgreSQL'})")
    print(
        f"users {args.users} ({investors} investors, {clerks} clerks, {neutrals} neutrals), "
        f"{args.workers} gunicorn sync workers, think time 0-{2 * args.think:g} s, "
        f"{os.cpu_count()} CPUs"
    )
    print(
        f"duration {args.seconds:g} s asked, {r['run_wall']:.1f} s until the last user stopped "
        f"({r['stragglers']} still waiting for an answer then)"
    )
    setup_db, setup_server, check_time = r["timings"]
    print(
        f"setup: database + demo data + accounts {setup_db:.1f} s, gunicorn up {setup_server:.1f}"
        f" s; checks afterwards {check_time:.1f} s"
    )
    lb, la = r["loads"]
    print(f"load average before {lb[0]:.2f}, after {la[0]:.2f} (1 min)")
    print(
        f"requests {total}, {total / span if span else 0:.1f} per second "
        f"(over {span:.1f} s from the first request to the last answer); logins {stats.logins}"
    )
    print()
    print(f"{'kind':<10}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}  statuses")
    for kind in sorted(stats.latencies, key=lambda k: -len(stats.latencies[k])):
        values = stats.latencies[kind]
        ms = [v * 1000 for v in values]
        codes = " ".join(f"{s}:{n}" for s, n in sorted(stats.statuses[kind].items()))
        print(
            f"{kind:<10}{len(values):>7}{percentile(ms, 50):>9.0f}{percentile(ms, 95):>9.0f}"
            f"{percentile(ms, 99):>9.0f}{max(ms):>9.0f}  {codes}"
        )
    print()
    print(f"5xx answers: {fives}")
    for error in stats.server_errors[:20]:
        print(
            f"  {error['at']} {error['status']} {error['method']} {error['path']} "
            f"(request {error['request_id']})"
        )
    unexpected = sum(stats.unexpected.values())
    print(f"other unexpected answers: {unexpected}")
    for key, count in stats.unexpected.most_common(20):
        example = stats.unexpected_example.get(key, "")
        print(f"  {count} x {key}{'  e.g. ' + example if example else ''}")
    transport = sum(stats.transport.values())
    print(f"transport errors (no answer): {transport}")
    for key, count in stats.transport.most_common(10):
        print(f"  {count} x {key}")
    print()
    sub = len(stats.submissions)
    print(
        f"submissions: {sub} seen to succeed; outcome unknown (no answer) "
        f"{len(stats.submit_unknown)}; refused {sum(stats.submit_refused.values())}"
        + "".join(f"\n  refused: {n} x {m}" for m, n in stats.submit_refused.items())
    )
    if stats.double_click:
        print(f"  repeated 'new claim' POST: {dict(stats.double_click)}")
    if stats.double_submit:
        print(f"  repeated 'submit' POST answered: {dict(stats.double_submit)}")
    print(
        f"registrations: {len(stats.registrations)}; refused as a race (correctly) "
        f"{sum(stats.register_refused.values())}; opened after another clerk had taken it "
        f"{stats.register_gone}"
        + "".join(f"\n  refused: {n} x {m}" for m, n in stats.register_refused.items())
    )
    problems, figures = r["problems"], r["figures"]
    lost = [p for p in problems if p.startswith("LOST")]
    print(f"in the database: {len(stats.submissions) - len(lost)} of {sub} submissions found")
    for name, value in figures.items():
        print(f"  {name}: {len(value) if isinstance(value, list) else value}")
        if isinstance(value, list) and value:
            print(f"    cases {', '.join(map(str, value[:20]))}")
    print(f"book-keeping problems: {len(problems)}")
    for problem in problems[:20]:
        print(f"  {problem}")
    audit = r["audit"]
    print(f"audit verify: exit {audit.returncode}: {audit.stdout.strip()[-500:]}")
    if audit.returncode:
        print(audit.stderr.strip()[-2000:])
    documents = r["documents"]
    if documents is None:
        print("documents verify: not available in this version (skipped)")
    else:
        print(f"documents verify: exit {documents.returncode}: {documents.stdout.strip()[-500:]}")
    sampler = r["sampler"]
    peaks = sorted(sampler.hwm.values(), reverse=True)
    print(
        f"gunicorn workers ({len(peaks)} seen): peak RSS (VmHWM) "
        + ", ".join(f"{kb / 1024:.0f}" for kb in peaks)
        + f" MB; their CPU time during the run {r['server_cpu']:.1f} s, the simulated "
        f"users' (this process) {r['bench_cpu']:.1f} s"
    )
    failed = bool(
        fives
        or lost
        or problems
        or audit.returncode
        or (documents is not None and documents.returncode)
        or transport
    )
    print()
    print("RESULT: " + ("FAILED" if failed else "OK: no 5xx, no lost submission, chains intact"))
    return failed


if __name__ == "__main__":
    sys.exit(main())
