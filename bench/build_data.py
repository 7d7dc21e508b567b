"""The speed benchmark's database: 100,000 cases in every state with their audit trails,
documents, parties, neutrals and deadlines (issue 6), built in a few minutes.

    .venv/bin/python bench/build_data.py              # build, or reuse a matching build
    .venv/bin/python bench/build_data.py --rebuild    # build anew
    .venv/bin/python bench/build_data.py --verify     # then `flask audit verify` and
                                                      # `flask documents verify` on it
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test \
        .venv/bin/python bench/build_data.py          # on PostgreSQL

Where: PostgreSQL when DATABASE_URL points to one — the database `bench` on that server,
dropped and created anew for a build (never the database DATABASE_URL names); else SQLite,
a file in $BENCH_DIR (default: portal-bench/ in the temp directory, $TMPDIR or /tmp). Each
database has its own folder there with its uploads, instance folder and build.json (what was
built: sizes, schema revision, row counts, the accounts and the case the benchmark uses). A
build is reused when build.json, the schema revision and the row counts all still match.

How: the schema by `flask --app wsgi init-db` on the empty database; then every case's life
is played through the workflow's own transition table (workflow/transitions.py: the states,
stamps and deadlines each act starts, meets or cancels, with the rule set's periods and the
Kazakh calendar), and its audit events are chained with the app's own hash
(CaseEvent.compute_hash), so `flask audit verify` passes. Rows go in with COPY (PostgreSQL)
or executemany in one transaction a batch (SQLite), built from the ORM tables' columns (a
new column with a default needs nothing here). Document files are hard links to a pool of
small real PDFs, so 300,000 files cost inodes, not gigabytes; each row has the SHA-256 and
size of its file. Deterministic: the same --seed gives the same database.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import corpus
from support import ROOT, flask, small_pdf

sys.path.insert(0, str(ROOT))  # the checkout's package, even where it is not installed

BUILD_VERSION = 3  # 3: accounts confirmed (a login needs email_confirmed_at)
# Kept between runs (a build is reused), so a fixed name in the temp directory, not mkdtemp.
BENCH_DIR = Path(os.environ.get("BENCH_DIR") or Path(tempfile.gettempdir()) / "portal-bench")
BENCH_DB = "bench"
PASSWORD = "Bench-Speed-2026!"  # noqa: S105 - every bench account's; loopback only
EMAIL = "{role}{n}@bench.adr.kz"
START = dt.datetime(2019, 1, 14, 4, 0, tzinfo=dt.UTC)  # the centre's first filing
POOL = 512  # distinct document files; every document row is a hard link to one of them
CHUNK = 2000  # cases a batch

# How many cases end where, for 100,000 cases (other sizes scale it). A mediator holds at
# most 300 cases (the busiest mediator), so the 50 mediators have mediated about
# 13,500 of them; most of the rest were rejected at screening or withdrawn before mediation.
ROUTES = {
    "draft": 1500,
    "submitted": 500,
    "returned": 300,
    "registered": 450,
    "registered_proposed": 150,  # a mediator is asked, has not answered
    "mediation": 1200,
    "impasse": 250,
    "arbitration": 700,
    "settled": 2600,
    "awarded": 1300,
    "dismissed_screening": 1500,
    "dismissed_tribunal": 150,
    "withdrawn_early": 1800,
    "withdrawn_mediation": 400,
    "closed_settled": 3600,
    "closed_awarded": 2300,
    "closed_dismissed_tribunal": 300,
    "closed_withdrawn_mediation": 600,
    "closed_withdrawn_early": 40_400,
    "closed_screening": 40_000,  # takes what rounding leaves at other sizes
}
MEDIATED = {r for r in ROUTES if "settled" in r or "awarded" in r or "tribunal" in r} | {
    "registered_proposed",
    "mediation",
    "impasse",
    "arbitration",
    "withdrawn_mediation",
    "closed_withdrawn_mediation",
}
RUNNING = {"submitted", "returned", "registered", "registered_proposed", "mediation"}
RUNNING |= {"impasse", "arbitration"}
SHOWCASE = "showcase"  # the case page's case: in arbitration, 200 events, 50 documents


@dataclass(frozen=True)
class Sizes:
    cases: int = 100_000
    events: int = 1_000_000
    documents: int = 300_000
    investors: int = 20_000
    mediators: int = 50
    arbitrators: int = 30
    respondents: int = 400
    clerks: int = 12
    caseload: int = 300  # the busiest mediator's cases; the others hold fewer
    showcase_events: int = 200
    showcase_documents: int = 50

    @classmethod
    def scaled(cls, scale: float) -> Sizes:
        if scale == 1:
            return cls()
        return cls(
            cases=round(100_000 * scale),
            events=round(1_000_000 * scale),
            documents=round(300_000 * scale),
            investors=max(20, round(20_000 * scale)),
            respondents=max(20, round(400 * scale)),
        )


# Where --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    kind: str  # "postgresql" or "sqlite"
    url: str
    shown: str  # the URL without a password
    folder: Path
    admin: str | None = None  # libpq conninfo of the server's maintenance database
    dbname: str | None = None

    @property
    def uploads(self) -> Path:
        return self.folder / "uploads"

    @property
    def meta_path(self) -> Path:
        return self.folder / "build.json"

    def env(self, base: dict[str, str] | None = None) -> dict[str, str]:
        """The app's environment for this database (flask commands, gunicorn)."""
        env = dict(os.environ if base is None else base)
        env.update(
            DATABASE_URL=self.url,
            INSTANCE_PATH=str(self.folder / "instance"),
            UPLOAD_DIR=str(self.uploads),
            RULINGS_DIR=str(self.folder / "rulings"),
            PORTAL_ENV="development",
            JOB_RUNNER="thread",
            PYTHONUNBUFFERED="1",
        )
        for name in ("MAIL_SERVER", "SIGNING_CERT", "CLAMD_SOCKET", "CLAMD_HOST"):
            env.pop(name, None)
        return env


def place_from_env(environ: dict[str, str] | None = None) -> Place:
    """PostgreSQL's `bench` database when DATABASE_URL names a PostgreSQL server, else SQLite."""
    from sqlalchemy.engine import make_url

    url = (environ if environ is not None else os.environ).get("DATABASE_URL", "")
    if url.startswith("postgresql"):
        given = make_url(url)
        bench = given.set(database=BENCH_DB)
        host, port = given.host or "127.0.0.1", given.port or 5432
        admin = f"host={host} port={port} user={given.username or 'postgres'} dbname=postgres"
        if given.password:
            admin += f" password={given.password}"
        return Place(
            kind="postgresql",
            url=bench.render_as_string(hide_password=False),
            shown=bench.render_as_string(hide_password=True),
            folder=BENCH_DIR / f"pg-{host}-{port}-{BENCH_DB}",
            admin=admin,
            dbname=BENCH_DB,
        )
    folder = BENCH_DIR / "sqlite"
    url = f"sqlite:///{folder / 'portal.db'}"
    return Place(kind="sqlite", url=url, shown=url, folder=folder)


# People -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    role: str
    email: str
    locale: str = "en"
    # investors: the party they file as; respondents: the body they represent
    party: str | None = None
    party_kind: str | None = None
    country: str | None = None
    body: int | None = None


