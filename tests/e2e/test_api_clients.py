"""The admin's page of the API's OAuth clients in a real browser, on the demo: a wrong form
(an address no account has) told beside the field and nothing registered, then a client
registered for the respondent's representative, its secret shown once, then revoked. Each
page checked with axe at desktop width and at 375 px; the page in Russian on a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .auditor import PHONE
from .test_key_pages import DESKTOP, logged_in

pytestmark = pytest.mark.e2e

ADMIN = "admin@demo.adr.kz"  # README, "Demo logins"
NAME = "Ministry of Energy case tracker (browser test)"


def test_the_admin_registers_a_client_and_revokes_it(new_context, demo_server) -> None:
    with logged_in(new_context, DESKTOP, "en", ADMIN) as (page, audit):
        audit.data = (NAME, "Ministry of Energy")
        register_and_revoke(page, audit)


def register_and_revoke(page, audit) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="API clients").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API clients")
    audit.check()
    audit.check_narrow()
    page.get_by_label("Name (the system it is)").fill(NAME)
    page.get_by_label("The account it acts for (its e-mail address)").fill("nobody@demo.adr.kz")
    page.get_by_role("button", name="Register the client").click()
    expect(page.locator(".error-summary")).to_contain_text("No active account has this e-mail")
    expect(page.get_by_label("Client secret")).to_have_count(0)
    audit.check()
    page.get_by_label("The account it acts for (its e-mail address)").fill("respondent@demo.adr.kz")
    page.get_by_label(re.compile(r"^Only the cases against")).fill("Ministry of Energy")
    page.get_by_role("button", name="Register the client").click()
    secret = page.get_by_label("Client secret")
    expect(secret).to_have_value(re.compile(r"^[\w-]{40,}$"))
    expect(page.get_by_label("Client id")).to_have_value(re.compile(r"^dpcl_"))
    shown = secret.input_value()
    audit.check()
    audit.check_narrow()
    page.goto("/admin/api-clients")  # shown once
    expect(page.locator("main")).not_to_contain_text(shown)
    audit.check()
    row = page.locator("tbody tr").filter(has_text=NAME)
    row.get_by_role("button", name=re.compile(r"^Revoke")).click()
    expect(page.get_by_role("status").first).to_contain_text("is revoked")
    expect(page.locator("tbody tr").filter(has_text=NAME)).to_contain_text("Revoked on")
    audit.check()


def test_the_clients_page_in_russian_on_a_phone(new_context, demo_server) -> None:
    with logged_in(new_context, PHONE, "ru", ADMIN) as (page, audit):
        audit.data = (NAME, "Ministry of Energy")  # typed by the test above, if it ran first
        page.goto("/admin/api-clients")
        expect(page.get_by_role("heading", level=1)).to_have_text("Клиенты API")
        audit.check()
