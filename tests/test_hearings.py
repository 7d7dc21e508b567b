"""A hearing held, not a hearing in the diary, meets the time limit for the tribunal's first
session: the chair records it once its time has come, with who attended and what was heard."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from dispute_portal.auth.models import Role
from dispute_portal.db import utcnow
from dispute_portal.deadlines.models import DeadlineStatus
from dispute_portal.notices.models import OutboxMessage
from dispute_portal.proceedings import operations as proceedings
from dispute_portal.proceedings.models import Meeting
from dispute_portal.workflow import engine
from dispute_portal.workflow.states import CaseState

from .conftest import browser_for, hidden
from .test_case_page_texts import timeline
from .test_proceedings_views import add_respondent, section


@pytest.fixture
def arbitration(factory, session):
    """A case before a constituted tribunal of three, with both parties."""
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.ARBITRATION, clerk=clerk)
    chair, co, _co2 = factory.tribunal(case, clerk, size=3)
    people = {
        "claimant": case.claimant_user,
        "respondent": add_respondent(factory, case),
        "chair": chair,
        "co": co,
    }
    session.commit()
    return case, people


RECORD = "Present: the tribunal and counsel for both parties. Heard on jurisdiction."


def first_session(case):
    return next(d for d in case.deadlines if d.key == "first_session")


def schedule(session, case, chair, *, in_days: float) -> Meeting:
    meeting = proceedings.schedule(
        session,
        case,
        user=chair,
        starts_at=utcnow() + dt.timedelta(days=in_days),
        place="Centre, hearing room 1",
        video_link=None,
        agenda="Jurisdiction.",
        expected_version=None,
    )
    session.flush()
    return meeting


def begun(session, meeting: Meeting, hours_ago: float = 2) -> None:
    """The hearing's time has come (it was scheduled ahead, as the form demands)."""
    meeting.starts_at = utcnow() - dt.timedelta(hours=hours_ago)
    session.flush()


def record(case, chair, meeting, reason=RECORD):
    return proceedings.record_hearing_held(
        case, chair=chair, meeting_id=meeting.id, reason=reason, expected_version=None
    )


def test_scheduling_a_hearing_does_not_meet_the_first_session(session, arbitration):
    case, people = arbitration
    meeting = schedule(session, case, people["chair"], in_days=200)  # beyond the 60 days
    assert first_session(case).status is DeadlineStatus.OPEN
    # Not held yet: nothing to record.
    with pytest.raises(engine.TransitionRefused, match="once its scheduled time has come"):
        record(case, people["chair"], meeting)
    assert first_session(case).status is DeadlineStatus.OPEN


def test_holding_the_hearing_meets_the_first_session(session, arbitration):
    case, people = arbitration
    chair = people["chair"]
    meeting = schedule(session, case, chair, in_days=10)
    begun(session, meeting)
    with pytest.raises(engine.TransitionRefused, match="Give the reasons"):
        record(case, chair, meeting, reason=" ")
    with pytest.raises(engine.TransitionRefused):
        record(case, people["co"], meeting)  # a co-arbitrator does not speak for the tribunal
    assert first_session(case).status is DeadlineStatus.OPEN
    event = record(case, chair, meeting)
    assert first_session(case).status is DeadlineStatus.MET
    assert event.data == {"meeting_id": meeting.id, "starts_at": meeting.starts_at.isoformat()}
    assert event.note == RECORD
    # Recorded once: that hearing waits for no record any more.
    with pytest.raises(engine.TransitionRefused, match="once its scheduled time has come"):
        record(case, chair, meeting)


def test_only_a_begun_hearing_of_the_case_can_be_recorded(session, arbitration):
    case, people = arbitration
    chair = people["chair"]
    past = schedule(session, case, chair, in_days=10)
    ahead = schedule(session, case, chair, in_days=20)
    begun(session, past)
    with pytest.raises(proceedings.HearingRefused, match="waiting for this record"):
        record(case, chair, ahead)
    assert first_session(case).status is DeadlineStatus.OPEN
    record(case, chair, past)


def test_the_chair_records_the_hearing_on_its_page_and_everyone_reads_it(app, session, arbitration):
    case, people = arbitration
    chair = people["chair"]
    meeting = schedule(session, case, chair, in_days=10)
    session.commit()
    browser = browser_for(app, chair)
    url = f"/cases/{case.id}/act/record_hearing_held"
    page = browser.get(url).text
    assert "Not possible now" in page and "once its scheduled time has come" in page
    case_page = browser.get(f"/cases/{case.id}").text
    assert "Record that a hearing was held" in case_page and f'href="{url}"' not in case_page

    begun(session, meeting)
    session.commit()
    page = browser.get(url).text
    assert f'<option value="{meeting.id}"' in page and "Centre, hearing room 1" in page
    assert "It meets the time limit: First session of the tribunal." in page
    data = {"act-version": hidden(page, "act-version"), "act-meeting": str(meeting.id)}
    assert browser.post(url, data).status_code == 400  # no record written
    before = session.scalar(select(OutboxMessage.id).order_by(OutboxMessage.id.desc()).limit(1))
    assert browser.post(url, data | {"act-reason": RECORD}).status_code == 302
    session.expire_all()
    assert first_session(case).status is DeadlineStatus.MET

    told = session.scalars(
        select(OutboxMessage.subject).where(
            OutboxMessage.id > before, OutboxMessage.to_email == people["claimant"].email
        )
    ).all()
    assert len(told) == 1 and told[0].startswith("The tribunal recorded that the hearing of ")
    assert f"in case {case.number} was held. The record is on the case page." in told[0]
    claimant_page = browser_for(app, people["claimant"]).get(f"/cases/{case.id}").text
    meetings = section(claimant_page, "meetings")
    assert "Held</strong>" in meetings and people["chair"].name in meetings
    assert "Hearing held" in timeline(claimant_page) and RECORD in timeline(claimant_page)
