"""The pages of provisional measures, third-party funding and non-disputing parties, in a
real browser on the demo data, each checked with axe at desktop width and at 375 px: the
case with an urgent request pending and a granted non-disputing submission (Kazakh Wind),
the arbitrator's caseload that lists the urgent request first, the forms of the request,
the observations, the order, the tribunal's shortening of the time for observations (in
Russian and Kazakh too), a disclosure and the registry's record of an application, and
the re-confirmation an arbitrator owes after a funder was disclosed (Technology park).

It reads Kazakh Wind's request still pending, which another browser test's award ends, and
it shortens that request's time for observations, so it has a demo of its own. The other
forms are sent empty: they are refused and change nothing.
"""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from dispute_portal.clock import ALMATY

from .auditor import PHONE
from .conftest import serve_demo
from .test_key_pages import DESKTOP, case_link, logged_in, visit

pytestmark = pytest.mark.e2e

KAZAKH_WIND = "Kazakh Wind Partners LLP"
TECHNOLOGY_PARK = "Technology park phase 2"
# Typed by the arbitrator in the first test; the case page shows it in every language.
SHORTENED_BECAUSE = "The capacity is to be allocated next week."


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    """This module's own demo (see the module's text), in place of the shared one."""
    with serve_demo(tmp_path_factory, "demo-third-parties") as server:
        yield server


def _both(audit) -> None:
    audit.check()
    audit.check_narrow()


def test_the_third_parties_pages(new_context, demo_server) -> None:
    with logged_in(new_context, DESKTOP, "en", "arbitrator@demo.adr.kz") as (page, audit):
        visit(page, audit, "/caseload")
        audit.check_narrow()
        waiting = page.get_by_role("region", name="Requests for provisional measures waiting")
        expect(waiting.locator(".tag-urgent").first).to_have_text("Urgent")
        case = case_link(page, KAZAKH_WIND)
        visit(page, audit, case)
        audit.check_narrow()
        measures = page.locator("#provisional-measures")
        expect(measures).to_contain_text("Urgent")
        expect(measures).to_contain_text("Pending")
        expect(page.locator("#non-disputing")).to_contain_text("on the record")
        visit(page, audit, f"{case}/provisional-measures/order")
        expect(page.get_by_role("note")).to_contain_text("may still file observations")
        audit.check_narrow()
        # The request is urgent: the tribunal brings the respondent's time forward.
        visit(page, audit, f"{case}/provisional-measures/shorten-time")
        audit.check_narrow()
        until = dt.datetime.now(ALMATY).date() + dt.timedelta(days=3)
        page.get_by_label("The new last day for observations").fill(until.isoformat())
        page.get_by_label("Why the request cannot wait the usual time").fill(SHORTENED_BECAUSE)
        page.get_by_role("button", name="Shorten the time for observations").click()
        expect(page.locator(".flash")).to_contain_text(
            "Time for observations on provisional measures shortened"
        )
        _both(audit)

    with logged_in(new_context, DESKTOP, "en", "respondent@demo.adr.kz") as (page, audit):
        visit(page, audit, f"{case}/provisional-measures/observations")
        audit.check_narrow()
        page.get_by_role("button", name="File observations on provisional measures").click()
        expect(page.locator(".error-summary")).to_contain_text("Give your observations.")
        _both(audit)

    with logged_in(new_context, DESKTOP, "en", "investor@demo.adr.kz") as (page, audit):
        visit(page, audit, f"{case}/provisional-measures/request")
        expect(page.get_by_role("note")).to_contain_text("is pending")
        audit.check_narrow()
        visit(page, audit, f"{case}/funding")
        audit.check_narrow()
        page.get_by_role("button", name="Disclose third-party funding").click()
        expect(page.locator(".error-summary")).to_contain_text("Give the funder's name.")
        _both(audit)

    with logged_in(new_context, DESKTOP, "en", "clerk@demo.adr.kz") as (page, audit):
        visit(page, audit, f"{case}/non-disputing/application")
        audit.check_narrow()
        visit(page, audit, "/registry/docket")
        park = case_link(page, "Altyn Tech Park JSC")
        visit(page, audit, f"{park}/funding")
        expect(
            page.get_by_role("region", name="Declarations not yet re-confirmed")
        ).to_contain_text("Prof. Helen Marsh KC")
        audit.check_narrow()

    with logged_in(new_context, DESKTOP, "en", "arbitrator2@demo.adr.kz") as (page, audit):
        visit(page, audit, f"{park}/funding/reconfirm")
        expect(page.get_by_role("region", name="Funders disclosed")).to_contain_text(
            "Themis Litigation Fund LP"
        )
        audit.check_narrow()


# Kazakh too: its longer labels once pushed the case page's rule-set facts 1 px past 375 px.
@pytest.mark.parametrize(("language", "urgent"), [("ru", "Срочно"), ("kk", "Шұғыл")])
def test_the_case_page_on_a_phone(new_context, demo_server, language, urgent):
    with logged_in(new_context, PHONE, language, "investor@demo.adr.kz") as (page, audit):
        audit.data = (SHORTENED_BECAUSE,)
        visit(page, audit, "/cases/")
        case = case_link(page, KAZAKH_WIND)
        visit(page, audit, case)
        expect(page.locator("#provisional-measures .tag-urgent")).to_have_text(urgent)
        visit(page, audit, f"{case}/funding")
    with logged_in(new_context, PHONE, language, "arbitrator@demo.adr.kz") as (page, audit):
        audit.data = (SHORTENED_BECAUSE,)
        visit(page, audit, f"{case}/provisional-measures/shorten-time")
        expect(page.locator("#pending-heading .tag-urgent")).to_have_text(urgent)
