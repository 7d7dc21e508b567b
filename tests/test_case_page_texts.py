"""What the case page says around its facts (issue 12): the timeline's lines, the
correction window after the award, the expedited track, the sessions of past phases."""

from __future__ import annotations

import datetime as dt
import re

from dispute_portal.auth.models import Role
from dispute_portal.db import utcnow
from dispute_portal.proceedings import operations as proceedings_ops
from dispute_portal.proceedings.models import Meeting, MeetingKind
from dispute_portal.rulings import operations as rulings
from dispute_portal.workflow.states import CaseState

from .conftest import browser_for
from .test_proceedings_views import add_respondent, section


def timeline(page: str) -> str:
    start = page.index('id="timeline-heading"')
    return page[start : page.index("</section>", start)]


def test_a_downloaded_ruling_reads_without_a_dangling_separator(app, factory, session):
    case = factory.case(CaseState.SUBMITTED)
    (receipt,) = rulings.case_rulings(case)
    session.commit()
    browser = browser_for(app, case.claimant_user)
    assert browser.get(f"/cases/{case.id}/rulings/{receipt.id}").status_code == 200
    for url in (f"/cases/{case.id}", f"/cases/{case.id}/trail"):
        page = browser.get(url).text
        assert not re.search(r"·\s*</", page), url  # nothing after the separator
        code = rulings.display_code(receipt.verification_code)
        assert f"Filing receipt · {code}" in page, url  # the issue still shows its code


def day(value: dt.date) -> str:
    return f"{value.day} {value.strftime('%b')} {value.year}"  # "d MMM y" in English


def test_after_the_award_the_parties_read_until_when_they_may_ask_for_a_correction(
    app, factory, session
):
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.AWARDED, clerk=clerk)
    respondent = add_respondent(factory, case)
    window = next(d for d in case.deadlines if d.key == "correction_request")
    session.commit()
    for user in (case.claimant_user, respondent):
        page = browser_for(app, user).get(f"/cases/{case.id}").text
        assert "What happens next" in page
        assert (
            f"Until {day(window.due_on)} either party may request a correction or "
            "interpretation of the award." in page
        )

    proceedings_ops.act(
        case,
        user=case.claimant_user,
        action="request_correction",
        reason="The amount in paragraph 3 is wrong.",
        expected_version=None,
    )
    decision = next(d for d in case.deadlines if d.key == "correction_decision")
    session.commit()
    page = browser_for(app, case.claimant_user).get(f"/cases/{case.id}").text
    assert (
        "A request for correction or interpretation is pending: the tribunal decides it "
        f"by {day(decision.due_on)}." in page
    )


def test_when_the_window_has_passed_the_page_says_so(app, factory, session):
    case = factory.case(CaseState.AWARDED)
    window = next(d for d in case.deadlines if d.key == "correction_request")
    window.starts_on = window.due_on = utcnow().date() - dt.timedelta(days=3)
    session.commit()
    page = browser_for(app, case.claimant_user).get(f"/cases/{case.id}").text
    assert (
        f"The time for requests for correction or interpretation ended on {day(window.due_on)}"
        in page
    )
    assert "either party may request" not in page


def test_the_clerk_reads_why_an_awarded_case_cannot_be_closed_yet(app, factory, session):
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.AWARDED, clerk=clerk)
    window = next(d for d in case.deadlines if d.key == "correction_request")
    session.commit()
    browser = browser_for(app, clerk)
    page = browser.get(f"/cases/{case.id}").text
    reason = (
        "A party may still request a correction or interpretation of the award: close the "
        "case once that time limit has ended (see the deadlines)."
    )
    assert reason in page
    assert f'href="/cases/{case.id}/act/close"' not in page
    act = browser.get(f"/cases/{case.id}/act/close")
    assert act.status_code == 200 and "Not possible now" in act.text and reason in act.text
    refused = browser.post(f"/cases/{case.id}/act/close", {"act-version": str(case.version)})
    assert refused.status_code == 409 and reason in refused.text
    session.expire_all()
    assert case.state is CaseState.AWARDED

    window.starts_on = window.due_on = utcnow().date() - dt.timedelta(days=3)
    session.commit()
    page = browser.get(f"/cases/{case.id}").text
    assert reason not in page and f'href="/cases/{case.id}/act/close"' in page


def test_the_expedited_track_is_explained_where_it_is_shown(app, factory, session):
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.REGISTERED, clerk=clerk)
    session.commit()
    deadlines = section(browser_for(app, clerk).get(f"/cases/{case.id}").text, "deadlines")
    assert "Expedited track" in deadlines
    explained = "the award is due 6 months after the tribunal is constituted"
    assert explained in deadlines and "USD 5,000,000" in deadlines
    case.expedited = not case.expedited
    session.commit()
    other = section(browser_for(app, clerk).get(f"/cases/{case.id}").text, "deadlines")
    assert explained in other and other != deadlines


def test_sessions_of_an_ended_mediation_are_no_longer_upcoming(app, factory, session):
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.MEDIATION, clerk=clerk)
    mediator = next(a.user for a in case.appointments)
    for days, agenda in ((-2, "Opening statements."), (5, "Second round.")):
        session.add(
            Meeting(
                case_id=case.id,
                kind=MeetingKind.MEDIATION_SESSION,
                starts_at=utcnow() + dt.timedelta(days=days),
                place="Room 4",
                agenda=agenda,
            )
        )
    session.commit()
    meetings = section(browser_for(app, clerk).get(f"/cases/{case.id}").text, "meetings")
    upcoming, earlier = meetings.split("Earlier sessions and hearings")
    assert "Second round." in upcoming and "Opening statements." not in upcoming
    assert "Opening statements." in earlier and "Not held" not in earlier

    proceedings_ops.act(
        case, user=mediator, action="impasse", reason="No agreement.", expected_version=None
    )
    session.commit()
    meetings = section(browser_for(app, clerk).get(f"/cases/{case.id}").text, "meetings")
    upcoming, earlier = meetings.split("Earlier sessions and hearings")
    assert "No session or hearing is scheduled." in upcoming
    assert "Second round." in earlier and "Opening statements." in earlier
    assert earlier.count("Not held: that stage of the case has ended.") == 1
