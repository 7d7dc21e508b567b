"""Preliminary objections (ICSID Arbitration Rules 2022, 41-45): manifest lack of legal merit
within its time limit after constitution, decided within its own after the last submission
on it; objections to jurisdiction, with a request for bifurcation that suspends the merits
when granted; each decision a ruling, the dismissing ones an award that ends the case."""

from __future__ import annotations

import datetime as dt

import pytest

from dispute_portal.auth.models import Role
from dispute_portal.deadlines.calendar import due_date
from dispute_portal.deadlines.calendars import calendar_for
from dispute_portal.deadlines.models import DeadlineStatus
from dispute_portal.deadlines.operations import reminders_due
from dispute_portal.deadlines.queries import open_deadline, today
from dispute_portal.deadlines.reminders import run
from dispute_portal.errors import TransitionRefused
from dispute_portal.notices.models import Notification
from dispute_portal.objections import operations as objections
from dispute_portal.objections import queries as objections_queries
from dispute_portal.objections.models import Bifurcation, Ground, Objection, Outcome
from dispute_portal.objections.queries import merits_suspended
from dispute_portal.proceedings import pleadings
from dispute_portal.rulings import operations as rulings
from dispute_portal.rulings.models import Ruling
from dispute_portal.workflow.states import CaseState

from .conftest import browser_for, hidden
from .test_proceedings_views import add_respondent, events_of
from .test_rulings import _text

GROUNDS = "The claims rest on a treaty that does not apply to the investment."


@pytest.fixture
def arbitration(factory, session):
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.ARBITRATION, clerk=clerk)
    (chair,) = factory.tribunal(case, clerk)
    respondent = add_respondent(factory, case)
    session.commit()
    return case, chair, respondent, clerk


def object_(session, case, user, ground, *, bifurcation=False):
    return objections.file_objection(
        session,
        case,
        user=user,
        ground=ground,
        grounds=GROUNDS,
        bifurcation=bifurcation,
        expected_version=None,
    )


def close(case, chair, action):
    return objections.close_objection(
        case, chair=chair, action=action, reason=None, expected_version=None
    )


def decide(case, chair, action, reason="Reasons of the tribunal."):
    return objections.decide_objection(
        case, chair=chair, action=action, reason=reason, expected_version=None
    )


def kinds(session, case) -> list[str]:
    return [r.kind for r in session.query(Ruling).filter_by(case_id=case.id).order_by(Ruling.id)]


def days_from_today(case, key) -> int:
    return (open_deadline(case, key).due_on - today()).days


# Manifest lack of legal merit -------------------------------------------------------------


def test_constitution_opens_the_time_for_an_objection_of_manifest_lack_of_merit(arbitration):
    case, *_ = arbitration
    window = open_deadline(case, "merit_objection")
    assert window is not None
    assert window.due_on == due_date(window.starts_on, 45, "calendar_days", calendar_for(case))


def test_merit_objection_upheld_dismisses_the_claims_with_an_award(arbitration, session):
    case, chair, respondent, clerk = arbitration
    objection = object_(session, case, respondent, Ground.MERIT)
    assert objection.side.value == "respondent" and objection.pending
    assert next(d for d in case.deadlines if d.key == "merit_objection").status is (
        DeadlineStatus.MET
    )
    # One objection on this ground: its time limit is met.
    with pytest.raises(TransitionRefused, match="that time has passed, or one was filed"):
        object_(session, case, case.claimant_user, Ground.MERIT)
    # No decision before the last submission on it is recorded.
    with pytest.raises(TransitionRefused, match="record the last submission"):
        decide(case, chair, "uphold_merit_objection")
    close(case, chair, "close_merit_objection")
    assert objection.last_submission_on == today()
    expected = due_date(today(), 60, "calendar_days", calendar_for(case))
    assert open_deadline(case, "merit_decision").due_on == expected
    decide(case, chair, "uphold_merit_objection", reason="The treaty does not apply.")
    assert case.state is CaseState.DISMISSED and case.decided_at is not None
    assert objection.outcome is Outcome.UPHELD and objection.decided_at is not None
    assert kinds(session, case)[-1] == "merit_award"
    assert not [d for d in case.deadlines if d.status is DeadlineStatus.OPEN]
    (event,) = events_of(session, case, "uphold_merit_objection")
    assert event.to_state == "dismissed" and event.data["outcome"] == "upheld"
    told_clerk = session.query(Notification).filter_by(case_id=case.id, user_id=clerk.id)
    assert any("can now be closed" in n.message for n in told_clerk)


