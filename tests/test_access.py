"""The access policy as a matrix: every role against every page and download.

A case you have no role in does not exist for you (404); a case you may see but not act on
says so (403); anonymous visitors are sent to log in.
"""

from __future__ import annotations

import pytest

from dispute_portal import policy
from dispute_portal.auth.models import Role
from dispute_portal.workflow.states import CaseState

PEOPLE = (
    "anonymous",
    "owner",
    "other_investor",
    "clerk",
    "mediator",
    "arbitrator",
    "respondent",
    "admin",
)

L = "login"  # redirected to the login page
# page: expected status for each of PEOPLE, in order
MATRIX = {
    "/cases/{draft}": (L, 200, 404, 404, 404, 404, 404, 404),
    "/cases/{draft}/edit/claimant": (L, 200, 404, 404, 404, 404, 404, 404),
    "/cases/{draft}/edit/dispute": (L, 200, 404, 404, 404, 404, 404, 404),
    "/cases/{draft}/documents": (L, 200, 404, 404, 404, 404, 404, 404),
    "/cases/{draft}/documents/{draft_doc}": (L, 200, 404, 404, 404, 404, 404, 404),
    "/cases/{draft}/submit": (L, 200, 404, 404, 404, 404, 404, 404),
    "/cases/{submitted}": (L, 200, 404, 200, 404, 404, 404, 404),
    "/cases/{submitted}/edit/claimant": (L, 403, 404, 403, 404, 404, 404, 404),
    "/cases/{submitted}/documents/{submitted_doc}": (L, 200, 404, 200, 404, 404, 404, 404),
    "/cases/{submitted}/filed": (L, 200, 404, 200, 404, 404, 404, 404),
    "/registry/cases/{submitted}": (L, 403, 404, 200, 404, 404, 404, 404),
    "/registry/intake": (L, 403, 403, 200, 403, 403, 403, 403),
    "/admin/users": (L, 403, 403, 403, 403, 403, 403, 200),
    "/cases/": (L, 200, 200, 200, 200, 200, 200, 200),
    # A document of another case, reached through a case the person may see.
    "/cases/{draft}/documents/{submitted_doc}": (L, 404, 404, 404, 404, 404, 404, 404),
}

POSTS = {
    "/cases/{draft}/edit/investment": (L, 302, 404, 404, 404, 404, 404, 404),
    "/cases/{draft}/documents/{draft_doc}/delete": (L, 302, 404, 404, 404, 404, 404, 404),
    "/cases/{draft}/submit": (L, 302, 404, 404, 404, 404, 404, 404),
    "/registry/cases/{submitted}/register": (L, 403, 404, 302, 404, 404, 404, 404),
    "/registry/cases/{submitted}/return": (L, 403, 404, 302, 404, 404, 404, 404),
    "/registry/cases/{submitted}/reject": (L, 403, 404, 302, 404, 404, 404, 404),
}


@pytest.fixture
def world(factory, session, app):
    owner = factory.user(Role.INVESTOR)
    draft = factory.case(CaseState.DRAFT, claimant=owner)
    submitted = factory.case(CaseState.SUBMITTED, claimant=owner)
    session.commit()
    people = {"owner": owner, "other_investor": factory.user(Role.INVESTOR)}
    for role in ("clerk", "mediator", "arbitrator", "respondent", "admin"):
        people[role] = factory.user(role)
    session.commit()
    ids = {
        "draft": draft.id,
        "submitted": submitted.id,
        "draft_doc": draft.documents[0].id,
        "submitted_doc": submitted.documents[0].id,
    }
    return people, ids, draft, submitted


def _client(app, people, who):
    from tests.conftest import Browser

    browser = Browser(app)
    if who != "anonymous":
        browser.login(people[who])
    return browser


def _check(response, expected):
    if expected == L:
        assert response.status_code == 302 and response.location.startswith("/login?next=")
    elif expected == 302:
        assert response.status_code == 302 and "/login" not in response.location
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("who", PEOPLE)
def test_pages_and_downloads(app, world, who):
    people, ids, _, _ = world
    browser = _client(app, people, who)
    for page, expected in MATRIX.items():
        response = browser.get(page.format(**ids))
        try:
            _check(response, expected[PEOPLE.index(who)])
        except AssertionError:
            pytest.fail(
                f"{who} GET {page}: got {response.status_code}, "
                f"expected {expected[PEOPLE.index(who)]}"
            )


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize("page", list(POSTS))
def test_actions(app, world, session, who, page):
    people, ids, draft, submitted = world
    browser = _client(app, people, who)
    data = {
        "version": "999",
        "reason": "x",
        "return-reason": "Amend.",
        "reject-reason": "No.",
        "project_name": "Changed",
    }
    data["version"] = data["return-version"] = data["reject-version"] = str(
        submitted.version if "registry" in page else draft.version
    )
    before = (draft.state, draft.project_name, len(draft.documents), submitted.state)
    response = browser.post(page.format(**ids), data)
    expected = POSTS[page][PEOPLE.index(who)]
    _check(response, expected)
    session.expire_all()
    after = (draft.state, draft.project_name, len(draft.documents), submitted.state)
    if expected != 302:
        assert after == before, f"{who} POST {page} changed the case"
    else:
        assert after != before, f"{who} POST {page} should have acted"


def test_case_lists_show_only_visible_cases(app, world, session):
    people, _, draft, submitted = world
    other_case = __import__("tests.factories").factories.Factory(session, app.config).case()
    session.commit()
    mine = session.scalars(policy.visible_cases(people["owner"])).all()
    assert {c.id for c in mine} == {draft.id, submitted.id}
    clerk_sees = {c.id for c in session.scalars(policy.visible_cases(people["clerk"]))}
    assert submitted.id in clerk_sees
    assert other_case.id not in clerk_sees and draft.id not in clerk_sees  # drafts are private
    for role in ("other_investor", "mediator", "arbitrator", "respondent", "admin"):
        visible = {c.id for c in session.scalars(policy.visible_cases(people[role]))}
        assert draft.id not in visible and submitted.id not in visible
    assert session.scalars(policy.visible_cases(None)).all() == []


def test_deactivated_clerk_loses_access(app, world, session):
    people, ids, _, _ = world
    browser = _client(app, people, "clerk")
    assert browser.get("/registry/intake").status_code == 200
    people["clerk"].is_active = False
    session.commit()
    assert browser.get("/registry/intake").status_code == 302
