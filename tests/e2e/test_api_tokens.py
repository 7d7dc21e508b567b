"""Personal access tokens in a real browser: from the account page, a wrong form (no name)
told and nothing made, a token made and shown once, then revoked; and the page in Russian
on a phone. Each page checked with axe at desktop width and at 375 px."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .auditor import PHONE
from .test_key_pages import DESKTOP, logged_in

pytestmark = pytest.mark.e2e

NAME = "Dauletov & Partners matter system"


def test_counsel_makes_a_token_and_revokes_it(new_context, demo_server) -> None:
    with logged_in(new_context, DESKTOP, "en", "counsel@demo.adr.kz") as (page, audit):
        audit.data = (NAME,)
        page.goto("/account")
        audit.check()
        page.get_by_role("link", name="Tokens for your programs to use the API").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Personal access tokens")
        audit.check()
        audit.check_narrow()
        page.get_by_role("button", name="Make the token").click()
        expect(page.locator(".error-summary")).to_be_visible()  # a name is needed
        expect(page.get_by_label("Token", exact=True)).to_have_count(0)
        audit.check()
        page.get_by_label("Name (what the token is for)").fill(NAME)
        page.get_by_label(re.compile(r"^Read and write")).check()
        page.get_by_label("Lasts for").select_option("30")
        page.get_by_role("button", name="Make the token").click()
        shown = page.get_by_label("Token", exact=True)
        expect(shown).to_have_value(re.compile(r"^dpat_[\w-]{40,}$"))
        token = shown.input_value()
        audit.check()
        audit.check_narrow()
        page.goto("/account/tokens")  # shown once: now only its first characters
        expect(page.locator("main")).not_to_contain_text(token)
        audit.check()
        row = page.locator("tbody tr").filter(has_text=NAME)
        expect(row).to_contain_text(token[:9] + "…")
        row.get_by_role("button", name=re.compile(r"^Revoke")).click()
        expect(page.get_by_role("status").first).to_contain_text("is revoked")
        expect(page.locator("tbody tr").filter(has_text=NAME)).to_contain_text("Revoked on")
        audit.check()


def test_the_tokens_page_in_russian_on_a_phone(new_context, demo_server) -> None:
    with logged_in(new_context, PHONE, "ru", "respondent@demo.adr.kz") as (page, audit):
        page.goto("/account/tokens")
        expect(page.get_by_role("heading", level=1)).to_have_text("Персональные токены доступа")
        audit.check()
