"""The pages of costs, counterclaims, grace and the award (issue 15) on the demo data, each
checked by the `Auditor` (axe-core, ids used once, no sideways scrolling) at desktop width
and again at 375 px. Only pages are opened (nothing is sent), so the other browser tests meet
the demo as it was seeded.

Kazakh Wind (in arbitration before a sole arbitrator) has a counterclaim and both statements
of costs; Eurasia Cement's award was issued by a tribunal of three with a dissent.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .auditor import Auditor
from .test_key_pages import DESKTOP, case_link, logged_in, visit

pytestmark = pytest.mark.e2e

IN_ARBITRATION = "Kazakh Wind Partners LLP"
AWARDED = "Eurasia Cement Holdings Ltd"


def both(page: Page, audit: Auditor, url: str) -> None:
    """The page, checked on a desktop and then as a phone shows it."""
    visit(page, audit, url)
    audit.check_narrow()


def test_award_costs_and_counterclaim_pages(new_context, demo_server) -> None:
    # The sole arbitrator: the award's form with its costs section, the costs orders, the
    # acts that wait for something (a default, a late counterclaim) say why.
    with logged_in(new_context, DESKTOP, "en", "arbitrator@demo.adr.kz") as (page, audit):
        both(page, audit, "/caseload")
        case = case_link(page, IN_ARBITRATION)
        both(page, audit, case)
        panel = page.locator("section.case-awards")
        expect(panel).to_contain_text("Counterclaims")
        expect(panel).to_contain_text("The claimant's statement of costs")
        both(page, audit, f"{case}/award")
        expect(page.get_by_text("Costs of the proceedings").first).to_be_visible()
        expect(page.locator("iframe.ruling-preview")).to_be_attached()
        both(page, audit, f"{case}/costs/order")
        both(page, audit, f"{case}/costs/decision")
        both(page, audit, f"{case}/grace")
        expect(page.get_by_role("note")).to_contain_text("No party has been recorded in default")
        both(page, audit, f"{case}/counterclaim/allow")
        both(page, audit, f"{case}/award/draft")
        expect(page.get_by_role("note")).to_contain_text("sole arbitrator")
        # A sole arbitrator writes the consent award's terms, with the ruling's preview.
        both(page, audit, f"{case}/award/consent")
        expect(page.locator("iframe.ruling-preview")).to_be_attached()

    # The respondent: a counterclaim with its documents, a statement of costs.
    with logged_in(new_context, DESKTOP, "en", "respondent@demo.adr.kz") as (page, audit):
        both(page, audit, "/cases/")
        case = case_link(page, IN_ARBITRATION)
        both(page, audit, f"{case}/counterclaim")
        expect(page.locator("input[type=file]")).to_have_count(3)
        both(page, audit, f"{case}/costs/statement")
        expect(page.get_by_label("Item 5: amount")).to_be_visible()

    # The dissenting member reads the awarded case; the award names the dissent on /verify.
    with logged_in(new_context, DESKTOP, "en", "arbitrator3@demo.adr.kz") as (page, audit):
        both(page, audit, "/caseload")
        case = case_link(page, AWARDED)
        both(page, audit, case)
        expect(page.locator("section.case-awards")).to_contain_text("Statements of costs")