def test_merit_objection_rejected_lets_the_case_go_on(arbitration, session):
    case, chair, _, _ = arbitration
    objection = object_(session, case, case.claimant_user, Ground.MERIT)
    close(case, chair, "close_merit_objection")
    decide(case, chair, "reject_merit_objection")
    assert case.state is CaseState.ARBITRATION and objection.outcome is Outcome.REJECTED
    assert kinds(session, case)[-1] == "merit_decision"
    assert next(d for d in case.deadlines if d.key == "merit_decision").status is (
        DeadlineStatus.MET
    )


def test_merit_objection_after_its_time_limit_is_refused(arbitration, session):
    case, _, respondent, _ = arbitration
    window = open_deadline(case, "merit_objection")
    window.due_on = today() - dt.timedelta(days=1)
    window.starts_on = window.due_on - dt.timedelta(days=45)
    session.flush()
    with pytest.raises(TransitionRefused, match="that time has passed"):
        object_(session, case, respondent, Ground.MERIT)
    assert not session.query(Objection).filter_by(case_id=case.id).count()


def test_who_may_take_each_act_on_objections(arbitration, session, factory):
    case, chair, respondent, clerk = arbitration
    for user in (chair, clerk, factory.user(Role.INVESTOR)):
        with pytest.raises(TransitionRefused, match="may not do this"):
            object_(session, case, user, Ground.MERIT)
    object_(session, case, respondent, Ground.MERIT)
    for user in (case.claimant_user, respondent, clerk):
        with pytest.raises(TransitionRefused, match="may not do this"):
            close(case, user, "close_merit_objection")
    close(case, chair, "close_merit_objection")
    for user in (case.claimant_user, respondent, clerk):
        with pytest.raises(TransitionRefused, match="may not do this"):
            decide(case, user, "reject_merit_objection")


def test_no_objection_outside_arbitration(factory, session):
    case = factory.case(CaseState.AWARDED)
    with pytest.raises(TransitionRefused, match="Not possible while the case is"):
        object_(session, case, case.claimant_user, Ground.JURISDICTION)


# Jurisdiction and bifurcation -------------------------------------------------------------


def test_bifurcation_granted_suspends_the_merits_then_jurisdiction_is_declined(
    arbitration, session
):
    case, chair, respondent, _ = arbitration
    pleadings.set_timetable(
        case,
        chair=chair,
        dates={"memorial": today() + dt.timedelta(days=30)},
        reason="Procedural order No. 1.",
        expected_version=None,
    )
    objection = object_(session, case, respondent, Ground.JURISDICTION, bifurcation=True)
    assert objection.bifurcation is Bifurcation.REQUESTED
    assert [e.action for e in events_of(session, case, "request_bifurcation")]
    assert days_from_today(case, "bifurcation_decision") >= 30
    # The objection cannot be closed before the request is decided.
    with pytest.raises(TransitionRefused, match="Decide the request for bifurcation first"):
        close(case, chair, "close_jurisdiction_objection")
    objections.decide_bifurcation(
        case, chair=chair, granted=True, reason="Decided first.", expected_version=None
    )
    assert objection.bifurcation is Bifurcation.GRANTED and merits_suspended(case)
    assert kinds(session, case)[-1] == "bifurcation_decision"
    assert open_deadline(case, "memorial") is None  # the merits wait
    with pytest.raises(TransitionRefused, match="merits are suspended"):
        pleadings.set_timetable(
            case,
            chair=chair,
            dates={"memorial": today() + dt.timedelta(days=30)},
            reason="Order.",
            expected_version=None,
        )
    close(case, chair, "close_jurisdiction_objection")
    expected = due_date(today(), 180, "calendar_days", calendar_for(case))
    assert open_deadline(case, "jurisdiction_decision").due_on == expected
    decide(case, chair, "decline_jurisdiction")
    assert case.state is CaseState.DISMISSED and objection.outcome is Outcome.UPHELD
    assert kinds(session, case)[-1] == "jurisdiction_award"


