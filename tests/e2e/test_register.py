"""Publication in a real browser. The public register without an account: the list and its
filters (a GET form, no script needed), the search, an entry's page, read in Russian and
Kazakh on a phone. The clerk's seals page, and a claimant's answer on publication. Each
page checked with axe at desktop width and at 375 px."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .auditor import PHONE
from .test_journey import Auditor
from .test_key_pages import DESKTOP, logged_in, switch_language

pytestmark = pytest.mark.e2e


def test_the_public_browses_and_searches_the_register(new_context, demo_server) -> None:
    page = new_context(viewport=DESKTOP).new_page()
    audit = Auditor(page)
    page.goto("/login")
    page.get_by_role("link", name="Register of cases").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register of cases")
    audit.check()
    audit.check_narrow()

    page.get_by_label("Sector").select_option("tourism")
    page.get_by_label("Stage", exact=True).select_option("concluded")
    page.get_by_role("button", name="Show").click()
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Caspian Hotels Group Ltd")
    expect(rows.first).to_contain_text("Proceeding discontinued")
    audit.check()

    page.get_by_label("Sector").select_option("")
    page.get_by_label("Stage", exact=True).select_option("")
    page.get_by_label("Search the register").fill("eurasia cement")
    page.get_by_role("button", name="Show").click()
    expect(rows).to_have_count(1)
    rows.first.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ADR-2025-0001")
    expect(page.locator("main")).to_contain_text("Award rendered")
    expect(page.locator("main")).to_contain_text("Presiding arbitrator: Prof. Helen Marsh KC")
    expect(page.locator("main")).to_contain_text("(United Kingdom)")
    audit.check()
    audit.check_narrow()

    page.goto("/public-register?sector=none")
    expect(page.locator(".error-summary")).to_contain_text("Not a valid choice")
    audit.check()


@pytest.mark.parametrize(("language", "heading"), [("ru", "Реестр дел"), ("kk", "Істер тізілімі")])
def test_the_register_on_a_phone(new_context, demo_server, language, heading) -> None:
    page = new_context(viewport=PHONE).new_page()
    audit = Auditor(page)
    page.goto("/public-register/ADR-2026-0008")
    switch_language(page, language)
    expect(page.get_by_role("heading", level=1)).to_have_text("ADR-2026-0008")
    audit.check()
    page.goto("/public-register?stage=concluded")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    audit.check()


def test_the_clerk_seals_and_lifts(new_context, demo_server) -> None:
    """The seals page of a case: seal the respondent's contact details, then lift the seal
    (the demo is left as it was, but for the two acts in the trail)."""
    with logged_in(new_context, DESKTOP, "en", "clerk@demo.adr.kz") as (page, audit):
        page.goto("/search?q=Turan+Glass")
        audit.check()
        page.locator("main").get_by_role("link", name=re.compile(r"^ADR-\d{4}-\d{4}$")).click()
        audit.check()
        page.get_by_role("link", name="Seal", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Seals")
        audit.check()
        audit.check_narrow()
        page.get_by_role("button", name="Seal", exact=True).click()
        expect(page.locator(".error-summary")).to_be_visible()  # what, and why: both needed
        audit.check()
        page.get_by_label("What is sealed").select_option("party_contact:respondent")
        page.get_by_label("Why it is sealed").fill("The department's staff asked for it.")
        page.get_by_role("button", name="Seal", exact=True).click()
        expect(page.get_by_role("status").first).to_contain_text("Sealed:")
        row = page.locator("tbody tr").first
        expect(row).to_contain_text("The respondent's address and contact details")
        audit.check()
        row.get_by_label("Why the seal is lifted").fill("No longer needed.")
        row.get_by_role("button", name="Lift the seal").click()
        expect(page.locator("tbody tr").first).to_contain_text("Lifted on")
        audit.check()


def test_the_claimant_answers_on_publication(new_context, demo_server) -> None:
    """The publication page of a claim being screened (no other browser test touches it):
    both sides' answers, and the claimant's own answer recorded again (the demo's answer
    stays what it was)."""
    with logged_in(new_context, DESKTOP, "en", "investor@demo.adr.kz") as (page, audit):
        page.goto("/cases/")
        audit.check()
        page.get_by_role("row").filter(has_text="Caspian Green Hydrogen BV").get_by_role(
            "link"
        ).first.click()
        audit.check()
        page.get_by_role("link", name="State whether the decisions may be published").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Publication of decisions")
        audit.check()
        audit.check_narrow()
        page.get_by_role("radio", name=re.compile(r"^Yes: publish them in full")).check()
        page.get_by_role("button", name="Record my answer").click()
        expect(page.get_by_role("status").first).to_contain_text("Your answer on publication")
        audit.check()
