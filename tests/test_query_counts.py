"""The main pages send a constant number of SQL statements, whatever the number of rows.

Each test counts the statements of a page (an SQLAlchemy engine event, see conftest's
count_queries), then adds rows the page shows (cases, events, notices) and counts again: the
same number, so an N+1 query cannot come back unnoticed. The caseload, the docket's first
page and the case page have their own tests beside their features (test_neutrals_views,
test_docket, test_proceedings_views); search has its own in test_search.
"""

from __future__ import annotations

import re

from dispute_portal.auth.models import Role
from dispute_portal.registry import operations as registry
from dispute_portal.workflow.states import CaseState
from tests.conftest import Browser, link


def count(browser: Browser, count_queries, url: str, *, status: int = 200) -> int:
    with count_queries() as queries:
        response = browser.get(url)
    assert response.status_code == status, url
    return queries.count


def test_healthz_answers_without_the_database(app, count_queries):
    browser = Browser(app)
    assert count(browser, count_queries, "/healthz") == 0
    assert browser.get("/healthz").text == "ok\n"


def test_my_cases_list(factory, session, login_as, count_queries):
    browser, investor = login_as("investor")
    factory.case(CaseState.REGISTERED, claimant=investor)
    session.commit()
    browser.get("/cases/")
    few = count(browser, count_queries, "/cases/")
    for state in (CaseState.DRAFT, CaseState.SUBMITTED, CaseState.MEDIATION, CaseState.CLOSED):
        factory.case(state, claimant=investor)
    session.commit()
    assert len(re.findall(r'href="/cases/\d+"', browser.get("/cases/").text)) >= 5
    assert count(browser, count_queries, "/cases/") == few


def test_my_cases_page_by_keyset_latest_change_first(factory, session, login_as, monkeypatch):
    from dispute_portal.cases import views as case_views

    monkeypatch.setattr(case_views, "PAGE_SIZE", 2)
    browser, investor = login_as("investor")
    made = [factory.case(CaseState.SUBMITTED, claimant=investor) for _ in range(5)]
    session.commit()
    expected = sorted(made, key=lambda c: (c.updated_at, c.id), reverse=True)
    seen, url, pages = [], "/cases/", []
    while url:
        page = browser.get(url).text
        pages.append(page)
        seen += [int(i) for i in re.findall(r'<th scope="row"><a href="/cases/(\d+)">', page)]
        url = link(page, "Next page")
    assert seen == [c.id for c in expected] and len(pages) == 3
    back = link(pages[-1], "Previous page")
    assert re.findall(r'<th scope="row"><a href="/cases/(\d+)">', browser.get(back).text) == [
        str(c.id) for c in expected[2:4]
    ]


def test_a_docket_page_deep_in_the_list_costs_what_the_first_costs(
    factory, session, login_as, count_queries, monkeypatch
):
    monkeypatch.setattr(registry, "DOCKET_PAGE_SIZE", 2)
    clerk = factory.user(Role.CLERK)
    made = [factory.case(CaseState.REGISTERED, clerk=clerk) for _ in range(7)]
    session.commit()
    browser, _ = login_as("clerk", user=clerk)
    browser.get("/registry/docket")
    first = count(browser, count_queries, "/registry/docket")
    # Follow the pages to the last one: each costs the first page's statements plus the one
    # that reads the cursor's sort key.
    url, pages = "/registry/docket", 0
    while following := link(browser.get(url).text, "Next page"):
        url = following
        pages += 1
        assert count(browser, count_queries, url) == first + 1
    assert pages == 3 and len(made) == 7


def test_intake_queue_pages_oldest_first_at_a_constant_cost(
    factory, session, login_as, count_queries, monkeypatch
):
    clerk = factory.user(Role.CLERK)
    first = factory.case(CaseState.SUBMITTED)
    session.commit()
    browser, _ = login_as("clerk", user=clerk)
    browser.get("/registry/intake")
    few = count(browser, count_queries, "/registry/intake")
    made = [first] + [factory.case(CaseState.SUBMITTED) for _ in range(4)]
    session.commit()
    assert count(browser, count_queries, "/registry/intake") == few
    monkeypatch.setattr(registry, "INTAKE_PAGE_SIZE", 2)
    seen, url = [], "/registry/intake"
    while url:
        page = browser.get(url).text
        assert "5 cases" in page
        seen += re.findall(r'href="/registry/cases/(\d+)"', page)
        url = link(page, "Next page")
        if url:
            assert count(browser, count_queries, url) == few + 1  # + the cursor's key
    assert [int(i) for i in seen] == [c.id for c in made]


def test_notifications_and_the_audit_trail(factory, session, login_as, count_queries):
    from dispute_portal.proceedings import operations as proceedings

    clerk = factory.user(Role.CLERK)
    investor = factory.user(Role.INVESTOR)
    case = factory.case(CaseState.REGISTERED, claimant=investor, clerk=clerk)
    mediator = factory.mediate(case, clerk)
    session.commit()
    browser, _ = login_as("investor", user=investor)
    trail = f"/cases/{case.id}/trail"
    browser.get("/notifications")
    browser.get(trail)
    few_notices = count(browser, count_queries, "/notifications")
    few_events = count(browser, count_queries, trail)
    proceedings.extend_mediation(
        case, user=mediator, reason="Both parties agree.", expected_version=None
    )
    proceedings.act(case, user=mediator, action="impasse", reason="No.", expected_version=None)
    proceedings.act(case, user=investor, action="refer", reason=None, expected_version=None)
    session.commit()
    assert count(browser, count_queries, "/notifications") == few_notices
    assert count(browser, count_queries, trail) == few_events