@dataclass
class People:
    clerks: list[Person] = field(default_factory=list)
    mediators: list[Person] = field(default_factory=list)
    arbitrators: list[Person] = field(default_factory=list)
    respondents: list[Person] = field(default_factory=list)
    investors: list[Person] = field(default_factory=list)
    admins: list[Person] = field(default_factory=list)
    by_body: dict[int, list[Person]] = field(default_factory=dict)

    def all(self) -> list[Person]:
        return [
            *self.admins,
            *self.clerks,
            *self.mediators,
            *self.arbitrators,
            *self.respondents,
            *self.investors,
        ]


def make_people(sizes: Sizes, seed: int) -> People:
    r = random.Random(seed * 7 + 1)
    people = People()
    next_id = iter(range(1, 10**9))

    def account(role: str, n: int, name: str, locale: str, **extra: Any) -> Person:
        return Person(next(next_id), name, role, EMAIL.format(role=role, n=n), locale, **extra)

    for bucket, role, count in (
        (people.admins, "admin", 1),
        (people.clerks, "clerk", sizes.clerks),
        (people.mediators, "mediator", sizes.mediators),
        (people.arbitrators, "arbitrator", sizes.arbitrators),
    ):
        for n in range(1, count + 1):
            name = corpus.staff_name(r)
            bucket.append(account(role, n, name, r.choice(("en", "en", "ru", "kk"))))
    for n in range(1, sizes.respondents + 1):
        body = (n - 1) % len(corpus.RESPONDENT_BODIES)
        person = account("respondent", n, *corpus.person(r), body=body)
        people.respondents.append(person)
        people.by_body.setdefault(body, []).append(person)
    for n in range(1, sizes.investors + 1):
        name, language = corpus.person(r)
        if r.random() < 0.7:
            kind, party = "company", corpus.company(r, language if r.random() < 0.8 else "en")
        else:
            kind, party = "individual", name
        country = "KZ" if language == "ru" and r.random() < 0.8 else r.choice(corpus.COUNTRIES)
        people.investors.append(
            account("investor", n, name, language, party=party, party_kind=kind, country=country)
        )
    return people


# The life of a case: which acts, on which days ----------------------------------------------


@dataclass
class Plan:
    """A case's acts as (days after filing began, action, details): what fixes its state,
    its dates and how many events and documents it has. Drawn from its own seed, so the
    same plan comes out in both passes (and nothing else of the case changes it)."""

    route: str
    steps: list[tuple[float, str, dict[str, Any]]]
    t0: dt.datetime

    def at(self, offset: float) -> dt.datetime:
        return self.t0 + dt.timedelta(days=offset)

    @property
    def created_at(self) -> dt.datetime:
        return self.at(self.steps[0][0])

    @property
    def registered_at(self) -> dt.datetime | None:
        return next((self.at(o) for o, a, _ in self.steps if a == "register"), None)

    def counts(self) -> tuple[int, int]:
        """(events, documents) the plan writes."""
        events = documents = 0
        for _o, action, info in self.steps:
            events += 1
            if action == "claim_doc":
                documents += 1
            elif action in ("file_response", "file_submission"):
                events += info["docs"]
                documents += info["docs"]
        return events, documents


class _Steps:
    def __init__(self, r: random.Random) -> None:
        self.r = r
        self.steps: list[tuple[float, str, dict[str, Any]]] = []
        self.day = 0.0

    def add(self, action: str, lo: float, hi: float, **info: Any) -> None:
        self.day += max(self.r.uniform(lo, hi), 1e-5)
        self.steps.append((self.day, action, info))


def plan_case(route: str, seed: int, now: dt.datetime) -> Plan:
    r = random.Random(seed)
    s = _Steps(r)
    s.steps.append((0.0, "create", {}))
    _story(route, r, s)
    span = s.steps[-1][0]
    if route == "draft":
        idle = r.uniform(0, 200)
    elif route in RUNNING or route == SHOWCASE:
        idle = r.uniform(0.1, 20) if route in ("submitted", SHOWCASE) else r.uniform(0.2, 80)
    elif not route.startswith("closed"):
        idle = r.uniform(1, 365)  # ended, not closed yet
    else:
        latest = (now - START).total_seconds() / 86400 - span - 2
        idle = None if latest <= 0 else r.uniform(0, latest)
    if idle is None:
        t0 = START
    elif route.startswith("closed"):
        t0 = START + dt.timedelta(days=idle)
    else:
        t0 = now - dt.timedelta(days=span + idle)
    return Plan(route, s.steps, t0)


def _story(route: str, r: random.Random, s: _Steps) -> None:  # noqa: C901 - one case's life
    closed = route.startswith("closed")
    if route == SHOWCASE:
        return _showcase(s)
    if route == "draft":
        return
    s.add("claim_doc", 0.01, 3)
    if route == "returned" or (r.random() < 0.05 and route not in ("submitted",)):
        s.add("submit", 1, 20)
        s.add("return", 1, 10)
        if route == "returned":
            return
        s.add("claim_doc", 2, 15)
        s.add("submit", 1, 10)
    else:
        s.add("submit", 1, 20)
    if route == "submitted":
        return
    if route in ("dismissed_screening", "closed_screening"):
        s.add("reject", 1, 12)
        if closed:
            s.add("close", 3, 60)
        return
    s.add("register", 1, 10)
    if route in ("registered", "withdrawn_early", "closed_withdrawn_early"):
        if r.random() < 0.5:
            s.add("invite_respondent", 0.05, 3)
            s.add("join", 0.2, 6)
        if route == "registered":
            return
        s.add("withdraw", 3, 60)
        if closed:
            s.add("close", 3, 60)
        return
    s.add("invite_respondent", 0.05, 3)
    s.add("join", 0.2, 6)
    s.add("propose_mediator", 0.5, 8)
    if route == "registered_proposed":
        return
    s.add("accept_mediation", 0.3, 5)
    if route == "mediation" and r.random() < 0.25:
        return
    s.add("file_response", 3, 25, docs=r.randint(1, 2))
    for _ in range(r.randint(1, 3)):
        s.add("schedule_session", 3, 20)
        if route == "mediation" and r.random() < 0.3:
            return
    if route == "mediation":
        return
    if route in ("withdrawn_mediation", "closed_withdrawn_mediation"):
        s.add("withdraw", 5, 40)
    elif route in ("settled", "closed_settled"):
        s.add("settle", 5, 45)
    else:
        s.add("impasse", 5, 45)
        if route == "impasse":
            return
        _arbitration(route, r, s)
        if route == "arbitration":
            return
    if closed:
        s.add("close", 5, 60)


def _arbitration(route: str, r: random.Random, s: _Steps) -> None:
    running = route == "arbitration"
    s.add("refer", 3, 30)
    if running and r.random() < 0.1:
        return
    members = 1 if r.random() < 0.6 else 3
    s.add("propose_tribunal", 3, 20, members=members)
    for seat in range(members):
        s.add("accept_appointment", 0.3, 7, seat=seat)
        if running and r.random() < 0.05:
            return
    s.add("constitute", 0.00001, 0.00002)  # in the same request as the last acceptance
    if running and r.random() < 0.15:
        return
    s.add("procedural_order", 5, 20, n=1)
    s.add("schedule_hearing", 5, 30)
    for _ in range(r.randint(1, 3)):
        side = r.choice(("claimant", "respondent"))
        s.add("file_submission", 10, 45, side=side, docs=r.randint(1, 3))
        if running and r.random() < 0.2:
            return
    s.add("close_submissions", 10, 30)
    if running:
        return
    s.add("dismiss" if "dismissed" in route else "issue_award", 30, 200)


