"""The neutrals' screens through the browser: assigning a mediator and a tribunal (clerk),
answering an appointment (the neutral), the caseload and the declared conflicts."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from dispute_portal.auth.models import Role
from dispute_portal.db import frozen_time, utcnow
from dispute_portal.neutrals import operations as neutrals
from dispute_portal.neutrals import views as neutral_views
from dispute_portal.neutrals.forms import declaration_text
from dispute_portal.neutrals.models import Appointment, AppointmentStatus, Capacity, Conflict
from dispute_portal.proceedings import operations as proceedings
from dispute_portal.workflow.states import CaseState
from tests.conftest import Browser, browser_for, hidden


def add_respondent(factory, case, clerk):
    """A respondent's representative who joined the case by invitation."""
    return factory.join(case, clerk)


def appointment_of(case, user):
    return next(a for a in case.appointments if a.user_id == user.id)


# A stale form on the clerk's pages -----------------------------------------------------------
# Who may open and post to each page is the route matrix's (tests/test_route_matrix.py).


@pytest.fixture
def world(factory, session):
    clerk = factory.user(Role.CLERK)
    investor = factory.user(Role.INVESTOR)
    mediator = factory.user(Role.MEDIATOR)
    proposed = factory.case(CaseState.REGISTERED, claimant=investor, clerk=clerk)
    respondent = add_respondent(factory, proposed, clerk)
    neutrals.propose_mediator(
        session, proposed, clerk=clerk, mediator=mediator, expected_version=None
    )
    arbitration = factory.case(CaseState.REGISTERED, claimant=investor, clerk=clerk)
    factory.join(arbitration, clerk, respondent)
    factory.mediate(arbitration, clerk, mediator)
    proceedings.act(
        arbitration, user=mediator, action="impasse", reason="No deal.", expected_version=None
    )
    proceedings.act(arbitration, user=clerk, action="refer", reason=None, expected_version=None)
    people = {
        "investor": investor,
        "other_investor": factory.user(Role.INVESTOR),
        "respondent": respondent,
        "clerk": clerk,
        "mediator": mediator,
        "other_mediator": factory.user(Role.MEDIATOR),
        "arbitrator": factory.user(Role.ARBITRATOR),
        "admin": factory.user(Role.ADMIN),
    }
    session.commit()
    return people, {"proposed": proposed.id, "arbitration": arbitration.id}


def client(app, people, who) -> Browser:
    """A browser for one of the people of the test's world ("anonymous": nobody)."""
    return browser_for(app, None if who == "anonymous" else people[who])


def test_a_stale_version_appoints_nobody_and_says_so(app, world, session):
    people, ids = world
    browser = client(app, people, "clerk")
    posts = {
        "/cases/{proposed}/assign-mediator": {
            "mediator": str(people["other_mediator"].id),
            "version": "1",
        },
        "/cases/{arbitration}/tribunal": {
            "sole": str(people["arbitrator"].id),
            "version": "1",
        },
    }
    before = session.scalar(select(Appointment.id).order_by(Appointment.id.desc()).limit(1))
    for page, data in posts.items():
        response = browser.post(page.format(**ids), data)
        assert response.status_code == 409, page
        assert "changed since you opened it" in response.text
    session.expire_all()
    after = session.scalar(select(Appointment.id).order_by(Appointment.id.desc()).limit(1))
    assert after == before


# Assigning a mediator ---------------------------------------------------------------------


