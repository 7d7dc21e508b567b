"""Constituting the tribunal by party appointment (issue 15), in a real browser on the demo
data, each page checked with axe at desktop width and at 375 px: the registry records that
the parties appoint (Zhetysu Fruit Exports, just referred), the claimant nominates its
arbitrator there, a co-arbitrator records the choice of the presiding arbitrator (Caspian
Agro Processing), and the registry appoints in default to a seat whose time limit passed
(Tian Shan Data Centres). No other browser test touches these three cases.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .auditor import Auditor
from .test_key_pages import DESKTOP, logged_in, visit

pytestmark = pytest.mark.e2e

CLERK = "clerk@demo.adr.kz"
INVESTOR = "investor@demo.adr.kz"  # the claimant of Zhetysu Fruit Exports
HELEN = "arbitrator2@demo.adr.kz"  # a co-arbitrator of Caspian Agro Processing
ZHETYSU = "Zhetysu Fruit Exports LLP"
CASPIAN = "Caspian Agro Processing LLP"
TIAN_SHAN = "Tian Shan Data Centres Ltd"


def heading(page: Page, text: str | re.Pattern[str]):
    return page.get_by_role("heading", level=1, name=text)


def open_case(page: Page, audit: Auditor, party: str) -> None:
    visit(page, audit, "/cases/")
    page.get_by_role("row").filter(has_text=party).get_by_role("link").first.click()
    expect(heading(page, re.compile(re.escape(party)))).to_be_visible()
    audit.check()


def both_widths(audit: Auditor) -> None:
    audit.check()
    audit.check_narrow()


def test_the_registry_records_the_route_the_claimant_nominates_and_the_centre_fills_a_seat(
    new_context, demo_server
):
    with logged_in(new_context, DESKTOP, "en", CLERK) as (page, audit):
        open_case(page, audit, ZHETYSU)
        page.get_by_role("link", name="Record that the parties appoint the tribunal").click()
        expect(heading(page, "Record that the parties appoint the tribunal")).to_be_visible()
        both_widths(audit)
        submit = page.get_by_role("button", name="Record that the parties appoint the tribunal")
        submit.click()  # nothing chosen
        expect(page.get_by_text("Choose the tribunal's size.").first).to_be_visible()
        both_widths(audit)
        page.get_by_label(re.compile("^Three arbitrators")).check()
        page.get_by_label("The parties' agreement", exact=True).check()
        submit.click()
        expect(heading(page, re.compile(ZHETYSU))).to_be_visible()
        expect(page.get_by_role("status")).to_have_text("The parties appoint the tribunal")
        audit.check()

        # The presiding seat of Tian Shan stayed empty past its time limit.
        open_case(page, audit, TIAN_SHAN)
        page.get_by_role("link", name="Appoint in default").click()
        expect(heading(page, "Appoint in default")).to_be_visible()
        expect(page.get_by_role("table")).to_contain_text("passed: the Centre may appoint")
        both_widths(audit)
        page.get_by_label("Presiding arbitrator").check()
        page.get_by_label(re.compile("^Prof. Helen Marsh KC")).check()
        page.get_by_label("Why the Centre appoints").fill(
            "No one chose the presiding arbitrator within the 30 days of the Rules."
        )
        page.get_by_role("button", name="Appoint in default").click()
        expect(heading(page, re.compile(TIAN_SHAN))).to_be_visible()
        expect(page.get_by_role("status")).to_have_text(
            "Arbitrator appointed by the Centre in default"
        )
        audit.check()

    # Then the claimant nominates its arbitrator on the case whose route was recorded.
    with logged_in(new_context, DESKTOP, "en", INVESTOR) as (page, audit):
        open_case(page, audit, ZHETYSU)
        page.get_by_role("link", name="Nominate an arbitrator").click()
        expect(heading(page, "Nominate an arbitrator")).to_be_visible()
        both_widths(audit)
        page.get_by_role("button", name="Nominate an arbitrator").click()  # no one chosen
        expect(page.get_by_text("Choose an arbitrator from the list.").first).to_be_visible()
        both_widths(audit)
        page.get_by_label(re.compile("^Dr. Timur Kassymov")).check()
        page.get_by_role("button", name="Nominate an arbitrator").click()
        expect(page.get_by_role("status")).to_have_text("Arbitrator nominated by a party")
        audit.check()


def test_a_co_arbitrator_records_the_choice_of_the_presiding_one(new_context, demo_server):
    with logged_in(new_context, DESKTOP, "en", HELEN) as (page, audit):
        open_case(page, audit, CASPIAN)
        page.get_by_role("link", name="Choose the presiding arbitrator").click()
        expect(heading(page, "Choose the presiding arbitrator")).to_be_visible()
        both_widths(audit)
        page.get_by_label(re.compile("^Erlan Dzhaksybekov")).check()
        page.get_by_label("How the co-arbitrators agreed").fill(
            "Dr. Kassymov and I agreed on the choice by letters of 2 December."
        )
        page.get_by_role("button", name="Choose the presiding arbitrator").click()
        expect(page.get_by_role("status")).to_have_text(
            "Presiding arbitrator chosen by the co-arbitrators"
        )
        audit.check()