def _showcase(s: _Steps) -> None:
    """The benchmark's case page: a long arbitration, 82 acts and 50 documents (its downloads
    bring it to 200 events)."""
    for _ in range(8):
        s.add("claim_doc", 0.01, 2)
    s.add("submit", 1, 5)
    s.add("register", 1, 5)
    s.add("invite_respondent", 0.1, 1)
    s.add("join", 0.5, 3)
    s.add("propose_mediator", 1, 4)
    s.add("accept_mediation", 1, 3)
    s.add("file_response", 10, 20, docs=4)
    for _ in range(3):
        s.add("schedule_session", 5, 15)
    s.add("impasse", 10, 20)
    s.add("refer", 5, 10)
    s.add("propose_tribunal", 5, 10, members=3)
    for seat in range(3):
        s.add("accept_appointment", 1, 5, seat=seat)
    s.add("constitute", 0.00001, 0.00002)
    s.add("procedural_order", 5, 10, n=1)
    s.add("schedule_hearing", 5, 10)
    for i, docs in enumerate((5, 4, 4, 4, 4, 4, 4, 4, 5)):
        s.add("file_submission", 10, 30, side=("claimant", "respondent")[i % 2], docs=docs)
        if i == 4:
            s.add("procedural_order", 3, 8, n=2)
    s.add("procedural_order", 3, 8, n=3)
    s.add("schedule_hearing", 3, 8)


# The rows of one case ------------------------------------------------------------------------


class Ids:
    """The next id of each table (explicit ids: rows refer to each other before insertion)."""

    def __init__(self) -> None:
        self.next: Counter[str] = Counter()

    def __call__(self, table: str) -> int:
        self.next[table] += 1
        return self.next[table]


@dataclass(frozen=True)
class Pooled:
    index: int
    sha256: str
    size: int


class World:
    """What every case draws on: the people, the rule set, the calendar, the document pool,
    the clock."""

    def __init__(
        self, people: People, rules: dict, rule_version: int, calendar, pool: list[Pooled], now
    ):
        from dispute_portal.deadlines.calendar import due_date, local_date
        from dispute_portal.seed.story import DECLARATION
        from dispute_portal.workflow.models import GENESIS, CaseEvent
        from dispute_portal.workflow.transitions import FINAL, transition

        self.people, self.rules, self.rule_version, self.pool, self.now = (
            people,
            rules,
            rule_version,
            pool,
            now,
        )
        self.calendar = calendar  # version 1, the one calendar of every case (build_calendar)
        self.due_date, self.local_date, self.transition = due_date, local_date, transition
        self.final = {s.value for s in FINAL} | {"closed"}
        self.declaration, self.genesis = DECLARATION, GENESIS
        self.compute_hash = CaseEvent.compute_hash
        from dispute_portal.cases.models import docket_key

        self.docket_key = docket_key


