"""The date of the last submission: the award's time limit runs from it, so the chair sets it
with reasons, never before the tribunal's constitution, at most a year ahead, and a change
only moves it later and tells the parties the old date, the new one and why."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from dispute_portal.auth.models import Role
from dispute_portal.deadlines.calendar import due_date
from dispute_portal.deadlines.calendars import calendar_for
from dispute_portal.deadlines.models import DeadlineStatus
from dispute_portal.deadlines.queries import today
from dispute_portal.notices.models import OutboxMessage
from dispute_portal.proceedings import operations as proceedings
from dispute_portal.workflow import engine
from dispute_portal.workflow.states import CaseState

from .conftest import browser_for, hidden
from .test_case_page_texts import timeline
from .test_proceedings_views import add_respondent, events_of

CONSTITUTED_DAYS_AGO = 90


@pytest.fixture
def tribunal(factory, session):
    """A case on the standard track before a sole arbitrator constituted 90 days ago."""
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.ARBITRATION, clerk=clerk)
    case.expedited = False
    (chair,) = factory.tribunal(case, clerk)
    case.tribunal_constituted_at -= dt.timedelta(days=CONSTITUTED_DAYS_AGO)
    respondent = add_respondent(factory, case)
    session.commit()
    return case, chair, respondent


def constituted(case) -> dt.date:
    return today() - dt.timedelta(days=CONSTITUTED_DAYS_AGO)


def set_date(case, chair, day: dt.date, reason="Procedural order No. 2: the timetable."):
    return proceedings.close_submissions(
        case, chair=chair, last_on=day, reason=reason, expected_version=None
    )


def award_deadlines(case):
    return [d for d in case.deadlines if d.key == "award"]


def test_the_date_needs_reasons(tribunal):
    case, chair, _ = tribunal
    with pytest.raises(engine.TransitionRefused, match="Give the reasons"):
        set_date(case, chair, today(), reason="  ")
    assert case.last_submission_on is None and not award_deadlines(case)


@pytest.mark.parametrize(
    ("day", "refusal"),
    [
        (dt.date(2020, 1, 1), "constituted on"),  # the award would be overdue at once
        ("the day before the constitution", "constituted on"),
        ("a year and a day ahead", "at most a year ahead"),
        (dt.date(2031, 1, 1), "at most a year ahead"),  # it would postpone the award by years
    ],
)
def test_a_date_outside_the_window_is_refused_and_changes_nothing(tribunal, day, refusal):
    case, chair, _ = tribunal
    if day == "the day before the constitution":
        day = constituted(case) - dt.timedelta(days=1)
    elif day == "a year and a day ahead":
        day = today() + dt.timedelta(days=366)
    version = case.version
    with pytest.raises(proceedings.LastSubmissionRefused, match=refusal):
        set_date(case, chair, day)
    assert case.last_submission_on is None and case.version == version
    assert not award_deadlines(case) and not case.last_event("close_submissions")


@pytest.mark.parametrize(
    "day",
    ["constitution", "yesterday", "today", "a year ahead"],
)
def test_a_date_inside_the_window_starts_the_award_from_it(tribunal, day):
    case, chair, _ = tribunal
    chosen = {
        "constitution": constituted(case),
        "yesterday": today() - dt.timedelta(days=1),
        "today": today(),
        "a year ahead": today() + dt.timedelta(days=365),
    }[day]
    event = set_date(case, chair, chosen)
    assert case.last_submission_on == chosen
    assert event.data == {"last_submission_on": chosen.isoformat()}
    assert event.note == "Procedural order No. 2: the timetable."
    (award,) = award_deadlines(case)
    assert award.starts_on == chosen
    assert award.due_on == due_date(chosen, 240, "calendar_days", calendar_for(case))


def test_a_change_moves_the_date_later_only(tribunal, session):
    case, chair, _ = tribunal
    first = today() + dt.timedelta(days=20)
    set_date(case, chair, first)
    with pytest.raises(proceedings.LastSubmissionRefused, match="only move later"):
        set_date(case, chair, first - dt.timedelta(days=1))
    with pytest.raises(proceedings.LastSubmissionRefused, match="already"):
        set_date(case, chair, first)
    assert case.last_submission_on == first
    later = first + dt.timedelta(days=30)
    event = set_date(case, chair, later, reason="The respondent's expert fell ill.")
    assert event.data == {"last_submission_on": later.isoformat(), "previous": first.isoformat()}
    session.flush()
    old, new = award_deadlines(case)
    assert old.status is DeadlineStatus.CANCELLED and new.status is DeadlineStatus.OPEN
    assert new.starts_on == later


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B} {day.year}"


def test_the_parties_are_told_both_dates_and_why(tribunal, session):
    case, chair, respondent = tribunal
    first = today() + dt.timedelta(days=20)
    later = first + dt.timedelta(days=30)
    set_date(case, chair, first)
    session.flush()
    before = session.scalar(select(OutboxMessage.id).order_by(OutboxMessage.id.desc()).limit(1))
    set_date(case, chair, later, reason="The respondent's expert fell ill.")
    session.flush()
    for party in (case.claimant_user, respondent):
        (told,) = session.scalars(
            select(OutboxMessage.subject).where(
                OutboxMessage.id > before, OutboxMessage.to_email == party.email
            )
        )
        assert told == (
            f"The tribunal changed the date of the last submission in case {case.number} "
            f"from {long_date(first)} to {long_date(later)}. Its reasons: “The respondent's "
            f"expert fell ill.”. File any further submission by {long_date(later)} (Almaty time)."
        )


def test_the_chair_changes_the_date_on_the_act_page_and_the_trail_shows_both(
    app, tribunal, session
):
    case, chair, respondent = tribunal
    browser = browser_for(app, chair)
    url = f"/cases/{case.id}/act/close_submissions"
    page = browser.get(url).text
    assert "Reasons for this date" in page
    first, later = today() + dt.timedelta(days=20), today() + dt.timedelta(days=50)
    data = {"act-version": hidden(page, "act-version"), "act-last_on": first.isoformat()}
    # No reasons: refused beside the field, nothing done.
    assert browser.post(url, data).status_code == 400
    data["act-reason"] = "Procedural order No. 2."
    # Before the constitution: the reason is said beside the date.
    early = browser.post(url, data | {"act-last_on": "2020-01-01"})
    assert early.status_code == 400
    assert "The tribunal was constituted on" in early.text and "the last submission cannot" in (
        early.text
    )
    session.expire_all()
    assert case.last_submission_on is None
    assert browser.post(url, data).status_code == 302

    page = browser.get(url).text
    assert "It can only move later" in page
    again = {
        "act-version": hidden(page, "act-version"),
        "act-last_on": later.isoformat(),
        "act-reason": "The respondent's expert fell ill.",
    }
    assert browser.post(url, again).status_code == 302
    session.expire_all()
    assert case.last_submission_on == later
    assert [e.data.get("previous") for e in events_of(session, case, "close_submissions")] == [
        None,
        first.isoformat(),
    ]

    def day(value: dt.date) -> str:
        return f"{value.day} {value.strftime('%b')} {value.year}"

    changed = f"Date of the last submission changed from {day(first)} to {day(later)}"
    for user in (case.claimant_user, respondent):
        party = browser_for(app, user)
        events = timeline(party.get(f"/cases/{case.id}").text)
        assert changed in events and "The respondent&#39;s expert fell ill." in events
        assert f"Date of the last submission: {day(first)}" in events
        assert changed in party.get(f"/cases/{case.id}/trail").text
