"""The API's documentation page in a real browser: Swagger UI, served by the portal itself
(no CDN, nothing blocked by the page's Content-Security-Policy), draws the operations of the
generated OpenAPI document; an operation opens. axe at desktop width and at 375 px, and the
page in Russian on a phone (the reference itself is marked as English)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .auditor import PHONE, Auditor
from .test_key_pages import DESKTOP, logged_in

pytestmark = pytest.mark.e2e


def test_the_reference_is_drawn_from_the_portals_own_files(new_context, demo_server) -> None:
    page = new_context(viewport=DESKTOP).new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    audit = Auditor(page)
    page.goto("/api/v1/docs")
    expect(page.get_by_role("heading", level=1)).to_have_text("API documentation")
    operation = page.locator(".opblock-summary").filter(
        has_text="/api/v1/cases/{case_id}/submissions"
    )
    expect(operation.first).to_be_visible()
    assert not errors, errors  # a script or style the CSP refused would be reported here
    assert all(url.startswith(demo_server.url) for url in requested), requested
    audit.check()
    audit.check_narrow()
    page.locator(".opblock-summary-control").filter(has_text="/api/v1/me").click()
    expect(page.locator(".opblock-body").first).to_be_visible()
    audit.check()


def test_the_documentation_page_in_russian_on_a_phone(new_context, demo_server) -> None:
    with logged_in(new_context, PHONE, "ru", "respondent@demo.adr.kz") as (page, audit):
        page.goto("/api/v1/docs")
        expect(page.get_by_role("heading", level=1)).to_have_text("Документация API")
        expect(page.locator(".opblock-summary").first).to_be_visible()
        audit.check()