class CaseRows:
    """One case played through the workflow table: its rows for every table.

    Mirrors workflow.engine.apply (state, stamps, last activity, the audit event, deadlines
    met, cancelled and started, in that order) and record (an event that keeps the state).
    """

    def __init__(
        self,
        world: World,
        ids: Ids,
        plan: Plan,
        *,
        case_id: int,
        seed: int,
        number: str | None,
        mediator: Person | None,
        extra_docs: int,
        downloads: int,
    ) -> None:
        self.w, self.ids, self.plan = world, ids, plan
        self.r = random.Random(seed * 31 + 17)  # details only: never changes the plan
        self.case_id, self.number, self.mediator = case_id, number, mediator
        self.rows: dict[str, list[dict[str, Any]]] = {
            t: []
            for t in (
                "parties",
                "submissions",
                "documents",
                "appointments",
                "participants",
                "deadlines",
                "meetings",
                "case_events",
            )
        }
        self.events: list[tuple[dt.datetime, int, dict[str, Any]]] = []
        self.state = "draft"
        self.deadlines: list[dict[str, Any]] = []
        self.docs: list[dict[str, Any]] = []
        self.appointments: list[dict[str, Any]] = []
        self._build(extra_docs, downloads)

    # People on the case

    def _cast(self) -> None:
        r, people = self.r, self.w.people
        count = len(people.investors)
        self.claimant = people.investors[min(count - 1, int(count * r.random() ** 1.3))]
        self.language = (
            "en" if self.claimant.locale == "en" else r.choice(("ru", "ru", "ru", "kk", "en"))
        )
        self.body = r.randrange(len(corpus.RESPONDENT_BODIES))
        self.rep = r.choice(people.by_body[self.body])
        self.clerk = r.choice(people.clerks)
        self.tribunal: list[tuple[str, Person]] = []

    def _parties(self, created: dt.datetime) -> None:
        r, c = self.r, self.claimant
        ru = self.language != "en"
        body = corpus.RESPONDENT_BODIES[self.body]
        counsel = r.random() < 0.3
        counsel_name = corpus.person(r)[0] if counsel else None
        street = "город Алатау, проспект Аль-Фараби" if ru else "Alatau City, Al-Farabi avenue"
        self.rows["parties"] += [
            {
                "id": self.ids("parties"),
                "case_id": self.case_id,
                "side": "claimant",
                "kind": c.party_kind,
                "name": c.party,
                "country": c.country,
                "address": f"{street} {r.randint(1, 250)}",
                "email": c.email,
                "phone": f"+7 727 {r.randint(100, 999)} {r.randint(10, 99)} {r.randint(10, 99)}",
                "contact_person": c.name,
                "counsel_name": counsel_name,
                "counsel_firm": r.choice(corpus.COUNSEL_FIRMS) if counsel else None,
                "counsel_email": f"counsel{r.randint(1, 999)}@law.example" if counsel else None,
            },
            {
                "id": self.ids("parties"),
                "case_id": self.case_id,
                "side": "respondent",
                "kind": body[2],
                "name": body[1] if ru else body[0],
                "country": "KZ",
                "address": None,
                "email": None,
                "phone": None,
                "contact_person": None,
                "counsel_name": None,
                "counsel_firm": None,
                "counsel_email": None,
            },
        ]

    # The workflow, mirrored

    def _event(self, at, action, actor, *, source=None, note=None, data=None, visibility=None):
        self.events.append(
            (
                at,
                len(self.events),
                {
                    "action": action,
                    "from_state": source or self.state,
                    "to_state": self.state,
                    "actor_id": actor.id if actor else None,
                    "actor_name": actor.name if actor else "system",
                    "actor_role": actor.role if actor else "system",
                    "at": at,
                    "note": note,
                    "data": data,
                    "ip": None,
                    "visibility": visibility,
                },
            )
        )

    def apply(self, at, action, actor, *, note=None, data=None) -> None:
        t = self.w.transition(action)
        source = self.state
        self.state = t.target.value if t.target else source
        for attr in t.stamps:
            self.case[attr] = at
        self.case["last_activity_at"] = self.case["updated_at"] = at
        self.case["version"] += 1
        self._event(at, action, actor, source=source, note=note, data=data)
        for key in t.satisfies:
            self._close_deadline(key, "met", at)
        if self.state in self.w.final and self.state != source:  # as follow_transition
            for d in self.deadlines:
                if d["status"] == "open" and d["key"] not in t.starts:
                    d["status"], d["closed_at"] = "cancelled", at
        for key in t.starts:
            self._start_deadline(key, at)

    def record(self, at, action, actor, *, data=None, visibility=None) -> None:
        self._event(at, action, actor, data=data, visibility=visibility)

    def _close_deadline(self, key: str, status: str, at: dt.datetime) -> None:
        for d in self.deadlines:
            if d["key"] == key and d["status"] == "open":
                d["status"], d["closed_at"] = status, at
                return

    def _start_deadline(self, key: str, at: dt.datetime) -> None:
        # deadlines.operations.start: the award runs from the last submission, or (expedited)
        # six months from constitution.
        rule_key, start_on = key, self.w.local_date(at)
        if key == "award":
            constituted = self.case["tribunal_constituted_at"]
            if self.case["expedited"] and constituted is not None:
                rule_key, start_on = "award_expedited", self.w.local_date(constituted)
                if any(d["key"] == "award" and d["status"] == "open" for d in self.deadlines):
                    return
            elif self.case["last_submission_on"] is not None:
                start_on = self.case["last_submission_on"]
            else:
                return
        rule = self.w.rules["deadlines"][rule_key]
        self._close_deadline(key, "cancelled", at)
        due = self.w.due_date(start_on, rule["amount"], rule["unit"], self.w.calendar)
        self.deadlines.append(
            {
                "id": self.ids("deadlines"),
                "case_id": self.case_id,
                "key": key,
                "rule_version": self.case["rule_set_version"] or self.w.rule_version,
                "calendar_version": 1,
                "starts_on": start_on,
                "due_on": due,
                "original_due_on": due,
                "status": "open",
                "closed_at": None,
                "extensions": 0,
                "last_reason": None,
                "reminded_at": None,
                "overdue_notified_at": None,
                "created_at": at,
            }
        )

    # Documents

    def _document(self, at, uploader: Person, side, *, name: str, visibility="parties", sub=None):
        pooled = self.r.choice(self.w.pool)
        doc = {
            "id": self.ids("documents"),
            "case_id": self.case_id,
            "uploaded_by_id": uploader.id,
            "original_name": name,
            "stored_name": f"{self.r.getrandbits(128):032x}.pdf",
            "content_type": "application/pdf",
            "size": pooled.size,
            "sha256": pooled.sha256,
            "uploaded_at": at,
            "visibility": visibility,
            "side": side,
            "submission_id": sub,
            "_pool": pooled.index,
        }
        self.docs.append(doc)
        self.record(
            at,
            "add_document",
            uploader,
            data={
                "name": name,
                "sha256": pooled.sha256,
                "size": pooled.size,
                **({"side": side} if side is not None else {}),
            },
            visibility=None if visibility == "parties" else visibility,
        )

    def _claim_doc_name(self) -> str:
        names = corpus.CLAIM_DOCUMENTS["en" if self.language == "en" else "ru"]
        if not self.docs:
            return names[0]
        return self.r.choice(names[1:]).format(n=len(self.docs) + 1)

    def _filing(self, at, author: Person, side: str, docs: int, *, response: bool) -> None:
        lang = "en" if self.language == "en" else "ru"
        title = corpus.RESPONSE_TITLE[lang] if response else self.r.choice(corpus.SUBMISSIONS[lang])
        sub_id = self.ids("submissions")
        self.rows["submissions"].append(
            {
                "id": sub_id,
                "case_id": self.case_id,
                "author_id": author.id,
                "side": side,
                "title": title,
                "body": corpus.RESPONSE_BODY[lang] if response else None,
                "is_response": response,
                "created_at": at,
            }
        )
        action = "file_response" if response else "file_submission"
        self.apply(at, action, author, data={"title": title, "side": side, "documents": docs})
        pattern = corpus.EXHIBIT_NAMES[lang].split("|")
        for i in range(docs):
            at += dt.timedelta(microseconds=1500 + self.r.randrange(20000))
            if response and i == 1:
                # For the neutrals of the phase the response is filed in.
                phase = "mediator" if self.state in ("mediation", "registered") else "tribunal"
                name, visibility = corpus.NEUTRALS_NOTE[lang], phase
            else:
                name = self.r.choice(pattern).format(
                    side="C" if side == "claimant" else "R",
                    n=len(self.docs) + 1,
                    person=corpus.person(self.r)[0],
                )
                visibility = "parties"
            self._document(at, author, side, name=name, visibility=visibility, sub=sub_id)

    def _meeting(self, at, user: Person, hearing: bool) -> None:
        starts = (at + dt.timedelta(days=self.r.uniform(3, 25))).replace(
            minute=0, second=0, microsecond=0
        )
        place = video = None
        if self.r.random() < 0.6:
            place = f"Centre, hearing room {self.r.randint(1, 4)}"
        else:
            video = f"https://meet.adr.alatau.kz/{self.case_id}-{len(self.rows['meetings']) + 1}"
        self.apply(
            at,
            "schedule_hearing" if hearing else "schedule_session",
            user,
            data={"starts_at": starts.isoformat(), "place": place, "video_link": video},
        )
        self.rows["meetings"].append(
            {
                "id": self.ids("meetings"),
                "case_id": self.case_id,
                "kind": "hearing" if hearing else "session",
                "starts_at": starts,
                "duration_minutes": 120 if hearing else 90,
                "place": place,
                "video_link": video,
                "agenda": None,
                "created_by_id": user.id,
                "created_at": at,
            }
        )

    def _appoint(self, at, user: Person, capacity: str) -> None:
        self.appointments.append(
            {
                "id": self.ids("appointments"),
                "case_id": self.case_id,
                "user_id": user.id,
                "capacity": capacity,
                "status": "proposed",
                "proposed_by_id": self.clerk.id,
                "proposed_at": at,
                "answered_at": None,
                "declaration": None,
                "disclosure": None,
            }
        )

    def _accept(self, at, user: Person) -> None:
        for a in self.appointments:
            if a["user_id"] == user.id and a["status"] == "proposed":
                a.update(status="accepted", answered_at=at, declaration=self.w.declaration)

    # The case

    def _build(self, extra_docs: int, downloads: int) -> None:
        plan, r = self.plan, self.r
        self._cast()
        created = plan.created_at
        year = created.year
        complete = plan.route != "draft" or r.random() < 0.5
        claim = corpus.claim(r, self.language, year)
        if not complete:
            for key in ("summary", "measures", "legal_basis", "legal_basis_ref", "relief_sought"):
                claim[key] = None
            claim["amount_claimed"] = claim["claimed_currency"] = None
        self.case: dict[str, Any] = {
            "id": self.case_id,
            "state": "draft",
            "version": 1,
            "number": None,
            "claimant_user_id": self.claimant.id,
            "client_token": None,
            "language": self.language,
            **claim,
            "created_at": created,
            "updated_at": created,
            "submitted_at": None,
            "registered_at": None,
            "decided_at": None,
            "closed_at": None,
            "rule_set_version": None,
            "calendar_version": None,
            "expedited": False,
            "referred_at": None,
            "tribunal_constituted_at": None,
            "last_submission_on": None,
            "audit_head": None,
            "last_activity_at": None,
        }
        self._parties(created)
        steps = [(plan.at(o), a, info) for o, a, info in plan.steps]
        # Extra documents of the claim, added while it was being drafted.
        first_submit = next((at for at, a, _ in steps if a == "submit"), None)
        drafting_until = first_submit or min(self.w.now, created + dt.timedelta(days=30))
        extra_times = sorted(
            created + (drafting_until - created) * r.uniform(0.001, 0.999)
            for _ in range(extra_docs)
        )
        steps += [(at, "claim_doc", {}) for at in extra_times]
        steps.sort(key=lambda s: s[0])
        for at, action, info in steps:
            self._act(at, action, info)
        self._downloads(downloads)
        self._finish()

    def _act(self, at: dt.datetime, action: str, info: dict[str, Any]) -> None:  # noqa: C901
        r, claimant, clerk = self.r, self.claimant, self.clerk
        if action == "create":
            self.record(at, "create", claimant)
        elif action == "claim_doc":
            self._document(at, claimant, "claimant", name=self._claim_doc_name())
        elif action == "submit":
            self.apply(at, "submit", claimant)
        elif action in ("return", "reject"):
            self.apply(at, action, clerk, note=corpus.note(r, action))
        elif action == "register":
            self.case["rule_set_version"] = self.w.rule_version
            self.case["calendar_version"] = 1
            amount = self.case["amount_claimed"]
            rate = self.w.rules["usd_per_unit"].get(self.case["claimed_currency"] or "")
            limit = Decimal(self.w.rules["expedited_limit_usd"])
            self.case["expedited"] = bool(amount is not None and rate) and (
                amount * Decimal(rate) <= limit
            )
            self.case["number"] = self.number
            self.apply(at, "register", clerk, data={"number": self.number})
        elif action == "invite_respondent":
            data = {"email": self.rep.email, "name": self.rep.name, "side": "respondent"}
            data["standing"] = "representative"
            self.apply(at, "invite_respondent", clerk, data=data)
        elif action == "join":
            self.rows["participants"].append(
                {
                    "id": self.ids("participants"),
                    "case_id": self.case_id,
                    "user_id": self.rep.id,
                    "side": "respondent",
                    "standing": "representative",
                    "added_at": at,
                }
            )
            data = {"side": "respondent", "standing": "representative"}
            self.record(at, "join", self.rep, data=data)
        elif action == "propose_mediator":
            m = self.mediator
            self.apply(at, action, clerk, data={"user_id": m.id, "name": m.name})
            self._appoint(at, m, "mediator")
        elif action == "accept_mediation":
            self.apply(at, action, self.mediator, data={"capacity": "mediator"})
            self._accept(at, self.mediator)
        elif action == "file_response":
            self._filing(at, self.rep, "respondent", info["docs"], response=True)
        elif action in ("schedule_session", "schedule_hearing"):
            hearing = action == "schedule_hearing"
            self._meeting(at, self.tribunal[0][1] if hearing else self.mediator, hearing)
        elif action in ("settle", "impasse"):
            self.apply(at, action, self.mediator, note=corpus.note(r, action))
        elif action == "withdraw":
            note = corpus.note(r, "withdraw") if r.random() < 0.5 else None
            self.apply(at, "withdraw", claimant, note=note)
        elif action == "refer":
            self.apply(at, "refer", claimant if r.random() < 0.7 else clerk)
        elif action == "propose_tribunal":
            chosen = r.sample(self.w.people.arbitrators, info["members"])
            seats = ["sole"] if len(chosen) == 1 else ["presiding", "co", "co"]
            self.tribunal = list(zip(seats, chosen, strict=True))
            members = [{"user_id": u.id, "name": u.name, "capacity": c} for c, u in self.tribunal]
            self.apply(at, action, clerk, data={"members": members})
            for capacity, user in self.tribunal:
                self._appoint(at, user, capacity)
        elif action == "accept_appointment":
            capacity, user = self.tribunal[info["seat"]]
            self.apply(at, action, user, data={"capacity": capacity})
            self._accept(at, user)
        elif action == "constitute":
            self.apply(at, "constitute", None)
        elif action == "procedural_order":
            chair = self.tribunal[0][1]
            self.apply(at, action, chair, note=corpus.note(r, action, info["n"]))
        elif action == "file_submission":
            author = claimant if info["side"] == "claimant" else self.rep
            self._filing(at, author, info["side"], info["docs"], response=False)
        elif action == "close_submissions":
            last_on = self.w.local_date(at) - dt.timedelta(days=r.randint(0, 10))
            self.case["last_submission_on"] = last_on
            data = {"last_submission_on": last_on.isoformat()}
            self.apply(at, action, self.tribunal[0][1], data=data)
        elif action in ("issue_award", "dismiss"):
            self.apply(at, action, self.tribunal[0][1], note=corpus.note(r, action))
        elif action == "close":
            self.apply(at, "close", clerk)
        else:  # pragma: no cover - a plan names only the acts above
            raise ValueError(action)

    def _downloads(self, count: int) -> None:
        """Who read which document when: after the claim was filed, up to now."""
        if not count:
            return
        ordered = sorted(self.events, key=lambda e: (e[0], e[1]))
        self.events = [(at, i, event) for i, (at, _, event) in enumerate(ordered)]
        first = next(i for i, e in enumerate(self.events) if e[2]["action"] == "submit")
        last_at = self.events[-1][0]
        end = min(self.w.now, last_at + dt.timedelta(days=30))
        for _ in range(count):
            i = self.r.randrange(first, len(self.events))
            lo = self.events[i][0]
            hi = self.events[i + 1][0] if i + 1 < len(self.events) else end
            at = lo + (hi - lo) * self.r.uniform(0.01, 0.99)
            readable = [d for d in self.docs if d["uploaded_at"] < at]
            doc = self.r.choice(readable)
            own = doc["visibility"] == "parties" or doc["side"] == "claimant"
            reader = self.claimant if own and self.r.random() < 0.4 else self.clerk
            data = {"document_id": doc["id"], "name": doc["original_name"]}
            if doc["side"] is not None:
                data["side"] = doc["side"]
            state = self.events[i][2]["to_state"]
            visibility = None if doc["visibility"] == "parties" else doc["visibility"]
            self.events.append(
                (
                    at,
                    i + 0.5,  # after the event it follows, whatever the clock says
                    {
                        "action": "download",
                        "from_state": state,
                        "to_state": state,
                        "actor_id": reader.id,
                        "actor_name": reader.name,
                        "actor_role": reader.role,
                        "at": at,
                        "note": None,
                        "data": data,
                        "ip": None,
                        "visibility": visibility,
                    },
                )
            )

    def _finish(self) -> None:
        self.events.sort(key=lambda e: (e[0], e[1]))
        prev = self.w.genesis
        rows = self.rows["case_events"]
        for seq, (_at, _order, event) in enumerate(self.events, start=1):
            event["id"] = self.ids("case_events")
            event["case_id"] = self.case_id
            event["seq"] = seq
            event["prev_hash"] = prev
            event["hash"] = prev = self.w.compute_hash(SimpleNamespace(**event))
            rows.append(event)
        self.case["state"] = self.state
        self.case["audit_head"] = prev
        self.case["version"] += len(self.docs)
        running = sorted(
            (d for d in self.deadlines if d["status"] == "open"),
            key=lambda d: (d["due_on"], d["id"]),
        )
        first = running[0] if running else None
        self.case["next_due_on"] = first["due_on"] if first else None
        self.case["next_deadline_key"] = first["key"] if first else None
        self.case["docket_order"] = self.w.docket_key(self.case["next_due_on"], self.case["number"])
        self.rows["deadlines"] = self.deadlines
        self.rows["appointments"] = self.appointments
        self.rows["documents"] = self.docs


