"""The road of a decision to the public, in a real browser, on the demo's Ili River Water
Partners award (a settlement award of four days ago, both sides consenting; no other
browser test touches it): the claimant proposes a passage to withhold (a wrong one first)
and says it has no more; the respondent comments and says the same; the sole arbitrator
withholds the passage; the registry publishes the award in full; and the public downloads
the published version from the register and verifies it on /verify. The withheld passage
is in neither the PDF's text nor any public page. Each page checked with axe at desktop
width and at 375 px."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .auditor import Auditor
from .test_key_pages import DESKTOP, logged_in
from .test_print_and_verify import download, pdf_pages

pytestmark = pytest.mark.e2e

CLAIMANT = "Ili River Water Partners LLP"
NUMBER = re.compile(r"^ADR-\d{4}-\d{4}$")
ACCOUNT = "KZ86 125K ZT10 0130 0335"  # the claimant's bank account, in the award
REASON = "A bank account is no public matter."
COMMENT = "The respondent agrees: the amount stays public, the account need not."
TYPED = (ACCOUNT, REASON, COMMENT)


def _publication_page(page: Page, audit: Auditor, act: str) -> None:
    """From the search, the case's page, then its publication page by the act it offers."""
    page.goto("/search?q=Ili+River")
    audit.check()
    found = page.locator("main li, main tr").filter(has_text=CLAIMANT)
    found.get_by_role("link", name=NUMBER).first.click()
    audit.check()
    page.get_by_role("link", name=act).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Publication of decisions")
    audit.check()
    audit.check_narrow()


def _said(page: Page, text: str) -> None:
    expect(page.get_by_role("status").first).to_contain_text(text)


def test_the_parties_propose_the_chair_decides_the_public_verifies(
    new_context, demo_server, tmp_path: Path
) -> None:
    with logged_in(new_context, DESKTOP, "en", "investor@demo.adr.kz") as (page, audit):
        audit.data = TYPED
        _publication_page(page, audit, "Propose a passage to withhold from publication")
        # A passage that is not in the award: said so, and nothing is proposed.
        page.get_by_label("The passage to withhold").fill("KZ00 0000 0000")
        page.get_by_label("Why it should be withheld").fill(REASON)
        page.get_by_role("button", name="Propose the passage").click()
        expect(page.get_by_role("alert").first).to_contain_text("Copy the passage exactly")
        expect(page.locator("table")).to_have_count(0)
        audit.check()
        page.get_by_label("The passage to withhold").fill(ACCOUNT)
        page.get_by_label("Why it should be withheld").fill(REASON)
        page.get_by_role("button", name="Propose the passage").click()
        _said(page, "Your proposal was sent to the tribunal.")
        expect(page.locator("tbody tr")).to_contain_text(ACCOUNT)
        audit.check()
        page.get_by_role("button", name="My side proposes no more passages").click()
        _said(page, "Your side proposes no more passages.")
        expect(page.locator("main")).to_contain_text("The claimant proposes no more passages.")
        expect(page.get_by_role("button", name="Propose the passage")).to_have_count(0)
        audit.check()
        audit.check_narrow()

    with logged_in(new_context, DESKTOP, "en", "respondent@demo.adr.kz") as (page, audit):
        audit.data = TYPED
        _publication_page(page, audit, "Comment on a proposal to withhold a passage")
        page.get_by_label("Your comment").fill(COMMENT)
        page.get_by_role("button", name="Send the comment").click()
        _said(page, "Your comment was sent to the tribunal.")
        audit.check()
        page.get_by_role("button", name="My side proposes no more passages").click()
        _said(page, "Your side proposes no more passages.")
        expect(page.locator("main")).to_contain_text("The time to propose passages to withhold")
        audit.check()

    with logged_in(new_context, DESKTOP, "en", "arbitrator3@demo.adr.kz") as (page, audit):
        audit.data = TYPED
        _publication_page(page, audit, "Decide a proposal to withhold a passage")
        expect(page.locator("tbody tr")).to_contain_text(COMMENT)
        page.get_by_label("Withhold the passage").check()
        page.get_by_role("button", name="Decide").click()
        _said(page, "The proposal is decided.")
        expect(page.locator("tbody tr")).to_contain_text("Withheld")
        audit.check()
        audit.check_narrow()

    with logged_in(new_context, DESKTOP, "en", "clerk@demo.adr.kz") as (page, audit):
        audit.data = TYPED
        _publication_page(page, audit, "Publish a decision in full")
        page.get_by_role("button", name="Publish in full").click()
        _said(page, "The decision is published in the register.")
        audit.check()
        entry = page.get_by_role("link", name="The register's entry").get_attribute("href")

    # The public: the entry, the published version's PDF, and /verify with the file.
    public = new_context(viewport=DESKTOP).new_page()
    audit = Auditor(public)
    public.goto(entry)
    expect(public.get_by_role("heading", level=1)).to_be_visible()
    audit.check()
    audit.check_narrow()
    link = public.get_by_role("link", name="Download the published version (PDF)")
    _name, pdf = download(public, link, tmp_path / "published.pdf")
    text = "\n".join(pdf_pages(pdf))
    assert "[…]" in text and "KZT 310,000,000" in text
    assert ACCOUNT not in text and ACCOUNT.replace(" ", "") not in text.replace(" ", "")
    public.goto("/verify")
    public.get_by_label("Or upload the PDF file").set_input_files(tmp_path / "published.pdf")
    public.get_by_role("button", name="Verify").click()
    verdict = public.get_by_role("status")
    expect(verdict.get_by_role("heading", name="Authentic", exact=True)).to_be_visible()
    expect(verdict).to_contain_text("Published version of a decision")
    audit.check()
    audit.check_narrow()
    for url in (entry, "/public-register.atom", "/public-register.json"):
        public.goto(url)
        assert ACCOUNT not in public.content(), url
