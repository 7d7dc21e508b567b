"""Rulings: issued on transitions, rendered to PDF/A in the case's language, immutable,
verifiable by anyone, fetched through a locked-down fetcher."""

from __future__ import annotations

import datetime as dt
import io
import re
import socket

import pypdf
import pytest
from sqlalchemy import select

from dispute_portal.cases import operations as cases
from dispute_portal.registry import operations as registry
from dispute_portal.rulings import operations as rulings
from dispute_portal.rulings.kinds import KINDS
from dispute_portal.rulings.models import Ruling
from dispute_portal.rulings.render import LockedFetcher, render_html, render_pdf
from dispute_portal.workflow.states import CaseState

from .factories import COMPLETE_CLAIM

pytestmark = pytest.mark.real_pdf  # these tests read the PDFs they make


def _pdf(session, ruling) -> bytes:
    return rulings.ruling_pdf(session, ruling)


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def _rulings(session, case) -> list[Ruling]:
    return rulings.case_rulings(case)


def test_submission_issues_a_filing_receipt(factory, session):
    case = factory.case(CaseState.SUBMITTED, fee_settled=False)  # no payment's receipt after
    (receipt,) = _rulings(session, case)
    assert receipt.kind == "filing_receipt" and receipt.issued_by_id is None
    pdf = _pdf(session, receipt)
    import hashlib

    assert hashlib.sha256(pdf).hexdigest() == receipt.sha256 and len(pdf) == receipt.size
    text = _text(pdf)
    assert case.reference in text and "Filing receipt" in text
    assert rulings.display_code(receipt.verification_code) in text
    assert "claim.pdf" in text  # the documents received are listed
    event = case.last_event("issue_ruling")
    assert event.data["kind"] == "filing_receipt" and event.data["sha256"] == receipt.sha256


def test_pdf_is_pdf_a_3b_on_a4_with_embedded_fonts(factory, session):
    case = factory.case(CaseState.SUBMITTED)
    pdf = _pdf(session, _rulings(session, case)[0])
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp
    assert "/OutputIntents" in reader.trailer["/Root"]
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    fonts = reader.pages[0]["/Resources"]["/Font"]
    names = [f.get_object()["/BaseFont"] for f in fonts.values()]
    assert names and all("Portal-Serif" in n for n in names)  # our shipped font, embedded
    for font in fonts.values():
        font = font.get_object()
        descendant = (
            font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        )
        descriptor = descendant["/FontDescriptor"].get_object()
        assert {"/FontFile2", "/FontFile3"} & set(descriptor)  # the glyphs travel with the PDF


def test_registration_issues_a_notice_with_the_number(factory, session):
    case = factory.case(CaseState.REGISTERED)
    kinds = [r.kind for r in _rulings(session, case)]
    assert kinds == ["filing_receipt", "registration_notice"]
    notice = _rulings(session, case)[1]
    assert case.number in _text(_pdf(session, notice))
    assert notice.issued_by_name == case.last_event("register").actor_name


@pytest.mark.parametrize(
    ("state", "kind", "reason"),
    [
        (CaseState.RETURNED, "return_notice", "Attach the agreement."),
        (CaseState.DISMISSED, "inadmissibility_decision", "Not an investment dispute."),
    ],
)
def test_return_and_rejection_issue_notices_with_reasons(factory, session, state, kind, reason):
    case = factory.case(state)
    ruling = _rulings(session, case)[-1]
    assert ruling.kind == kind
    text = _text(_pdf(session, ruling))
    assert reason in text and ruling.values["reasons"] == reason


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ["Decision on inadmissibility", "dismissed as inadmissible"]),
        ("ru", ["неприемлем"]),
        ("kk", ["қабылдауға жатпайды"]),
    ],
)
def test_rulings_render_in_the_procedural_language(factory, session, language, words):
    claimant = factory.user("investor")
    case, _ = cases.create_draft(session, claimant=claimant)
    cases.save_section(
        case, COMPLETE_CLAIM | {"language": language, "claimant.name": "Әділет Құрылыс ЖШС"}
    )
    factory.add_document(case)
    cases.submit_claim(case, claimant=claimant)
    registry.reject_case(case, clerk=factory.user("clerk"), reason="Ұлттық заң — әғқңөұүһі")
    for ruling in _rulings(session, case):
        assert ruling.language == language
        text = _text(_pdf(session, ruling))
        assert "Әділет Құрылыс ЖШС" in text  # Kazakh letters survive in every language
    decision_text = _text(_pdf(session, _rulings(session, case)[-1]))
    assert "әғқңөұүһі" in decision_text
    for word in words:
        assert word in decision_text


