"""Whether each side has joined a case, the registry's reminder when the respondent has not,
and the tribunal's record that a party is in default (issue 12: an award reached without
the respondent ever joining, and nothing said so)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from dispute_portal.auth.models import Role
from dispute_portal.db import frozen_time
from dispute_portal.deadlines.queries import rules_for
from dispute_portal.deadlines.reminders import RESPONDENT_ABSENT
from dispute_portal.deadlines.rules import RESPONDENT_JOIN_DAYS, setting
from dispute_portal.notices.models import Notification
from dispute_portal.proceedings import operations as ops
from dispute_portal.registry import operations as registry
from dispute_portal.workflow import engine
from dispute_portal.workflow.models import CaseEvent
from dispute_portal.workflow.states import CaseState

from .conftest import browser_for, hidden
from .test_proceedings_views import add_respondent, section
from .test_reminders import REGISTERED_AT, remind


def absent_notices(session) -> list[Notification]:
    rows = session.scalars(select(Notification).order_by(Notification.id))
    return [n for n in rows if n.message == RESPONDENT_ABSENT]


# Who has joined -----------------------------------------------------------------------------


def test_the_case_page_says_whether_each_side_has_joined(app, factory, session):
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.REGISTERED, clerk=clerk)
    session.commit()
    people = section(browser_for(app, clerk).get(f"/cases/{case.id}").text, "people")
    assert people.count("Joined the case") == 1  # the claimant, who filed it
    assert "Has not joined the case" in people

    factory.join(case, clerk)
    session.commit()
    people = section(browser_for(app, clerk).get(f"/cases/{case.id}").text, "people")
    assert people.count("Joined the case") == 2
    assert "Has not joined the case" not in people


def test_the_docket_says_which_cases_have_no_respondent_yet(app, factory, session):
    clerk = factory.user(Role.CLERK)
    alone = factory.case(CaseState.REGISTERED, clerk=clerk)
    joined = factory.case(CaseState.REGISTERED, clerk=clerk)
    factory.join(joined, clerk)
    session.commit()
    page = browser_for(app, clerk).get("/registry/docket").text

    def row(case) -> str:
        start = page.index(f'/cases/{case.id}"')
        return page[start : page.index("</tr>", start)]

    assert "The respondent has not joined" in row(alone)
    assert "The respondent has not joined" not in row(joined)


# The registry's reminder ------------------------------------------------------------------------


@pytest.fixture
def unanswered(factory, session):
    """A case registered on 4 March 2026 whose respondent has not joined."""
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.SUBMITTED)
    with frozen_time(REGISTERED_AT):
        factory.settle_lodging_fee(case, clerk)
        registry.register_case(session, case, clerk=clerk)
    session.flush()
    return case, clerk


def test_the_period_is_a_setting_of_the_rule_set(session, unanswered):
    case, _clerk = unanswered
    assert setting(rules_for(case), "respondent_join_days") == RESPONDENT_JOIN_DAYS
    assert setting({"respondent_join_days": 3}, "respondent_join_days") == 3


def test_the_clerk_is_reminded_once_when_the_respondent_has_not_joined(app, session, unanswered):
    case, clerk = unanswered
    due = REGISTERED_AT.date() + dt.timedelta(days=RESPONDENT_JOIN_DAYS)
    remind(app, session, due - dt.timedelta(days=1))
    assert absent_notices(session) == []

    output = remind(app, session, due)
    (notice,) = absent_notices(session)
    assert notice.user_id == clerk.id and notice.case_id == case.id
    assert notice.params == {"reference": case.reference, "days": RESPONDENT_JOIN_DAYS}
    assert "respondent not joined: 1" in output
    trail = [e.action for e in case.events]
    assert trail[-1] == "respondent_absent"
    clerk_page = browser_for(app, clerk).get(f"/cases/{case.id}").text
    assert "Reminder: the respondent has not joined" in clerk_page

    remind(app, session, due)
    remind(app, session, due + dt.timedelta(days=10))
    assert len(absent_notices(session)) == 1


def test_no_reminder_once_the_respondent_has_joined(app, factory, session, unanswered):
    case, clerk = unanswered
    factory.join(case, clerk)
    remind(app, session, REGISTERED_AT.date() + dt.timedelta(days=RESPONDENT_JOIN_DAYS + 1))
    assert absent_notices(session) == []


def test_no_reminder_on_a_case_that_has_ended(app, factory, session):
    clerk = factory.user(Role.CLERK)
    with frozen_time(REGISTERED_AT):
        case = factory.case(CaseState.SETTLED, clerk=clerk)
    remind(app, session, REGISTERED_AT.date() + dt.timedelta(days=RESPONDENT_JOIN_DAYS + 1))
    assert absent_notices(session) == []
    assert case.state is CaseState.SETTLED


# The record of a default ------------------------------------------------------------------------


@pytest.fixture
def tribunal(factory, session):
    """A case before a tribunal of three whose respondent never joined."""
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.ARBITRATION, clerk=clerk)
    chair, co, _co2 = factory.tribunal(case, clerk, size=3)
    session.commit()
    return case, {"claimant": case.claimant_user, "clerk": clerk, "chair": chair, "co": co}


def test_the_chair_records_that_the_respondent_is_in_default(app, session, tribunal):
    case, people = tribunal
    chair = browser_for(app, people["chair"])
    case_page = chair.get(f"/cases/{case.id}").text
    assert f'href="/cases/{case.id}/act/record_default"' in case_page
    page = chair.get(f"/cases/{case.id}/act/record_default").text
    assert "Record that a party is in default" in page
    assert "The case stays" in page  # no change of state
    version, state = case.version, case.state
    response = chair.post(
        f"/cases/{case.id}/act/record_default",
        {
            "act-version": hidden(page, "act-version"),
            "act-side": "respondent",
            "act-reason": "No response was filed within the time limit; the proceedings continue.",
        },
    )
    assert response.status_code == 302
    session.expire_all()
    assert case.state is state and case.version == version + 1
    (event,) = [e for e in case.events if e.action == "record_default"]
    assert event.data == {"side": "respondent"} and event.actor_id == people["chair"].id
    assert not event.changes_state
    told = {
        n.user_id
        for n in session.scalars(select(Notification).where(Notification.case_id == case.id))
        if n.message.startswith("The tribunal recorded that a party is in default")
    }
    assert {people["claimant"].id, people["co"].id, people["clerk"].id} <= told

    for who in ("claimant", "clerk", "co"):
        shown = browser_for(app, people[who]).get(f"/cases/{case.id}").text
        assert "In default (recorded on" in section(shown, "people"), who
        assert "Party in default: the respondent" in shown, who


def test_a_default_needs_a_side_and_reasons_and_the_chair(app, session, tribunal):
    case, people = tribunal
    chair = browser_for(app, people["chair"])
    page = chair.get(f"/cases/{case.id}/act/record_default").text
    version = hidden(page, "act-version")
    for form in (
        {"act-version": version, "act-side": "respondent", "act-reason": "  "},
        {"act-version": version, "act-side": "tribunal", "act-reason": "No response."},
        {"act-version": version, "act-reason": "No response."},
    ):
        assert chair.post(f"/cases/{case.id}/act/record_default", form).status_code == 400
    co = browser_for(app, people["co"])
    assert co.get(f"/cases/{case.id}/act/record_default").status_code == 403
    session.expire_all()
    assert not session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.action == "record_default")
    ).all()


def test_the_operation_refuses_an_unknown_side(session, tribunal):
    case, people = tribunal
    with pytest.raises(engine.TransitionRefused):
        ops.record_default(
            case, chair=people["chair"], side="tribunal", reason="x", expected_version=None
        )


def test_a_default_recorded_for_the_claimant_reads_so(app, factory, session, tribunal):
    case, people = tribunal
    add_respondent(factory, case)
    ops.record_default(
        case,
        chair=people["chair"],
        side="claimant",
        reason="The claimant did not appear at the hearing.",
        expected_version=None,
    )
    session.commit()
    shown = browser_for(app, people["clerk"]).get(f"/cases/{case.id}").text
    assert "Party in default: the claimant" in shown
