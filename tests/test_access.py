"""The access policy beyond single requests: which cases each person's lists may show, and a
deactivated account losing access at once.

Who may open or post to each address, role by role, is the route matrix's
(tests/test_route_matrix.py): one table for every route of the portal.
"""

from __future__ import annotations

import pytest

from dispute_portal import policy
from dispute_portal.auth.models import Role
from dispute_portal.workflow.states import CaseState

from .conftest import Browser, browser_for
from .factories import Factory


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


def _client(app, people, who) -> Browser:
    """A browser for one of the people of the test's world ("anonymous": nobody)."""
    return browser_for(app, None if who == "anonymous" else people[who])


def test_case_lists_show_only_visible_cases(app, world, session):
    people, _, draft, submitted = world
    other_case = Factory(session, app.config).case()
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
