"""Suspension of the proceeding: by agreement of the parties (an order, a day to resume),
and for the causes other parts open (a challenge, a vacancy). Deadlines pause and resume
with the days they had left, on the Kazakhstan calendar; acts wait; the scheduler resumes
the case on the agreed day."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from dispute_portal.auth.models import Role
from dispute_portal.db import frozen_time
from dispute_portal.deadlines.models import DeadlineStatus
from dispute_portal.errors import TransitionRefused
from dispute_portal.notices.models import Notification
from dispute_portal.proceedings import operations as proceedings
from dispute_portal.registry import operations as registry
from dispute_portal.rulings.models import Ruling
from dispute_portal.suspensions import operations as suspensions
from dispute_portal.suspensions.models import Cause, Suspension
from dispute_portal.workflow import engine
from dispute_portal.workflow.states import CaseState

from .conftest import browser_for, hidden
from .test_proceedings_views import add_respondent
from .test_reminders import REGISTERED_AT, at, remind


def deadline(case, key):
    return next(d for d in case.deadlines if d.key == key and d.status is DeadlineStatus.OPEN)


@pytest.fixture
def registered(factory, session):
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.SUBMITTED)
    with frozen_time(REGISTERED_AT):
        factory.settle_lodging_fee(case, clerk)
        registry.register_case(session, case, clerk=clerk)
    respondent = add_respondent(factory, case)
    session.flush()
    return case, clerk, respondent


def suspend(case, user, day, resume_on, reason="The parties are negotiating."):
    with frozen_time(at(day)):
        return suspensions.suspend_by_agreement(
            case, user=user, reason=reason, resume_on=resume_on, expected_version=None
        )


def test_deadlines_pause_and_resume_with_the_days_they_had_left(session, registered):
    case, clerk, _ = registered
    assert deadline(case, "response").due_on == dt.date(2026, 4, 3)
    suspend(case, clerk, dt.date(2026, 3, 14), resume_on=dt.date(2026, 6, 16))
    response = deadline(case, "response")
    assert response.paused_on == dt.date(2026, 3, 14)
    assert response.days_left_when_paused == 20
    assert case.suspended_since == at(dt.date(2026, 3, 14))
    # A paused deadline is never overdue and is not the case's next one.
    assert not response.overdue(dt.date(2026, 5, 1))
    session.flush()
    assert case.next_due_on is None

    with frozen_time(at(dt.date(2026, 6, 16))):
        suspensions.resume(case, user=clerk, reason=None, expected_version=None)
    # 16 June + 20 days is 6 July, the Capital Day (a public holiday in Kazakhstan): the
    # deadline falls on the next business day.
    assert deadline(case, "response").due_on == dt.date(2026, 7, 7)
    assert deadline(case, "response").paused_on is None
    assert deadline(case, "response").original_due_on == dt.date(2026, 4, 3)
    assert case.suspended_since is None
    session.flush()
    assert case.next_due_on is not None


def test_an_overdue_deadline_keeps_its_date(session, registered):
    case, clerk, _ = registered
    suspend(case, clerk, dt.date(2026, 4, 10), resume_on=dt.date(2026, 5, 4))
    with frozen_time(at(dt.date(2026, 5, 4))):
        suspensions.resume(case, user=clerk, reason=None, expected_version=None)
    assert deadline(case, "response").due_on == dt.date(2026, 4, 3)


def test_the_order_the_event_and_the_notices(session, registered):
    case, clerk, respondent = registered
    event = suspend(case, clerk, dt.date(2026, 3, 14), resume_on=dt.date(2026, 6, 16))
    assert event.action == "suspend"
    assert event.data == {"cause": "agreement", "resume_on": "2026-06-16"}
    ruling = session.scalars(select(Ruling).where(Ruling.case_id == case.id)).all()[-1]
    assert ruling.kind == "suspension_order"
    told = session.scalars(
        select(Notification).where(
            Notification.case_id == case.id, Notification.user_id == respondent.id
        )
    ).all()[-1]
    assert "suspended by agreement" in told.message and told.params["due"] == "2026-06-16"
    row = session.scalars(select(Suspension).where(Suspension.case_id == case.id)).one()
    assert (row.cause, row.resume_on, row.ended_at) == (
        Cause.AGREEMENT,
        dt.date(2026, 6, 16),
        None,
    )


@pytest.mark.parametrize(
    ("resume_on", "why"),
    [
        (dt.date(2026, 3, 14), "must be between"),  # today
        (dt.date(2026, 3, 1), "must be between"),  # the past
        (dt.date(2027, 3, 16), "must be between"),  # more than a year ahead
    ],
)
def test_a_bad_day_to_resume_changes_nothing(session, registered, resume_on, why):
    case, clerk, _ = registered
    before = (case.version, len(case.events))
    with pytest.raises(TransitionRefused, match=why):
        suspend(case, clerk, dt.date(2026, 3, 14), resume_on=resume_on)
    assert (case.version, len(case.events)) == before
    assert case.suspended_since is None
    assert session.scalar(select(func.count(Suspension.id))) == 0


def test_who_may_suspend_and_resume(factory, session, registered):
    case, clerk, respondent = registered
    for user in (case.claimant_user, respondent, factory.user(Role.MEDIATOR)):
        with pytest.raises(TransitionRefused):
            suspend(case, user, dt.date(2026, 3, 14), resume_on=dt.date(2026, 5, 1))
    suspend(case, clerk, dt.date(2026, 3, 14), resume_on=dt.date(2026, 5, 1))
    with pytest.raises(TransitionRefused, match="already suspended"):
        suspend(case, clerk, dt.date(2026, 3, 15), resume_on=dt.date(2026, 5, 2))
    with pytest.raises(TransitionRefused):
        suspensions.resume(case, user=respondent, reason=None, expected_version=None)
    suspensions.resume(case, user=clerk, reason=None, expected_version=None)
    with pytest.raises(TransitionRefused, match="not suspended"):
        suspensions.resume(case, user=clerk, reason=None, expected_version=None)


def agree(case, user):
    """Suspend for thirty days from today."""
    return suspensions.suspend_by_agreement(
        case,
        user=user,
        reason="Talks.",
        resume_on=dt.date.today() + dt.timedelta(days=30),
        expected_version=None,
    )


def test_the_mediator_and_the_chair_suspend_in_their_phase(factory, session):
    clerk = factory.user(Role.CLERK)
    mediation = factory.case(CaseState.MEDIATION, clerk=clerk)
    mediator = next(a.user for a in mediation.appointments)
    agree(mediation, mediator)
    assert mediation.suspended_since is not None
    # A dormant mediation is not terminated while it is suspended.
    assert engine.transition("lapse").blocked(mediation) is not None

    arbitration = factory.case(CaseState.ARBITRATION, clerk=clerk)
    chair, co, _ = factory.tribunal(arbitration, clerk, size=3)
    with pytest.raises(TransitionRefused):
        agree(arbitration, co)
    agree(arbitration, chair)
    assert arbitration.suspended_since is not None


def test_acts_wait_while_the_case_is_suspended(session, registered):
    case, clerk, respondent = registered
    suspend(case, clerk, dt.date(2026, 3, 14), resume_on=dt.date(2026, 5, 1))
    with pytest.raises(TransitionRefused, match="suspended"):
        engine.check(respondent, case, "file_response")
    offered = dict((t.action, why) for t, why in engine.offered(clerk, case))
    assert offered["propose_mediator"] is None  # the registry may still appoint
    assert offered["extend_deadline"] is not None and "suspended" in offered["extend_deadline"]
    # What a suspension does not stop: a submission, counsel, a withdrawal.
    engine.check(respondent, case, "file_submission")
    engine.check(case.claimant_user, case, "withdraw")


def test_a_withdrawal_ends_the_suspension(session, registered):
    case, clerk, _ = registered
    suspend(case, clerk, dt.date(2026, 3, 14), resume_on=dt.date(2026, 5, 1))
    with frozen_time(at(dt.date(2026, 3, 20))):
        proceedings.act(
            case, user=case.claimant_user, action="withdraw", reason=None, expected_version=None
        )
    assert case.state is CaseState.WITHDRAWN and case.suspended_since is None
    row = session.scalars(select(Suspension).where(Suspension.case_id == case.id)).one()
    assert row.ended_at == at(dt.date(2026, 3, 20))
    assert all(d.status is not DeadlineStatus.OPEN for d in case.deadlines)


def test_the_case_resumes_when_its_last_suspension_ends(session, registered):
    case, clerk, _ = registered
    with frozen_time(at(dt.date(2026, 3, 14))):
        suspensions.suspend(
            case,
            cause=Cause.CHALLENGE,
            at=at(dt.date(2026, 3, 14)),
            reason="A proposal for disqualification.",
            resume_on=None,
        )
    suspend(case, clerk, dt.date(2026, 3, 20), resume_on=dt.date(2026, 4, 20))
    assert deadline(case, "response").paused_on == dt.date(2026, 3, 14)  # paused once
    with frozen_time(at(dt.date(2026, 4, 20))):
        suspensions.resume(case, user=clerk, reason=None, expected_version=None)
    assert case.suspended_since is not None  # the challenge is still pending
    assert deadline(case, "response").paused_on == dt.date(2026, 3, 14)
    suspensions.end_suspension(case, cause=Cause.CHALLENGE, at=at(dt.date(2026, 5, 4)))
    assert case.suspended_since is None
    assert deadline(case, "response").due_on == dt.date(2026, 5, 25)  # 4 May + 20 days


def test_the_scheduler_resumes_on_the_agreed_day_once(app, session, registered):
    case, clerk, _ = registered
    suspend(case, clerk, dt.date(2026, 3, 14), resume_on=dt.date(2026, 6, 16))
    reference = case.reference
    output = remind(app, session, dt.date(2026, 6, 15))
    assert "suspensions ended: 0" in output
    assert case.suspended_since is not None
    output = remind(app, session, dt.date(2026, 6, 16))
    assert f"suspensions ended: 1 ({reference})" in output
    assert case.suspended_since is None
    assert deadline(case, "response").due_on == dt.date(2026, 7, 7)
    assert [e.action for e in case.events].count("resume") == 1
    assert "suspensions ended: 0" in remind(app, session, dt.date(2026, 6, 17))


def test_no_reminder_for_a_paused_deadline(app, session, registered):
    case, clerk, _ = registered
    suspend(case, clerk, dt.date(2026, 3, 14), resume_on=dt.date(2026, 9, 1))
    output = remind(app, session, dt.date(2026, 4, 10))  # the response would be overdue
    assert "0 due soon, 0 overdue" in output


def test_the_clerk_suspends_through_the_act_page(app, session, registered):
    case, clerk, respondent = registered
    session.commit()
    browser = browser_for(app, clerk)
    url = f"/cases/{case.id}/act/suspend"
    page = browser.get(url).get_data(as_text=True)
    assert "The proceeding resumes on" in page
    version = hidden(page, "act-version")
    today = dt.date.today()
    for bad in (
        {"act-resume_on": ""},
        {"act-resume_on": "2026-02-30"},
        {"act-resume_on": (today - dt.timedelta(days=1)).isoformat()},
        {"act-resume_on": (today + dt.timedelta(days=30)).isoformat(), "act-reason": " "},
    ):
        response = browser.post(url, {"act-version": version, "act-reason": "Talks."} | bad)
        assert response.status_code in (400, 409), bad
    session.expire_all()
    assert case.suspended_since is None
    resume_on = today + dt.timedelta(days=30)
    response = browser.post(
        url,
        {"act-version": version, "act-reason": "Talks.", "act-resume_on": resume_on.isoformat()},
    )
    assert response.status_code == 302
    session.expire_all()
    assert case.suspended_since is not None
    shown = browser_for(app, respondent).get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Suspended since" in shown and "days left" in shown
    # The respondent is offered no suspend act, and the URL refuses it.
    assert browser_for(app, respondent).get(url).status_code == 403