def test_every_kind_has_a_template_in_every_language():
    from dispute_portal.rulings.render import TEMPLATES_DIR

    for kind in KINDS.values():
        for language in ("en", "ru", "kk"):
            assert (TEMPLATES_DIR / kind.template(language)).is_file()


def test_rendering_is_byte_reproducible(factory, session):
    case = factory.case(CaseState.SUBMITTED)
    ruling = _rulings(session, case)[0]
    html = render_html(KINDS[ruling.kind].template(ruling.language), ruling.values, ruling.language)
    assert render_pdf(html) == render_pdf(html) == _pdf(session, ruling)
    later = dict(ruling.values, issued_at_iso="2030-01-01T00:00:00Z")
    other = render_pdf(render_html(KINDS[ruling.kind].template("en"), later, "en"))
    assert other != _pdf(session, ruling)


def test_issued_rulings_never_change(factory, session):
    case = factory.case(CaseState.SUBMITTED)
    ruling = _rulings(session, case)[0]
    ruling.values = dict(ruling.values, reasons="rewritten")
    with pytest.raises(ValueError, match="never changes"):
        session.flush()
    session.rollback()


def test_a_correction_is_a_new_ruling_referring_to_the_old(factory, session):
    case = factory.case(CaseState.SUBMITTED)
    original = _rulings(session, case)[0]
    correction = rulings.issue_ruling(case, "filing_receipt", corrects=original)
    assert correction.corrects_id == original.id and correction.sha256 != original.sha256
    assert rulings.display_code(original.verification_code) in _text(_pdf(session, correction))


ATTACKS = (
    '<img src="file:///etc/passwd">\n\n'
    '<link rel=attachment href="file:///etc/passwd">\n\n'
    '<img src="http://169.254.169.254/latest/meta-data/">\n\n'
    "<style>@import url(http://169.254.169.254/x.css);</style>\n\n"
    "http://169.254.169.254/"
)


def _no_payload(pdf: bytes) -> None:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert "/Names" not in root or "/EmbeddedFiles" not in root["/Names"]
    assert "/AF" not in root
    for page in reader.pages:
        xobjects = page["/Resources"].get("/XObject", {})
        assert all(x.get_object().get("/Subtype") != "/Image" for x in xobjects.values())
    assert "root:x:0:0" not in _text(pdf)


def test_user_text_cannot_inject_markup_or_fetch_anything(factory, session, monkeypatch):
    attempts: list = []
    real_connect = socket.socket.connect

    def spy(sock, address):
        attempts.append(address)
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", spy)
    claimant = factory.user("investor")
    case, _ = cases.create_draft(session, claimant=claimant)
    cases.save_section(case, COMPLETE_CLAIM | {"claimant.name": '<img src="file:///etc/passwd">'})
    factory.add_document(case)
    cases.submit_claim(case, claimant=claimant)
    registry.reject_case(case, clerk=factory.user("clerk"), reason=ATTACKS)
    decision = _rulings(session, case)[-1]
    fetcher = LockedFetcher()
    html = render_html(KINDS[decision.kind].template("en"), decision.values, "en")
    pdf = render_pdf(html, fetcher)
    assert fetcher.refused == []  # the text was escaped: nothing even tried to load
    assert all(url.startswith("portal-static:fonts/") for url in fetcher.served)
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html and "<img" not in html
    _no_payload(pdf)
    _no_payload(_pdf(session, decision))
    assert '<img src="file:///etc/passwd">' in _text(pdf)  # shown as the text it is
    db_url = session.get_bind().engine.url
    assert all(a[1] == db_url.port for a in attempts if isinstance(a, tuple)), attempts


def test_the_fetcher_refuses_files_and_network_even_in_raw_html(monkeypatch):
    opened: list = []
    monkeypatch.setattr(socket.socket, "connect", lambda *a: opened.append(a))
    fetcher = LockedFetcher()
    pdf = render_pdf(
        "<html><head><link rel=attachment href='file:///etc/passwd'>"
        "<link rel=stylesheet href='http://169.254.169.254/x.css'></head><body>"
        "<img src='file:///etc/passwd'><img src='http://169.254.169.254/latest/'>"
        "<img src='portal-static:../../../etc/passwd'><p>x</p></body></html>",
        fetcher,
    )
    assert set(fetcher.refused) >= {
        "file:///etc/passwd",
        "http://169.254.169.254/x.css",
        "http://169.254.169.254/latest/",
        "portal-static:../../../etc/passwd",
    }
    assert fetcher.served == [] and opened == []
    _no_payload(pdf)