def test_jurisdiction_upheld_lifts_the_suspension(arbitration, session):
    case, chair, respondent, _ = arbitration
    objection = object_(session, case, respondent, Ground.JURISDICTION, bifurcation=True)
    objections.decide_bifurcation(
        case, chair=chair, granted=True, reason="Decided first.", expected_version=None
    )
    close(case, chair, "close_jurisdiction_objection")
    decide(case, chair, "uphold_jurisdiction")
    assert case.state is CaseState.ARBITRATION and objection.outcome is Outcome.REJECTED
    assert not merits_suspended(case)
    ruling = session.query(Ruling).filter_by(case_id=case.id, kind="jurisdiction_decision").one()
    assert ruling.values["extra"] == {"joined": False}


def test_bifurcation_refused_joins_the_objection_to_the_merits(arbitration, session):
    case, chair, respondent, _ = arbitration
    objection = object_(session, case, respondent, Ground.JURISDICTION, bifurcation=True)
    objections.decide_bifurcation(
        case, chair=chair, granted=False, reason="With the merits.", expected_version=None
    )
    assert objection.bifurcation is Bifurcation.REFUSED and objection.outcome is Outcome.JOINED
    assert not merits_suspended(case) and open_deadline(case, "bifurcation_decision") is None


def test_an_objection_to_jurisdiction_may_be_joined_to_the_merits(arbitration, session):
    case, chair, respondent, _ = arbitration
    objection = object_(session, case, respondent, Ground.JURISDICTION)
    with pytest.raises(TransitionRefused, match="already pending"):
        object_(session, case, case.claimant_user, Ground.JURISDICTION)
    decide(case, chair, "join_objection")
    assert objection.outcome is Outcome.JOINED and case.state is CaseState.ARBITRATION
    ruling = session.query(Ruling).filter_by(case_id=case.id, kind="jurisdiction_decision").one()
    assert ruling.values["extra"] == {"joined": True}


def test_no_objection_to_jurisdiction_after_the_counter_memorial(arbitration, session, app):
    case, chair, respondent, _ = arbitration
    pleadings.set_timetable(
        case,
        chair=chair,
        dates={"counter_memorial": today() + dt.timedelta(days=30)},
        reason="Order.",
        expected_version=None,
    )
    from .test_written_phase import file

    file(session, case, respondent, "counter_memorial", app.config)
    with pytest.raises(TransitionRefused, match="no later than the counter-memorial"):
        object_(session, case, respondent, Ground.JURISDICTION)


# Through the portal ------------------------------------------------------------------------


def test_objecting_and_deciding_through_the_pages(app, arbitration, session):
    case, chair, respondent, _ = arbitration
    resp = browser_for(app, respondent)
    url = f"/cases/{case.id}/objections/object_jurisdiction"
    page = resp.get(url).text
    assert "Object to jurisdiction" in page and "bifurcation" in page
    version = hidden(page)
    assert resp.post(url, {"version": version, "reason": " "}).status_code == 400
    done = resp.post(url, {"version": version, "reason": GROUNDS, "bifurcation": "y"})
    assert done.status_code == 302
    assert browser_for(app, chair).get(url).status_code == 403
    assert resp.get(f"/cases/{case.id}/objections/nonsense").status_code == 404
    case_page = browser_for(app, chair).get(f"/cases/{case.id}").text
    assert f"/cases/{case.id}/objections/decide_bifurcation" in case_page
    chair_browser = browser_for(app, chair)
    decide_url = f"/cases/{case.id}/objections/decide_bifurcation"
    form = chair_browser.get(decide_url).text
    assert GROUNDS in form
    assert resp.get(decide_url).status_code == 403
    missing = chair_browser.post(decide_url, {"version": hidden(form), "reason": "Reasons."})
    assert missing.status_code == 400 and "Grant or refuse the request." in missing.text
    granted = chair_browser.post(
        decide_url, {"version": hidden(form), "reason": "Reasons.", "granted": "yes"}
    )
    assert granted.status_code == 302
    session.expire_all()
    objection = session.query(Objection).filter_by(case_id=case.id).one()
    assert objection.bifurcation is Bifurcation.GRANTED