def test_clerk_proposes_and_the_mediator_signs_the_declaration(factory, session, login_as):
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.REGISTERED, clerk=clerk)
    busy = factory.user(Role.MEDIATOR, name="Aigerim Busy")
    factory.mediate(factory.case(CaseState.REGISTERED, clerk=clerk), clerk, busy)
    free = factory.user(Role.MEDIATOR, name="Bolat Free")
    session.commit()

    browser, _ = login_as("clerk", user=clerk)
    page = browser.get(f"/cases/{case.id}/assign-mediator").text
    assert "Bolat Free (0 open cases)" in page and "Aigerim Busy (1 open case)" in page
    response = browser.post(
        f"/cases/{case.id}/assign-mediator",
        {"mediator": str(free.id), "version": hidden(page, "version")},
    )
    assert response.location == f"/cases/{case.id}"  # on to the case, not the form again
    page = browser.get(response.location).text
    assert "Bolat Free was asked to accept" in page
    page = browser.get(f"/cases/{case.id}/assign-mediator").text
    assert "A mediator is already proposed for this case." in page
    assert 'name="mediator"' not in page  # nothing more to propose
    session.expire_all()
    assert appointment_of(case, free).status is AppointmentStatus.PROPOSED

    mediator, _ = login_as("mediator", user=free)
    page = mediator.get(f"/cases/{case.id}/appointment").text
    assert "DECLARATION OF INDEPENDENCE AND IMPARTIALITY" in page
    assert "independent of each of the parties and of their counsel" in page
    assert "justifiable doubts" in page and "availability" in page
    assert case.title in page  # the case summary
    response = mediator.post(
        f"/cases/{case.id}/appointment",
        {
            "accept-answer": "accept",
            "accept-version": hidden(page, "accept-version"),
            "accept-digest": hidden(page, "accept-digest"),
            "accept-locale": hidden(page, "accept-locale"),
            "accept-confirm": "y",
        },
    )
    assert response.location == f"/cases/{case.id}"
    session.expire_all()
    assert case.state is CaseState.MEDIATION
    appointment = appointment_of(case, free)
    assert appointment.status is AppointmentStatus.ACCEPTED
    assert appointment.declaration.startswith("DECLARATION OF INDEPENDENCE AND IMPARTIALITY")
    assert "I, Bolat Free, accept to serve as Mediator" in appointment.declaration
    assert case.reference in appointment.declaration
    assert "now in mediation" in mediator.get(response.location).text


def test_the_declaration_is_signed_in_the_language_it_was_read(factory, session, login_as):
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.REGISTERED, clerk=clerk)
    mediator_user = factory.user(Role.MEDIATOR, locale="ru")
    neutrals.propose_mediator(
        session, case, clerk=clerk, mediator=mediator_user, expected_version=None
    )
    session.commit()
    browser, _ = login_as("mediator", user=mediator_user)
    page = browser.get(f"/cases/{case.id}/appointment").text
    assert hidden(page, "accept-locale") == "ru"
    browser.post(
        f"/cases/{case.id}/appointment",
        {
            "accept-answer": "accept",
            "accept-version": hidden(page, "accept-version"),
            "accept-digest": hidden(page, "accept-digest"),
            "accept-locale": "ru",
            "accept-confirm": "y",
        },
    )
    session.expire_all()
    with browser.client.application.test_request_context(), force_locale("ru"):
        expected = declaration_text(case, mediator_user, Capacity.MEDIATOR)
    assert appointment_of(case, mediator_user).declaration == expected
    assert case.state is CaseState.MEDIATION


def _answer_page(factory, session, login_as):
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.REGISTERED, clerk=clerk)
    mediator_user = factory.user(Role.MEDIATOR)
    neutrals.propose_mediator(
        session, case, clerk=clerk, mediator=mediator_user, expected_version=None
    )
    session.commit()
    browser, _ = login_as("mediator", user=mediator_user)
    page = browser.get(f"/cases/{case.id}/appointment").text
    return case, clerk, mediator_user, browser, page


def test_accepting_without_signing_changes_nothing(factory, session, login_as):
    case, _, mediator_user, browser, page = _answer_page(factory, session, login_as)
    response = browser.post(
        f"/cases/{case.id}/appointment",
        {
            "accept-answer": "accept",
            "accept-version": hidden(page, "accept-version"),
            "accept-digest": hidden(page, "accept-digest"),
            "accept-locale": "en",
        },
    )
    assert response.status_code == 400
    assert "Tick the box to sign the declaration." in response.text
    session.expire_all()
    assert case.state is CaseState.REGISTERED
    assert appointment_of(case, mediator_user).status is AppointmentStatus.PROPOSED


def test_a_declaration_other_than_the_one_shown_is_not_signed(factory, session, login_as):
    case, _, mediator_user, browser, page = _answer_page(factory, session, login_as)
    response = browser.post(
        f"/cases/{case.id}/appointment",
        {
            "accept-answer": "accept",
            "accept-version": hidden(page, "accept-version"),
            "accept-digest": "0" * 64,
            "accept-locale": "en",
            "accept-confirm": "y",
        },
    )
    assert response.status_code == 409 and "The declaration changed" in response.text
    session.expire_all()
    assert case.state is CaseState.REGISTERED