# Loading ------------------------------------------------------------------------------------


class _Context:
    """What a column default that reads the other values of its row gets (SQLAlchemy's
    execution context, as far as defaults use it)."""

    def __init__(self, row: dict[str, Any]) -> None:
        self.row = row

    def get_current_parameters(self, isolate_multiinsert_groups: bool = True) -> dict[str, Any]:
        return self.row


class Loader:
    """Inserts rows into the ORM's tables: COPY on PostgreSQL, executemany on SQLite. Keys a
    row lacks get the column's default (scalar or callable), or the server's, or NULL."""

    def __init__(self, engine, metadata) -> None:
        from sqlalchemy import JSON

        self.engine = engine
        self.pg = engine.dialect.name == "postgresql"
        self.tables = metadata.tables
        self.json = {
            name: {c.name for c in t.columns if isinstance(c.type, JSON)}
            for name, t in self.tables.items()
        }
        self.counts: Counter[str] = Counter()
        self._plans: dict[tuple[str, frozenset[str]], tuple[list[str], list]] = {}

    def _plan(self, name: str, keys: frozenset[str]):
        table = self.tables[name]
        columns, fillers = [], []
        for column in table.columns:
            if column.name in keys:
                columns.append(column.name)
                continue
            default = column.default
            if default is not None and getattr(default, "is_scalar", False):
                value = default.arg
                fillers.append((column.name, lambda row, v=value: v))
            elif default is not None and getattr(default, "is_callable", False):
                fn = default.arg
                fillers.append((column.name, lambda row, fn=fn: fn(_Context(row))))
            elif column.server_default is not None or (
                column.primary_key and column.autoincrement in (True, "auto")
            ):
                continue  # the database fills it
            elif column.nullable:
                fillers.append((column.name, lambda row: None))
            else:
                raise SystemExit(
                    f"{name}.{column.name} is required and has no default: teach "
                    "bench/build_data.py its value"
                )
            columns.append(column.name)
        return columns, fillers

    def insert(self, conn, name: str, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        keys = frozenset(k for k in rows[0] if not k.startswith("_") and k in self.tables[name].c)
        plan = self._plans.get((name, keys))
        if plan is None:
            plan = self._plans[(name, keys)] = self._plan(name, keys)
        columns, fillers = plan
        if fillers:
            for row in rows:
                for column, fill in fillers:
                    row[column] = fill(row)
        if self.pg:
            json_columns = self.json[name]
            quoted = ", ".join(f'"{c}"' for c in columns)
            raw = conn.connection.driver_connection
            with raw.cursor() as cur, cur.copy(f'COPY "{name}" ({quoted}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(
                        [
                            json.dumps(row[c], ensure_ascii=False) if c in json_columns else row[c]
                            for c in columns
                        ]
                    )
        else:  # the columns' own bind processors, as SQLAlchemy would apply them
            table, dialect = self.tables[name], self.engine.dialect
            process = [
                table.c[c].type.dialect_impl(dialect).bind_processor(dialect) for c in columns
            ]
            quoted = ", ".join(f'"{c}"' for c in columns)
            sql = f'INSERT INTO "{name}" ({quoted}) VALUES ({", ".join("?" * len(columns))})'  # noqa: S608
            conn.connection.driver_connection.executemany(
                sql,
                [
                    tuple(p(row[c]) if p else row[c] for c, p in zip(columns, process, strict=True))
                    for row in rows
                ],
            )
        self.counts[name] += len(rows)


# Building ------------------------------------------------------------------------------------


@dataclass
class Slot:
    route: str
    seed: int
    created_at: dt.datetime
    registered_at: dt.datetime | None
    events: int
    documents: int
    case_id: int = 0
    number: str | None = None
    mediator: int | None = None  # index into people.mediators
    extra_docs: int = 0
    downloads: int = 0


def route_counts(sizes: Sizes) -> dict[str, int]:
    scale = sizes.cases / 100_000
    counts = {route: round(n * scale) for route, n in ROUTES.items()}
    counts["arbitration"] -= 1  # the showcase is one of the running arbitrations
    counts[SHOWCASE] = 1
    counts["closed_screening"] += sizes.cases - sum(counts.values())
    return counts


def plan_slots(sizes: Sizes, seed: int, now: dt.datetime, people: People) -> list[Slot]:
    """Pass one: every case's plan, then ids (in filing order), registry numbers (in order of
    registration, per year), mediators and the extra documents and downloads that bring the
    totals to the sizes asked for."""
    r = random.Random(seed)
    routes = [route for route, n in route_counts(sizes).items() for _ in range(n)]
    r.shuffle(routes)
    slots = []
    for route in routes:
        case_seed = r.getrandbits(48)
        plan = plan_case(route, case_seed, now)
        events, documents = plan.counts()
        slots.append(Slot(route, case_seed, plan.created_at, plan.registered_at, events, documents))
    slots.sort(key=lambda s: s.created_at)
    for case_id, slot in enumerate(slots, start=1):
        slot.case_id = case_id
    from dispute_portal.deadlines.calendar import local_date

    per_year: Counter[int] = Counter()
    for slot in sorted((s for s in slots if s.registered_at), key=lambda s: s.registered_at):
        year = local_date(slot.registered_at).year
        per_year[year] += 1
        slot.number = f"ADR-{year}-{per_year[year]:04d}"
    _assign_mediators(slots, sizes, r, people)
    showcase = next(s for s in slots if s.route == SHOWCASE)
    ordinary = [s for s in slots if s is not showcase]
    documents = sum(s.documents for s in slots)
    missing_docs = sizes.documents - documents
    if missing_docs < 0:
        raise SystemExit(f"the route mix makes {documents} documents, more than asked")
    for _ in range(missing_docs):
        r.choice(ordinary).extra_docs += 1
    showcase.downloads = sizes.showcase_events - showcase.events
    events = sum(s.events + s.extra_docs + s.downloads for s in slots)
    missing = sizes.events - events
    if missing < 0 or showcase.downloads < 0 or showcase.documents != sizes.showcase_documents:
        raise SystemExit(f"the route mix makes {events} events, more than asked")
    filed = [s for s in ordinary if s.route != "draft"]
    for _ in range(missing):
        r.choice(filed).downloads += 1
    return slots


def _assign_mediators(slots: list[Slot], sizes: Sizes, r: random.Random, people: People):
    mediated = [s for s in slots if s.route in MEDIATED or s.route == SHOWCASE]
    r.shuffle(mediated)
    others = len(people.mediators) - 1
    busiest = min(sizes.caseload, len(mediated) // 2)
    if len(mediated) - busiest > others * (busiest - 1):
        raise SystemExit("too many mediated cases for the mediators' caseloads")
    showcase = next(s for s in mediated if s.route == SHOWCASE)
    mediated.remove(showcase)
    for slot in mediated[:busiest]:
        slot.mediator = 0
    for i, slot in enumerate([showcase, *mediated[busiest:]]):
        slot.mediator = 1 + i % others


def make_pool(folder: Path) -> list[Pooled]:
    folder.mkdir(parents=True, exist_ok=True)
    pool = []
    for i in range(POOL):
        data = small_pdf(f"bench document {i:04d}")
        (folder / f"{i}.pdf").write_bytes(data)
        pool.append(Pooled(i, hashlib.sha256(data).hexdigest(), len(data)))
    return pool


def build_calendar(engine, loader, now):
    """Calendar version 1, written as the portal writes it, but over the years of the whole
    history the benchmark makes up (from START): the calendar every case runs under."""
    from dispute_portal.deadlines import public_holidays
    from dispute_portal.deadlines.calendar import local_date, make_calendar

    first = dt.date(START.year - 1, 1, 1)
    last = public_holidays.window(local_date(now).year)[1]
    holidays = public_holidays.package_days(first, last)
    version = {
        "version": 1,
        "name": "Public holidays of Kazakhstan",
        "holidays_package": public_holidays.package_version(),
        "first_day": first,
        "last_day": last,
        "created_at": START - dt.timedelta(days=30),
        "created_by_id": None,
    }
    days = [
        {"version": 1, "source": "package", "day": d, "kind": "day_off", "reason": n[:300]}
        for d, n in holidays.items()
    ]
    with engine.begin() as conn:
        loader.insert(conn, "calendar_versions", [version])
        loader.insert(conn, "calendar_days", days)
    return make_calendar(first, last, holidays=holidays)


def build(place: Place, sizes: Sizes, seed: int, log=print) -> dict[str, Any]:
    from sqlalchemy import create_engine, text

    started = time.monotonic()
    fresh_database(place)
    if place.folder.exists():
        shutil.rmtree(place.folder)
    place.uploads.mkdir(parents=True)
    env = place.env()
    flask(env, "init-db", timeout=600)
    log(f"  schema: init-db on an empty database ({time.monotonic() - started:.1f} s)")

    from dispute_portal.auth.passwords import hash_password
    from dispute_portal.db import Base, utcnow
    from dispute_portal.models import import_all

    import_all()
    engine = loading_engine(place)
    now = utcnow()
    with engine.connect() as conn:
        revision = conn.scalar(text("SELECT version_num FROM alembic_version"))
        rule_version, rules = conn.execute(
            text("SELECT version, rules FROM rule_sets ORDER BY version DESC LIMIT 1")
        ).one()
    rules = json.loads(rules) if isinstance(rules, str) else rules
    people = make_people(sizes, seed)
    pool = make_pool(place.folder / "pool")
    loader = Loader(engine, Base.metadata)
    calendar = build_calendar(engine, loader, now)
    world = World(people, rules, rule_version, calendar, pool, now)

    t = time.monotonic()
    password_hash = hash_password(PASSWORD)
    users = [
        {
            "id": p.id,
            "email": p.email,
            "name": p.name,
            "password_hash": password_hash,
            "role": p.role,
            "locale": p.locale,
            "is_active": True,
            "created_at": START - dt.timedelta(days=30),
            "last_login_at": None,
            # Made by an admin or an invitation: confirmed, or the login page refuses them.
            "email_confirmed_at": START - dt.timedelta(days=30),
        }
        for p in people.all()
    ]
    with engine.begin() as conn:
        loader.insert(conn, "users", users)
    slots = plan_slots(sizes, seed, now, people)
    log(f"  plans of {len(slots)} cases, {len(users)} accounts ({time.monotonic() - t:.1f} s)")

    t = time.monotonic()
    ids = Ids()
    order = ("cases", "parties", "submissions", "documents", "appointments", "participants")
    order += ("deadlines", "meetings", "case_events")
    showcase_id = None
    linked = 0
    spent: Counter[str] = Counter()
    for start in range(0, len(slots), CHUNK):
        t_batch = time.monotonic()
        batch: dict[str, list[dict[str, Any]]] = {name: [] for name in order}
        for slot in slots[start : start + CHUNK]:
            plan = plan_case(slot.route, slot.seed, now)
            case = CaseRows(
                world,
                ids,
                plan,
                case_id=slot.case_id,
                seed=slot.seed,
                number=slot.number,
                mediator=people.mediators[slot.mediator] if slot.mediator is not None else None,
                extra_docs=slot.extra_docs,
                downloads=slot.downloads,
            )
            if slot.route == SHOWCASE:
                showcase_id = slot.case_id
            batch["cases"].append(case.case)
            for name, rows in case.rows.items():
                batch[name] += rows
        t_insert = time.monotonic()
        spent["cases played"] += t_insert - t_batch
        with engine.begin() as conn:
            for name in order:
                loader.insert(conn, name, batch[name])
        t_files = time.monotonic()
        spent["rows inserted"] += t_files - t_insert
        for doc in batch["documents"]:
            os.link(
                place.folder / "pool" / f"{doc['_pool']}.pdf", place.uploads / doc["stored_name"]
            )
            linked += 1
        spent["files linked"] += time.monotonic() - t_files
        done = min(start + CHUNK, len(slots))
        if done % 20_000 == 0 or done == len(slots):
            log(
                f"  {done} cases, {loader.counts['case_events']} events, "
                f"{loader.counts['documents']} documents ({time.monotonic() - t:.0f} s)"
            )
    build_rows = time.monotonic() - t
    log("  " + ", ".join(f"{what} {seconds:.0f} s" for what, seconds in spent.items()))

    t = time.monotonic()
    finish_database(place, engine, slots, log)
    engine.dispose()
    engine = create_engine(place.url)  # the loading engine's settings no longer
    search = rebuild_search(engine, log)
    log(f"  finishing ({time.monotonic() - t:.1f} s)")
    counts = row_counts(engine)
    engine.dispose()
    expected = {"cases": sizes.cases, "case_events": sizes.events, "documents": sizes.documents}
    for name, value in expected.items():
        if counts[name] != value:
            raise SystemExit(f"built {counts[name]} {name}, not {value}")
    mediator = people.mediators[0]
    meta = {
        "version": BUILD_VERSION,
        "database": place.shown,
        "revision": revision,
        "sizes": asdict(sizes),
        "seed": seed,
        "counts": counts,
        "built_at": now.isoformat(timespec="seconds"),
        "build_seconds": round(time.monotonic() - started, 1),
        "rows_seconds": round(build_rows, 1),
        "files_linked": linked,
        "search_index": search,
        "password": PASSWORD,
        "clerk": people.clerks[0].email,
        "mediator": mediator.email,
        "mediator_cases": sum(1 for s in slots if s.mediator == 0),
        "showcase_case_id": showcase_id,
        "routes": dict(Counter(s.route for s in slots)),
    }
    place.meta_path.write_text(json.dumps(meta, indent=2, ensure_ascii=False))
    return meta


def fresh_database(place: Place) -> None:
    if place.kind == "sqlite":
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(place.folder / "portal.db") + suffix).unlink(missing_ok=True)
        return
    import psycopg

    if place.dbname in (None, "", "test", "postgres", "template0", "template1"):
        raise SystemExit(f"refusing to drop the database {place.dbname!r}")
    with psycopg.connect(place.admin, autocommit=True, connect_timeout=10) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{place.dbname}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{place.dbname}"')


def loading_engine(place: Place):
    from sqlalchemy import create_engine, event

    engine = create_engine(place.url)
    if place.kind == "sqlite":

        @event.listens_for(engine, "connect")
        def _bulk(dbapi_conn, _record) -> None:
            # A build that fails is built again: no journal, no fsync while loading.
            for pragma in (
                "journal_mode=OFF",
                "synchronous=OFF",
                "foreign_keys=OFF",
                "cache_size=-262144",
                "temp_store=MEMORY",
            ):
                dbapi_conn.execute(f"PRAGMA {pragma}")

    else:
        import psycopg

        @event.listens_for(engine, "connect")
        def _bulk(dbapi_conn, _record) -> None:
            # Consistent by construction: the foreign key triggers would only slow COPY.
            with dbapi_conn.cursor() as cur:
                try:
                    cur.execute("SET session_replication_role = replica")
                except psycopg.Error:  # not a superuser: load with the checks on
                    dbapi_conn.rollback()
            dbapi_conn.commit()

    return engine


def finish_database(place: Place, engine, slots: list[Slot], log) -> None:
    """The counters and sequences a running portal continues from; statistics."""
    from sqlalchemy import text

    last: Counter[int] = Counter()
    for slot in slots:
        if slot.number:
            year, value = slot.number.split("-")[1:]
            last[int(year)] = max(last[int(year)], int(value))
    with engine.begin() as conn:
        for year, value in sorted(last.items()):
            conn.execute(
                text("INSERT INTO case_number_counters (year, last_value) VALUES (:y, :v)"),
                {"y": year, "v": value},
            )
        if place.kind == "postgresql":
            for table in engine.dialect.get_table_names(conn):
                has_id = conn.scalar(
                    text(
                        "SELECT count(*) FROM information_schema.columns "
                        "WHERE table_name = :t AND column_name = 'id'"
                    ),
                    {"t": table},
                )
                if has_id:
                    conn.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence(:t, 'id'), "  # noqa: S608
                            f'(SELECT COALESCE(MAX(id), 0) + 1 FROM "{table}"), false)'
                        ),
                        {"t": table},
                    )
    if place.kind == "postgresql":
        # What autovacuum would do after such a load: statistics and the visibility map.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM (ANALYZE)"))
    else:
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA journal_mode=WAL")


