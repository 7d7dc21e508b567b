"""Account pages reached through e-mailed links, in a real browser and checked with axe at
desktop width and at 375 px: a staff account's link to set up two-factor authentication,
and the page a staff member sees who tries to set it up without that link.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .test_journey import Auditor, heading

pytestmark = pytest.mark.e2e


def test_staff_set_up_two_factor_through_the_link_mailed_to_them(new_context, live_server):
    page = new_context().new_page()
    audit = Auditor(page)

    # Without the link, the password alone shows no QR code: the page says why.
    page.goto("/login")
    audit.check()
    page.get_by_label("Email address").fill(live_server.clerk_email)
    page.get_by_label("Password").fill(live_server.clerk_password)
    page.get_by_role("button", name="Log in").click()
    expect(heading(page, "Intake queue")).to_be_visible()
    audit.check()
    page.goto("/mfa/enrol")
    expect(heading(page, "Set up two-factor authentication")).to_be_visible()
    expect(page.get_by_role("button", name="Email me a new link")).to_be_visible()
    expect(page.locator("svg.mfa-qr")).to_have_count(0)
    audit.check()
    audit.check_narrow()

    # The link `create-user` e-mailed to the clerk: opened in a fresh browser, then log in.
    fresh = new_context().new_page()
    fresh_audit = Auditor(fresh)
    fresh.goto(live_server.mail_link(live_server.clerk_email, r"/mfa/link/[A-Za-z0-9_-]+"))
    expect(heading(fresh, "Set up two-factor authentication")).to_be_visible()
    expect(fresh.get_by_text(live_server.clerk_email)).to_be_visible()
    fresh_audit.check()
    fresh_audit.check_narrow()
    fresh.get_by_role("link", name="Log in to continue").click()
    expect(heading(fresh, "Log in")).to_be_visible()
    fresh_audit.check()
    fresh.get_by_label("Email address").fill(live_server.clerk_email)
    fresh.get_by_label("Password").fill(live_server.clerk_password)
    fresh.get_by_role("button", name="Log in").click()
    # Now the key and its QR code (not confirmed here: the other tests log in as this clerk).
    expect(heading(fresh, "Set up two-factor authentication")).to_be_visible()
    expect(fresh.locator("svg.mfa-qr")).to_be_visible()
    fresh_audit.check()
    fresh_audit.check_narrow()
    audit.assert_all_checked()
    fresh_audit.assert_all_checked()
