"""After the award: the parties' window to ask for a correction or an interpretation runs to
its end, whatever else happens in the awarded case, and the case is closed only after it."""

from __future__ import annotations

import datetime as dt
import io

import pypdf
import pytest

from dispute_portal.auth.models import Role
from dispute_portal.cases.models import Visibility
from dispute_portal.clock import ALMATY
from dispute_portal.deadlines.models import DeadlineStatus
from dispute_portal.deadlines.queries import today
from dispute_portal.proceedings import operations as proceedings
from dispute_portal.rulings import operations as rulings
from dispute_portal.workflow import engine
from dispute_portal.workflow.states import CaseState

from .conftest import browser_for
from .test_proceedings_views import add_respondent


def window(case):
    return next(d for d in case.deadlines if d.key == "correction_request")


def awarded(factory):
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.AWARDED, clerk=clerk)
    respondent = add_respondent(factory, case)
    chair = next(a.user for a in case.appointments if a.capacity.chairs)
    return case, clerk, respondent, chair


def request(case, user, text="Paragraph 3 has a typo."):
    return proceedings.act(
        case, user=user, action="request_correction", reason=text, expected_version=None
    )


def test_a_decided_request_leaves_the_other_party_its_own_request(factory):
    case, _clerk, respondent, chair = awarded(factory)
    request(case, case.claimant_user)
    assert window(case).status is DeadlineStatus.OPEN
    proceedings.decide_correction(case, chair=chair, reason="Corrected.", expected_version=None)
    assert window(case).status is DeadlineStatus.OPEN
    request(case, respondent, "The interest rate needs an interpretation.")
    assert case.last_event("request_correction").actor_id == respondent.id


def test_a_submission_after_the_award_does_not_end_the_window(factory):
    case, _clerk, respondent, _chair = awarded(factory)
    due = window(case).due_on
    factory.file(case, respondent, Visibility.PARTIES, "costs")
    assert window(case).status is DeadlineStatus.OPEN and window(case).due_on == due
    request(case, case.claimant_user)  # still in time


def test_the_registry_extends_the_window_and_it_keeps_running(factory):
    case, clerk, _respondent, _chair = awarded(factory)
    deadline = window(case)
    new_due = deadline.due_on + dt.timedelta(days=14)
    proceedings.extend_deadline(
        case,
        clerk=clerk,
        deadline_id=deadline.id,
        new_due=new_due,
        reason="The parties asked for two more weeks.",
        expected_version=None,
    )
    assert deadline.status is DeadlineStatus.OPEN and deadline.due_on >= new_due
    with pytest.raises(engine.TransitionRefused, match="may still request a correction"):
        proceedings.act(case, user=clerk, action="close", reason=None, expected_version=None)
    request(case, case.claimant_user)  # still in time


def test_the_award_itself_still_stops_what_ran_before_it(factory):
    case, *_ = awarded(factory)
    before = [d for d in case.deadlines if d.key != "correction_request"]
    assert before and all(d.status is not DeadlineStatus.OPEN for d in before)
    assert window(case).status is DeadlineStatus.OPEN and window(case).due_on > today()


def test_no_request_after_the_last_day_of_the_window(app, factory, session):
    case, _clerk, respondent, _chair = awarded(factory)
    deadline = window(case)
    deadline.starts_on = deadline.due_on = today()
    request(case, respondent)  # the last day is still in time
    case, *_ = awarded(factory)
    deadline = window(case)
    deadline.starts_on = deadline.due_on = today() - dt.timedelta(days=1)
    passed = "The time for requests for correction or interpretation has passed."
    with pytest.raises(engine.TransitionRefused, match=passed):
        request(case, case.claimant_user)
    assert not any(d.key == "correction_decision" for d in case.deadlines)
    session.commit()
    page = browser_for(app, case.claimant_user).get(f"/cases/{case.id}").text
    assert passed in page and f'href="/cases/{case.id}/act/request_correction"' not in page


def decided(factory):
    """An awarded case whose award the tribunal corrected on the claimant's request."""
    case, clerk, respondent, chair = awarded(factory)
    (award,) = [r for r in rulings.case_rulings(case) if r.kind == "award"]
    request(case, case.claimant_user)
    proceedings.decide_correction(
        case, chair=chair, reason="Paragraph 3 is to read USD 1.", expected_version=None
    )
    decision = rulings.case_rulings(case)[-1]
    assert decision.kind == "correction_decision"
    return case, award, decision, respondent, chair


def test_verify_of_the_award_names_the_decision_that_corrects_it(factory, session, browser):
    case, award, decision, respondent, chair = decided(factory)
    assert decision.corrects_id == award.id
    assert decision.values["corrects"] == rulings.display_code(award.verification_code)
    session.commit()
    page = browser.get(f"/verify?code={award.verification_code}").text
    assert (
        "A decision on a request for correction or interpretation of this ruling was issued "
        f"on {decision.issued_at.astimezone(ALMATY):%-d %b %Y}"
    ) in page.replace("\u202f", " ")
    assert f"(code {rulings.display_code(decision.verification_code)})" in page
    # And the decision's own page names the award it decides on.
    page = browser.get(f"/verify?code={decision.verification_code}").text
    assert (
        "It decides on a request for correction or interpretation of the ruling with code "
        f"{rulings.display_code(award.verification_code)}."
    ) in page

    # A second request (the respondent's), decided too: the award's page names both.
    request(case, respondent, "The interest rate needs an interpretation.")
    proceedings.decide_correction(
        case, chair=chair, reason="Simple interest is meant.", expected_version=None
    )
    second = rulings.case_rulings(case)[-1]
    assert second.corrects_id == award.id
    session.commit()
    page = browser.get(f"/verify?code={award.verification_code}").text
    codes = [rulings.display_code(r.verification_code) for r in (decision, second)]
    assert all(f"(code {code})" in page for code in codes)
    assert page.index(codes[0]) < page.index(codes[1])


def test_the_preview_of_the_decision_names_the_award(app, factory, session):
    case, clerk, respondent, chair = awarded(factory)
    (award,) = [r for r in rulings.case_rulings(case) if r.kind == "award"]
    request(case, case.claimant_user)
    session.commit()
    browser = browser_for(app, chair)
    html = browser.post(
        f"/cases/{case.id}/act/decide_correction/preview", {"act-reason": "Corrected."}
    ).text
    assert f"bearing verification code {rulings.display_code(award.verification_code)}" in html


@pytest.mark.real_pdf
def test_the_decision_pdf_names_the_award_it_corrects(factory, session):
    _case, award, decision, _respondent, _chair = decided(factory)
    pdf = rulings.ruling_pdf(session, decision)
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    code = rulings.display_code(award.verification_code)
    assert f"This ruling corrects the ruling with verification code {code}." in " ".join(
        text.split()
    )
    assert f"bearing verification code {code}" in " ".join(text.split())
