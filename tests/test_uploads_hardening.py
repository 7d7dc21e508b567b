"""Uploads against hostile files: zip bombs dressed as DOCX, names that are paths, downloads
that must stay attachments, and the virus scanner (a real INSTREAM server, in a thread)."""

from __future__ import annotations

import io
import logging
import os
import re
import shutil
import socket
import socketserver
import struct
import tempfile
import threading
import warnings
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import func, select
from werkzeug.http import parse_options_header

from dispute_portal.cases import contents, names, uploads
from dispute_portal.cases.models import Case, Document
from dispute_portal.proceedings.models import Submission
from dispute_portal.rulings.models import Ruling
from dispute_portal.workflow.states import CaseState

from .factories import docx_bytes, pdf_bytes

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
MIB = 2**20
REFUSED_DOCX = "This DOCX file was refused"
NOT_ACCEPTED = "not a PDF, DOCX, PNG or JPEG"


# --- helpers -----------------------------------------------------------------------------


def _draft(factory, session, login_as):
    browser, investor = login_as("investor")
    case = factory.case(CaseState.DRAFT, claimant=investor, complete=False)
    session.commit()
    return browser, case


def _upload(browser, case: Case, data: bytes, name: str = "claim.docx"):
    return browser.post(
        f"/cases/{case.id}/documents",
        {"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def _files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def _documents(session, case: Case) -> int:
    return session.scalar(select(func.count()).where(Document.case_id == case.id))


def _zip(members: list[tuple[str, bytes]], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "Duplicate name": we mean it
        with zipfile.ZipFile(buf, "w", compression=method) as zf:
            for name, data in members:
                zf.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return buf.getvalue()


BASE = [
    ("[Content_Types].xml", b'<?xml version="1.0"?><Types/>'),
    ("word/document.xml", b'<?xml version="1.0"?><w:document/>'),
]


def _docx(*extra: tuple[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    return _zip(BASE + list(extra), method)


def _patch_central(data: bytes, name: str, **fields: int) -> bytes:
    """Rewrite fields of `name`'s central directory entry: what a forger controls."""
    offsets = {"flags": (8, "<H"), "csize": (20, "<L"), "usize": (24, "<L"), "offset": (42, "<L")}
    buf = bytearray(data)
    at = buf.find(b"PK\x01\x02")
    while at >= 0:
        name_len, extra_len, comment_len = struct.unpack("<3H", buf[at + 28 : at + 34])
        if bytes(buf[at + 46 : at + 46 + name_len]) == name.encode():
            for field, value in fields.items():
                offset, fmt = offsets[field]
                struct.pack_into(fmt, buf, at + offset, value)
            return bytes(buf)
        at = buf.find(b"PK\x01\x02", at + 46 + name_len + extra_len + comment_len)
    raise AssertionError(f"{name} not in the central directory")


def _local_offset(data: bytes, name: str) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.getinfo(name).header_offset


def _overlapping() -> bytes:
    """Two members whose data is the same bytes: the 'overlapping files' zip bomb."""
    data = _docx(("word/media/a.bin", b"x" * 5000), ("word/media/b.bin", b"y" * 5000))
    return _patch_central(data, "word/media/b.bin", offset=_local_offset(data, "word/media/a.bin"))


def _eocd_count(data: bytes, count: int) -> bytes:
    buf = bytearray(data)
    at = buf.rfind(b"PK\x05\x06")
    struct.pack_into("<HH", buf, at + 8, count, count)
    return bytes(buf)


# --- type by content, and DOCX zip bombs -------------------------------------------------


def test_an_ordinary_docx_is_accepted(factory, session, login_as, upload_dir):
    browser, case = _draft(factory, session, login_as)
    assert _upload(browser, case, docx_bytes()).status_code == 302
    session.expire_all()
    assert case.documents[0].content_type == names.DOCX


def test_a_large_but_honest_docx_is_accepted(factory, session, login_as, upload_dir):
    # 1.5 MB of text that packs 2:1, and 1,500 parts: far from every limit.
    text = os.urandom(768 * 1024).hex().encode()
    parts = [(f"word/media/p{i}.xml", b"<p/>") for i in range(1500)]
    browser, case = _draft(factory, session, login_as)
    response = _upload(browser, case, _docx(("word/big.xml", text), *parts))
    assert response.status_code == 302, response.get_data(as_text=True)


BOMBS: dict[str, Callable[[], bytes]] = {
    # 110 entries of 1 MB of zeros: 110 MB unpacked from ~110 KB (each under the ratio floor)
    "total_uncompressed": lambda: _docx(*[(f"word/z{i}.bin", b"\0" * MIB) for i in range(110)]),
    # a central directory that lies: 3 GB declared for a few bytes
    "declared_size": lambda: _patch_central(docx_bytes(), "word/document.xml", usize=3 * 2**30),
    "entry_count": lambda: _docx(*[(f"word/e{i}.xml", b"") for i in range(2001)]),
    "entry_count_in_end_record": lambda: _eocd_count(docx_bytes(), 60000),
    # 2 MB of zeros packed about 1000:1
    "ratio": lambda: _docx(("word/media/image1.png", b"\0" * (2 * MIB))),
    "overlapping_members": _overlapping,
    "dot_dot_member": lambda: _docx(("../../../../etc/cron.d/evil", b"* * * * * x")),
    "dot_dot_inside": lambda: _docx(("word/../../evil.sh", b"x")),
    "absolute_member": lambda: _docx(("/etc/passwd", b"x")),
    "backslash_member": lambda: _docx(("..\\..\\Windows\\evil.dll", b"x")),
    "drive_member": lambda: _docx(("C:/Windows/evil.dll", b"x")),
    "duplicate_member": lambda: _docx(("word/document.xml", b"<other/>")),
    "encrypted_member": lambda: _patch_central(docx_bytes(), "word/document.xml", flags=0x1),
    "bzip2_member": lambda: _docx(("word/x.xml", b"x" * 1000), method=zipfile.ZIP_BZIP2),
}


@pytest.mark.parametrize("kind", sorted(BOMBS))
def test_a_hostile_docx_is_refused_and_leaves_nothing(kind, factory, session, login_as, upload_dir):
    data = BOMBS[kind]()
    assert len(data) < 2 * MIB  # small files: the danger is what they declare
    browser, case = _draft(factory, session, login_as)
    before = _files(upload_dir)
    response = _upload(browser, case, data)
    assert response.status_code == 400
    assert REFUSED_DOCX in response.get_data(as_text=True)
    assert "100 MB" in response.get_data(as_text=True)
    assert _files(upload_dir) == before
    assert _documents(session, case) == 0


def test_the_zip_bomb_check_reads_only_the_central_directory(monkeypatch, tmp_path):
    """Nothing is unpacked: refusing a bomb never opens a member."""
    path = tmp_path / "bomb.docx"
    path.write_bytes(BOMBS["ratio"]())

    def no_unpacking(*_args, **_kwargs):
        raise AssertionError("a member was opened")

    monkeypatch.setattr(zipfile.ZipFile, "open", no_unpacking)
    with pytest.raises(contents.UploadRejected):
        contents.check_docx(path, {})


def test_the_limits_come_from_the_configuration(tmp_path):
    path = tmp_path / "a.docx"
    path.write_bytes(_docx(*[(f"word/e{i}.xml", b"") for i in range(10)]))
    assert contents.check_docx(path, {"DOCX_MAX_ENTRIES": 12}) is True
    with pytest.raises(contents.UploadRejected):
        contents.check_docx(path, {"DOCX_MAX_ENTRIES": 11})
    path.write_bytes(_docx(("word/x.bin", b"\0" * 300_000)))
    assert contents.check_docx(path, {}) is True
    with pytest.raises(contents.UploadRejected):
        contents.check_docx(path, {"DOCX_MAX_UNCOMPRESSED_BYTES": 200_000})


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (_zip([("xl/workbook.xml", b"<x/>"), ("[Content_Types].xml", b"<T/>")]), "a spreadsheet"),
        (_zip([("word/document.xml", b"<d/>")]), "no content types"),
        (_zip([("mimetype", b"application/vnd.oasis.opendocument.text")]), "an ODT"),
        (docx_bytes()[:-10], "a cut zip"),
        (b"PK\x03\x04" + b"\0" * 100 + b"PK\x05\x06" + b"\xff" * 18, "a garbage end record"),
    ],
)
def test_zips_that_are_not_docx_are_not_accepted(data, why, factory, session, login_as, upload_dir):
    browser, case = _draft(factory, session, login_as)
    before = _files(upload_dir)
    response = _upload(browser, case, data)
    assert response.status_code == 400, why
    assert NOT_ACCEPTED in response.get_data(as_text=True)
    assert _files(upload_dir) == before and _documents(session, case) == 0


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "x.png"),
        (b"GIF89a\x01\x00\x01\x00" + b"\0" * 20, "x.jpg"),
        (b"\x7fELF\x02\x01\x01" + b"\0" * 60, "report.pdf"),
        (b"{\\rtf1 hello}", "claim.docx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old-word.doc"),
        (b"  %PDF-1.4\n%%EOF\n", "space-before.pdf"),
    ],
)
def test_the_type_is_judged_by_content_not_by_name(
    data, name, factory, session, login_as, upload_dir
):
    browser, case = _draft(factory, session, login_as)
    before = _files(upload_dir)
    response = _upload(browser, case, data, name)
    assert response.status_code == 400 and NOT_ACCEPTED in response.get_data(as_text=True)
    assert _files(upload_dir) == before and _documents(session, case) == 0


