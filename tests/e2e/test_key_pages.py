"""The key pages of a case's life, on the demo data, as each role sees them: on a phone
(375 px, in Russian) and on a desktop in Kazakh. English at 375 px is not walked again: the
layout is the same, Russian's longer words are the harder test of overflow, and the
journeys check the English pages at desktop width and several at 375 px. Each page passes the
`Auditor`: axe-core, ids used once, no scrolling sideways, and no English left over on a
Russian or Kazakh page.

The pages are found by following the portal's own links (no ids are guessed). Each login
switches the account to the pass's language and back at the end, so the other browser tests
meet the demo accounts in the languages the README gives them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from playwright.sync_api import Page, expect

from .auditor import PHONE, Auditor

pytestmark = pytest.mark.e2e

DEMO_PASSWORD = "Alatau-Demo-2026!"  # README, "Demo logins"
DESKTOP = {"width": 1280, "height": 800}
PASSES = [
    pytest.param("ru", PHONE, id="ru-375px"),
    pytest.param("kk", DESKTOP, id="kk-desktop"),
]
# Cases no other browser test changes (they work on Silk Road, Steppe Solar, Kazakh Wind).
REGISTERED = "Amina Seitkali"  # her claim: registered, its mediator not yet proposed
AWARDED = "Eurasia Cement Holdings Ltd"  # a tribunal of three issued the award
IN_ARBITRATION = "Kazakh Wind Partners LLP"


def switch_language(page: Page, language: str) -> None:
    select = page.locator("#lang-select")
    if select.input_value() != language:
        select.select_option(language)
        page.locator(".lang-form button").click()
        expect(page.locator("html")).to_have_attribute("lang", language)


@contextmanager
def logged_in(new_context, viewport, language: str, email: str) -> Iterator[tuple[Page, Auditor]]:
    """A page logged in as this demo account, in this language; the account's own language
    is put back at the end."""
    page = new_context(viewport=viewport).new_page()
    page.goto("/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/login"))
    own = page.locator("#lang-select").input_value()
    switch_language(page, language)
    audit = Auditor(page)  # the pages from here on; logging in is the journeys' business
    try:
        yield page, audit
        audit.assert_all_checked()
    finally:
        switch_language(page, own)


def visit(page: Page, audit: Auditor, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.ok, (url, response and response.status)
    audit.check()


def href(page: Page, link) -> str:
    expect(link).to_be_visible()
    value = link.get_attribute("href")
    assert value, link
    return value


def box(locator) -> dict[str, float]:
    found = locator.bounding_box()
    assert found is not None, f"{locator} is not shown"
    return found


def assert_in_view(page: Page, locator) -> None:
    """The element is inside the window's width (not cut off, not beyond a scroll)."""
    width = page.viewport_size["width"]
    shown = box(locator)
    assert shown["x"] >= 0 and shown["x"] + shown["width"] <= width, (locator, shown, width)


def assert_one_line(locator) -> None:
    lines = locator.evaluate("el => el.getClientRects().length")
    assert lines == 1, f"{locator} is broken over {lines} lines"


def assert_docket_layout(page: Page) -> None:
    """Case numbers stay on one line; the overdue filter's label stands beside its box."""
    for link in page.locator("table.docket tbody th a").all()[:5]:
        assert_one_line(link)
    checkbox, label = page.locator("#overdue"), page.locator("label[for=overdue]")
    square, words = box(checkbox), box(label)
    assert words["x"] >= square["x"] + square["width"], (square, words)
    assert words["y"] < square["y"] + square["height"], (square, words)