def test_decline_with_a_disclosure_and_the_clerk_proposes_another(factory, session, login_as):
    case, clerk, first, browser, page = _answer_page(factory, session, login_as)
    second = factory.user(Role.MEDIATOR, name="Second Mediator")
    session.commit()
    empty = browser.post(
        f"/cases/{case.id}/appointment",
        {
            "decline-answer": "decline",
            "decline-version": hidden(page, "decline-version"),
            "decline-disclosure": "  ",
        },
    )
    assert empty.status_code == 400 and "Give the disclosure or reason." in empty.text
    session.expire_all()
    assert appointment_of(case, first).status is AppointmentStatus.PROPOSED

    response = browser.post(
        f"/cases/{case.id}/appointment",
        {
            "decline-answer": "decline",
            "decline-version": hidden(page, "decline-version"),
            "decline-disclosure": "I advised the Akimat in 2024.",
        },
    )
    assert response.location == "/caseload"
    session.expire_all()
    declined = appointment_of(case, first)
    assert declined.status is AppointmentStatus.DECLINED
    assert declined.disclosure == "I advised the Akimat in 2024."
    assert browser.get(f"/cases/{case.id}").status_code == 404  # off the case

    clerk_browser, _ = login_as("clerk", user=clerk)
    page = clerk_browser.get(f"/cases/{case.id}/assign-mediator").text
    assert "I advised the Akimat in 2024." in page  # the clerk reads the disclosure
    assert f'value="{first.id}"' not in page  # not offered again
    assert f'type="radio" value="{second.id}"' in page
    assert "Declined this case." in page
    response = clerk_browser.post(
        f"/cases/{case.id}/assign-mediator",
        {"mediator": str(second.id), "version": hidden(page, "version")},
    )
    assert response.status_code == 302
    session.expire_all()
    assert appointment_of(case, second).status is AppointmentStatus.PROPOSED


def test_proposing_without_a_choice_or_with_a_stale_form_changes_nothing(
    factory, session, login_as
):
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.REGISTERED, clerk=clerk)
    mediator_user = factory.user(Role.MEDIATOR)
    session.commit()
    browser, _ = login_as("clerk", user=clerk)
    page = browser.get(f"/cases/{case.id}/assign-mediator").text
    response = browser.post(
        f"/cases/{case.id}/assign-mediator", {"version": hidden(page, "version")}
    )
    assert response.status_code == 400 and "Choose a mediator." in response.text
    stale = browser.post(
        f"/cases/{case.id}/assign-mediator",
        {"mediator": str(mediator_user.id), "version": str(case.version - 1)},
    )
    assert stale.status_code == 409 and "changed since you opened it" in stale.text
    session.expire_all()
    assert case.appointments == []


# Conflicts ----------------------------------------------------------------------------------


def test_a_conflicted_mediator_is_not_offered(factory, session, login_as):
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.REGISTERED, clerk=clerk)  # against "Akimat of Alatau City"
    conflicted = factory.user(Role.MEDIATOR, name="Conflicted Mediator")
    session.commit()
    mediator_browser, _ = login_as("mediator", user=conflicted)
    response = mediator_browser.post(
        "/conflicts", {"party_name": "AKIMAT OF ALATAU CITY", "note": "Former employer."}
    )
    assert response.status_code == 302
    page = mediator_browser.get("/conflicts").text
    assert "AKIMAT OF ALATAU CITY" in page and "Former employer." in page

    browser, _ = login_as("clerk", user=clerk)
    page = browser.get(f"/cases/{case.id}/assign-mediator").text
    assert f'value="{conflicted.id}"' not in page
    assert "Conflicted Mediator" in page  # listed for information, with the reason
    assert "Declared a conflict with a party to this case." in page
    response = browser.post(
        f"/cases/{case.id}/assign-mediator",
        {"mediator": str(conflicted.id), "version": hidden(page, "version")},
    )
    assert response.status_code == 400
    session.expire_all()
    assert case.appointments == []


