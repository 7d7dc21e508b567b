"""Ending without an award, in a real browser, on the demo data: the claimant objects to the
respondent's request for discontinuance, then the tribunal discontinues the proceeding on
the parties' joint request. Every page is checked with axe-core at desktop width and as a
375 px phone shows it.

The demo's Nomad Data Centres case (a respondent's request pending before a sole
arbitrator, Prof. Helen Marsh KC) is this test's alone.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .test_journey import Auditor, heading, log_in, log_out, main_nav
from .test_mediation_and_award import DEMO_PASSWORD, INVESTOR, REFERENCE, case_state, region

pytestmark = pytest.mark.e2e

ARBITRATOR = "arbitrator2@demo.adr.kz"  # Prof. Helen Marsh KC, English pages
NOMAD = "Nomad Data Centres LLP v. Alatau City Development Company JSC"
OBJECTION = "The power line fails twice a week: the claimant pursues its claim."
JOINT_REQUEST = (
    "By their joint letter of this week the parties inform the tribunal that they have "
    "settled and ask that the proceeding be discontinued."
)


def open_case(page: Page, audit: Auditor, title: str) -> None:
    """From a list of cases (My cases, the caseload), the case with this title."""
    row = page.get_by_role("row").filter(has_text=title)
    row.get_by_role("link", name=REFERENCE).click()
    expect(heading(page, title)).to_be_visible()
    audit.check()
    audit.check_narrow()


def test_an_objection_then_a_discontinuance_by_agreement(new_context, demo_server) -> None:
    page = new_context().new_page()
    audit = Auditor(page, data=(OBJECTION, JOINT_REQUEST))
    page.goto("/")
    audit.check()

    # The claimant objects within the time the respondent's request leaves her.
    log_in(page, audit, INVESTOR, DEMO_PASSWORD)
    expect(heading(page, "My cases")).to_be_visible()
    audit.check()
    open_case(page, audit, NOMAD)
    deadlines = page.get_by_role("table", name="Time limits of this case")
    expect(deadlines).to_contain_text("Objection to discontinuance")
    page.get_by_role("link", name="Object to the discontinuance").click()
    expect(heading(page, "Object to the discontinuance")).to_be_visible()
    expect(
        page.get_by_text("It meets the time limit: Objection to discontinuance.")
    ).to_be_visible()
    audit.check()
    audit.check_narrow()
    page.get_by_role("button", name="Object to the discontinuance").click()  # nothing typed
    expect(page.get_by_role("alert").first).to_be_visible()
    audit.check()
    page.get_by_label(re.compile(r"^The objection")).fill(OBJECTION)
    page.get_by_role("button", name="Object to the discontinuance").click()
    expect(heading(page, NOMAD)).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("Objection to the discontinuance")
    expect(case_state(page)).to_contain_text("In arbitration")
    audit.check()
    log_out(page, audit)

    # Later the parties settle and ask together: the tribunal discontinues.
    log_in(page, audit, ARBITRATOR, DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(r"/(cases/|caseload)$"))
    audit.check()
    main_nav(page).get_by_role("link", name="Caseload").click()
    expect(heading(page, "My caseload")).to_be_visible()
    audit.check()
    open_case(page, audit, NOMAD)
    page.get_by_role("link", name="Discontinue by agreement of the parties").click()
    expect(heading(page, "Discontinue by agreement of the parties")).to_be_visible()
    expect(page.get_by_text("The case becomes: Discontinued.")).to_be_visible()
    audit.check()
    audit.check_narrow()
    page.get_by_label(re.compile(r"^The parties' joint request")).fill(JOINT_REQUEST)
    page.get_by_role("button", name="Preview").click()
    preview = page.get_by_title("Preview: Order of discontinuance", exact=True).content_frame
    expect(preview.get_by_text("The tribunal orders")).to_be_visible()
    audit.check()
    page.get_by_role("button", name="Discontinue by agreement of the parties").click()
    expect(heading(page, NOMAD)).to_be_visible()
    expect(case_state(page)).to_contain_text("Discontinued")
    expect(region(page, "Decisions and notices")).to_contain_text("Order of discontinuance")
    audit.check()
    audit.check_narrow()
    audit.assert_all_checked()
