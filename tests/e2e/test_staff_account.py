"""The admin's page of one account in a real browser: from the list of accounts to a
mediator's page, a nationality recorded (Gulnara Omarova's, Kazakhstan in the demo, stays
Kazakhstan: no other browser test reads it), in English on a desktop and in Russian on a
phone. Each page checked with axe at desktop width and at 375 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .auditor import PHONE
from .test_key_pages import DESKTOP, logged_in

pytestmark = pytest.mark.e2e

ADMIN = "admin@demo.adr.kz"  # README, "Demo logins"
MEDIATOR = "Gulnara Omarova"


def test_the_admin_records_a_neutrals_nationality(new_context, demo_server) -> None:
    with logged_in(new_context, DESKTOP, "en", ADMIN) as (page, audit):
        page.goto("/admin/users")
        audit.check()
        page.get_by_role("link", name=MEDIATOR).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(MEDIATOR)
        expect(page.locator(".account-facts")).to_contain_text("Kazakhstan")
        audit.check()
        audit.check_narrow()
        page.get_by_label("Nationality").select_option("KZ")
        page.get_by_role("button", name="Save the nationality").click()
        expect(page.get_by_role("status").first).to_contain_text(
            f"The nationality of {MEDIATOR} is recorded."
        )
        audit.check()


def test_the_account_page_in_russian_on_a_phone(new_context, demo_server) -> None:
    with logged_in(new_context, PHONE, "ru", ADMIN) as (page, audit):
        page.goto("/admin/users")
        audit.check()
        page.get_by_role("link", name=MEDIATOR).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(MEDIATOR)
        expect(page.get_by_role("button", name="Сохранить гражданство")).to_be_visible()
        audit.check()