# The rulings, rendered ----------------------------------------------------------------------


@pytest.mark.real_pdf
@pytest.mark.parametrize("language", ["en", "ru", "kk"])
@pytest.mark.parametrize(
    ("kind", "extra", "says"),
    [
        (
            "timetable_order",
            {"dates": [{"label": "Memorial", "day": "4 January 2027"}]},
            {"en": "4 January 2027", "ru": "4 January 2027", "kk": "4 January 2027"},
        ),
        ("merit_award", {}, {"en": "are dismissed", "ru": "отклоняются", "kk": "қабылданбайды"}),
        (
            "merit_decision",
            {},
            {"en": "is rejected", "ru": "отклонить", "kk": "қабылданбасын"},
        ),
        (
            "bifurcation_decision",
            {"granted": True},
            {"en": "is granted", "ru": "удовлетворить", "kk": "қанағаттандырылсын"},
        ),
        (
            "jurisdiction_award",
            {},
            {"en": "declines jurisdiction", "ru": "некомпетентным", "kk": "құзыретсіз"},
        ),
        (
            "jurisdiction_decision",
            {"joined": True},
            {"en": "joined to the merits", "ru": "присоединить", "kk": "іс мәнімен бірге"},
        ),
    ],
)
def test_each_ruling_renders_in_each_language(arbitration, session, kind, extra, says, language):
    case, chair, _, _ = arbitration
    case.language = language
    session.flush()
    ruling = rulings.issue_ruling(case, kind, issuer=chair, reasons="Reasons 42.", extra=extra)
    text = " ".join(_text(rulings.ruling_pdf(session, ruling)).split())
    assert " ".join(ruling.values["title"].split()) in text
    assert "Reasons 42." in text and says[language] in text
    assert chair.name in text


def test_an_unused_window_for_the_merit_objection_ends_with_the_next_act(arbitration, session):
    case, chair, _, _ = arbitration
    window = open_deadline(case, "merit_objection")
    window.due_on = today() - dt.timedelta(days=1)
    window.starts_on = window.due_on - dt.timedelta(days=45)
    session.flush()
    pleadings.set_timetable(
        case,
        chair=chair,
        dates={"memorial": today() + dt.timedelta(days=30)},
        reason="Order.",
        expected_version=None,
    )
    assert window.status is DeadlineStatus.CANCELLED


def test_the_daily_run_closes_an_unused_window_and_sends_no_overdue_notice(arbitration, session):
    """The day after its last day, the window is no longer running: not overdue on the
    docket, no "overdue" notice to anyone, the case's next deadline is another."""
    case, *_ = arbitration
    window = open_deadline(case, "merit_objection")
    window.due_on = today() - dt.timedelta(days=1)
    window.starts_on = window.due_on - dt.timedelta(days=45)
    session.flush()
    assert window.passed(today()) and not window.overdue(today())  # nobody's failure
    assert objections_queries.merit_objection_open(case) is not None  # but it is over
    assert (window, "overdue") not in reminders_due(session, today())
    notices = session.query(Notification).count()

    report = run(session, today())

    assert report.lapsed == 1 and report.overdue == 0
    assert window.status is DeadlineStatus.CANCELLED and window.closed_at is not None
    assert session.query(Notification).count() == notices
    assert case.next_deadline_key != "merit_objection"
    assert run(session, today()).lapsed == 0  # once
