"""Optional PAdES signatures: configured, every issued ruling is signed; not, none claims to be."""

from __future__ import annotations

import io

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from dispute_portal.rulings import operations as rulings
from dispute_portal.rulings.signing import _signer
from dispute_portal.workflow.states import CaseState

from .test_rulings import _pdf, _text

pytestmark = pytest.mark.real_pdf  # these tests read the PDFs they make


@pytest.fixture
def demo_cert(app, tmp_path):
    out = tmp_path / "demo.p12"
    result = app.test_cli_runner().invoke(args=["rulings", "make-demo-cert", "--out", str(out)])
    assert result.exit_code == 0 and out.is_file(), result.output
    return out


@pytest.fixture
def signing(app, demo_cert, monkeypatch):
    monkeypatch.setitem(app.config, "SIGNING_CERT", str(demo_cert))
    yield demo_cert


def test_with_a_certificate_rulings_are_signed_before_hashing(signing, factory, session, browser):
    case = factory.case(CaseState.SUBMITTED)
    ruling = rulings.case_rulings(case)[0]
    pdf = _pdf(session, ruling)
    assert ruling.signed and ruling.values["signed_by"] == "IDRC Alatau City Registry (DEMO)"
    assert "Signed electronically (PAdES) by IDRC Alatau City Registry (DEMO)" in _text(pdf)
    reader = PdfFileReader(io.BytesIO(pdf))
    (embedded,) = reader.embedded_signatures
    root = _signer(str(signing), None).signing_cert
    status = validate_pdf_signature(embedded, ValidationContext(trust_roots=[root]))
    assert status.intact and status.valid and status.coverage.name == "ENTIRE_FILE"
    session.commit()
    upload = browser.post(
        "/verify", {"file": (io.BytesIO(pdf), "r.pdf")}, content_type="multipart/form-data"
    )
    assert "The file is exactly the one the centre issued." in upload.get_data(as_text=True)


def test_without_a_certificate_nothing_claims_a_signature(factory, session, app):
    assert app.config["SIGNING_CERT"] is None
    case = factory.case(CaseState.SUBMITTED)
    ruling = rulings.case_rulings(case)[0]
    pdf = _pdf(session, ruling)
    assert not ruling.signed and ruling.values["signed_by"] is None
    assert "Signed" not in _text(pdf) and "signed" not in _text(pdf)
    assert PdfFileReader(io.BytesIO(pdf)).embedded_signatures == []
