"""The page cache against random histories: acts, filings, renamings, notices, languages
and the passing of time interleaved with page reads by four people. Every page served is
compared with a fresh drawing of the same page at the same moment, and a page read twice
with nothing written between is served from the cache the second time."""

from __future__ import annotations

import random
import re

import pytest

from dispute_portal.auth.models import Role
from dispute_portal.cases.models import Visibility
from dispute_portal.notices.models import Notification
from dispute_portal.pagecache.page import HEADER
from dispute_portal.pagecache.store import MemoryStore
from dispute_portal.proceedings import operations as proceedings
from dispute_portal.texts import Refusal
from dispute_portal.workflow.states import CaseState
from tests.conftest import Browser
from tests.factories import Factory
from tests.test_page_cache import drawn, same

FLASHES = re.compile(r'<div class="flashes">.*?</div>', re.S)
READERS = ("clerk", "mediator", "investor", "other")
ACTS = ("settle", "impasse", "refer", "procedural_order", "withdraw")

STEPS = ("read",) * 6 + ("act", "act", "file", "rename", "notice", "language", "time")


def _history(seed: int, length: int) -> list[tuple]:
    """A random history (the same for a seed on every run)."""
    rng = random.Random(seed)
    steps: list[tuple] = []
    for kind in (rng.choice(STEPS) for _ in range(length)):
        if kind == "read":
            steps.append((kind, rng.choice(READERS), rng.randrange(7)))
        elif kind == "act":
            steps.append((kind, rng.choice(ACTS), rng.randrange(3)))
        elif kind in ("file", "rename"):
            steps.append((kind, rng.randrange(3)))
        elif kind == "notice":
            steps.append((kind, rng.choice(READERS)))
        elif kind == "language":
            steps.append((kind, rng.choice(READERS), rng.choice(("en", "ru", "kk"))))
        else:
            steps.append((kind, rng.choice((1, 6, 30))))
    return steps


@pytest.fixture
def people(app, factory, session):
    clerk = factory.user(Role.CLERK)
    mediation = factory.case(CaseState.MEDIATION, clerk=clerk)
    mediator = mediation.appointments[0].user
    investor = mediation.claimant_user
    impasse = factory.case(CaseState.IMPASSE, clerk=clerk, claimant=investor)
    arbitration = factory.case(CaseState.IMPASSE, clerk=clerk, claimant=investor)
    proceedings.act(arbitration, user=clerk, action="refer", reason=None, expected_version=None)
    arbitrator = factory.tribunal(arbitration, clerk)[0]
    users = {
        "clerk": clerk,
        "mediator": mediator,
        "investor": investor,
        "other": factory.user(Role.INVESTOR),
        "arbitrator": arbitrator,
    }
    session.commit()
    return {"users": users, "cases": [mediation, impasse, arbitration]}


def _pages(cases) -> list[str]:
    return [
        "/registry/docket",
        "/caseload",
        "/cases/",
        "/search?q=Solar",
        *(f"/cases/{case.id}" for case in cases),
    ]


def _answer(response) -> tuple[int, str | None, str]:
    return response.status_code, response.location, same(FLASHES.sub("", response.text))


@pytest.mark.parametrize("seed", range(3))
def test_every_page_served_is_the_page_drawn_now(app, session, people, clock, seed):
    cache = app.extensions["page_cache"]
    kept, cache.store = cache.store, MemoryStore(16 * 2**20)
    users, cases = people["users"], people["cases"]
    pages = _pages(cases)
    browsers = {name: Browser(app) for name in READERS}
    try:
        for name, browser in browsers.items():
            browser.login(users[name])
        for kind, *args in _history(seed, 40):
            _play(app, session, clock, users, cases, browsers, pages, kind, args)
    finally:
        cache.store = kept


def _play(app, session, clock, users, cases, browsers, pages, kind, args) -> None:
    if kind == "read":
        browser, url = browsers[args[0]], pages[args[1]]
        served = browser.get(url)
        again = browser.get(url)
        with drawn(app):
            fresh = browser.get(url)
        assert _answer(served) == _answer(fresh) == _answer(again), (args, url)
        if served.headers.get(HEADER) in ("miss", "hit"):
            assert again.headers.get(HEADER) == "hit", url
    elif kind == "act":
        action, case = args[0], cases[args[1]]
        actor = {
            "settle": "mediator",
            "impasse": "mediator",
            "refer": "investor",
            "procedural_order": "arbitrator",
            "withdraw": "investor",
        }[action]
        _refusable(session, lambda: act(case, users[actor], action))
    elif kind == "file":
        case, factory = cases[args[0]], Factory(session, app.config)
        name = f"exhibit-{len(case.documents)}.pdf"
        _refusable(session, lambda: factory.file(case, users["investor"], Visibility.PARTIES, name))
    elif kind == "rename":
        cases[args[0]].project_name = f"Project {len(cases[args[0]].documents)}-{args[0]}"
        session.commit()
    elif kind == "notice":
        session.add(Notification(user_id=users[args[0]].id, message="Hello", params={}))
        session.commit()
    elif kind == "language":
        browsers[args[0]].post("/language", {"locale": args[1], "next": "/"})
    else:
        clock.advance(hours=args[0])
        for name, browser in browsers.items():
            browser.login(users[name])  # the idle limit has passed


def act(case, user, action) -> None:
    proceedings.act(case, user=user, action=action, reason="r", expected_version=None)


def _refusable(session, do) -> None:
    """Do it and commit; a refusal (the case has moved on) leaves everything as it was."""
    nested = session.begin_nested()
    try:
        do()
        nested.commit()
    except Refusal:
        nested.rollback()
    session.commit()
