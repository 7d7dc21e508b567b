"""The registry refers a case to arbitration and constitutes its tribunal, and the claimant
reads in the inbox what happened and by when, in a real browser on the demo data. Every
page the test reaches is checked with axe-core.

It works on Steppe Agro Export (at an impasse in the demo), which no other browser test
touches, and proposes an arbitrator the other tests do not log in as.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .test_journey import Auditor, heading, log_in, log_out, main_nav

pytestmark = pytest.mark.e2e

DEMO_PASSWORD = "Alatau-Demo-2026!"  # README, "Demo logins"
CLERK = "clerk@demo.adr.kz"
INVESTOR = "investor@demo.adr.kz"  # the claimant of Steppe Agro Export
STEPPE_AGRO = "Steppe Agro Export LLP v. Akimat of Alatau City"
SOLE = "Prof. Helen Marsh KC"  # arbitrator2@demo.adr.kz
REFERENCE = re.compile(r"^ADR-\d{4}-\d{4}$")
ALMATY_DATE = r"\d{1,2} [A-Z][a-z]+ \d{4} \(Almaty time\)"


def test_registry_constitutes_a_sole_arbitrator_and_the_claimant_is_told(
    new_context, demo_server
) -> None:
    page = new_context().new_page()
    audit = Auditor(page)
    page.goto("/")
    audit.check()
    log_in(page, audit, CLERK, DEMO_PASSWORD)
    expect(heading(page, "Intake queue")).to_be_visible()
    audit.check()

    # The clerk refers the case from its page.
    main_nav(page).get_by_role("link", name="Docket").click()
    expect(heading(page, "Docket")).to_be_visible()
    audit.check()
    link = (
        page.get_by_role("row")
        .filter(has_text="Steppe Agro Export LLP")
        .get_by_role("link", name=REFERENCE)
    )
    number = link.inner_text()
    link.click()
    expect(heading(page, STEPPE_AGRO)).to_be_visible()
    audit.check()
    page.get_by_role("link", name="Refer to arbitration").click()
    expect(heading(page, "Refer to arbitration")).to_be_visible()
    audit.check()
    page.get_by_role("button", name="Refer to arbitration").click()
    expect(heading(page, STEPPE_AGRO)).to_be_visible()
    audit.check()

    # One form, no size to choose: a sole arbitrator alone makes a tribunal of one.
    page.get_by_role("link", name="Constitute the tribunal").click()
    expect(heading(page, f"Constitute the tribunal: {STEPPE_AGRO}")).to_be_visible()
    expect(page.get_by_role("radio")).to_have_count(0)
    audit.check()
    page.get_by_role("button", name="Ask them to accept").click()  # nothing chosen
    expect(page.get_by_role("alert")).to_contain_text(
        "Choose a sole arbitrator, or a presiding arbitrator and two co-arbitrators."
    )
    audit.check()
    sole = page.get_by_label("Sole arbitrator", exact=True)
    sole.select_option(sole.locator("option", has_text=SOLE).get_attribute("value"))
    page.get_by_role("button", name="Ask them to accept").click()
    # On to the case, where the next step is shown, with a flash naming the case.
    expect(heading(page, STEPPE_AGRO)).to_be_visible()
    expect(page.get_by_role("status")).to_have_text(
        f"The arbitrators were asked to accept their appointment in {number}."
    )
    audit.check()
    log_out(page, audit)

    # The claimant reads what happened, and by when the registry is to act.
    log_in(page, audit, INVESTOR, DEMO_PASSWORD)
    expect(heading(page, "My cases")).to_be_visible()
    audit.check()
    main_nav(page).get_by_role("link", name=re.compile(r"^Notifications")).click()
    expect(heading(page, "Notifications")).to_be_visible()
    notices = page.locator(".inbox-text")
    expect(notices.nth(0)).to_have_text(
        f"The registry proposed the arbitral tribunal in case {number}. "
        "The arbitrators are asked to accept or decline."
    )
    expect(notices.nth(1)).to_have_text(
        re.compile(
            rf"Case {number} was referred to arbitration\. The registry is to constitute "
            rf"the tribunal by {ALMATY_DATE}\."
        )
    )
    audit.check()
    audit.assert_all_checked()
