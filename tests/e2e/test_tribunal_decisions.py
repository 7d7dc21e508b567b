"""A tribunal of three embodies the parties' settlement in an award, in a real browser on
the demo data: the presiding arbitrator puts a draft of the consent award to the tribunal
(in place of the demo's, which has one approval), two members approve it (a majority), and
the chair issues it. Every page is checked with
axe at desktop width and at 375 px, and the draft's pages in Russian and Kazakh too.

It works on Great Steppe Rail Logistics (in arbitration before Prof. Marsh, Mr.
Dzhaksybekov and Dr. Kassymov) and ends its arbitration, so it has a demo of its own.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .auditor import PHONE
from .conftest import serve_demo
from .test_key_pages import DESKTOP, case_link, logged_in, visit

pytestmark = pytest.mark.e2e

CASE = "Great Steppe Rail Logistics"
CHAIR = "arbitrator2@demo.adr.kz"  # Prof. Helen Marsh KC, presiding
MEMBER = "arbitrator@demo.adr.kz"  # Erlan Dzhaksybekov
TERMS = "The respondent restores the terminal's land plot; each party bears its own costs."


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    """This module's own demo (see the module's text), in place of the shared one."""
    with serve_demo(tmp_path_factory, "demo-tribunal-decisions") as server:
        yield server


def _both(audit) -> None:
    audit.check()
    audit.check_narrow()


def _approve(page, audit, case: str) -> None:
    """A member reads the draft before the tribunal and approves it."""
    visit(page, audit, f"{case}/award/approve")
    expect(page.locator("section.award-draft")).to_contain_text(TERMS)
    audit.check_narrow()
    page.get_by_role("button", name="Approve the draft").click()
    expect(page.locator(".flash")).to_contain_text("Draft approved by a member")
    audit.check()


def test_a_consent_award_by_a_majority_of_the_tribunal(new_context, demo_server) -> None:
    with logged_in(new_context, DESKTOP, "en", CHAIR) as (page, audit):
        audit.data = (TERMS,)
        visit(page, audit, "/caseload")
        case = case_link(page, CASE)
        visit(page, audit, f"{case}/award/consent")
        # The demo's draft has the chair's approval only: one short of a majority.
        expect(page.get_by_role("note")).to_contain_text("has not approved the current draft")
        audit.check_narrow()
        visit(page, audit, f"{case}/award/draft?kind=consent_award")
        audit.check_narrow()
        nav = page.get_by_role("navigation", name="What the draft is for")
        expect(nav.locator("[aria-current=page]")).to_have_text(
            "Draft of the award embodying the parties' settlement"
        )
        page.get_by_label("The terms of the settlement").fill(TERMS)
        page.get_by_role("button", name="Put a draft to the tribunal").click()
        expect(page.locator(".flash")).to_contain_text("Draft put to the tribunal")
        _both(audit)
        _approve(page, audit, case)

    with logged_in(new_context, DESKTOP, "en", MEMBER) as (page, audit):
        audit.data = (TERMS,)
        _approve(page, audit, case)

    with logged_in(new_context, DESKTOP, "en", CHAIR) as (page, audit):
        audit.data = (TERMS,)
        visit(page, audit, f"{case}/award/consent")
        expect(page.locator(".act-effects")).to_contain_text(
            "which a majority of the tribunal approved"
        )
        audit.check_narrow()
        page.get_by_role("button", name="Embody the parties' settlement in an award").click()
        expect(page.locator(".case-ref .state")).to_have_text("Award issued")
        _both(audit)


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_draft_page_on_a_phone(new_context, demo_server, language) -> None:
    with logged_in(new_context, PHONE, language, CHAIR) as (page, audit):
        audit.data = (TERMS,)
        visit(page, audit, "/caseload")
        case = case_link(page, CASE)
        visit(page, audit, f"{case}/award/draft?kind=costs_decision")
        visit(page, audit, f"{case}/award/approve")
