"""The clerk's docket: every case on file, filtered, overdue first, paged, in few queries."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from dispute_portal.auth.models import Role
from dispute_portal.cases.models import docket_key
from dispute_portal.db import frozen_time, utcnow
from dispute_portal.proceedings import operations as proceedings
from dispute_portal.registry import operations as registry
from dispute_portal.workflow.states import CaseState
from tests.conftest import Browser, link


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


def test_docket_pages_by_keyset_and_keeps_the_filters(login_as, docket_world, monkeypatch):
    w = docket_world
    monkeypatch.setattr(registry, "DOCKET_PAGE_SIZE", 2)
    browser, _ = login_as("clerk", user=w["clerk"])
    first = browser.get("/registry/docket").text
    assert rows(first) == [w["late"].reference, w["fresh"].reference] and "5 cases" in first
    assert link(first, "Previous page") is None and link(first, "First page") is None
    assert link(first, "Next page") == f"/registry/docket?after={w['fresh'].id}"
    second = browser.get(link(first, "Next page")).text
    assert rows(second) == [w["arbitration"].reference, w["closed"].reference]
    third = browser.get(link(second, "Next page")).text
    assert rows(third) == [w["submitted"].reference] and link(third, "Next page") is None
    # Back from the last page: the page before it, then the first.
    back = browser.get(link(third, "Previous page")).text
    assert rows(back) == rows(second)
    assert rows(browser.get(link(back, "Previous page")).text) == rows(first)
    assert link(back, "First page") == "/registry/docket"
    # A cursor that names no case (or one not on the docket) starts from the top.
    for cursor in ("after=999999", f"after={w['draft'].id}", "before=abc", "after=-1"):
        assert rows(browser.get(f"/registry/docket?{cursor}").text) == rows(first)

    monkeypatch.setattr(registry, "DOCKET_PAGE_SIZE", 1)
    neutral = w["mediator"].id
    page = browser.get(f"/registry/docket?neutral={neutral}").text
    assert rows(page) == [w["late"].reference] and "2 cases" in page
    following = link(page, "Next page")
    assert f"after={w['late'].id}" in following and f"neutral={neutral}" in following
    assert rows(browser.get(following).text) == [w["arbitration"].reference]


def test_the_docket_order_follows_every_deadline_change(factory, session, docket_world):
    """cases.docket_order and next_due_on are kept by a flush hook: a met deadline, a new
    one, a number given at registration all move the case, with no code of their own."""
    w = docket_world
    fresh = w["fresh"]
    running = [d for d in fresh.deadlines if d.status.value == "open"]
    assert fresh.next_due_on == min(d.due_on for d in running)
    assert fresh.docket_order == docket_key(fresh.next_due_on, fresh.number)
    submitted = w["submitted"]
    assert submitted.next_due_on is None and submitted.docket_order == "9999-12-311"
    closed = w["closed"]
    assert closed.next_due_on is None and closed.docket_order == docket_key(None, closed.number)
    # Moving a deadline moves the case.
    first = min(running, key=lambda d: d.due_on)
    first.due_on = first.due_on + dt.timedelta(days=400)
    session.flush()
    second = min((d for d in running if d is not first), key=lambda d: d.due_on, default=first)
    assert fresh.next_due_on == min(first.due_on, second.due_on)
    assert fresh.next_deadline_key == (first if first.due_on <= second.due_on else second).key


def test_docket_takes_the_same_number_of_queries_for_more_cases(
    factory, session, login_as, count_queries
):
    clerk = factory.user(Role.CLERK)
    factory.case(CaseState.MEDIATION, clerk=clerk)
    session.commit()
    browser, _ = login_as("clerk", user=clerk)
    browser.get("/registry/docket")
    with count_queries() as few:
        assert len(rows(browser.get("/registry/docket").text)) == 1
    factory.case(CaseState.MEDIATION, clerk=clerk)
    arbitration = factory.case(CaseState.IMPASSE, clerk=clerk)
    proceedings.act(arbitration, user=clerk, action="refer", reason=None, expected_version=None)
    factory.tribunal(arbitration, clerk, size=3)
    factory.case(CaseState.SUBMITTED)
    session.commit()
    with count_queries() as many:
        assert len(rows(browser.get("/registry/docket").text)) == 4
    assert many.count == few.count > 0


def test_a_long_docket_is_counted_up_to_a_limit(login_as, docket_world, monkeypatch, drawn_pages):
    """Counting 100,000 cases on every page would cost more than the page: past the limit
    the docket says "more than"."""
    monkeypatch.setattr(registry, "DOCKET_COUNT_UP_TO", 3)
    browser, _ = login_as("clerk", user=docket_world["clerk"])
    page = browser.get("/registry/docket").text
    assert "More than 3 cases" in page and len(rows(page)) == 5
    monkeypatch.setattr(registry, "DOCKET_COUNT_UP_TO", 5)
    assert "5 cases" in browser.get("/registry/docket").text


def test_the_docket_key_sorts_by_date_then_number_as_numbers():
    day = dt.date(2026, 12, 10)
    keys = [
        docket_key(day, "ADR-2026-9999"),
        docket_key(day, "ADR-2026-10000"),
        docket_key(day, None),  # not yet numbered: after the numbered ones
        docket_key(day + dt.timedelta(days=1), "ADR-2025-0001"),
        docket_key(None, "ADR-2024-0001"),  # nothing running: last
        docket_key(None, None),
    ]
    assert keys == sorted(keys)
    assert docket_key(day, "ADR-2026-0042") == "2026-12-100ADR-2026-000042"
