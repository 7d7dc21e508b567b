"""The clerk's docket: every case on file, filtered, overdue first, paged, in few queries."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from sqlalchemy import event

from dispute_portal.auth.models import Role
from dispute_portal.db import db, frozen_time, utcnow
from dispute_portal.proceedings import operations as proceedings
from dispute_portal.registry import operations as registry
from dispute_portal.workflow.states import CaseState
from tests.conftest import Browser


def rows(page: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/cases/\d+">([^<]+)</a>', page)


def row_of(page: str, reference: str) -> str:
    start = page.index(f">{reference}</a>")
    end = page.find("</tr>", start)
    return page[start:end]


@pytest.fixture
def docket_world(factory, session):
    clerk = factory.user(Role.CLERK)
    mediator = factory.user(Role.MEDIATOR, name="Madina Mediator")
    with frozen_time(utcnow() - dt.timedelta(days=100)):
        late = factory.case(CaseState.REGISTERED, clerk=clerk)
        factory.mediate(late, clerk, mediator)  # its response deadline passed long ago
    fresh = factory.case(CaseState.REGISTERED, clerk=clerk)  # a mediator is due in ~2 weeks
    arbitration = factory.case(CaseState.REGISTERED, clerk=clerk)
    factory.mediate(arbitration, clerk, mediator)
    for act in ("impasse", "refer"):
        who = mediator if act == "impasse" else clerk
        proceedings.act(arbitration, user=who, action=act, reason="No.", expected_version=None)
    tribunal = factory.tribunal(arbitration, clerk, size=3)
    submitted = factory.case(CaseState.SUBMITTED)  # no deadline runs yet
    closed = factory.case(CaseState.CLOSED, clerk=clerk)
    draft = factory.case(CaseState.DRAFT)
    session.commit()
    return {
        "clerk": clerk,
        "mediator": mediator,
        "tribunal": tribunal,
        "late": late,
        "fresh": fresh,
        "arbitration": arbitration,
        "submitted": submitted,
        "closed": closed,
        "draft": draft,
    }


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("investor", 403),
        ("respondent", 403),
        ("mediator", 403),
        ("arbitrator", 403),
        ("admin", 403),
        ("clerk", 200),
    ],
)
def test_docket_is_for_clerks(app, factory, session, who, expected):
    browser = Browser(app)
    if who != "anonymous":
        user = factory.user(who)
        session.commit()
        browser.login(user)
    response = browser.get("/registry/docket")
    assert response.status_code == expected
    if who == "anonymous":
        assert response.location.startswith("/login?next=")


def test_docket_lists_every_case_on_file_overdue_first(login_as, docket_world):
    w = docket_world
    browser, _ = login_as("clerk", user=w["clerk"])
    page = browser.get("/registry/docket").text
    ref = {k: w[k].reference for k in ("late", "fresh", "arbitration", "submitted", "closed")}
    # Overdue; then the next due date (mediator's appointment ~2 weeks, response 30 days);
    # then the cases with nothing running, by reference (registered numbers first).
    assert rows(page) == [
        ref["late"],
        ref["fresh"],
        ref["arbitration"],
        ref["closed"],
        ref["submitted"],
    ]
    assert w["draft"].reference not in page
    assert "5 cases" in page
    late = html.unescape(row_of(page, ref["late"]))
    assert "Overdue" in late and "Madina Mediator" in late and "Respondent's response" in late
    assert "Overdue" not in row_of(page, ref["fresh"])
    assert "Appointment of the mediator" in row_of(page, ref["fresh"])
    arbitration = row_of(page, ref["arbitration"])
    for member in w["tribunal"]:
        assert member.name in arbitration
    assert "Presiding arbitrator" in arbitration and "Co-arbitrator" in arbitration


def test_docket_filters(login_as, docket_world):
    w = docket_world
    browser, _ = login_as("clerk", user=w["clerk"])
    page = browser.get("/registry/docket?overdue=y").text
    assert rows(page) == [w["late"].reference]
    page = browser.get("/registry/docket?state=arbitration").text
    assert rows(page) == [w["arbitration"].reference]
    page = browser.get(f"/registry/docket?neutral={w['mediator'].id}").text
    assert rows(page) == [w["late"].reference, w["arbitration"].reference]
    presiding = w["tribunal"][0]
    page = browser.get(f"/registry/docket?neutral={presiding.id}&state=mediation").text
    assert rows(page) == [] and "No cases match." in page
    assert f'<option selected value="{presiding.id}">' in page  # the filter stays chosen
    # A value not on offer is reported and ignored.
    page = browser.get("/registry/docket?state=draft&neutral=999999").text
    assert "Not a valid choice" in page and len(rows(page)) == 5


def test_docket_pages_keep_the_filters(login_as, docket_world, monkeypatch):
    w = docket_world
    monkeypatch.setattr(registry, "DOCKET_PAGE_SIZE", 2)
    browser, _ = login_as("clerk", user=w["clerk"])
    first = browser.get("/registry/docket").text
    assert rows(first) == [w["late"].reference, w["fresh"].reference]
    assert "Page 1 of 3" in first and 'href="/registry/docket?page=2"' in first
    third = browser.get("/registry/docket?page=3").text
    assert rows(third) == [w["submitted"].reference] and "Next page" not in third

    monkeypatch.setattr(registry, "DOCKET_PAGE_SIZE", 1)
    neutral = w["mediator"].id
    page = browser.get(f"/registry/docket?neutral={neutral}").text
    assert rows(page) == [w["late"].reference] and "Page 1 of 2" in page
    following = html.unescape(re.search(r'href="([^"]+)">Next page', page).group(1))
    assert "page=2" in following and f"neutral={neutral}" in following
    assert rows(browser.get(following).text) == [w["arbitration"].reference]


class QueryCounter:
    def __init__(self, engine) -> None:
        self.engine, self.count = engine, 0

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc) -> None:
        event.remove(self.engine, "before_cursor_execute", self._count)

    def _count(self, *args) -> None:
        self.count += 1


def test_docket_takes_the_same_number_of_queries_for_more_cases(app, factory, session, login_as):
    clerk = factory.user(Role.CLERK)
    factory.case(CaseState.MEDIATION, clerk=clerk)
    session.commit()
    browser, _ = login_as("clerk", user=clerk)
    browser.get("/registry/docket")
    with QueryCounter(db.engine_for(app)) as few:
        assert len(rows(browser.get("/registry/docket").text)) == 1
    factory.case(CaseState.MEDIATION, clerk=clerk)
    arbitration = factory.case(CaseState.IMPASSE, clerk=clerk)
    proceedings.act(arbitration, user=clerk, action="refer", reason=None, expected_version=None)
    factory.tribunal(arbitration, clerk, size=3)
    factory.case(CaseState.SUBMITTED)
    session.commit()
    with QueryCounter(db.engine_for(app)) as many:
        assert len(rows(browser.get("/registry/docket").text)) == 4
    assert many.count == few.count > 0