def rebuild_search(engine, log) -> bool:
    try:
        from dispute_portal.search import operations as search_ops
    except ImportError:
        search_ops = None
    if search_ops is None or not hasattr(search_ops, "rebuild"):
        log("  search index: skipped (dispute_portal.search.operations.rebuild is not there)")
        return False
    t = time.monotonic()
    with engine.begin() as conn:
        indexed = search_ops.rebuild(conn)
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM (ANALYZE) case_search")
    log(f"  search index: {indexed} cases ({time.monotonic() - t:.1f} s)")
    return True


def row_counts(engine) -> dict[str, int]:
    from sqlalchemy import text

    names = ("users", "cases", "case_events", "documents", "parties", "appointments")
    names += ("participants", "deadlines", "submissions", "meetings")
    with engine.connect() as conn:
        return {n: conn.scalar(text(f'SELECT count(*) FROM "{n}"')) for n in names}  # noqa: S608


# Reuse --------------------------------------------------------------------------------------


def schema_head() -> str:
    from alembic.script import ScriptDirectory

    from dispute_portal.cli import alembic_config

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def reusable(place: Place, sizes: Sizes, seed: int) -> tuple[dict[str, Any] | None, str]:
    """The build's description if the database still is that build, else why not."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import SQLAlchemyError

    try:
        meta = json.loads(place.meta_path.read_text())
    except (OSError, ValueError):
        return None, "no earlier build"
    if (meta.get("version"), meta.get("sizes"), meta.get("seed")) != (
        BUILD_VERSION,
        asdict(sizes),
        seed,
    ):
        return None, "the earlier build has other sizes or an older builder"
    head = schema_head()
    if meta.get("revision") != head:
        return None, f"the schema moved on ({meta.get('revision')} -> {head})"
    engine = create_engine(place.url)
    try:
        with engine.connect() as conn:
            revision = conn.scalar(text("SELECT version_num FROM alembic_version"))
            sample = conn.scalar(text("SELECT stored_name FROM documents ORDER BY id DESC LIMIT 1"))
        counts = row_counts(engine)
    except SQLAlchemyError as exc:
        return None, f"the database cannot be read ({type(exc).__name__})"
    finally:
        engine.dispose()
    if revision != head:
        return None, f"the database is at revision {revision}, the code at {head}"
    if counts != meta.get("counts"):
        return None, "the row counts changed since the build"
    if not sample or not (place.uploads / sample).is_file():
        return None, "the document files are missing"
    return meta, "reused"


def ensure(
    place: Place, sizes: Sizes, *, seed: int = 1, rebuild: bool = False, log=print
) -> dict[str, Any]:
    if not rebuild:
        meta, why = reusable(place, sizes, seed)
        if meta is not None:
            log(f"Reusing the build of {meta['built_at']} in {place.shown}")
            return meta
        log(f"Building {place.shown}: {why}")
    else:
        log(f"Building {place.shown} (asked to)")
    meta = build(place, sizes, seed, log)
    log(
        f"Built in {meta['build_seconds']:.0f} s: "
        + ", ".join(f"{n} {v}" for n, v in meta["counts"].items())
    )
    return meta


def verify(place: Place, log=print) -> bool:
    env = place.env()
    ok = True
    for command in (("audit", "verify"), ("documents", "verify")):
        t = time.monotonic()
        result = flask(env, *command, timeout=3600, check=False)
        lines = (result.stdout + result.stderr).strip().splitlines()
        log(f"  flask {' '.join(command)}: exit {result.returncode} ({time.monotonic() - t:.0f} s)")
        for line in lines[-5:]:
            log(f"    {line}")
        ok = ok and result.returncode == 0
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rebuild", action="store_true", help="build even if a build matches")
    parser.add_argument("--verify", action="store_true", help="audit and documents verify")
    parser.add_argument("--scale", type=float, default=1.0, help="sizes times this (tests)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--print-env", action="store_true", help="the app's env, as JSON")
    args = parser.parse_args()
    place = place_from_env()
    if args.print_env:
        print(json.dumps(place.env({})))
        return 0
    os.environ["INSTANCE_PATH"] = str(place.folder / "instance")
    meta = ensure(place, Sizes.scaled(args.scale), seed=args.seed, rebuild=args.rebuild)
    if args.verify and not verify(place):
        return 1
    print(json.dumps({k: meta[k] for k in ("database", "counts", "build_seconds")}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
