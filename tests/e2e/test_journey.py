"""A claim's first days, in a real browser: an investor registers and files a claim, the
registry registers it, the investor sees the case number. Every page is checked with axe-core.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from tests.standin import one_page_pdf

from .auditor import Auditor

pytestmark = pytest.mark.e2e

ALMATY = ZoneInfo("Asia/Almaty")
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
INVESTOR = {
    "name": "Dana Investor",
    "email": "dana.investor@steppe-solar.example",
    "password": "quiet meadow lantern 2026",
}


def minimal_pdf() -> bytes:
    """A small well-formed PDF: one empty A4 page, with a correct cross-reference table."""
    return one_page_pdf()


@pytest.fixture
def page(new_context):
    return new_context().new_page()


def heading(page: Page, text: str | re.Pattern):
    return page.get_by_role("heading", level=1, name=text)


def almaty_today() -> dt.date:
    return dt.datetime.now(ALMATY).date()


def main_nav(page: Page):
    return page.get_by_role("navigation", name="Main")


def mentions_date(text: str, day: dt.date) -> bool:
    """Whether the text names this day, whatever the date format (the month by name)."""
    words = set(re.findall(r"\w+", text))
    return {str(day.day), MONTHS[day.month - 1], str(day.year)} <= words


def waive_lodging_fee(page: Page, audit: Auditor) -> None:
    """On the claim's review page: registration waits for the lodging fee, which the clerk
    waives with reasons (the account's own browser test pays it)."""
    expect(page.get_by_text("Registration waits for the lodging fee")).to_be_visible()
    expect(page.get_by_role("button", name="Register the case")).to_have_count(0)
    page.get_by_label("Why the fee is waived").fill("The claimant is a small enterprise.")
    page.get_by_role("button", name="Waive the fee").click()
    expect(page.get_by_role("status").filter(has_text="is waived")).to_be_visible()
    expect(page.get_by_text("Waived", exact=True)).to_be_visible()
    audit.check()


def log_in(page: Page, audit: Auditor, email: str, password: str) -> None:
    main_nav(page).get_by_role("link", name="Log in").click()
    expect(heading(page, "Log in")).to_be_visible()
    audit.check()
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def register_and_activate(page: Page, audit: Auditor, server, person: dict[str, str]) -> None:
    """Fill in the registration form, follow the activation link e-mailed to the address,
    log in: the investor lands on their (empty) list of cases."""
    page.get_by_label("Full name").fill(person["name"])
    page.get_by_label("Email address").fill(person["email"])
    page.get_by_label(re.compile(r"^Password")).fill(person["password"])
    page.get_by_label("Repeat the password").fill(person["password"])
    page.get_by_role("button", name="Create account").click()
    expect(heading(page, "Check your email")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("We have sent a message")
    audit.check()
    audit.check_narrow()
    page.goto(server.mail_link(person["email"], r"/activate/[A-Za-z0-9_-]+"))
    expect(heading(page, "Activate your account")).to_be_visible()
    audit.check()
    audit.check_narrow()
    page.get_by_role("button", name="Activate my account").click()
    expect(heading(page, "Log in")).to_be_visible()
    expect(page.get_by_text("Your account is active.")).to_be_visible()
    audit.check()
    page.get_by_label("Email address").fill(person["email"])
    page.get_by_label("Password").fill(person["password"])
    page.get_by_role("button", name="Log in").click()
    expect(heading(page, "My cases")).to_be_visible()


def log_out(page: Page, audit: Auditor) -> None:
    main_nav(page).get_by_role("button", name="Log out").click()
    expect(main_nav(page).get_by_role("link", name="Log in")).to_be_visible()
    expect(heading(page, "Investment Dispute Resolution Centre of Alatau City")).to_be_visible()
    audit.check()


def save_and_continue(page: Page, audit: Auditor, next_heading: str) -> None:
    page.get_by_role("button", name="Save and continue").click()
    expect(heading(page, next_heading)).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Saved.")).to_be_visible()
    audit.check()


STEPPE_SOLAR = {
    "claimant": "Steppe Solar LLP",
    "address": "Friedrichstraße 10\n10117 Berlin",
    "email": "legal@steppe-solar.example",
    "respondent": "Akimat of the Alatau City special economic zone",
    "project": "Kapchagay 40 MW solar park",
    "amount": "1 500 000,00",
    "summary": "The land plot allocated to the project was withdrawn without compensation.",
    "measures": "Decision of the akimat of 3 March withdrawing the land plot.",
    "reference": "Investment agreement No. 17 of 12 May 2024",
    "relief": "Compensation for the value of the investment.",
}


def fill_claim_sections(page: Page, audit: Auditor, claim: dict[str, str]) -> None:
    """From the Claimant section to the Documents section, as an investor fills them in."""
    page.get_by_role("radio", name="Company", exact=True).check()
    page.get_by_label("Full name or company name").fill(claim["claimant"])
    page.get_by_label("Country of nationality or incorporation").select_option(label="Germany")
    page.get_by_label(re.compile(r"^Address")).fill(claim["address"])
    page.get_by_label("Email for notices").fill(claim["email"])
    page.get_by_role("radio", name=re.compile(r"^Yes: publish them in full")).check()
    save_and_continue(page, audit, "Your claim: Respondent")

    page.get_by_role("radio", name="State body", exact=True).check()
    page.get_by_label("Name of the state body or company").fill(claim["respondent"])
    save_and_continue(page, audit, "Your claim: Investment")

    page.get_by_label("Project name").fill(claim["project"])
    page.get_by_label("Sector").select_option("energy")
    page.get_by_label("Location").fill("Alatau City, Zhetysu Region")
    page.get_by_label("Amount invested").fill(claim["amount"])
    page.get_by_label("Currency of the investment").select_option("USD")
    save_and_continue(page, audit, "Your claim: Dispute")

    page.get_by_label("Summary of the dispute").fill(claim["summary"])
    page.get_by_label("The measures complained of").fill(claim["measures"])
    page.get_by_role("radio", name="Investment contract").check()
    page.get_by_label(re.compile(r"^Reference")).fill(claim["reference"])
    page.get_by_label("Relief sought").fill(claim["relief"])
    page.get_by_label("Amount claimed").fill(claim["amount"])
    page.get_by_label("Currency of the claim").select_option("USD")
    page.get_by_label("Language of the proceedings").select_option(label="English")
    save_and_continue(page, audit, "Your claim: Documents")


def test_investor_files_a_claim_and_the_registry_registers_it(
    page: Page, live_server, tmp_path: Path
) -> None:
    audit = Auditor(page)
    page.goto("/")
    expect(heading(page, "Investment Dispute Resolution Centre of Alatau City")).to_be_visible()
    audit.check()

    # An investor opens an account, activates it by the link e-mailed to them, logs in and
    # lands on their (empty) list of cases.
    main_nav(page).get_by_role("link", name="Register as an investor").click()
    expect(heading(page, "Register as an investor")).to_be_visible()
    audit.check()
    page.get_by_role("button", name="Create account").click()  # nothing filled in yet
    expect(page.get_by_role("alert")).to_contain_text("Please correct the following")
    expect(page.get_by_label("Full name")).to_have_attribute("aria-invalid", "true")
    audit.check()  # the form with its error messages
    register_and_activate(page, audit, live_server, INVESTOR)
    expect(page.get_by_text("You have no cases yet.")).to_be_visible()
    audit.check()

    # The claim, section by section.
    page.get_by_role("button", name="File a new claim").click()
    expect(heading(page, "Your claim: Claimant")).to_be_visible()
    audit.check()
    fill_claim_sections(page, audit, STEPPE_SOLAR)

    # A document, checked by its content.
    pdf = tmp_path / "statement-of-claim.pdf"
    pdf.write_bytes(minimal_pdf())
    page.get_by_role("button", name="Upload").click()  # no file chosen yet
    expect(page.get_by_role("alert")).to_contain_text("Choose a file to upload.")
    audit.check()
    page.get_by_label("Document (PDF, DOCX, PNG or JPEG)").set_input_files(pdf)
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("status")).to_have_text("statement-of-claim.pdf was added.")
    expect(page.get_by_role("link", name="statement-of-claim.pdf")).to_be_visible()
    audit.check()

    page.get_by_role("link", name="Continue to review").click()
    expect(heading(page, "Your claim: Review and submit")).to_be_visible()
    expect(page.get_by_text("Before you can submit")).to_have_count(0)
    audit.check()

    day_before = almaty_today()
    page.get_by_role("button", name="Submit the claim").click()
    expect(heading(page, "Your claim has been submitted")).to_be_visible()
    day_after = almaty_today()
    received = page.get_by_text(re.compile(r"^Received on "))
    expect(received).to_contain_text(re.compile(r"\d{1,2}:\d{2}"))  # a time of day
    assert any(mentions_date(received.inner_text(), d) for d in {day_before, day_after}), (
        received.inner_text(),
        day_after,
    )
    reference = page.locator(".confirmation strong").inner_text()
    assert re.fullmatch(r"F-\d{6}", reference), reference
    receipt = page.get_by_role("link", name="Download the filing receipt (PDF)")
    with page.expect_download() as info:
        receipt.click()
    assert info.value.suggested_filename.startswith(f"{reference}-filing_receipt-")
    audit.check()
    log_out(page, audit)

    # The registry screens the claim and registers it.
    log_in(page, audit, live_server.clerk_email, live_server.clerk_password)
    expect(heading(page, "Intake queue")).to_be_visible()
    audit.check()
    page.get_by_role("link", name=reference).click()
    expect(
        heading(page, re.compile(r"^Screen the claim: Steppe Solar LLP v\. Akimat"))
    ).to_be_visible()
    audit.check()
    waive_lodging_fee(page, audit)
    year_before = almaty_today().year
    page.get_by_role("button", name="Register the case").click()
    # On to the new case, where its next step (a mediator) is offered.
    expect(
        heading(page, "Steppe Solar LLP v. Akimat of the Alatau City special economic zone")
    ).to_be_visible()
    year_after = almaty_today().year
    flash = page.get_by_role("status").filter(has_text="Registered as")
    expect(flash).to_have_text(re.compile(r"^Registered as ADR-\d{4}-0001\.$"))
    number = flash.inner_text().removeprefix("Registered as ").removesuffix(".")
    assert number in {f"ADR-{y}-0001" for y in (year_before, year_after)}, number
    expect(page.get_by_role("link", name="Assign a mediator")).to_be_visible()
    audit.check()
    main_nav(page).get_by_role("link", name="Intake queue").click()
    expect(page.get_by_text("No claims are waiting.")).to_be_visible()
    audit.check()
    log_out(page, audit)

    # The investor sees the case number on their list and on the case page.
    log_in(page, audit, INVESTOR["email"], INVESTOR["password"])
    expect(heading(page, "My cases")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Steppe Solar LLP")
    expect(row.get_by_role("link", name=number)).to_be_visible()
    expect(row).to_contain_text("Registered")
    audit.check()
    row.get_by_role("link", name=number).click()
    expect(
        heading(page, "Steppe Solar LLP v. Akimat of the Alatau City special economic zone")
    ).to_be_visible()
    facts = page.locator("dl.facts-inline")
    expect(facts).to_contain_text("Case number")
    expect(facts).to_contain_text(number)
    audit.check()

    audit.assert_all_checked()


def test_language_switcher_is_a_plain_form(new_context) -> None:
    """Without JavaScript, choosing Русский and pressing the button switches the page."""
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/login")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(heading(page, "Log in")).to_be_visible()

    page.get_by_label("Language").select_option(label="Русский")
    page.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page).to_have_url(re.compile(r"/login\??$"))  # back on the page it was sent from
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_label(re.compile("Язык|Language"))).to_have_value("ru")
    expect(page.get_by_role("textbox").first).to_be_editable()


def test_russian_pages_are_accessible(new_context) -> None:
    page = new_context().new_page()
    audit = Auditor(page)
    page.goto("/")
    audit.check()
    page.get_by_label("Language").select_option("ru")
    page.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    audit.check()
    audit.assert_all_checked()