# --- file names --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("Statement of claim.pdf", "Statement of claim.pdf"),
        ("../../etc/passwd", "passwd"),
        ("..\\..\\Windows\\system32\\evil.pdf", "evil.pdf"),
        ("C:\\Users\\me\\Desktop\\claim.pdf", "claim.pdf"),
        ("/var/lib/portal/uploads/x.pdf", "x.pdf"),
        ('say "hi" <b>|x?*.pdf', "say _hi_ _b__x__.pdf"),
        ("line\r\nSet-Cookie: a=b.pdf", "lineSet-Cookie_ a=b.pdf"),
        ("nul\x00byte.pdf", "nulbyte.pdf"),
        ("tab\there.pdf", "tabhere.pdf"),
        ("evil\u202egpj.pdf", "evilgpj.pdf"),  # a right-to-left override disguises the type
        ("Отчёт №5 — итог.pdf", "Отчёт №5 — итог.pdf"),
        ("Қорытынды шешім.docx", "Қорытынды шешім.docx"),
        ("判决书.pdf", "判决书.pdf"),
        ("e\u0301te\u0301.pdf", "été.pdf"),  # one spelling (NFC) whatever the keyboard
        ("خلاصه\u200cی حکم.pdf", "خلاصه\u200cی حکم.pdf"),  # a Persian zero-width non-joiner stays
        ("CON", "_CON"),
        ("con.pdf", "_con.pdf"),
        ("LPT1.docx", "_LPT1.docx"),
        ("COM9 .pdf", "_COM9 .pdf"),
        ("CONSOLE.pdf", "CONSOLE.pdf"),
        ("report.pdf. . .", "report.pdf"),
        ("   spaced.pdf   ", "spaced.pdf"),
        ("...hidden.pdf", "hidden.pdf"),
        ("a\u2028b\u00a0c.pdf", "a b c.pdf"),
        ("", "document"),
        ("../..", "document"),
        ("\x00\x01\x02", "document"),
        (None, "document"),
    ],
)
def test_a_file_name_is_never_a_path(given, kept):
    assert names.safe_filename(given) == kept


