"""The written phase: the chair's order on the timetable makes each pleading's date a
deadline (on the Kazakhstan calendar: a public holiday moves it to the next business day), a
later order changes them, and each side files its own pleadings, which meets their deadlines."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from dispute_portal.auth.models import Role
from dispute_portal.cases.models import Visibility
from dispute_portal.deadlines.calendar import is_business_day, next_business_day
from dispute_portal.deadlines.calendars import calendar_for
from dispute_portal.deadlines.models import DeadlineStatus
from dispute_portal.deadlines.queries import open_deadline, today
from dispute_portal.errors import TransitionRefused
from dispute_portal.notices.models import Notification
from dispute_portal.proceedings import operations as proceedings
from dispute_portal.proceedings import pleadings
from dispute_portal.proceedings.models import Submission
from dispute_portal.rulings.models import Ruling
from dispute_portal.workflow import engine
from dispute_portal.workflow.states import CaseState

from .conftest import browser_for, hidden
from .factories import pdf_bytes
from .test_proceedings_views import add_respondent, events_of

ORDER = "Procedural order No. 1: the timetable, after consulting the parties."


@pytest.fixture
def arbitration(factory, session):
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.ARBITRATION, clerk=clerk)
    (chair,) = factory.tribunal(case, clerk)
    respondent = add_respondent(factory, case)
    session.commit()
    return case, chair, respondent


def holiday_ahead(case) -> dt.date:
    """A public holiday of the case's calendar some months ahead (New Year's Day)."""
    calendar = calendar_for(case)
    day = dt.date(today().year + 1, 1, 1)
    assert not is_business_day(day, calendar)
    return day


def days(n: int) -> dt.date:
    return today() + dt.timedelta(days=n)


def set_timetable(case, chair, **dates):
    return pleadings.set_timetable(
        case, chair=chair, dates=dates, reason=ORDER, expected_version=None
    )


def file(session, case, author, pleading, config):
    return proceedings.file_submission(
        session,
        case,
        author=author,
        title=f"The {pleading}",
        body="Our case.",
        files=[(io.BytesIO(pdf_bytes(pleading)), f"{pleading}.pdf", Visibility.PARTIES)],
        is_response=False,
        pleading=pleading,
        upload_dir=config["UPLOAD_DIR"],
        max_bytes=config["MAX_UPLOAD_BYTES"],
        expected_version=None,
    )


def test_the_timetable_becomes_deadlines_on_the_kazakhstan_calendar(arbitration, session):
    case, chair, _ = arbitration
    holiday = holiday_ahead(case)
    set_timetable(
        case,
        chair,
        memorial=holiday,
        counter_memorial=holiday + dt.timedelta(days=60),
        reply=holiday + dt.timedelta(days=90),
        rejoinder=holiday + dt.timedelta(days=120),
    )
    memorial = open_deadline(case, "memorial")
    assert memorial is not None
    assert memorial.due_on == next_business_day(holiday, calendar_for(case)) > holiday
    assert is_business_day(open_deadline(case, "rejoinder").due_on, calendar_for(case))
    (event,) = events_of(session, case, "set_timetable")
    assert event.data["dates"]["memorial"] == holiday.isoformat()
    ruling = session.query(Ruling).filter_by(case_id=case.id, kind="timetable_order").one()
    assert [d["label"] for d in ruling.values["extra"]["dates"]] == [
        "Memorial",
        "Counter-memorial",
        "Reply",
        "Rejoinder",
    ]
    told = session.query(Notification).filter_by(case_id=case.id).all()
    assert {n.message for n in told} >= {
        "The tribunal set the timetable of the written phase in case %(reference)s. The dates "
        "of the pleadings are in its order and among the deadlines on the case page."
    }


def test_a_later_order_changes_a_date_and_keeps_the_others(arbitration):
    case, chair, _ = arbitration
    set_timetable(case, chair, memorial=days(30), counter_memorial=days(90))
    first = open_deadline(case, "memorial")
    set_timetable(case, chair, memorial=days(45))
    assert first.status is DeadlineStatus.CANCELLED
    assert open_deadline(case, "memorial").due_on >= days(45)
    assert open_deadline(case, "counter_memorial").due_on >= days(90)


@pytest.mark.parametrize(
    ("dates", "refusal"),
    [
        ({}, "at least one pleading"),
        ({"memorial": "today"}, "after today"),
        ({"memorial": "four years"}, "at most three years ahead"),
        ({"memorial": 60, "counter_memorial": 30}, "comes after the one before it"),
    ],
)
def test_a_bad_timetable_is_refused_and_changes_nothing(arbitration, session, dates, refusal):
    case, chair, _ = arbitration
    given = {}
    for key, value in dates.items():
        if value == "today":
            given[key] = today()
        elif value == "four years":
            given[key] = days(4 * 365)
        else:
            given[key] = days(value)
    version = case.version
    with pytest.raises(TransitionRefused, match=refusal):
        set_timetable(case, chair, **given)
    session.rollback()
    assert case.version == version and not events_of(session, case, "set_timetable")


def test_only_the_chair_sets_the_timetable(arbitration, factory):
    case, chair, respondent = arbitration
    for user in (case.claimant_user, respondent, factory.user(Role.CLERK)):
        with pytest.raises(TransitionRefused, match="may not do this"):
            set_timetable(case, user, memorial=days(30))


def test_each_side_files_its_pleadings_and_meets_their_deadlines(arbitration, session, app):
    case, chair, respondent = arbitration
    set_timetable(case, chair, memorial=days(30), counter_memorial=days(60), reply=days(90))
    config = app.config
    # The wrong side is refused, and so is a pleading the timetable does not set.
    with pytest.raises(TransitionRefused, match="may not do this"):
        file(session, case, respondent, "memorial", config)
    with pytest.raises(TransitionRefused, match="may not do this"):
        file(session, case, case.claimant_user, "counter_memorial", config)
    with pytest.raises(TransitionRefused, match="sets no time limit"):
        file(session, case, respondent, "rejoinder", config)
    submission = file(session, case, case.claimant_user, "memorial", config)
    assert submission.pleading == "memorial"
    memorial = next(d for d in case.deadlines if d.key == "memorial")
    assert memorial.status is DeadlineStatus.MET
    file(session, case, respondent, "counter_memorial", config)
    assert open_deadline(case, "counter_memorial") is None
    (event,) = events_of(session, case, "file_counter_memorial")
    assert event.data["pleading"] == "counter_memorial" and event.data["side"] == "respondent"
    # Filed once: the deadline is met, a second memorial is refused; no date is set for it.
    with pytest.raises(TransitionRefused, match="sets no time limit"):
        file(session, case, case.claimant_user, "memorial", config)
    with pytest.raises(TransitionRefused, match="filed already"):
        set_timetable(case, chair, memorial=days(100))


def test_the_timetable_page_and_filing_a_pleading_through_the_portal(app, arbitration, session):
    case, chair, respondent = arbitration
    holiday = holiday_ahead(case)
    browser = browser_for(app, chair)
    url = f"/cases/{case.id}/timetable"
    page = browser.get(url).text
    assert "Set the timetable of the written phase" in page
    data = {"version": hidden(page), "reason": ORDER}
    # Out of order: the reason beside the date, nothing set.
    bad = browser.post(
        url, data | {"memorial": days(60).isoformat(), "reply": days(30).isoformat()}
    )
    assert bad.status_code == 400 and "comes after the one before it" in bad.text
    done = browser.post(url, data | {"memorial": holiday.isoformat()})
    assert done.status_code == 302
    session.expire_all()
    assert open_deadline(case, "memorial").due_on > holiday
    case_page = browser_for(app, case.claimant_user).get(f"/cases/{case.id}").text
    assert f"/cases/{case.id}/submissions/new?pleading=memorial" in case_page
    # The respondent may not open the claimant's pleading.
    resp = browser_for(app, respondent)
    assert resp.get(f"/cases/{case.id}/submissions/new?pleading=memorial").status_code == 403
    assert resp.get(f"/cases/{case.id}/submissions/new?pleading=nonsense").status_code == 404
    claimant = browser_for(app, case.claimant_user)
    form_url = f"/cases/{case.id}/submissions/new?pleading=memorial"
    form = claimant.get(form_url).text
    assert "File the memorial" in form
    filed = claimant.post(
        form_url,
        {
            "version": hidden(form),
            "title": "Memorial",
            "visibility_1": "parties",
            "file_1": (io.BytesIO(pdf_bytes("memorial")), "memorial.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert filed.status_code == 302
    session.expire_all()
    assert session.query(Submission).filter_by(case_id=case.id, pleading="memorial").count() == 1
    assert open_deadline(case, "memorial") is None


def test_filing_acts_are_offered_to_their_side_only(arbitration):
    case, chair, respondent = arbitration
    set_timetable(case, chair, memorial=days(30))
    claimant_acts = {t.action: why for t, why in engine.offered(case.claimant_user, case)}
    respondent_acts = {t.action: why for t, why in engine.offered(respondent, case)}
    assert claimant_acts["file_memorial"] is None and claimant_acts["file_reply"] is not None
    assert "file_memorial" not in respondent_acts and "file_counter_memorial" in respondent_acts
