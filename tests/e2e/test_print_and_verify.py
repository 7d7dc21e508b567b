"""Rulings, in a real browser: a claim is filed and registered (two rulings issued), the
registry prints both as one batch and records their service, the investor downloads the
registration notice, and a member of the public checks that it is authentic — by the file,
by an altered copy of it, and by the code printed on it. Every page is checked with axe-core.

The portal is shared with the other browser tests (one server, one database per run), so
this journey uses its own investor and picks its own rulings by their case references.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, Route, expect
from pypdf import PdfReader

from .test_journey import (
    Auditor,
    fill_claim_sections,
    heading,
    log_in,
    main_nav,
    minimal_pdf,
    register_and_activate,
    waive_lodging_fee,
)

pytestmark = pytest.mark.e2e

# The print job runs in a thread of the portal and takes a second or two; the page asks for
# its progress every two seconds. Generous, but bounded.
BATCH_TIMEOUT_MS = 60_000
INVESTOR = {
    "name": "Timur Investor",
    "email": "timur.investor@caspian-wind.example",
    "password": "silver river kestrel 2031",
}
CLAIMANT = "Caspian Wind LLP"
RESPONDENT = "Akimat of the Alatau City special economic zone"
CASPIAN_WIND = {
    "claimant": CLAIMANT,
    "address": "Unter den Linden 5\n10117 Berlin",
    "email": "legal@caspian-wind.example",
    "respondent": RESPONDENT,
    "project": "Ili 60 MW wind farm",
    "amount": "2 000 000,00",
    "summary": "The grid connection promised for the wind farm was cancelled.",
    "measures": "Decision of the akimat of 9 April cancelling the grid connection.",
    "reference": "Investment agreement No. 23 of 2 June 2024",
    "relief": "Compensation for the lost investment.",
}
CASE_TITLE = f"{CLAIMANT} v. {RESPONDENT}"
CODE = re.compile(r"Verification code:\s*([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})")
BATCH_STATUS_POLL = re.compile(r"/registry/print/batches/\d+\?format=json$")


def pdf_pages(data: bytes) -> list[str]:
    """The text of each page of a PDF."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def printed_code(pages: list[str]) -> str:
    """The verification code a ruling prints after "Verification code:"."""
    found = CODE.findall("\n".join(pages))
    assert len(found) == 1, f"expected one verification code in the PDF, found {found}"
    return found[0]


def download(page: Page, link, target: Path) -> tuple[str, bytes]:
    """Click a link that sends a file; (the file name the portal gave it, its bytes)."""
    with page.expect_download() as info:
        link.click()
    dl = info.value
    assert dl.failure() is None, dl.failure()
    dl.save_as(target)
    return dl.suggested_filename, target.read_bytes()


def register_investor(page: Page, audit: Auditor, server) -> None:
    page.goto("/")
    audit.check()
    main_nav(page).get_by_role("link", name="Register as an investor").click()
    expect(heading(page, "Register as an investor")).to_be_visible()
    audit.check()
    register_and_activate(page, audit, server, INVESTOR)
    audit.check()


def file_claim(page: Page, audit: Auditor, tmp_path: Path) -> str:
    """Fill in every section, add a PDF, submit; the filing reference (F-000123)."""
    page.get_by_role("button", name="File a new claim").click()
    expect(heading(page, "Your claim: Claimant")).to_be_visible()
    audit.check()
    fill_claim_sections(page, audit, CASPIAN_WIND)

    pdf = tmp_path / "statement-of-claim.pdf"
    pdf.write_bytes(minimal_pdf())
    page.get_by_label("Document (PDF, DOCX, PNG or JPEG)").set_input_files(pdf)
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("status")).to_have_text("statement-of-claim.pdf was added.")
    audit.check()

    page.get_by_role("link", name="Continue to review").click()
    expect(heading(page, "Your claim: Review and submit")).to_be_visible()
    audit.check()
    page.get_by_role("button", name="Submit the claim").click()
    expect(heading(page, "Your claim has been submitted")).to_be_visible()
    audit.check()
    reference = page.locator(".confirmation strong").inner_text()
    assert re.fullmatch(r"F-\d{6}", reference), reference
    return reference


def register_case(page: Page, audit: Auditor, reference: str) -> str:
    """The clerk registers the claim from the intake queue and lands on the case; its number."""
    expect(heading(page, "Intake queue")).to_be_visible()
    audit.check()
    page.get_by_role("link", name=reference).click()
    expect(heading(page, f"Screen the claim: {CASE_TITLE}")).to_be_visible()
    audit.check()
    waive_lodging_fee(page, audit)
    page.get_by_role("button", name="Register the case").click()
    expect(heading(page, CASE_TITLE)).to_be_visible()  # on to the new case
    flash = page.get_by_role("status").filter(has_text="Registered as")
    expect(flash).to_have_text(re.compile(r"^Registered as ADR-\d{4}-\d{4}\.$"))
    audit.check()
    return flash.inner_text().removeprefix("Registered as ").removesuffix(".")