@pytest.mark.parametrize("stem", ["x" * 400, "я" * 300, "💥" * 100])
def test_a_long_name_is_cut_to_255_bytes_keeping_its_extension(stem):
    name = names.safe_filename(stem + ".docx")
    assert len(name.encode("utf-8")) <= 255
    assert name.endswith(".docx") and name.startswith(stem[:10])


def _multipart(fields: list[tuple[str, str]], file_header: str, data: bytes) -> tuple[bytes, str]:
    boundary = "----portal-test-boundary"
    body = b""
    for key, value in fields:
        body += (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'
        ).encode()
    body += (
        (
            f"--{boundary}\r\nContent-Disposition: form-data; {file_header}\r\n"
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


@pytest.mark.parametrize(
    ("file_header", "kept"),
    [
        (r'name="file"; filename="../../\"quoted\" Отчёт.pdf"', "_quoted_ Отчёт.pdf"),
        (r'name="file"; filename="..\\..\\boot.ini.pdf"', "boot.ini.pdf"),
        # RFC 2231: the one way a raw CR LF reaches the application inside a file name
        (
            "name=\"file\"; filename*=UTF-8''"
            "..%2F..%2Fetc%2Fx%0D%0ASet-Cookie%3A%20a%22b%20%D0%AF.pdf",
            "xSet-Cookie_ a_b Я.pdf",
        ),
    ],
)
def test_a_hostile_name_in_the_upload_is_cleaned_and_the_file_gets_our_name(
    file_header, kept, factory, session, login_as, upload_dir
):
    browser, case = _draft(factory, session, login_as)
    outside = _files(upload_dir.parent)
    body, content_type = _multipart([("csrf_token", browser.csrf())], file_header, pdf_bytes())
    response = browser.client.post(
        f"/cases/{case.id}/documents", data=body, content_type=content_type
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    session.expire_all()
    document = case.documents[0]
    assert document.original_name == kept
    assert re.fullmatch(r"[0-9a-f]{32}\.pdf", document.stored_name)
    assert (upload_dir / document.stored_name).read_bytes() == pdf_bytes()
    assert _files(upload_dir.parent) == outside  # nothing written beside the upload directory


def _disposition(response) -> tuple[str, dict[str, str]]:
    header = response.headers["Content-Disposition"]
    assert "\r" not in header and "\n" not in header
    return parse_options_header(header)


def test_a_download_is_an_attachment_with_its_name_safely_encoded(factory, session, login_as):
    browser, investor = login_as("investor")
    case = factory.case(CaseState.DRAFT, claimant=investor, complete=False)
    hostile = '../../etc/"quoted"\r\nX-Evil: 1 <b> Отчёт ü.pdf'
    document = factory.add_document(case, pdf_bytes(), name=hostile)
    session.commit()
    assert document.original_name == "_quoted_X-Evil_ 1 _b_ Отчёт ü.pdf"
    response = browser.get(f"/cases/{case.id}/documents/{document.id}")
    assert response.status_code == 200 and response.data == pdf_bytes()
    assert response.mimetype == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    kind, params = _disposition(response)
    assert kind == "attachment"
    assert params["filename"] == document.original_name  # RFC 5987 filename*, decoded
    raw = response.headers["Content-Disposition"]
    assert "filename*=UTF-8''" + quote(document.original_name, safe="!#$&+-.^_`|~") in raw
    assert "../" not in raw and "<" not in raw


def test_a_name_stored_before_cleaning_is_cleaned_on_the_way_out(factory, session, login_as):
    """Even a name stored before cleaning existed (with quotes) is offered cleaned,
    in one parameter: the download's name is made from the stored one each time."""
    browser, investor = login_as("investor")
    case = factory.case(CaseState.DRAFT, claimant=investor, complete=False)
    document = factory.add_document(case, pdf_bytes())
    document.original_name = 'a "b" c.pdf'
    session.commit()
    response = browser.get(f"/cases/{case.id}/documents/{document.id}")
    kind, params = _disposition(response)
    assert kind == "attachment" and params["filename"] == "a _b_ c.pdf"


def test_a_ruling_download_is_an_attachment_too(factory, session, login_as):
    browser, investor = login_as("investor")
    case = factory.case(CaseState.SUBMITTED, claimant=investor)
    session.commit()
    ruling = session.scalars(
        select(Ruling).where(Ruling.case_id == case.id, Ruling.kind == "filing_receipt")
    ).one()
    response = browser.get(f"/cases/{case.id}/rulings/{ruling.id}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    kind, params = _disposition(response)
    assert kind == "attachment" and params["filename"] == ruling.filename


# --- the virus scanner -------------------------------------------------------------------


class _Clamd(socketserver.BaseRequestHandler):
    """Just enough of clamd: zINSTREAM, 4-byte big-endian lengths, a zero-length end."""

    def handle(self) -> None:
        server = self.server
        reader = self.request.makefile("rb")
        command = b""
        while not command.endswith(b"\0"):
            byte = reader.read(1)
            if not byte:
                return
            command += byte
        server.commands.append(command)
        if command != b"zINSTREAM\0":
            self.request.sendall(b"UNKNOWN COMMAND\0")
            return
        data = bytearray()
        while True:
            (length,) = struct.unpack("!L", reader.read(4))
            if length == 0:
                break
            server.chunks.append(length)
            data += reader.read(length)
        server.streams.append(bytes(data))
        if server.silent.is_set():
            server.release.wait(5)  # a scanner that never answers
            return
        reply = server.reply or (
            b"stream: Eicar-Test-Signature FOUND\0" if EICAR in data else b"stream: OK\0"
        )
        self.request.sendall(reply)


def _prepare(server) -> None:
    server.commands, server.streams, server.chunks = [], [], []
    server.reply = None
    server.silent, server.release = threading.Event(), threading.Event()


class _TCPClamd(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class _UnixClamd(socketserver.ThreadingUnixStreamServer):
    daemon_threads = True


@pytest.fixture
def clamd(app, monkeypatch) -> Iterator[socketserver.BaseServer]:
    """A clamd-speaking server on 127.0.0.1, configured as the portal's scanner."""
    server = _TCPClamd(("127.0.0.1", 0), _Clamd)
    _prepare(server)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setitem(app.config, "CLAMD_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "CLAMD_PORT", server.server_address[1])
    monkeypatch.setitem(app.config, "CLAMD_TIMEOUT", 5)
    try:
        yield server
    finally:
        server.release.set()
        server.shutdown()
        server.server_close()


@pytest.fixture
def clamd_socket(app, monkeypatch) -> Iterator[socketserver.BaseServer]:
    directory = tempfile.mkdtemp(prefix="clamd-")  # short: a unix socket path has 108 bytes
    server = _UnixClamd(os.path.join(directory, "clamd.sock"), _Clamd)
    _prepare(server)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setitem(app.config, "CLAMD_SOCKET", server.server_address)
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        shutil.rmtree(directory, ignore_errors=True)


def _infected_pdf() -> bytes:
    return pdf_bytes("attachment " + EICAR.decode())


def test_a_clean_file_is_streamed_to_the_scanner_and_kept(clamd, factory, session, login_as):
    browser, case = _draft(factory, session, login_as)
    data = pdf_bytes("x" * 200_000)  # several INSTREAM chunks
    assert _upload(browser, case, data, "clean.pdf").status_code == 302
    assert clamd.commands == [b"zINSTREAM\0"]
    assert clamd.streams == [data]
    assert len(clamd.chunks) > 1 and max(clamd.chunks) <= uploads.CHUNK
    assert _documents(session, case) == 1


@pytest.mark.parametrize("via", ["tcp", "unix"])
def test_an_infected_file_is_refused_before_it_is_stored(
    via, request, factory, session, login_as, upload_dir, caplog
):
    server = request.getfixturevalue("clamd" if via == "tcp" else "clamd_socket")
    browser, case = _draft(factory, session, login_as)
    before = _files(upload_dir)
    with caplog.at_level(logging.WARNING, logger=uploads.__name__):
        response = _upload(browser, case, _infected_pdf(), "invoice.pdf")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "The virus scanner found Eicar-Test-Signature in this file" in page
    assert server.streams == [_infected_pdf()]
    assert _files(upload_dir) == before  # no file (not even a temporary one) ...
    assert _documents(session, case) == 0  # ... and no row
    assert not [e for e in session.get(Case, case.id).events if e.action == "add_document"]
    assert "Eicar-Test-Signature" in caplog.text


def test_an_infected_file_in_a_submission_stores_nothing_of_the_submission(
    clamd, factory, session, login_as, upload_dir
):
    browser, investor = login_as("investor")
    case = factory.case(CaseState.REGISTERED, claimant=investor)
    session.commit()
    before = _files(upload_dir)
    response = browser.post(
        f"/cases/{case.id}/submissions/new",
        {
            "version": str(case.version),
            "title": "Exhibits",
            "file_1": (io.BytesIO(pdf_bytes()), "clean.pdf"),
            "visibility_1": "parties",
            "file_2": (io.BytesIO(_infected_pdf()), "exhibit.pdf"),
            "visibility_2": "parties",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 400  # the reason is beside the file it is about
    page = response.get_data(as_text=True)
    assert "Eicar-Test-Signature" in page[page.index('id="file_2-error"') :]
    assert _files(upload_dir) == before  # the clean file of the same request went too
    assert session.scalar(select(func.count()).where(Submission.case_id == case.id)) == 0
    assert _documents(session, case) == 1  # the claim's own document only


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("where", ["tcp", "unix"])
def test_an_unreachable_scanner_refuses_uploads(
    where, app, monkeypatch, factory, session, login_as, upload_dir, caplog, tmp_path
):
    if where == "tcp":
        monkeypatch.setitem(app.config, "CLAMD_HOST", "127.0.0.1")
        monkeypatch.setitem(app.config, "CLAMD_PORT", _closed_port())
    else:
        monkeypatch.setitem(app.config, "CLAMD_SOCKET", str(tmp_path / "no-clamd.sock"))
    browser, case = _draft(factory, session, login_as)
    before = _files(upload_dir)
    with caplog.at_level(logging.ERROR, logger=uploads.__name__):
        response = _upload(browser, case, pdf_bytes(), "claim.pdf")
    assert response.status_code == 400
    assert "the scanner is not available" in response.get_data(as_text=True)
    assert _files(upload_dir) == before and _documents(session, case) == 0
    assert "unreachable" in caplog.text


def test_a_scanner_error_refuses_the_upload(clamd, factory, session, login_as, upload_dir):
    clamd.reply = b"INSTREAM size limit exceeded. ERROR\0"
    browser, case = _draft(factory, session, login_as)
    before = _files(upload_dir)
    response = _upload(browser, case, pdf_bytes(), "claim.pdf")
    assert response.status_code == 400
    assert "the scanner is not available" in response.get_data(as_text=True)
    assert _files(upload_dir) == before and _documents(session, case) == 0


def test_a_scanner_that_does_not_answer_refuses_the_upload(
    clamd, app, monkeypatch, factory, session, login_as, upload_dir
):
    clamd.silent.set()
    monkeypatch.setitem(app.config, "CLAMD_TIMEOUT", 0.5)
    browser, case = _draft(factory, session, login_as)
    before = _files(upload_dir)
    response = _upload(browser, case, pdf_bytes(), "claim.pdf")
    assert response.status_code == 400
    assert "the scanner is not available" in response.get_data(as_text=True)
    assert _files(upload_dir) == before and _documents(session, case) == 0


def test_without_a_configured_scanner_nothing_is_scanned(app):
    assert uploads.scanner_address(app.config) is None
    assert uploads.scanner_address({"CLAMD_SOCKET": "/run/clamd.sock"}) == "/run/clamd.sock"
    assert uploads.scanner_address({"CLAMD_HOST": "av", "CLAMD_PORT": 3310}) == ("av", 3310)
