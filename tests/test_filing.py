"""The filing journey through the views, and every kind of bad input on the way."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from dispute_portal.cases.models import Case, Document
from dispute_portal.workflow.states import CaseState

from .conftest import hidden
from .factories import docx_bytes, jpeg_bytes, pdf_bytes, png_bytes

SECTIONS = {
    "claimant": {
        "kind": "company",
        "name": "Steppe Solar LLP",
        "country": "KZ",
        "address": "Al-Farabi 1",
        "email": "legal@steppe.kz",
        "publication_consent": "refused",
    },
    "respondent": {"kind": "state_body", "name": "Akimat of Alatau City"},
    "investment": {
        "project_name": "Solar park",
        "sector": "energy",
        "location": "Zone 3",
        "amount_invested": "1 500 000,50",
        "invested_currency": "USD",
    },
    "dispute": {
        "summary": "Lease terminated.",
        "measures": "Termination.",
        "legal_basis": "treaty",
        "legal_basis_ref": "KZ-NL BIT Art. 5",
        "relief_sought": "Damages.",
        "amount_claimed": "2,000,000.00",
        "claimed_currency": "EUR",
        "language": "ru",
    },
}


def _new_case(browser, session, token="tok-1") -> Case:
    response = browser.post("/cases/new", {"client_token": token})
    assert response.status_code == 302
    case_id = int(re.search(r"/cases/(\d+)/edit/claimant", response.location).group(1))
    return session.get(Case, case_id)


def _upload(browser, case, data: bytes, name: str = "claim.pdf"):
    return browser.post(
        f"/cases/{case.id}/documents",
        {"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def _fill(browser, case):
    for section, data in SECTIONS.items():
        response = browser.post(f"/cases/{case.id}/edit/{section}", data | {"continue": "1"})
        assert response.status_code == 302, response.get_data(as_text=True)


def _files(upload_dir):
    return sorted(p.name for p in upload_dir.iterdir())


def test_the_whole_filing_journey(login_as, session, upload_dir):
    browser, investor = login_as("investor")
    case = _new_case(browser, session)
    assert case.state is CaseState.DRAFT and case.claimant_user_id == investor.id
    _fill(browser, case)
    response = _upload(browser, case, pdf_bytes(), "Statement of claim.pdf")
    assert response.status_code == 302
    session.expire_all()
    assert case.missing_sections() == []
    assert case.claimant.name == "Steppe Solar LLP"
    assert str(case.amount_invested) == "1500000.50" and str(case.amount_claimed) == "2000000.00"
    assert case.legal_basis.value == "treaty" and case.language == "ru"
    document = case.documents[0]
    assert document.original_name == "Statement of claim.pdf"
    assert document.content_type == "application/pdf" and document.size == len(pdf_bytes())
    assert (upload_dir / document.stored_name).read_bytes() == pdf_bytes()
    assert document.stored_name != document.original_name and document.stored_name.endswith(".pdf")

    review = browser.get(f"/cases/{case.id}/submit")
    form_version = hidden(review.text)
    response = browser.post(f"/cases/{case.id}/submit", {"version": form_version})
    assert response.location == f"/cases/{case.id}/filed"
    confirmation = browser.get(response.location).get_data(as_text=True)
    assert "Your claim has been submitted" in confirmation
    session.expire_all()
    assert case.state is CaseState.SUBMITTED
    submitted = case.last_event("submit")
    almaty = submitted.at.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Almaty"))
    assert f"{almaty:%H:%M}" in confirmation and str(almaty.year) in confirmation
    assert submitted.actor_id == investor.id


def test_the_confirmation_offers_the_filing_receipt(login_as, session):
    browser, _ = login_as("investor")
    case = _new_case(browser, session)
    _fill(browser, case)
    _upload(browser, case, pdf_bytes(), "Statement of claim.pdf")
    review = browser.get(f"/cases/{case.id}/submit")
    response = browser.post(f"/cases/{case.id}/submit", {"version": hidden(review.text)})
    confirmation = browser.get(response.location).get_data(as_text=True)
    link = re.search(
        r'<a[^>]* href="(/cases/\d+/rulings/\d+)"[^>]*>Download the filing receipt \(PDF\)</a>',
        confirmation,
    )
    assert link, confirmation
    receipt = browser.get(link.group(1))
    assert receipt.status_code == 200 and receipt.mimetype == "application/pdf"
    assert receipt.headers["Content-Disposition"].startswith("attachment;")
    assert f"{case.reference}-filing_receipt-" in receipt.headers["Content-Disposition"]
    # The same access policy as on the case page: another investor finds nothing there.
    stranger, _ = login_as("investor")
    assert stranger.get(link.group(1)).status_code == 404


def test_section_forms_show_saved_values(login_as, session):
    browser, _ = login_as("investor")
    case = _new_case(browser, session)
    browser.post(f"/cases/{case.id}/edit/investment", SECTIONS["investment"])
    page = browser.get(f"/cases/{case.id}/edit/investment").get_data(as_text=True)
    assert 'value="Solar park"' in page and 'value="1500000.50"' in page


def test_a_draft_can_be_saved_incomplete(login_as, session):
    browser, _ = login_as("investor")
    case = _new_case(browser, session)
    response = browser.post(f"/cases/{case.id}/edit/investment", {"project_name": "Only this"})
    assert response.status_code == 302
    session.expire_all()
    assert case.project_name == "Only this" and "investment" in case.missing_sections()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("amount_invested", "lots", "Enter an amount"),
        ("amount_invested", "-5", "Enter an amount"),
        ("amount_invested", "10.555", "two decimal places"),
        ("invested_currency", "GBP", "Not a valid choice"),
        # The register counts cases by sector: only the list's, never free text.
        ("sector", "Renewable energy", "Not a valid choice"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_saved(login_as, session, field, value, message):
    browser, _ = login_as("investor")
    case = _new_case(browser, session)
    data = SECTIONS["investment"] | {field: value}
    response = browser.post(f"/cases/{case.id}/edit/investment", data)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    session.expire_all()
    assert case.project_name is None


def test_bad_email_is_refused(login_as, session):
    browser, _ = login_as("investor")
    case = _new_case(browser, session)
    data = SECTIONS["claimant"] | {"email": "not-an-email"}
    response = browser.post(f"/cases/{case.id}/edit/claimant", data)
    assert "Invalid email address" in response.get_data(as_text=True)
    session.expire_all()
    assert case.claimant.name is None


def test_double_clicked_new_claim_makes_one_case(login_as, session):
    browser, investor = login_as("investor")
    first = _new_case(browser, session, token="same")
    second = _new_case(browser, session, token="same")
    assert first.id == second.id
    count = session.scalar(select(func.count()).where(Case.claimant_user_id == investor.id))
    assert count == 1


def test_only_investors_file_claims(login_as):
    for role in ("clerk", "mediator", "admin", "respondent"):
        browser, _ = login_as(role)
        assert browser.post("/cases/new", {"client_token": role}).status_code == 403


@pytest.mark.parametrize(
    ("data", "name", "content_type"),
    [
        (pdf_bytes(), "a.pdf", "application/pdf"),
        (
            docx_bytes(),
            "b.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (png_bytes(), "c.png", "image/png"),
        (jpeg_bytes(), "d.jpeg", "image/jpeg"),
        (pdf_bytes(), "no-extension", "application/pdf"),
    ],
)
def test_accepted_document_types(login_as, session, data, name, content_type):
    browser, _ = login_as("investor")
    case = _new_case(browser, session)
    assert _upload(browser, case, data, name).status_code == 302
    session.expire_all()
    assert case.documents[0].content_type == content_type
    import hashlib

    assert case.documents[0].sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"MZ\x90\x00" + b"\x00" * 100, "invoice.pdf", "not a PDF, DOCX, PNG or JPEG"),
        (b"<html><script>alert(1)</script></html>", "claim.pdf", "not a PDF, DOCX, PNG or JPEG"),
        (b"%PDF-1.4 truncated without an end", "claim.pdf", "it is damaged, has no pages"),
        (b"PK\x03\x04 not really a zip", "claim.docx", "not a PDF, DOCX, PNG or JPEG"),
        (b"", "empty.pdf", "empty"),
    ],
)
def test_rejected_upload_leaves_no_file_and_no_row(
    login_as, session, upload_dir, data, name, message
):
    browser, _ = login_as("investor")
    case = _new_case(browser, session)
    before = _files(upload_dir)
    response = _upload(browser, case, data, name)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _files(upload_dir) == before
    assert session.scalar(select(func.count()).where(Document.case_id == case.id)) == 0


def test_oversize_upload_gets_a_readable_413_and_leaves_nothing(app, login_as, session, upload_dir):
    browser, _ = login_as("investor")
    case = _new_case(browser, session)
    before = _files(upload_dir)
    big = pdf_bytes() + b"0" * (app.config["MAX_UPLOAD_BYTES"] + app.config["MAX_CONTENT_LENGTH"])
    response = _upload(browser, case, big)
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "File too large" in page and f"{app.config['MAX_UPLOAD_BYTES'] // 2**20} MB" in page
    assert _files(upload_dir) == before
    assert session.scalar(select(func.count()).where(Document.case_id == case.id)) == 0


def test_file_over_the_document_limit_but_under_the_request_limit(
    app, login_as, session, upload_dir
):
    browser, _ = login_as("investor")
    case = _new_case(browser, session)
    before = _files(upload_dir)
    data = b"%PDF-1.4\n" + b"0" * app.config["MAX_UPLOAD_BYTES"] + b"\n%%EOF\n"
    response = _upload(browser, case, data)
    assert response.status_code == 400 and "larger than" in response.get_data(as_text=True)
    assert _files(upload_dir) == before


def test_upload_without_a_file_says_so(login_as, session):
    browser, _ = login_as("investor")
    case = _new_case(browser, session)
    response = browser.post(f"/cases/{case.id}/documents", {}, content_type="multipart/form-data")
    assert response.status_code == 400 and "Choose a file" in response.get_data(as_text=True)


def test_removing_a_document_deletes_row_and_file(login_as, session, upload_dir):
    browser, _ = login_as("investor")
    case = _new_case(browser, session)
    _upload(browser, case, pdf_bytes())
    session.expire_all()
    document = case.documents[0]
    path = upload_dir / document.stored_name
    assert path.exists()
    # A form without the version it was rendered from removes nothing…
    response = browser.post(f"/cases/{case.id}/documents/{document.id}/delete")
    assert response.status_code == 400
    session.expire_all()
    assert len(case.documents) == 1 and path.exists()
    # …nor does one from a page rendered before the case changed…
    stale = browser.post(
        f"/cases/{case.id}/documents/{document.id}/delete", {"version": str(case.version - 1)}
    )
    assert stale.status_code == 409 and "changed since you opened it" in stale.text
    session.expire_all()
    assert len(case.documents) == 1 and path.exists()
    # …the form of the page as it is does.
    page = browser.get(f"/cases/{case.id}/documents").get_data(as_text=True)
    assert f'name="version" value="{case.version}"' in page
    response = browser.post(
        f"/cases/{case.id}/documents/{document.id}/delete", {"version": str(case.version)}
    )
    assert response.status_code == 302
    session.expire_all()
    assert case.documents == [] and not path.exists()


def test_incomplete_claim_cannot_be_submitted(login_as, session):
    browser, _ = login_as("investor")
    case = _new_case(browser, session)
    page = browser.get(f"/cases/{case.id}/submit").get_data(as_text=True)
    assert "Before you can submit" in page and "Submit the claim</button>" not in page
    response = browser.post(f"/cases/{case.id}/submit", {"version": str(case.version)})
    assert response.status_code == 409
    assert "The claim is incomplete" in response.get_data(as_text=True)
    session.expire_all()
    assert case.state is CaseState.DRAFT


def test_double_clicked_submit_submits_once(login_as, session):
    browser, _ = login_as("investor")
    case = _new_case(browser, session)
    _fill(browser, case)
    _upload(browser, case, pdf_bytes())
    session.expire_all()
    version = str(case.version)
    first = browser.post(f"/cases/{case.id}/submit", {"version": version})
    second = browser.post(f"/cases/{case.id}/submit", {"version": version})
    assert first.location.endswith("/filed")
    # The second click finds the claim already filed: it lands on the same receipt page.
    assert second.status_code == 302 and second.location.endswith("/filed")
    session.expire_all()
    assert [e.action for e in case.events].count("submit") == 1


def test_submitted_claim_cannot_be_edited(factory, login_as, session):
    case = factory.case(CaseState.SUBMITTED)
    session.commit()
    browser, _ = login_as("investor", user=case.claimant_user)
    assert browser.get(f"/cases/{case.id}/edit/claimant").status_code == 403
    response = browser.post(f"/cases/{case.id}/edit/investment", SECTIONS["investment"])
    assert response.status_code == 403
    assert _upload(browser, case, pdf_bytes()).status_code == 403


def test_every_post_needs_a_csrf_token(login_as, session):
    browser, _ = login_as("investor")
    case = _new_case(browser, session)
    response = browser.post(f"/cases/{case.id}/edit/investment", SECTIONS["investment"], csrf=False)
    assert response.status_code == 400 and "did not come from this site" in response.text
    bad = browser.post(
        f"/cases/{case.id}/edit/investment",
        SECTIONS["investment"] | {"csrf_token": "forged"},
        csrf=False,
    )
    assert bad.status_code == 400
    session.expire_all()
    assert case.project_name is None


def test_my_cases_lists_own_cases_with_the_next_step(factory, login_as, session):
    mine = factory.case(CaseState.RETURNED)
    theirs = factory.case(CaseState.SUBMITTED)
    session.commit()
    browser, _ = login_as("investor", user=mine.claimant_user)
    page = browser.get("/cases/").get_data(as_text=True)
    assert mine.reference in page and "Returned for amendment" in page
    assert "Read the reason, amend the claim" in page
    assert theirs.reference not in page


def test_returned_claim_shows_the_reason_and_can_be_resubmitted(factory, login_as, session):
    case = factory.case(CaseState.RETURNED)
    session.commit()
    browser, _ = login_as("investor", user=case.claimant_user)
    assert "Attach the agreement." in browser.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Attach the agreement." in browser.get(f"/cases/{case.id}/edit/claimant").text
    response = browser.post(f"/cases/{case.id}/submit", {"version": str(case.version)})
    assert response.location.endswith("/filed")
    session.expire_all()
    assert case.state is CaseState.SUBMITTED


def test_case_page_shows_timeline_and_documents(factory, login_as, session):
    case = factory.case(CaseState.REGISTERED)
    session.commit()
    browser, _ = login_as("investor", user=case.claimant_user)
    page = browser.get(f"/cases/{case.id}").get_data(as_text=True)
    assert case.number in page
    for text in ("Claim submitted", "Case registered", "Document added", "claim.pdf"):
        assert text in page
