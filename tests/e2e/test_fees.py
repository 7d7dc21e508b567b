"""The public page of fees, in a real browser and without an account: the schedule in force,
and the calculator from an amount in dispute to the fees (a GET form, no script needed);
and the admin's page of schedules. Checked with axe at desktop width and at 375 px, in
English, Russian and Kazakh."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .auditor import PHONE
from .test_journey import Auditor
from .test_key_pages import DESKTOP, logged_in, switch_language, visit

pytestmark = pytest.mark.e2e


def test_the_fees_and_the_calculator(new_context, live_server) -> None:
    page = new_context().new_page()
    audit = Auditor(page)
    page.goto("/")
    audit.check()
    page.get_by_role("link", name="Fees").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fees of the Centre")
    audit.check()
    page.get_by_label("Amount in dispute").fill("120,000,000.00")
    page.get_by_label("Currency").select_option("KZT")
    page.get_by_role("button", name="Calculate the fees").click()
    result = page.get_by_role("status")
    expect(result).to_contain_text("KZT\u00a01,700,000.00")  # 2 % of 50 million, 1 % of 70 million
    expect(result).to_contain_text("KZT\u00a01,850,000.00")  # and the lodging fee
    audit.check()
    audit.check_narrow()
    page.get_by_label("Amount in dispute").fill("a lot")
    page.get_by_role("button", name="Calculate the fees").click()
    expect(page.locator(".error-summary")).to_contain_text("Enter an amount")
    audit.check()


@pytest.mark.parametrize(
    ("language", "total"), [("ru", "1 850 000,00 ₸"), ("kk", "1 850 000,00 ₸")]
)
def test_the_fees_on_a_phone(new_context, live_server, language, total) -> None:
    page = new_context(viewport=PHONE).new_page()
    audit = Auditor(page)
    page.goto("/fees?amount=120000000&currency=KZT")
    audit.check()
    switch_language(page, language)
    expect(page.get_by_role("status")).to_contain_text(total)
    audit.check()


def test_the_admin_page_of_schedules(new_context, demo_server) -> None:
    """The admin's page of schedules; a version without a name is refused and nothing is
    published (the other browser tests meet the demo's schedule as it was)."""
    with logged_in(new_context, DESKTOP, "en", "admin@demo.adr.kz") as (page, audit):
        visit(page, audit, "/admin/fees")
        audit.check_narrow()
        expect(page.get_by_label("Bracket 1: rate, per cent").first).to_have_value("2")
        page.get_by_role("button", name="Publish this version").click()
        expect(page.locator(".error-summary")).to_be_visible()
        audit.check()
        audit.check_narrow()
