"""A proceeding suspended by agreement of the parties, in a real browser on the demo data: the
registry sees the suspension and the paused deadlines, resumes the case, and suspends it
again with the parties' terms and a day to resume on. Every page is checked with axe-core
at desktop width and at 375 px.

It works on Caspian Hospitality Group (a mediation suspended in the demo), which no other
browser test touches.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from .test_journey import Auditor, almaty_today, heading, log_in, main_nav

pytestmark = pytest.mark.e2e

DEMO_PASSWORD = "Alatau-Demo-2026!"  # README, "Demo logins"
CLERK = "clerk@demo.adr.kz"
CASE = "Caspian Hospitality Group Ltd v. Alatau City Tourism Department"
REFERENCE = re.compile(r"^ADR-\d{4}-\d{4}$")


def test_the_registry_resumes_and_suspends_a_proceeding(new_context, demo_server) -> None:
    page = new_context().new_page()
    audit = Auditor(page)
    page.goto("/")
    audit.check()
    log_in(page, audit, CLERK, DEMO_PASSWORD)
    expect(heading(page, "Intake queue")).to_be_visible()
    audit.check()

    main_nav(page).get_by_role("link", name="Docket").click()
    expect(heading(page, "Docket")).to_be_visible()
    audit.check()
    page.get_by_role("row").filter(has_text="Caspian Hospitality Group Ltd").get_by_role(
        "link", name=REFERENCE
    ).click()
    expect(heading(page, CASE)).to_be_visible()
    expect(page.locator(".case-ref .suspended")).to_contain_text("Suspended since")
    deadlines = page.locator("#deadlines")
    expect(deadlines).to_contain_text("days left")
    audit.check()
    audit.check_narrow()
    # Acts that must wait say why instead of being offered.
    expect(page.get_by_text("The proceeding is suspended: this can be done once it resumes."))

    # Resume: the deadlines run again and no longer say they are paused.
    page.get_by_role("link", name="Resume the proceeding").click()
    expect(heading(page, "Resume the proceeding")).to_be_visible()
    audit.check()
    audit.check_narrow()
    page.get_by_role("button", name="Resume the proceeding").click()
    expect(heading(page, CASE)).to_be_visible()
    expect(page.locator(".case-ref .suspended")).to_have_count(0)
    expect(page.locator("#deadlines")).not_to_contain_text("days left")
    audit.check()

    # Suspend again: a day in the past is refused beside the date, nothing changes.
    page.get_by_role("link", name="Suspend the proceeding by agreement of the parties").click()
    expect(heading(page, "Suspend the proceeding by agreement of the parties")).to_be_visible()
    audit.check()
    audit.check_narrow()
    page.get_by_label("The parties' agreement and its terms").fill(
        "The parties agreed to suspend for sixty days while they negotiate."
    )
    resume = page.get_by_label("The proceeding resumes on")
    resume.fill((almaty_today() - dt.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Suspend the proceeding by agreement of the parties").click()
    expect(page.locator("#act-resume_on-error")).to_contain_text(
        "The date to resume on must be between"
    )
    audit.check()
    page.get_by_label("The proceeding resumes on").fill(
        (almaty_today() + dt.timedelta(days=60)).isoformat()
    )
    page.get_by_role("button", name="Suspend the proceeding by agreement of the parties").click()
    expect(heading(page, CASE)).to_be_visible()
    expect(page.locator(".case-ref .suspended")).to_contain_text("Suspended since")
    expect(page.locator("#deadlines")).to_contain_text("days left")
    audit.check()
    audit.check_narrow()
    audit.assert_all_checked()