def test_conflicts_are_added_and_removed(factory, session, login_as, app):
    browser, me = login_as("arbitrator")
    other = factory.user(Role.MEDIATOR)
    theirs = neutrals.add_conflict(session, other, party_name="Steppe Solar", note=None)
    session.commit()
    empty = browser.post("/conflicts", {"party_name": "  "})
    assert empty.status_code == 400 and "Give the name of the party." in empty.text
    noise = browser.post("/conflicts", {"party_name": "LLP"})  # nothing left to match
    assert noise.status_code == 400
    browser.post("/conflicts", {"party_name": "Steppe Solar Energy LLP"})
    session.expire_all()
    mine = session.scalars(select(Conflict).where(Conflict.user_id == me.id)).all()
    assert [c.match_key for c in mine] == ["steppe solar energy"]

    # Another neutral's conflict cannot be removed; nor without the form's CSRF token.
    assert browser.post("/conflicts", {"conflict_id": str(theirs.id)}).status_code == 404
    assert browser.post("/conflicts", {"conflict_id": "x"}).status_code == 404
    forged = browser.post("/conflicts", {"conflict_id": str(mine[0].id)}, csrf=False)
    assert forged.status_code == 400
    session.expire_all()
    assert session.get(Conflict, mine[0].id) is not None and session.get(Conflict, theirs.id)

    mine_id = mine[0].id
    response = browser.post("/conflicts", {"conflict_id": str(mine_id)})
    assert "was removed" in browser.get(response.location).text
    session.expire_all()
    assert session.get(Conflict, mine_id) is None


# The tribunal -------------------------------------------------------------------------------


def _arbitration(factory, session):
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.ARBITRATION, clerk=clerk)
    return case, clerk


def _accept_as(login_as, user, case):
    browser, _ = login_as("arbitrator", user=user)
    page = browser.get(f"/cases/{case.id}/appointment").text
    return browser, browser.post(
        f"/cases/{case.id}/appointment",
        {
            "accept-answer": "accept",
            "accept-version": hidden(page, "accept-version"),
            "accept-digest": hidden(page, "accept-digest"),
            "accept-locale": hidden(page, "accept-locale"),
            "accept-confirm": "y",
        },
    )


