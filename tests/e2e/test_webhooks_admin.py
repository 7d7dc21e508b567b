"""The admin's page of the webhooks in a real browser, on the demo: counsel's subscription
and its deliveries (one delivered, one failing and waiting for its next attempt, one
failed, and whatever the other browser tests' acts queued), the list filtered to the failed
ones, the subscription stopped and let go on.
Each page checked with axe at desktop width and at 375 px; the page in Russian on a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from dispute_portal.seed.webhooks import URL

from .auditor import PHONE
from .test_key_pages import DESKTOP, logged_in

pytestmark = pytest.mark.e2e

ADMIN = "admin@demo.adr.kz"  # README, "Demo logins"


def test_the_admin_follows_the_deliveries_and_stops_a_subscription(
    new_context, demo_server
) -> None:
    with logged_in(new_context, DESKTOP, "en", ADMIN) as (page, audit):
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Webhooks").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Webhooks")
        subscription = page.locator("tbody tr").filter(has_text=URL).first
        expect(subscription).to_contain_text("Aigerim Bekova")
        expect(subscription).to_contain_text("case.file_submission")
        # The demo's three, and what the other browser tests' acts queued meanwhile.
        deliveries = page.get_by_role("table", name="Deliveries").locator("tbody tr")
        expect(deliveries.filter(has_text="Delivered").first).to_be_visible()
        expect(deliveries.filter(has_text="Failing").first).to_contain_text("Next attempt")
        expect(deliveries.filter(has_text="Connection refused")).to_have_count(1)
        audit.check()
        audit.check_narrow()

        page.get_by_role("navigation", name="Which deliveries").get_by_role(
            "link", name="Failed"
        ).click()
        failed = page.get_by_role("table", name="Deliveries").locator("tbody tr")
        expect(failed.first).to_contain_text("Connection refused")
        expect(failed.filter(has_text="Next attempt")).to_have_count(0)
        expect(failed.first.get_by_role("button", name=re.compile(r"^Send again"))).to_be_visible()
        audit.check()

        subscription = page.locator("tbody tr").filter(has_text=URL).first
        subscription.get_by_role("button", name=re.compile(r"^Stop")).click()
        expect(page.get_by_role("status").first).to_contain_text("Nothing more is sent")
        expect(page.locator("tbody tr").filter(has_text=URL).first).to_contain_text("Stopped on")
        audit.check()
        page.locator("tbody tr").filter(has_text=URL).first.get_by_role(
            "button", name=re.compile(r"^Let it go on")
        ).click()
        expect(page.get_by_role("status").first).to_contain_text("go on")
        expect(page.locator("tbody tr").filter(has_text=URL).first).to_contain_text("Active")
        audit.check()


def test_the_webhooks_page_in_russian_on_a_phone(new_context, demo_server) -> None:
    with logged_in(new_context, PHONE, "ru", ADMIN) as (page, audit):
        page.goto("/admin/webhooks")
        expect(page.get_by_role("heading", level=1)).to_have_text("Веб-хуки")
        audit.check()
