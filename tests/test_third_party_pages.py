"""The pages of provisional measures, funding and non-disputing parties: each act through
its form, as the right person, with the answers the form conventions give (a refused act
409 with the reason, bad input 400, done a redirect); the case page and the caseload list
the requests with the urgent ones first, marked in words."""

from __future__ import annotations

import datetime as dt
import io

from babel.dates import format_date

from dispute_portal.auth.models import Role
from dispute_portal.deadlines.queries import open_deadline, today
from dispute_portal.funding import queries as funding_queries
from dispute_portal.measures import queries as measures_queries
from dispute_portal.workflow.states import CaseState

from .conftest import browser_for, hidden
from .factories import pdf_bytes


def arbitration(factory):
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.ARBITRATION, clerk=clerk)
    respondent = factory.join(case, clerk)
    chair, co, _ = factory.tribunal(case, clerk, size=3)
    factory.session.commit()
    return case, clerk, respondent, chair, co


def _post(browser, url, data):
    page = browser.get(url)
    assert page.status_code == 200, page.text
    return browser.post(url, {"version": hidden(page.text), **data})


def test_provisional_measures_through_the_pages(app, factory, session):
    case, clerk, respondent, chair, co = arbitration(factory)
    base = f"/cases/{case.id}/provisional-measures"
    claimant = browser_for(app, case.claimant_user)
    empty = _post(claimant, f"{base}/request", {"measures": "", "grounds": ""})
    assert empty.status_code == 400 and "Say which measures" in empty.text
    done = _post(
        claimant,
        f"{base}/request",
        {"measures": "Freeze the capacity.", "grounds": "It is the only outlet.", "urgent": "y"},
    )
    assert done.status_code == 302, done.text
    page = claimant.get(f"/cases/{case.id}")
    assert 'class="tag tag-urgent">Urgent<' in page.text and "Freeze the capacity." in page.text
    # The chair cannot order yet: the page says why (the form is not offered).
    chair_browser = browser_for(app, chair)
    blocked = chair_browser.get(f"{base}/order")
    assert blocked.status_code == 200 and "may still file observations" in blocked.text
    caseload = chair_browser.get("/caseload")
    assert "Requests for provisional measures waiting for the tribunal" in caseload.text
    assert f'tag-urgent">Urgent</span> <a href="/cases/{case.id}' in caseload.text
    observed = _post(
        browser_for(app, respondent), f"{base}/observations", {"observations": "Opposed."}
    )
    assert observed.status_code == 302
    bad = _post(chair_browser, f"{base}/order", {"outcome": "", "reason": "x"})
    assert bad.status_code == 400
    ordered = _post(
        chair_browser, f"{base}/order", {"outcome": "granted", "reason": "Capacity frozen."}
    )
    assert ordered.status_code == 302, ordered.text
    session.expire_all()
    (request,) = measures_queries.requests_of(session, case)
    assert request.outcome.value == "granted"
    assert "Granted" in claimant.get(f"/cases/{case.id}").text


def test_funding_through_the_pages(app, factory, session):
    case, clerk, respondent, chair, co = arbitration(factory)
    claimant = browser_for(app, case.claimant_user)
    done = _post(
        claimant,
        f"/cases/{case.id}/funding",
        {"funder_name": "Themis Fund LP", "funder_address": "1 Fleet Street, London"},
    )
    assert done.status_code == 302, done.text
    session.expire_all()
    (disclosure,) = funding_queries.current_funders(case)
    # Everyone on the case reads it; the neutrals who owe a re-confirmation are named.
    for user in (respondent, chair, clerk):
        page = browser_for(app, user).get(f"/cases/{case.id}/funding")
        assert "Themis Fund LP" in page.text and chair.name in page.text
    # The other side cannot update it: no such disclosure of theirs.
    other = browser_for(app, respondent)
    assert other.get(f"/cases/{case.id}/funding/{disclosure.id}/update").status_code == 404
    updated = _post(
        claimant,
        f"/cases/{case.id}/funding/{disclosure.id}/update",
        {"funder_name": "Themis Fund II LP", "funder_address": "1 Fleet Street, London"},
    )
    assert updated.status_code == 302, updated.text
    co_browser = browser_for(app, co)
    refused = _post(co_browser, f"/cases/{case.id}/funding/reconfirm", {"statement": "Fine."})
    assert refused.status_code == 400  # the box is not ticked
    signed = _post(
        co_browser,
        f"/cases/{case.id}/funding/reconfirm",
        {"statement": "No link with the fund.", "confirmed": "y"},
    )
    assert signed.status_code == 302, signed.text
    session.expire_all()
    assert co.id not in {a.user_id for a in funding_queries.not_reconfirmed(case)}
    page = claimant.get(f"/cases/{case.id}/funding")
    assert "Updated" in page.text and "Themis Fund II LP" in page.text
    (current,) = funding_queries.current_funders(case)
    withdrawn = claimant.post(
        f"/cases/{case.id}/funding/{current.id}/withdraw", {"version": hidden(page.text)}
    )
    assert withdrawn.status_code == 302, withdrawn.text