def test_tribunal_of_three_with_a_decline_and_a_new_proposal(factory, session, login_as):
    case, clerk = _arbitration(factory, session)
    a, b, c, d = (factory.user(Role.ARBITRATOR, name=f"Arbitrator {x}") for x in "ABCD")
    conflicted = factory.user(Role.ARBITRATOR, name="Arbitrator Conflicted")
    neutrals.add_conflict(session, conflicted, party_name="steppe solar energy", note=None)
    session.commit()

    browser, _ = login_as("clerk", user=clerk)
    page = browser.get(f"/cases/{case.id}/tribunal").text
    assert 'name="size"' not in page  # the size follows from the seats chosen
    assert f'value="{conflicted.id}"' not in page
    assert "Declared a conflict with a party to this case." in page
    response = browser.post(
        f"/cases/{case.id}/tribunal",
        {
            "version": hidden(page, "version"),
            "presiding": str(a.id),
            "co1": str(b.id),
            "co2": str(c.id),
        },
    )
    assert response.location == f"/cases/{case.id}"  # on to the case, not the form again
    assert "The arbitrators were asked to accept" in browser.get(response.location).text
    session.expire_all()
    assert {(x.user_id, x.capacity) for x in case.appointments if x.capacity.in_tribunal} == {
        (a.id, Capacity.PRESIDING_ARBITRATOR),
        (b.id, Capacity.CO_ARBITRATOR),
        (c.id, Capacity.CO_ARBITRATOR),
    }
    page = browser.get(f"/cases/{case.id}/tribunal").text
    assert "A tribunal is already proposed for this case." in page and 'name="co1"' not in page

    _accept_as(login_as, a, case)
    b_browser, _ = login_as("arbitrator", user=b)
    b_page = b_browser.get(f"/cases/{case.id}/appointment").text
    assert "Co-arbitrator" in b_page
    b_browser.post(
        f"/cases/{case.id}/appointment",
        {
            "decline-answer": "decline",
            "decline-version": hidden(b_page, "decline-version"),
            "decline-disclosure": "My firm acts for the claimant's parent company.",
        },
    )
    _accept_as(login_as, c, case)
    session.expire_all()
    assert case.tribunal_constituted_at is None

    page = browser.get(f"/cases/{case.id}/tribunal").text
    assert "Fill the empty seats" in page
    assert 'name="co1"' in page
    assert 'name="size"' not in page and 'name="presiding"' not in page and 'name="co2"' not in page
    assert f'<option value="{b.id}"' not in page  # declined: not offered again
    assert f'<option value="{a.id}"' not in page  # already sitting
    assert f'<option value="{d.id}"' in page
    missing = browser.post(f"/cases/{case.id}/tribunal", {"version": hidden(page, "version")})
    assert missing.status_code == 400 and "Choose an arbitrator for this seat." in missing.text
    response = browser.post(
        f"/cases/{case.id}/tribunal", {"version": hidden(page, "version"), "co1": str(d.id)}
    )
    assert response.status_code == 302
    session.expire_all()
    assert appointment_of(case, d).capacity is Capacity.CO_ARBITRATOR

    d_browser, accepted = _accept_as(login_as, d, case)
    assert "The tribunal is now constituted." in d_browser.get(accepted.location).text
    session.expire_all()
    assert case.tribunal_constituted_at is not None
    assert case.state is CaseState.ARBITRATION


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose a sole arbitrator, or a presiding arbitrator and two co-arbitrators."),
        ({"presiding": "A", "co1": "B"}, "Choose an arbitrator for this seat."),
        ({"co2": "A"}, "Choose an arbitrator for this seat."),
        ({"presiding": "A", "co1": "B", "co2": "B"}, "different arbitrator"),
        ({"sole": "A", "presiding": "B"}, "Choose either a sole arbitrator or three arbitrators"),
        ({"sole": "999999"}, "Not a valid choice"),
    ],
)
def test_an_invalid_tribunal_changes_nothing(factory, session, login_as, data, message):
    case, clerk = _arbitration(factory, session)
    users = {x: factory.user(Role.ARBITRATOR) for x in "AB"}
    session.commit()
    browser, _ = login_as("clerk", user=clerk)
    page = browser.get(f"/cases/{case.id}/tribunal").text
    form = {k: str(users[v].id) if v in users else v for k, v in data.items()}
    response = browser.post(
        f"/cases/{case.id}/tribunal", {"version": hidden(page, "version"), **form}
    )
    assert response.status_code == 400 and message in response.text
    session.expire_all()
    assert not [x for x in case.appointments if x.capacity.in_tribunal]


def test_a_sole_arbitrator_constitutes_the_tribunal_on_acceptance(factory, session, login_as):
    case, clerk = _arbitration(factory, session)
    sole = factory.user(Role.ARBITRATOR)
    session.commit()
    browser, _ = login_as("clerk", user=clerk)
    page = browser.get(f"/cases/{case.id}/tribunal").text
    browser.post(
        f"/cases/{case.id}/tribunal",
        {"version": hidden(page, "version"), "sole": str(sole.id)},  # the size follows
    )
    session.expire_all()
    assert appointment_of(case, sole).capacity is Capacity.SOLE_ARBITRATOR
    _accept_as(login_as, sole, case)
    session.expire_all()
    assert case.tribunal_constituted_at is not None


# The caseload -------------------------------------------------------------------------------


