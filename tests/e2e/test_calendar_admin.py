"""The admin's calendar of days off, in a real browser on the demo data, checked with axe at
desktop width and at 375 px: a day that cannot go on the list, one that can, publishing a
new version, removing the day from the next one; then the page in Russian on a phone.

The day is in 2035, far from every deadline the other browser tests meet on the same demo.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .auditor import PHONE, Auditor
from .test_key_pages import DEMO_PASSWORD, DESKTOP, logged_in, visit

pytestmark = pytest.mark.e2e

ADMIN = "admin@demo.adr.kz"  # README, "Demo logins"
DECREE = "Government decree No. 123 of 1 December 2034"
VERSION_NAME = "Calendar with the decree of December 2034"


def heading(page: Page, text: str):
    return page.get_by_role("heading", level=1, name=text)


def add_day(page: Page, day: str, reason: str) -> None:
    page.locator("#day").fill(day)
    page.get_by_label("Extra day off").check()
    page.locator("#reason").fill(reason)
    page.get_by_role("button", name="Add to the list").click()


def test_the_admin_lists_a_day_off_and_publishes_a_calendar(new_context, demo_server) -> None:
    page = new_context(viewport=DESKTOP).new_page()
    page.goto("/login")
    page.locator("#email").fill(ADMIN)
    page.locator("#password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/login"))
    audit = Auditor(page)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Calendar").click()
    expect(heading(page, "Calendar of days off")).to_be_visible()
    expect(page.get_by_role("table").first).to_contain_text("in force")
    audit.check()
    audit.check_narrow()

    # A Saturday is closed already: refused beside the field, with what was typed.
    add_day(page, "2035-01-06", DECREE)
    expect(page.locator(".error-summary")).to_contain_text("A Saturday or a Sunday")
    expect(page.locator("#reason")).to_have_value(DECREE)
    audit.check()
    audit.check_narrow()

    # Friday 5 January 2035 goes on the list of the next version.
    add_day(page, "2035-01-05", DECREE)
    expect(page.locator(".flash")).to_contain_text("on the list of the next version")
    row = page.locator("tbody tr").filter(has_text=DECREE)
    expect(row).to_contain_text("Not yet published")
    audit.check()
    audit.check_narrow()

    # Published: the day is in force for the cases registered from now on.
    page.locator("#name").fill(VERSION_NAME)
    page.get_by_role("button", name="Publish this version").click()
    expect(page.locator(".flash")).to_contain_text("is in force for cases registered from now on")
    expect(page.get_by_role("table").first).to_contain_text(VERSION_NAME)
    expect(row).to_contain_text("In force")
    audit.check()
    audit.check_narrow()

    # Taken off the next version's list: still in force until another version is published.
    row.get_by_role("button", name=re.compile("^Remove")).click()
    expect(page.locator(".flash")).to_contain_text("off the list of the next version")
    expect(page.locator("main")).to_contain_text("in force until the next version is published")
    audit.check()
    audit.check_narrow()
    audit.assert_all_checked()


def test_the_calendar_page_in_russian_on_a_phone(new_context, demo_server) -> None:
    with logged_in(new_context, PHONE, "ru", ADMIN) as (page, audit):
        # The versions' names are data, written in English (the demo's and the other test's).
        audit.data = ("Public holidays of Kazakhstan", VERSION_NAME, DECREE)
        visit(page, audit, "/admin/calendar/")
        expect(heading(page, "Календарь выходных дней")).to_be_visible()