def assert_preview_follows_the_text(page: Page) -> None:
    """The award's preview stays in view while one writes: beside the text on a wide screen
    (also once the page is scrolled to the end of a long text), below it on a phone."""
    text = page.get_by_role("textbox").first
    preview = page.locator("iframe.ruling-preview")
    width, height = page.viewport_size["width"], page.viewport_size["height"]
    if width < 1024:
        assert box(preview)["y"] >= box(text)["y"] + box(text)["height"]
        assert_in_view(page, preview)
        return
    text.fill("\n\n".join(f"Paragraph {n} of the award." for n in range(40)))
    # The writer at the end of the text box: its last line at the bottom of the window.
    text.evaluate("el => window.scrollBy(0, el.getBoundingClientRect().bottom - innerHeight + 8)")
    written, beside = box(text), box(preview)
    assert written["y"] + written["height"] <= height, (written, height)
    assert beside["x"] >= written["x"] + written["width"], (written, beside)
    shown = min(beside["y"] + beside["height"], height) - max(beside["y"], 0)
    assert shown >= 0.6 * height, f"{shown} px of the preview in a window of {height} px"


def case_link(page: Page, has_text: str) -> str:
    """The case page of the first row of the page's case table that mentions this text."""
    row = page.locator("tbody tr").filter(has_text=has_text).first
    return href(page, row.locator("a[href*='/cases/']").first)


@pytest.mark.parametrize(("language", "viewport"), PASSES)
def test_key_pages(new_context, demo_server, language: str, viewport) -> None:
    # Anyone: the home page, logging in, registering, verifying a ruling.
    page = new_context(viewport=viewport).new_page()
    page.goto("/")
    switch_language(page, language)
    audit = Auditor(page)
    visit(page, audit, "/")
    for url in ("/login", "/register", "/verify", "/password/forgot"):
        visit(page, audit, url)
    audit.assert_all_checked()

    # The investor: her cases, a case page and its trail, a draft's steps, her account.
    with logged_in(new_context, viewport, language, "investor@demo.adr.kz") as (page, audit):
        visit(page, audit, "/cases/")
        case = case_link(page, REGISTERED)
        visit(page, audit, case)
        visit(page, audit, f"{case}/trail")
        visit(page, audit, "/cases/")
        drafts = page.locator("tbody tr").filter(has=page.locator(".state-draft"))
        draft = href(page, drafts.first.locator("a").first)
        visit(page, audit, f"{draft}/edit/claimant")
        visit(page, audit, "/cases/")  # a claim returned for amendment has its documents
        returned = page.locator("tbody tr").filter(has=page.locator(".state-returned"))
        claim = href(page, returned.first.locator("a").first)
        for step in ("edit/claimant", "documents", "submit"):
            visit(page, audit, f"{claim}/{step}")
            if step == "documents":
                assert_in_view(page, page.locator("table button[type=submit]").first)  # Remove
        visit(page, audit, "/account")
        visit(page, audit, "/notifications")

    # The registry: intake, a claim to screen, the docket, the print queue, an invitation.
    with logged_in(new_context, viewport, language, "clerk@demo.adr.kz") as (page, audit):
        visit(page, audit, "/registry/intake")
        visit(page, audit, href(page, page.locator("tbody tr a").first))
        visit(page, audit, "/registry/docket")
        assert_docket_layout(page)
        visit(page, audit, "/registry/print")
        visit(page, audit, "/registry/docket")
        case = case_link(page, REGISTERED)
        visit(page, audit, case)
        visit(page, audit, f"{case}/invite/representative")
        visit(page, audit, "/registry/docket")
        visit(page, audit, case_link(page, AWARDED))

    # A mediator's caseload; an arbitrator's caseload and the award's form.
    with logged_in(new_context, viewport, language, "mediator@demo.adr.kz") as (page, audit):
        visit(page, audit, "/caseload")
        visit(page, audit, "/conflicts")
    with logged_in(new_context, viewport, language, "arbitrator@demo.adr.kz") as (page, audit):
        visit(page, audit, "/caseload")
        case = case_link(page, IN_ARBITRATION)
        visit(page, audit, case)
        visit(page, audit, f"{case}/award")
        assert_preview_follows_the_text(page)