def _rows(page: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/cases/\d+">([^<]+)</a>', page)


@pytest.fixture
def caseload_world(factory, session):
    clerk = factory.user(Role.CLERK)
    me = factory.user(Role.MEDIATOR)
    with frozen_time(utcnow() - dt.timedelta(days=100)):
        late = factory.case(CaseState.REGISTERED, clerk=clerk)
        factory.mediate(late, clerk, me)  # its deadlines ran out long ago
    asked = factory.case(CaseState.REGISTERED, clerk=clerk)
    neutrals.propose_mediator(session, asked, clerk=clerk, mediator=me, expected_version=None)
    running = factory.case(CaseState.REGISTERED, clerk=clerk)
    factory.mediate(running, clerk, me)
    settled = factory.case(CaseState.REGISTERED, clerk=clerk)
    factory.mediate(settled, clerk, me)
    proceedings.act(settled, user=me, action="settle", reason="Paid.", expected_version=None)
    declined = factory.case(CaseState.REGISTERED, clerk=clerk)
    neutrals.propose_mediator(session, declined, clerk=clerk, mediator=me, expected_version=None)
    neutrals.decline(session, declined, user=me, disclosure="Busy.", expected_version=None)
    someone_elses = factory.case(CaseState.MEDIATION, clerk=clerk)
    session.commit()
    return me, {
        "late": late,
        "asked": asked,
        "running": running,
        "settled": settled,
        "declined": declined,
        "other": someone_elses,
    }


def test_caseload_lists_overdue_first_then_by_next_deadline(login_as, caseload_world):
    me, cases = caseload_world
    browser, _ = login_as("mediator", user=me)
    page = browser.get("/caseload").text
    refs = {k: c.reference for k, c in cases.items()}
    # late: overdue; asked: mediator appointment in ~2 weeks; running: response in 30 days;
    # settled: nothing running. Declined and other people's cases are not listed.
    assert _rows(page) == [refs["late"], refs["asked"], refs["running"], refs["settled"]]
    late_row = page[page.index(refs["late"]) : page.index(refs["asked"])]
    assert "Overdue" in late_row and "row-overdue" in page
    asked_row = page[page.index(refs["asked"]) : page.index(refs["running"])]
    assert "Overdue" not in asked_row
    assert "Appointment of the mediator" in asked_row and "Awaiting your answer" in asked_row
    assert "Mediator" in asked_row
    # The counts by state, at the top.
    assert "In mediation: 2" in page and "Registered: 1" in page and "Settled: 1" in page


def test_caseload_filter_and_sort(login_as, caseload_world):
    me, cases = caseload_world
    browser, _ = login_as("mediator", user=me)
    page = browser.get("/caseload?state=mediation").text
    assert set(_rows(page)) == {cases["late"].reference, cases["running"].reference}
    page = browser.get("/caseload?state=settled").text
    assert _rows(page) == [cases["settled"].reference]
    page = browser.get("/caseload?state=nonsense").text  # shown as an error, then ignored
    assert "Not a valid choice" in page and len(_rows(page)) == 4
    page = browser.get("/caseload?sort=reference").text
    mine = [cases[k].reference for k in ("late", "asked", "running", "settled")]
    assert _rows(page) == sorted(mine)
    page = browser.get("/caseload?sort=activity").text
    assert _rows(page)[-1] == cases["late"].reference  # quiet for 100 days
    assert _rows(page)[0] == cases["settled"].reference
    assert browser.get("/caseload?sort=nonsense&page=-3").status_code == 200


def test_caseload_pages(login_as, caseload_world, monkeypatch):
    me, _ = caseload_world
    monkeypatch.setattr(neutral_views, "PAGE_SIZE", 3)
    browser, _ = login_as("mediator", user=me)
    first = browser.get("/caseload").text
    assert len(_rows(first)) == 3 and "Page 1 of 2" in first
    second = browser.get("/caseload?page=2").text
    assert len(_rows(second)) == 1 and "Previous page" in second


def test_caseload_takes_the_same_number_of_queries_for_more_cases(
    factory, session, login_as, count_queries
):
    clerk = factory.user(Role.CLERK)
    me = factory.user(Role.MEDIATOR)
    factory.mediate(factory.case(CaseState.REGISTERED, clerk=clerk), clerk, me)
    session.commit()
    browser, _ = login_as("mediator", user=me)
    browser.get("/caseload")
    with count_queries() as few:
        assert len(_rows(browser.get("/caseload").text)) == 1
    for _ in range(4):
        factory.mediate(factory.case(CaseState.REGISTERED, clerk=clerk), clerk, me)
    session.commit()
    with count_queries() as many:
        assert len(_rows(browser.get("/caseload").text)) == 5
    assert many.count == few.count > 0


def test_neutrals_land_on_their_caseload_after_login(app, factory, session):
    for role in ("mediator", "arbitrator"):
        user = factory.user(role)
        session.commit()
        response = Browser(app).login(user)
        assert response.location.endswith("/caseload"), role