def test_a_non_disputing_application_through_the_pages(app, factory, session):
    case, clerk, respondent, chair, co = arbitration(factory)
    base = f"/cases/{case.id}/non-disputing"
    clerk_browser = browser_for(app, clerk)
    page = clerk_browser.get(f"{base}/application")
    assert page.status_code == 200, page.text
    fields = {
        "version": hidden(page.text),
        "applicant_name": "Steppe Water Association",
        "applicant_kind": "organisation",
        "description": "Residents of the district.",
        "interest": "Water supply.",
        "received_by": "post",
        "received_on": "2026-11-20",
    }
    missing = clerk_browser.post(f"{base}/application", fields)
    assert missing.status_code in (400, 409) and "Attach the written submission" in missing.text
    done = clerk_browser.post(
        f"{base}/application",
        fields | {"document": (io.BytesIO(pdf_bytes("Brief")), "brief.pdf")},
        content_type="multipart/form-data",
    )
    assert done.status_code == 302, done.text
    for user in (case.claimant_user, respondent):
        observed = _post(browser_for(app, user), f"{base}/observations", {"observations": "OK."})
        assert observed.status_code == 302, observed.text
    decided = _post(
        browser_for(app, chair), f"{base}/decision", {"decision": "granted", "reason": "Useful."}
    )
    assert decided.status_code == 302, decided.text
    page = browser_for(app, respondent).get(f"/cases/{case.id}")
    assert "Steppe Water Association" in page.text and "on the record" in page.text


def test_the_tribunal_shortens_the_time_for_observations_through_its_page(app, factory, session):
    case, clerk, respondent, chair, co = arbitration(factory)
    base = f"/cases/{case.id}/provisional-measures"
    claimant = browser_for(app, case.claimant_user)
    urgent = {"measures": "Freeze the capacity.", "grounds": "Next week.", "urgent": "y"}
    assert _post(claimant, f"{base}/request", urgent).status_code == 302
    session.expire_all()
    due = open_deadline(case, "provisional_observations").due_on
    chair_browser = browser_for(app, chair)
    page = chair_browser.get(f"{base}/shorten-time")
    assert page.status_code == 200 and "Freeze the capacity." in page.text
    assert f"now ends on {format_date(due, 'd MMM y', locale='en')}" in page.text
    assert 'type="date"' in page.text
    later = _post(
        chair_browser,
        f"{base}/shorten-time",
        {"until": (due + dt.timedelta(days=3)).isoformat(), "reason": "It cannot wait."},
    )
    assert later.status_code == 400 and "must come before the current one" in later.text
    empty = _post(chair_browser, f"{base}/shorten-time", {"until": "", "reason": ""})
    assert empty.status_code == 400 and "Enter a date." in empty.text
    session.expire_all()
    assert open_deadline(case, "provisional_observations").due_on == due
    until = today() + dt.timedelta(days=2)
    done = _post(
        chair_browser,
        f"{base}/shorten-time",
        {"until": until.isoformat(), "reason": "The capacity is allocated next week."},
    )
    assert done.status_code == 302, done.text
    assert done.headers["Location"].endswith(f"/cases/{case.id}#provisional-measures")
    session.expire_all()
    shortened = open_deadline(case, "provisional_observations").due_on
    assert until <= shortened < due
    # The co-arbitrator does not fix the tribunal's time limits; the parties do not either.
    assert browser_for(app, co).get(f"{base}/shorten-time").status_code == 403
    assert claimant.get(f"{base}/shorten-time").status_code == 403
