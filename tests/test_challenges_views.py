"""The challenge pages: a proposal from request to decision through the portal, by the right
people, and the refusals (the wrong person, the wrong time, bad input) that change nothing."""

from __future__ import annotations

import datetime as dt

from dispute_portal.auth.models import Role
from dispute_portal.challenges import queries
from dispute_portal.challenges.models import Challenge
from dispute_portal.deadlines.queries import today
from dispute_portal.neutrals.models import AppointmentStatus
from dispute_portal.rulings.models import Ruling
from dispute_portal.workflow import engine
from dispute_portal.workflow.states import CaseState

from .conftest import browser_for, hidden


def arbitration(factory, session, *, size=3):
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.IMPASSE, clerk=clerk)
    respondent = factory.join(case, clerk)
    engine.apply(clerk, case, "refer")
    members = factory.tribunal(case, clerk, size=size)
    session.commit()
    return case, clerk, respondent, members


def seat(case, user):
    return next(a for a in case.appointments if a.user_id == user.id)


def act(app, user, url, data):
    browser = browser_for(app, user)
    page = browser.get(url)
    assert page.status_code == 200, page.get_data(as_text=True)
    return browser.post(url, {"version": hidden(page.get_data(as_text=True))} | data)


def test_a_challenge_from_request_to_decision_through_the_pages(app, factory, session):
    case, clerk, respondent, (chair, co1, co2) = arbitration(factory, session)
    base = f"/cases/{case.id}"
    claimant = case.claimant_user

    # The case page offers the act; the proposal names the co-arbitrator.
    show = browser_for(app, claimant).get(base).get_data(as_text=True)
    assert f"{base}/challenges/propose" in show
    answer = act(
        app,
        claimant,
        f"{base}/challenges/propose",
        {
            "persons": str(seat(case, co1).id),
            "learned_on": today().isoformat(),
            "text": "Co-arbitrator advised the ministry.",
        },
    )
    assert answer.status_code == 302, answer.get_data(as_text=True)
    session.expire_all()
    assert queries.pending_challenge(case) is not None

    assert act(app, co1, f"{base}/challenges/comment", {"text": "Never."}).status_code == 302
    answer = act(app, respondent, f"{base}/challenges/observe", {"text": "Late and wrong."})
    assert answer.status_code == 302
    for member in (chair, co2):
        answer = act(
            app, member, f"{base}/challenges/vote", {"vote": "reject", "text": "No doubt."}
        )
        assert answer.status_code == 302, answer.get_data(as_text=True)
    answer = act(app, co2, f"{base}/challenges/decide", {"text": "The proposal is rejected."})
    assert answer.status_code == 302, answer.get_data(as_text=True)
    session.expire_all()
    challenge = session.query(Challenge).filter_by(case_id=case.id).one()
    assert challenge.outcome.value == "rejected" and challenge.by_centre is False
    assert session.query(Ruling).filter_by(case_id=case.id, kind="challenge_decision").count()
    page = browser_for(app, claimant).get(f"{base}/challenges").get_data(as_text=True)
    assert "Co-arbitrator advised the ministry." in page and "Never." in page
    assert "No doubt." not in page  # the members' votes are their deliberation
    assert "No doubt." in browser_for(app, chair).get(f"{base}/challenges").get_data(as_text=True)


def test_the_centre_decides_a_sole_arbitrator_and_upholds(app, factory, session):
    case, clerk, respondent, (sole,) = arbitration(factory, session, size=1)
    base = f"/cases/{case.id}"
    act(
        app,
        respondent,
        f"{base}/challenges/propose",
        {"persons": str(seat(case, sole).id), "learned_on": today().isoformat(), "text": "F."},
    )
    act(app, sole, f"{base}/challenges/comment", {"text": "Denied."})
    act(app, case.claimant_user, f"{base}/challenges/observe", {"text": "Agreed."})
    # The Centre must choose the outcome.
    answer = act(app, clerk, f"{base}/challenges/decide", {"text": "Reasons."})
    assert answer.status_code == 400
    answer = act(app, clerk, f"{base}/challenges/decide", {"outcome": "upheld", "text": "Reasons."})
    assert answer.status_code == 302, answer.get_data(as_text=True)
    session.expire_all()
    assert seat(case, sole).status is AppointmentStatus.ENDED


def test_a_late_proposal_is_refused_beside_its_date_and_changes_nothing(app, factory, session):
    case, clerk, respondent, (chair, co1, co2) = arbitration(factory, session)
    version = case.version
    answer = act(
        app,
        case.claimant_user,
        f"/cases/{case.id}/challenges/propose",
        {
            "persons": str(seat(case, co1).id),
            "learned_on": (today() - dt.timedelta(days=30)).isoformat(),
            "text": "Facts.",
        },
    )
    assert answer.status_code == 400
    assert "within 21 days" in answer.get_data(as_text=True)
    session.expire_all()
    assert case.version == version
    assert session.query(Challenge).count() == 0


def test_a_proposal_needs_a_person_and_a_date(app, factory, session):
    case, clerk, respondent, (chair, co1, co2) = arbitration(factory, session)
    answer = act(app, case.claimant_user, f"/cases/{case.id}/challenges/propose", {"text": "F."})
    assert answer.status_code == 400
    text = answer.get_data(as_text=True)
    assert "Choose whom you propose to disqualify." in text and "Enter a date." in text


def test_who_may_open_each_page(app, factory, session):
    case, clerk, respondent, (chair, co1, co2) = arbitration(factory, session)
    base = f"/cases/{case.id}"
    stranger = factory.user(Role.INVESTOR)
    session.commit()
    assert browser_for(app, stranger).get(f"{base}/challenges").status_code == 404
    assert browser_for(app, stranger).get(f"{base}/challenges/propose").status_code == 404
    for user in (clerk, chair, co1):
        assert browser_for(app, user).get(f"{base}/challenges/propose").status_code == 403
    # Nothing pending: the page for comments says so, and nobody may vote or decide.
    assert browser_for(app, co1).get(f"{base}/challenges/comment").status_code == 403
    assert browser_for(app, chair).get(f"{base}/challenges/vote").status_code == 403
    assert browser_for(app, clerk).get(f"{base}/challenges/decide").status_code == 403
    assert browser_for(app, co1).get(f"{base}/resign").status_code == 200
    assert browser_for(app, case.claimant_user).get(f"{base}/resign").status_code == 403


def test_a_resignation_through_its_page(app, factory, session):
    case, clerk, respondent, (chair, co1, co2) = arbitration(factory, session)
    answer = act(app, co2, f"/cases/{case.id}/resign", {"text": "Health."})
    assert answer.status_code == 302
    session.expire_all()
    assert seat(case, co2).status is AppointmentStatus.ENDED
    # The one who left no longer sees the case.
    assert browser_for(app, co2).get(f"/cases/{case.id}").status_code == 404


def test_a_stale_proposal_form_applies_nothing(app, factory, session):
    case, clerk, respondent, (chair, co1, co2) = arbitration(factory, session)
    browser = browser_for(app, case.claimant_user)
    url = f"/cases/{case.id}/challenges/propose"
    answer = browser.post(
        url,
        {
            "version": str(case.version - 1),
            "persons": str(seat(case, co1).id),
            "learned_on": today().isoformat(),
            "text": "Facts.",
        },
    )
    assert answer.status_code == 409
    session.expire_all()
    assert case.suspended_since is None
    assert session.query(Challenge).count() == 0