def test_verify_by_code_says_authentic_and_nothing_confidential(factory, session, browser):
    case = factory.case(CaseState.REGISTERED)
    session.commit()
    notice = _rulings(session, case)[-1]
    page = browser.get(f"/verify?code={notice.verification_code.lower()}").get_data(as_text=True)
    assert "Authentic" in page and "Not authentic" not in page
    assert "Registration notice" in page and case.number in page
    assert case.claimant.name not in page and case.respondent.name not in page
    typed = rulings.display_code(notice.verification_code).replace("0", "O")
    assert "Authentic" in browser.post("/verify", {"code": typed}).get_data(as_text=True)


def test_verify_by_file_and_one_byte_changed(factory, session, browser):
    case = factory.case(CaseState.SUBMITTED)
    session.commit()
    pdf = _pdf(session, _rulings(session, case)[0])

    def upload(data: bytes) -> str:
        return browser.post(
            "/verify",
            {"file": (io.BytesIO(data), "ruling.pdf")},
            content_type="multipart/form-data",
        ).get_data(as_text=True)

    assert "The file is exactly the one the centre issued." in upload(pdf)
    tampered = bytearray(pdf)
    tampered[len(pdf) // 2] ^= 0x01
    assert "Not authentic" in upload(bytes(tampered))
    assert "Not authentic" in upload(pdf + b"\n")


def test_verify_with_nothing_to_check_says_what_to_give(browser):
    response = browser.post("/verify", {"code": "  "})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Enter the verification code, or choose the PDF file to upload." in page
    assert "Authentic" not in page and "Not authentic" not in page


def test_a_files_verdict_does_not_keep_a_typed_code_in_the_box(factory, session, browser):
    case = factory.case(CaseState.SUBMITTED)
    session.commit()
    pdf = _pdf(session, _rulings(session, case)[0])
    page = browser.post(
        "/verify",
        {"code": "ZZZZ-ZZZZ-ZZZZ", "file": (io.BytesIO(pdf), "ruling.pdf")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert "The file is exactly the one the centre issued." in page
    assert "ZZZZ-ZZZZ-ZZZZ" not in page  # the verdict is the file's: the box is emptied


def test_unknown_code_is_not_authentic(browser):
    page = browser.get("/verify?code=ZZZZ-ZZZZ-ZZZZ").get_data(as_text=True)
    assert "Not authentic" in page and "No ruling of the centre has this verification code" in page


def test_qr_code_points_to_the_prefilled_verify_page(factory, session, app):
    case = factory.case(CaseState.SUBMITTED)
    ruling = _rulings(session, case)[0]
    assert ruling.values["verify_url"] == (
        f"{app.config['PUBLIC_BASE_URL']}/verify?code={ruling.verification_code}"
    )
    html = render_html(KINDS[ruling.kind].template("en"), ruling.values, "en")
    assert re.search(r"<svg[^>]*>", html)  # drawn inline, nothing to fetch


def test_cli_verify_and_export(factory, session, app, tmp_path):
    case = factory.case(CaseState.REGISTERED)
    session.commit()
    runner = app.test_cli_runner()
    exported = runner.invoke(args=["rulings", "export", case.number, str(tmp_path / "out")])
    assert exported.exit_code == 0, exported.output
    files = sorted((tmp_path / "out").iterdir())
    assert len(files) == 2
    ok = runner.invoke(args=["rulings", "verify", str(files[0])])
    assert ok.exit_code == 0 and "AUTHENTIC" in ok.output
    forged = tmp_path / "forged.pdf"
    forged.write_bytes(files[0].read_bytes().replace(b"%%EOF", b"%%EOF\n%"))
    bad = runner.invoke(args=["rulings", "verify", str(forged)])
    assert bad.exit_code == 1 and "NOT AUTHENTIC" in bad.output
    missing = runner.invoke(args=["rulings", "export", "ADR-1999-0001", str(tmp_path)])
    assert missing.exit_code != 0


PEOPLE = ("anonymous", "owner", "other_investor", "clerk", "mediator", "admin")
EXPECTED = ("login", 200, 404, 200, 404, 404)


@pytest.mark.parametrize(("who", "expected"), list(zip(PEOPLE, EXPECTED, strict=True)))
def test_ruling_downloads_follow_the_case_policy(factory, session, app, who, expected):
    from tests.conftest import Browser

    case = factory.case(CaseState.SUBMITTED)
    people = {
        "owner": case.claimant_user,
        "other_investor": factory.user("investor"),
        "clerk": factory.user("clerk"),
        "mediator": factory.user("mediator"),
        "admin": factory.user("admin"),
    }
    session.commit()
    ruling = _rulings(session, case)[0]
    browser = Browser(app)
    if who != "anonymous":
        browser.login(people[who])
    response = browser.get(f"/cases/{case.id}/rulings/{ruling.id}")
    if expected == "login":
        assert response.status_code == 302 and "/login" in response.location
    else:
        assert response.status_code == expected
    session.expire_all()
    downloads = [e for e in case.events if e.action == "download"]
    if expected == 200:
        assert response.data == _pdf(session, ruling)
        assert response.mimetype == "application/pdf"
        # Who downloaded which ruling, in the case's chain.
        assert [(e.actor_id, e.data["ruling_id"]) for e in downloads] == [
            (people[who].id, ruling.id)
        ]
        page = browser.get(f"/cases/{case.id}").get_data(as_text=True)
        assert "Decisions and notices" in page and "Filing receipt" in page
    else:
        assert downloads == []


def test_a_ruling_of_another_case_is_not_reachable_through_yours(factory, session, app):
    from tests.conftest import Browser

    mine = factory.case(CaseState.SUBMITTED)
    theirs = factory.case(CaseState.SUBMITTED)
    session.commit()
    browser = Browser(app)
    browser.login(mine.claimant_user)
    other = _rulings(session, theirs)[0]
    assert browser.get(f"/cases/{mine.id}/rulings/{other.id}").status_code == 404


def test_a_failed_transition_leaves_no_ruling_file(factory, session, app):
    from pathlib import Path

    case = factory.case(CaseState.SUBMITTED)
    session.commit()
    before = set(Path(app.config["RULINGS_DIR"]).iterdir())
    nested = session.begin_nested()
    factory.settle_lodging_fee(case, factory.user("clerk"))
    registry.register_case(session, case, clerk=factory.user("clerk"))
    nested.rollback()
    session.rollback()
    session.expire_all()
    count = session.scalar(select(Ruling.id).where(Ruling.case_id == case.id).limit(5))
    assert count is not None  # the receipt remains
    assert set(Path(app.config["RULINGS_DIR"]).iterdir()) == before


def test_issue_times_have_whole_seconds(factory, session):
    case = factory.case(CaseState.SUBMITTED)
    ruling = _rulings(session, case)[0]
    assert ruling.issued_at.microsecond == 0
    assert ruling.values["issued_at_iso"] == ruling.issued_at.astimezone(dt.UTC).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )


def test_cli_audit_reports_a_tampered_archive(factory, session, app):
    from pathlib import Path

    case = factory.case(CaseState.SUBMITTED)
    session.commit()
    runner = app.test_cli_runner()
    sound = runner.invoke(args=["rulings", "audit", "--workers", "1"])
    assert sound.exit_code == 0, sound.output
    assert "intact and reproducible" in sound.output
    ruling = _rulings(session, case)[0]
    path = Path(app.config["RULINGS_DIR"], ruling.stored_name)
    original = path.read_bytes()
    try:
        path.write_bytes(original[:-10] + b"tampered!\n")
        broken = runner.invoke(args=["rulings", "audit", "--workers", "1"])
    finally:
        path.write_bytes(original)
    assert broken.exit_code == 1 and case.reference in broken.output


@pytest.mark.parametrize("paragraphs", [4, 6, 8])
def test_the_last_page_never_holds_the_verification_block_alone(factory, session, paragraphs):
    """Reasons of these lengths fill the first page of an award up to its signature: the
    closing (the decision, the signature and the verification block) moves over whole."""
    case = factory.case(CaseState.AWARDED)
    values = rulings.ruling_values(
        case,
        "award",
        language="en",
        issued_at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
        code="ABCDABCDABCD",
        issuer_name="Aigerim Sole",
        issuer_role="Sole arbitrator",
        reasons="\n\n".join(["The tribunal finds this fact."] * paragraphs),
        corrects=None,
    )
    pdf = render_pdf(render_html(KINDS["award"].template("en"), values, "en"))
    pages = pypdf.PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) == 2  # the closing does not fit on the first page
    last = pages[-1].extract_text()
    assert "Verification code" in last
    assert "Aigerim Sole" in last and "THE TRIBUNAL DECIDES" in last
