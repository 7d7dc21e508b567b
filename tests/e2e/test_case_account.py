"""The case account in a real browser (issue 16): an investor files a claim and finds its
lodging-fee invoice; the finance officer imports the bank statement that pays it (and a
credit no reference matches, which waits in the queue); the clerk sees the fee paid and
registers the case. Then the finance officer's pages of the demo in Russian. Every page is
checked with axe, the new ones at 375 px too."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from dispute_portal.seed.statements import Transfer, mt940

from .conftest import LiveServer, _own_database, serve_empty
from .test_journey import Auditor, heading, log_in, log_out, main_nav, register_and_activate
from .test_key_pages import DESKTOP, logged_in, visit
from .test_print_and_verify import file_claim

pytestmark = pytest.mark.e2e

PAYER = {
    "name": "Dana Payer",
    "email": "dana.payer@caspian-wind.example",
    "password": "violet canyon harbour 2029",
}
# The demo's dollar account (the browser tests run with the demo's bank settings).
ACCOUNTS = {"USD": "KZ54601USD0000123456", "KZT": "KZ42601KZT0000123456"}


def outstanding(page: Page) -> list[dict[str, str]]:
    """The finance officer's CSV of unpaid invoices, fetched with the page's login."""
    response = page.request.get("/finance/outstanding.csv")
    assert response.ok
    return list(csv.DictReader(io.StringIO(response.text())))


@pytest.fixture(scope="module")
def own_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """An empty portal of this test's own: the case it registers takes no number the other
    browser tests expect (the journey's is the first of its portal)."""
    with (
        _own_database(tmp_path_factory, "account") as database_url,
        serve_empty(
            database_url, tmp_path_factory.mktemp("account-instance"), tmp_path_factory
        ) as server,
    ):
        yield server


def test_an_invoice_paid_from_the_statement_lets_the_clerk_register(
    new_context, own_server, tmp_path: Path
) -> None:
    live_server = own_server
    page = new_context(base_url=own_server.url).new_page()
    audit = Auditor(page)
    page.goto("/")
    audit.check()
    main_nav(page).get_by_role("link", name="Register as an investor").click()
    expect(heading(page, "Register as an investor")).to_be_visible()
    audit.check()
    register_and_activate(page, audit, live_server, PAYER)
    audit.check()
    reference = file_claim(page, audit, tmp_path)

    # The investor finds the lodging-fee invoice on the case's account page.
    main_nav(page).get_by_role("link", name="My cases").click()
    audit.check()
    page.get_by_role("link", name=reference, exact=True).click()
    audit.check()
    page.get_by_role("link", name="The case account: invoices, payments, what is due").click()
    expect(heading(page, "Account")).to_be_visible()
    invoice_link = page.get_by_role("link", name=re.compile(r"^INV-\d{4}-\d{6}"))
    invoice = invoice_link.inner_text().split()[0]
    expect(page.get_by_text("Unpaid", exact=True)).to_be_visible()
    payment_reference = page.locator("td code").first.inner_text()
    assert re.fullmatch(r"RF\d{2}DP\d{10}", payment_reference), payment_reference
    with page.expect_download() as download:
        invoice_link.click()
    assert download.value.suggested_filename.endswith(".pdf")
    audit.check()
    audit.check_narrow()
    log_out(page, audit)

    # The finance officer imports the statement: the transfer pays the invoice.
    log_in(page, audit, live_server.finance_email, live_server.finance_password)
    expect(heading(page, "Finance")).to_be_visible()
    audit.check_narrow()
    (row,) = [r for r in outstanding(page) if r["invoice"] == invoice]
    currency, amount = row["currency"], Decimal(row["due"])
    today = dt.date.today()
    statement = tmp_path / "halyk.sta"
    statement.write_bytes(
        mt940(
            ACCOUNTS[currency],
            currency,
            [
                Transfer("E2E-1", today, amount, "Caspian Wind LLP", f"Fee {payment_reference}"),
                Transfer("E2E-2", today, Decimal("12.34"), "Nobody Known", "for the Centre"),
            ],
            number="E2E-STMT",
            on=today,
        )
    )
    page.get_by_role("link", name="Import a bank statement").click()
    expect(heading(page, "Bank statements")).to_be_visible()
    audit.check()
    audit.check_narrow()
    page.get_by_label("Bank statement").set_input_files(statement)
    page.get_by_role("button", name="Import the statement").click()
    expect(page.get_by_role("status")).to_contain_text(
        "1 credits paid invoices, 1 wait for a match"
    )
    expect(page.get_by_role("rowheader", name="halyk.sta")).to_be_visible()
    audit.check()
    page.goto("/finance/unmatched")
    expect(heading(page, "Unmatched credits")).to_be_visible()
    expect(page.get_by_text("Nobody Known")).to_be_visible()
    audit.check()
    audit.check_narrow()
    log_out(page, audit)

    # The clerk sees the fee paid and registers the claim.
    log_in(page, audit, live_server.clerk_email, live_server.clerk_password)
    expect(heading(page, "Intake queue")).to_be_visible()
    audit.check()
    row = page.get_by_role("row").filter(has_text=reference)
    expect(row).to_contain_text("Paid")
    page.get_by_role("link", name=reference).click()
    expect(page.get_by_text("Registration waits for the lodging fee")).to_have_count(0)
    audit.check()
    audit.check_narrow()
    page.get_by_role("button", name="Register the case").click()
    flash = page.get_by_role("status").filter(has_text="Registered as")
    expect(flash).to_have_text(re.compile(r"^Registered as ADR-\d{4}-\d{4}\.$"))
    audit.check()
    audit.assert_all_checked()


def test_the_account_pages_of_the_demo_in_russian(new_context, demo_server) -> None:
    """The finance officer's pages in Russian, the officer's own language, on the demo (its
    statements left two credits in the queue). The journey above checks them in English at
    desktop width and at 375 px; here what a Russian reader sees: every text translated."""
    with logged_in(new_context, DESKTOP, "ru", "finance@demo.adr.kz") as (page, audit):
        visit(page, audit, "/finance/unmatched")
        expect(page.locator("main form")).to_have_count(2)
        visit(page, audit, "/finance/statements")
        expect(page.locator("tbody tr")).to_have_count(2)  # the demo's two statements
        visit(page, audit, "/finance")
        page.locator("main table a").first.click()  # an unpaid invoice's case account
        # The officer records payments there (and issues statements of account).
        expect(page.locator("form[action$='/account/payments']")).to_be_visible()
        audit.check()


def test_the_registry_asks_an_advance_on_the_demo_in_russian(new_context, demo_server) -> None:
    """A mediation of the demo: the registry's form of an advance on costs (the schedule's
    suggestion filled in) and the advance the seed asked, in Russian, at desktop width and
    at 375 px. Shares that are not equal without reasons are refused, and nothing changes
    (the other browser tests meet the demo as it was seeded)."""
    with logged_in(new_context, DESKTOP, "ru", "clerk@demo.adr.kz") as (page, audit):
        visit(page, audit, "/registry/docket?state=mediation")
        case = page.locator("table.docket tbody th a").first.get_attribute("href")
        assert case is not None
        visit(page, audit, f"{case}/account")
        form = page.locator("form[action$='/account/advances']")
        expect(form).to_be_visible()
        amount = form.locator("input[name='advance-amount']")
        expect(amount).not_to_have_value("")  # the schedule's suggestion
        audit.check_narrow()
        form.locator("input[name='advance-claimant_percent']").fill("70")
        form.locator("button[type=submit]").click()
        expect(page.locator(".error-summary")).to_contain_text(
            "Укажите основания для неравных долей."
        )
        audit.check()


def test_the_fee_notes_of_the_demo_mediation(new_context, demo_server) -> None:
    """The funded mediation of the demo: the registry reads the mediator's fee notes in
    Kazakh (one paid, one to decide), and the settled mediation's account with its final
    statement and refunds; the mediator reads its own notes in English and a note without a
    description is refused, nothing changed. Each page at desktop width and at 375 px."""
    with logged_in(new_context, DESKTOP, "kk", "clerk@demo.adr.kz") as (page, audit):
        visit(page, audit, "/registry/docket?state=mediation")
        case = page.locator("table.docket tbody th a").first.get_attribute("href")
        assert case is not None
        visit(page, audit, f"{case}/fee-notes")
        expect(page.locator("main tbody tr")).to_have_count(2)
        expect(page.locator("form[action$='/decision']")).to_have_count(1)
        audit.check_narrow()
        # The settled mediation's account: its statements and the refunds paid.
        visit(page, audit, "/registry/docket?state=settled")
        row = page.locator("table.docket tbody tr").filter(has_text="Alatau Medical Centre")
        settled = row.locator("th a").get_attribute("href")
        assert settled is not None
        visit(page, audit, f"{settled}/account")
        expect(page.locator("a[href*='/account/documents/']")).not_to_have_count(0)
        expect(page.locator("#refunds-heading")).to_be_visible()
        audit.check_narrow()
    with logged_in(new_context, DESKTOP, "en", "mediator@demo.adr.kz") as (page, audit):
        visit(page, audit, case)
        page.get_by_role("link", name="Fee notes: the neutrals' time and expenses").click()
        expect(page.get_by_role("heading", name="Fee notes", exact=True)).to_be_visible()
        audit.check()
        expect(page.get_by_text("Awaiting the registry")).to_be_visible()
        expect(page.get_by_text(re.compile(r"paid on"))).to_be_visible()
        page.get_by_label("Time spent").fill("2")
        page.get_by_role("button", name="Send to the registry").click()
        expect(page.locator(".error-summary")).to_contain_text("Say what the time")
        audit.check()
        audit.check_narrow()
        expect(page.locator("main tbody tr")).to_have_count(2)
