"""A proposal for disqualification from request to decision, in a real browser on the demo
data: the respondent proposes to disqualify a co-arbitrator, the co-arbitrator comments, the
claimant files observations, the two other members vote and one of them issues the decision.
Every page is checked with axe-core at desktop width, and the challenge's own pages at
375 px too.

It works on Great Steppe Rail Logistics (in arbitration in the demo, its first proposal
already decided), which no other browser test touches. Each account is switched to English
for the test and back to its own language at the end.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from .auditor import Auditor
from .test_journey import heading

pytestmark = pytest.mark.e2e

DEMO_PASSWORD = "Alatau-Demo-2026!"  # README, "Demo logins"
RESPONDENT = "respondent2@demo.adr.kz"  # Marat Zhunusov, for the Land Committee
CLAIMANT = "investor2@demo.adr.kz"  # Li Wei, for Great Steppe Rail Logistics
PRESIDING = "arbitrator2@demo.adr.kz"  # Prof. Helen Marsh KC
CO_ARBITRATOR = "arbitrator@demo.adr.kz"  # Erlan Dzhaksybekov
CHALLENGED = "arbitrator3@demo.adr.kz"  # Dr. Timur Kassymov
TITLE = "Great Steppe Rail Logistics Ltd v. Alatau City Land Committee"
FACTS = "Dr. Kassymov sat on the board of the terminal's competitor until March."


def switch_language(page: Page, language: str) -> None:
    select = page.locator("#lang-select")
    if select.input_value() != language:
        select.select_option(language)
        page.locator(".lang-form button").click()
        expect(page.locator("html")).to_have_attribute("lang", language)


@contextmanager
def person(new_context, email: str) -> Iterator[tuple[Page, Auditor]]:
    """A page logged in as this demo account, in English; its language is put back."""
    page = new_context().new_page()
    page.goto("/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/login"))
    own = page.locator("#lang-select").input_value()
    switch_language(page, "en")
    audit = Auditor(page)
    try:
        yield page, audit
        audit.assert_all_checked()
    finally:
        switch_language(page, own)


def open_act(page: Page, audit: Auditor, case_url: str, act: str) -> None:
    page.goto(case_url)
    expect(heading(page, TITLE)).to_be_visible()
    audit.check()
    page.get_by_role("link", name=act).click()
    expect(heading(page, act)).to_be_visible()
    audit.check()
    audit.check_narrow()


def done(page: Page, audit: Auditor, button: str) -> None:
    page.get_by_role("button", name=button).click()
    expect(heading(page, "Proposals for disqualification")).to_be_visible()
    audit.check()


def test_a_challenge_from_request_to_decision(new_context, demo_server) -> None:
    # The respondent finds the case and proposes; a bare form is refused with the reasons.
    with person(new_context, RESPONDENT) as (page, audit):
        page.goto("/cases/")
        audit.check()
        page.get_by_role("row").filter(has_text="Great Steppe Rail").get_by_role(
            "link"
        ).first.click()
        expect(heading(page, TITLE)).to_be_visible()
        case_url = page.url
        audit.check()
        act = "Propose the disqualification of a neutral"
        page.get_by_role("link", name=act).click()
        expect(heading(page, act)).to_be_visible()
        audit.check()
        audit.check_narrow()
        page.get_by_role("button", name=act).click()
        alert = page.get_by_role("alert")
        expect(alert).to_contain_text("Choose whom you propose to disqualify.")
        expect(alert).to_contain_text("Enter a date.")
        audit.check()
        page.get_by_label("Dr. Timur Kassymov (Co-arbitrator)").check()
        learned = dt.datetime.now(ZoneInfo("Asia/Almaty")).date() - dt.timedelta(days=2)
        page.get_by_label("The day you learned of the facts").fill(learned.isoformat())
        page.get_by_label("The facts on which the proposal is based").fill(FACTS)
        done(page, audit, act)
        expect(page.get_by_role("article").first).to_contain_text(FACTS)
        expect(page.get_by_role("article").first).to_contain_text(
            "Awaiting comments and observations"
        )
        audit.check_narrow()

    with person(new_context, CHALLENGED) as (page, audit):
        act = "Comment on the proposal for your disqualification"
        open_act(page, audit, case_url, act)
        expect(page.get_by_role("region", name="The proposal")).to_contain_text(FACTS)
        page.get_by_label("Your comments").fill("I resigned from that board in 2025.")
        done(page, audit, act)

    with person(new_context, CLAIMANT) as (page, audit):
        act = "File observations on the proposal for disqualification"
        open_act(page, audit, case_url, act)
        page.get_by_label("Your observations").fill("The claimant leaves it to the tribunal.")
        done(page, audit, act)

    for email in (PRESIDING, CO_ARBITRATOR):
        with person(new_context, email) as (page, audit):
            act = "Vote on the proposal for disqualification"
            open_act(page, audit, case_url, act)
            page.get_by_label("Reject the proposal").check()
            page.get_by_label("Your reasons").fill("The board seat ended before the case.")
            done(page, audit, act)

    # Both rejected it: the presiding arbitrator issues the decision, a ruling.
    with person(new_context, PRESIDING) as (page, audit):
        act = "Decide the proposal for disqualification"
        open_act(page, audit, case_url, act)
        expect(page.get_by_role("region", name="What will happen")).to_contain_text(
            "The other members agreed: Rejected: the person stays on the case"
        )
        page.get_by_label("The decision and its reasons").fill(
            "The board seat ended before the arbitration began. The proposal is rejected."
        )
        done(page, audit, act)
        newest = page.get_by_role("article").first
        expect(newest).to_contain_text("Rejected: the person stays on the case")
        expect(newest).to_contain_text("decided by the other members of the tribunal")
        page.goto(case_url)
        expect(heading(page, TITLE)).to_be_visible()
        ruling = page.get_by_text("Decision on the proposal for disqualification")
        expect(ruling.first).to_be_visible()
        audit.check()