def _checkbox(page, reference: str):
    """A queue checkbox: its label is the case reference, then the ruling's kind and code."""
    return page.get_by_role("checkbox", name=re.compile(rf"^{re.escape(reference)} —"))


def queue_row(page: Page, label: str):
    """The print queue's row of the ruling whose checkbox is labelled with this reference."""
    return page.get_by_role("row").filter(has=_checkbox(page, label))


def test_registry_prints_rulings_and_the_public_verifies_one(
    new_context, live_server, tmp_path: Path
) -> None:
    investor = new_context().new_page()
    investor_audit = Auditor(investor)
    clerk = new_context().new_page()
    clerk_audit = Auditor(clerk)
    public = new_context().new_page()
    public_audit = Auditor(public)

    # 1. Two rulings come to exist: the filing receipt (on submission) and the
    # registration notice (on registration).
    register_investor(investor, investor_audit, live_server)
    reference = file_claim(investor, investor_audit, tmp_path)

    clerk.goto("/")
    clerk_audit.check()
    log_in(clerk, clerk_audit, live_server.clerk_email, live_server.clerk_password)
    number = register_case(clerk, clerk_audit, reference)

    # 2. The clerk prints both as one batch.
    main_nav(clerk).get_by_role("link", name="Print queue").click()
    expect(heading(clerk, "Print queue")).to_be_visible()
    receipt_row = queue_row(clerk, reference)
    notice_row = queue_row(clerk, number)
    expect(receipt_row).to_contain_text("Filing receipt")
    expect(notice_row).to_contain_text("Registration notice")
    for row in (receipt_row, notice_row):
        expect(row.get_by_role("cell").nth(4)).to_have_text("not yet")  # not printed
    queue_codes = [row.locator("code").inner_text() for row in (receipt_row, notice_row)]
    clerk_audit.check()

    # The batch page asks for its progress and reloads when the job is done. Its first
    # answers are held back until axe has checked the page as it is, so the reload cannot
    # pull the page from under axe (the job itself runs on regardless).
    held: list[Route] = []
    released = False

    def hold(route: Route) -> None:
        if released:
            route.continue_()
        else:
            held.append(route)

    clerk.route(BATCH_STATUS_POLL, hold)
    _checkbox(clerk, reference).check()
    _checkbox(clerk, number).check()
    clerk.get_by_role("button", name="Print selected").click()
    expect(heading(clerk, re.compile(r"^Print batch \d+$"))).to_be_visible()
    batch_id = heading(clerk, re.compile(r"^Print batch \d+$")).inner_text().split()[-1]
    expect(clerk.get_by_role("status")).to_contain_text(re.compile(r"\d of 2 rulings merged"))
    expect(clerk.get_by_label("Progress")).to_have_attribute("max", "2")
    listed = clerk.get_by_role("table", name=re.compile("^Rulings in this batch"))
    expect(listed.get_by_role("row").nth(1)).to_contain_text(reference)
    expect(listed.get_by_role("row").nth(1)).to_contain_text("Filing receipt")
    expect(listed.get_by_role("row").nth(2)).to_contain_text(number)
    expect(listed.get_by_role("row").nth(2)).to_contain_text("Registration notice")
    clerk_audit.check()
    released = True
    for route in held:
        route.continue_()
    clerk.unroute(BATCH_STATUS_POLL)

    ready = clerk.get_by_role("link", name="Download the PDF for the printer")
    expect(ready).to_be_visible(timeout=BATCH_TIMEOUT_MS)
    expect(clerk.get_by_role("status")).to_contain_text("Ready")
    expect(clerk.get_by_role("status")).to_contain_text("2 of 2 rulings merged")
    clerk_audit.check()
    name, batch_pdf = download(clerk, ready, tmp_path / "batch.pdf")
    assert name == f"print-batch-{batch_id}.pdf", name

    cover_page, *batch_rulings = pdf_pages(batch_pdf)
    cover = " ".join(cover_page.split())  # the lines as laid out on the page, joined
    assert f"Print batch {batch_id}" in cover, cover
    assert "2 rulings follow this sheet" in cover, cover
    assert live_server.clerk_name in cover, cover  # prepared for
    for expected in (reference, number, "Filing receipt", "Registration notice", *queue_codes):
        assert expected in cover, f"{expected!r} is not on the cover sheet:\n{cover}"
    assert cover.index(reference) < cover.index(number), "the cover keeps the queue's order"

    # 3. The investor finds both rulings on the case page and downloads them.
    main_nav(investor).get_by_role("link", name="My cases").click()
    expect(heading(investor, "My cases")).to_be_visible()
    investor_audit.check()
    investor.get_by_role("link", name=number).click()
    expect(heading(investor, CASE_TITLE)).to_be_visible()
    rulings = investor.get_by_role("region", name="Decisions and notices")
    expect(rulings.get_by_role("row")).to_have_count(3)  # the header and two rulings
    investor_audit.check()
    receipt_name, receipt_pdf = download(
        investor,
        rulings.get_by_role("link", name="Filing receipt (PDF)"),
        tmp_path / "receipt.pdf",
    )
    notice_name, notice_pdf = download(
        investor,
        rulings.get_by_role("link", name="Registration notice (PDF)"),
        tmp_path / "registration-notice.pdf",
    )
    assert receipt_name.startswith(f"{reference}-filing_receipt-"), receipt_name
    assert notice_name.startswith(f"{number}-registration_notice-"), notice_name
    receipt_pages, notice_pages = pdf_pages(receipt_pdf), pdf_pages(notice_pdf)
    assert "Registration notice" in notice_pages[0] and number in notice_pages[0]
    code = printed_code(notice_pages)
    assert [printed_code(receipt_pages), code] == queue_codes
    expect(rulings.get_by_role("row").filter(has_text="Registration notice")).to_contain_text(code)

    # The batch is the cover sheet followed by the issued rulings, page for page.
    assert batch_rulings == receipt_pages + notice_pages, (
        f"batch has {len(batch_rulings)} pages after the cover; the rulings have "
        f"{len(receipt_pages)} + {len(notice_pages)}"
    )

    # 4. Anyone can check the notice: the file, an altered copy, and the printed code.
    public.goto("/")
    public_audit.check()
    public.get_by_role("contentinfo").get_by_role("link", name="Verify a ruling").click()
    expect(heading(public, "Verify a ruling")).to_be_visible()
    public_audit.check()

    public.get_by_role("button", name="Verify").click()  # nothing given: say what to give
    expect(public.get_by_role("alert")).to_contain_text(
        "Enter the verification code, or choose the PDF file to upload."
    )
    public_audit.check()

    notice_file = tmp_path / "registration-notice.pdf"
    public.get_by_label("Or upload the PDF file").set_input_files(notice_file)
    public.get_by_role("button", name="Verify").click()
    verdict = public.get_by_role("status")
    expect(verdict.get_by_role("heading", name="Authentic", exact=True)).to_be_visible()
    expect(verdict).to_contain_text("The file is exactly the one the centre issued.")
    expect(verdict).to_contain_text(number)
    expect(verdict).to_contain_text(code)
    public_audit.check()

    altered = bytearray(notice_pdf)
    altered[len(altered) // 2] ^= 0x01
    (tmp_path / "altered.pdf").write_bytes(altered)
    public.get_by_label("Or upload the PDF file").set_input_files(tmp_path / "altered.pdf")
    public.get_by_role("button", name="Verify").click()
    refusal = public.get_by_role("alert")
    expect(refusal.get_by_role("heading", name="Not authentic", exact=True)).to_be_visible()
    expect(refusal).to_contain_text("The centre never issued this file.")
    expect(public.get_by_role("heading", name="Authentic", exact=True)).to_have_count(0)
    public_audit.check()

    public.get_by_label("Verification code").fill(code)
    public.get_by_role("button", name="Verify").click()
    verdict = public.get_by_role("status")
    expect(verdict.get_by_role("heading", name="Authentic", exact=True)).to_be_visible()
    expect(verdict).to_contain_text("Registration notice")
    expect(verdict).to_contain_text(number)
    expect(verdict).to_contain_text(code)
    public_audit.check()

    # A file checked after a code: the verdict is the file's, and the code box is emptied.
    public.get_by_label("Or upload the PDF file").set_input_files(tmp_path / "altered.pdf")
    public.get_by_role("button", name="Verify").click()
    expect(public.get_by_role("alert")).to_contain_text("The centre never issued this file.")
    expect(public.get_by_label("Verification code")).to_have_value("")
    public_audit.check()

    # 5. The registry records service. The queue may also hold rulings that other browser
    # tests of this run issued; the clerk serves everything waiting, ours included.
    main_nav(clerk).get_by_role("link", name="Print queue").click()
    expect(heading(clerk, "Print queue")).to_be_visible()
    for row in (receipt_row, notice_row):
        expect(row.get_by_role("cell").nth(4)).not_to_have_text("not yet")  # printed now
    clerk_audit.check()
    boxes = clerk.get_by_role("checkbox")
    waiting = boxes.count()
    assert waiting >= 2
    for index in range(waiting):
        boxes.nth(index).check()
    clerk.get_by_role("button", name="Mark selected as served").click()
    expect(heading(clerk, "Print queue")).to_be_visible()
    expect(clerk.get_by_role("status")).to_have_text(f"{waiting} rulings marked as served.")
    expect(clerk.get_by_text("Nothing is waiting to be printed or served.")).to_be_visible()
    expect(clerk.get_by_role("checkbox")).to_have_count(0)
    recent = clerk.get_by_role("listitem").filter(has_text=f"Print batch {batch_id}")
    expect(recent).to_contain_text("Ready, 2/2")
    clerk_audit.check()

    for audit in (investor_audit, clerk_audit, public_audit):
        audit.assert_all_checked()
