"""Document uploads: streamed to disk under a server-made name, checked by content, hashed.

An upload is written to a temporary file (`files.part_path`), checked (size, type by its
bytes, a DOCX's zip structure, the virus scanner when one is configured) and only then given
its final name; a refused upload leaves nothing. The stored file then follows the
transaction (`files.delete_on_rollback`): it goes if the row that names it is not committed.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import secrets
import socket
import struct
import unicodedata
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from sqlalchemy.orm import Session

from ..files import delete_on_rollback, part_path, sweep_if_due
from ..texts import N_, Refusal

log = logging.getLogger(__name__)

CHUNK = 64 * 1024

# Accepted types, by what the bytes are, never by the file's name.
PDF, DOCX, PNG, JPEG = (
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "image/png",
    "image/jpeg",
)
EXTENSIONS = {PDF: ".pdf", DOCX: ".docx", PNG: ".png", JPEG: ".jpg"}

# A DOCX is a zip: what its central directory declares must stay within these (config.py
# overrides them). The ratio applies to entries big enough to matter.
ZIP_DEFAULTS = {
    "DOCX_MAX_UNCOMPRESSED_BYTES": 100 * 2**20,
    "DOCX_MAX_ENTRIES": 2000,
    "DOCX_MAX_RATIO": 100,
}
RATIO_FLOOR = 2**20  # entries smaller than this unpack to too little to hurt, whatever the ratio
CENTRAL_BYTES_PER_ENTRY = 1024  # a central directory larger than entries × this is refused
ZIP_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}  # what Word and LibreOffice write

NOT_ACCEPTED = N_("This file is not a PDF, DOCX, PNG or JPEG document (its content was checked).")
BAD_DOCX = N_(
    "This DOCX file was refused: its packed contents are damaged, unsafe or would unpack to "
    "more than %(limit)s MB."
)
INFECTED = N_("The virus scanner found %(threat)s in this file. It was not accepted.")
SCANNER_DOWN = N_(
    "The file could not be checked for viruses because the scanner is not available, so it "
    "was not accepted. Please try again later."
)


class UploadRejected(Refusal):
    """The upload is refused; nothing of it was kept."""


@dataclass(frozen=True)
class StoredFile:
    stored_name: str
    content_type: str
    size: int
    sha256: str


def _setting(config: Mapping[str, Any] | None, key: str, default: Any = None) -> Any:
    value = (config or {}).get(key)
    return default if value is None else value


# --- the name a person gave the file -----------------------------------------------------

MAX_NAME_BYTES = 255  # what most file systems allow, and the column's length in characters
_FORBIDDEN = set('<>:"/\\|?*')  # not allowed in a Windows file name; ours become "_"
_KEPT_FORMAT = {"\u200c", "\u200d"}  # zero-width (non-)joiners: part of some scripts' words
_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"} | {
    f"{port}{n}" for port in ("COM", "LPT") for n in "123456789\u00b9\u00b2\u00b3"
}


def safe_filename(name: str | None) -> str:
    """The name of an upload as it may be shown and offered back in a download: never a path.

    Keeps the last path component only (either separator), drops control and invisible
    format characters (bidi overrides included), replaces characters Windows forbids with
    "_", trims dots and spaces at both ends, defuses reserved device names (CON, NUL, COM1,
    ...), keeps every other letter of every script, and fits in 255 UTF-8 bytes with the
    extension kept. Never used to name the stored file (that name is made by the server).
    """
    text = unicodedata.normalize("NFC", name or "")
    text = re.split(r"[/\\]", text)[-1]
    kept = []
    for ch in text:
        category = unicodedata.category(ch)
        if ch in _FORBIDDEN:
            kept.append("_")
        elif category in ("Zl", "Zp", "Zs"):
            kept.append(" ")
        elif category[0] == "C" and ch not in _KEPT_FORMAT:
            continue
        else:
            kept.append(ch)
    text = re.sub(" {2,}", " ", "".join(kept)).strip(" .")
    stem, dot, ext = text.partition(".")
    if stem.rstrip(" ").upper() in _RESERVED:
        text = "_" + text
    if len(text.encode("utf-8")) > MAX_NAME_BYTES:
        stem, dot, ext = text.rpartition(".")
        if not dot or len(ext.encode("utf-8")) > 16:
            stem, dot, ext = text, "", ""
        budget = MAX_NAME_BYTES - len((dot + ext).encode("utf-8"))
        stem = stem.encode("utf-8")[:budget].decode("utf-8", "ignore").rstrip(" .")
        text = stem + dot + ext
    return text or "document"


# --- what the bytes are ------------------------------------------------------------------


def sniff(path: Path, config: Mapping[str, Any] | None = None) -> str | None:
    """The accepted type these bytes are, or None. A zip that could be a DOCX but breaks the
    zip limits is refused outright (UploadRejected)."""
    with path.open("rb") as fh:
        head = fh.read(16)
    if head.startswith(b"%PDF-"):
        with path.open("rb") as fh:
            fh.seek(max(0, path.stat().st_size - 2048))
            return PDF if b"%%EOF" in fh.read() else None
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        return DOCX if check_docx(path, config) else None
    return None


def _zip_directory(path: Path) -> tuple[int, int, int] | None:
    """(entries, size, offset) of the central directory, from the end records alone."""
    size = path.stat().st_size
    with path.open("rb") as fh:
        tail_start = max(0, size - (22 + 65535))
        fh.seek(tail_start)
        tail = fh.read()
        at = tail.rfind(b"PK\x05\x06")
        if at < 0 or len(tail) - at < 22:
            return None
        _sig, _disk, _cd_disk, _here, entries, cd_size, cd_offset, _comment = struct.unpack(
            "<4s4H2LH", tail[at : at + 22]
        )
        if entries == 0xFFFF or cd_size == 0xFFFFFFFF or cd_offset == 0xFFFFFFFF:
            # Zip64: the locator just before the end record points to the real counts.
            locator = tail[at - 20 : at] if at >= 20 else b""
            if not locator.startswith(b"PK\x06\x07"):
                return None
            (record_offset,) = struct.unpack("<Q", locator[8:16])
            if record_offset + 56 > size:
                return None
            fh.seek(record_offset)
            record = fh.read(56)
            if not record.startswith(b"PK\x06\x06"):
                return None
            entries, cd_size, cd_offset = struct.unpack("<QQQ", record[32:56])
    return entries, cd_size, cd_offset


def _unsafe_member(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    return (
        name.startswith(("/", "\\"))
        or bool(re.match(r"^[A-Za-z]:", name))
        or ".." in parts
        or "\x00" in name
    )


def check_docx(path: Path, config: Mapping[str, Any] | None = None) -> bool:
    """Whether this zip is a DOCX within the limits, judged from its central directory only
    (nothing is unpacked). False: not a DOCX at all; UploadRejected: a DOCX-like zip that is
    damaged, unsafe (absolute or `..` member names) or a zip bomb."""
    max_total = int(_setting(config, "DOCX_MAX_UNCOMPRESSED_BYTES", 100 * 2**20))
    max_entries = int(_setting(config, "DOCX_MAX_ENTRIES", 2000))
    max_ratio = float(_setting(config, "DOCX_MAX_RATIO", 100))
    refuse = UploadRejected(BAD_DOCX, limit=max_total // 2**20)

    size = path.stat().st_size
    directory = _zip_directory(path)
    if directory is None:
        return False
    entries, cd_size, cd_offset = directory
    # Before the zip module reads the directory: a huge one is refused unread.
    if entries > max_entries or cd_size > max_entries * CENTRAL_BYTES_PER_ENTRY:
        raise refuse
    if cd_offset + cd_size > size:
        return False
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return False
    names = [info.filename for info in infos]
    if "[Content_Types].xml" not in names or "word/document.xml" not in names:
        return False
    if len(infos) > max_entries or len(set(names)) != len(names):
        raise refuse
    total = 0
    spans = []
    for info in infos:
        if _unsafe_member(info.orig_filename) or info.flag_bits & 0x1:  # 0x1: encrypted
            raise refuse
        if info.compress_type not in ZIP_METHODS:
            raise refuse
        total += info.file_size
        if total > max_total:
            raise refuse
        if info.file_size > RATIO_FLOOR and info.file_size > max_ratio * max(info.compress_size, 1):
            raise refuse
        spans.append((info.header_offset, info.header_offset + info.compress_size))
    # Members may not overlap (the "overlapping files" bomb reuses one deflate stream).
    spans.sort()
    for (_start, end), (next_start, _next_end) in zip(spans, spans[1:], strict=False):
        if end > next_start:
            raise refuse
    if spans and spans[-1][1] > cd_offset:
        raise refuse
    return True


# --- the virus scanner (clamd) -----------------------------------------------------------


def scanner_address(config: Mapping[str, Any] | None) -> str | tuple[str, int] | None:
    """The configured clamd: a unix socket path, a (host, port), or None (no scanning)."""
    if sock := _setting(config, "CLAMD_SOCKET"):
        return str(sock)
    if host := _setting(config, "CLAMD_HOST"):
        return str(host), int(_setting(config, "CLAMD_PORT", 3310))
    return None


def clamd_instream(address: str | tuple[str, int], path: Path, *, timeout: float = 30.0) -> str:
    """Send the file to clamd with INSTREAM; its answer, e.g. 'stream: OK' or
    'stream: Eicar-Test-Signature FOUND'. OSError when clamd cannot be reached."""
    if isinstance(address, str):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        try:
            sock.connect(address)
        except BaseException:
            sock.close()
            raise
    else:
        sock = socket.create_connection(address, timeout=timeout)
    with sock:
        sock.sendall(b"zINSTREAM\0")
        with path.open("rb") as fh:
            while chunk := fh.read(CHUNK):
                sock.sendall(struct.pack("!L", len(chunk)) + chunk)
        sock.sendall(struct.pack("!L", 0))
        reply = b""
        while not reply.endswith(b"\0") and len(reply) < 4096:
            data = sock.recv(4096)
            if not data:
                break
            reply += data
    return reply.rstrip(b"\0").decode("utf-8", "replace").strip()


def scan(path: Path, config: Mapping[str, Any] | None) -> None:
    """Refuse an infected file; refuse too when a configured scanner cannot say (fail closed)."""
    address = scanner_address(config)
    if address is None:
        return
    try:
        reply = clamd_instream(address, path, timeout=float(_setting(config, "CLAMD_TIMEOUT", 30)))
    except OSError as exc:
        log.error("virus scanner %s unreachable, upload refused: %s", address, exc)
        raise UploadRejected(SCANNER_DOWN) from None
    if reply.endswith("FOUND"):
        threat = reply.removeprefix("stream:").removesuffix("FOUND").strip()
        threat = "".join(ch for ch in threat if ch.isprintable())[:100] or "malware"
        log.warning("virus scanner found %s in an upload; refused", threat)
        raise UploadRejected(INFECTED, threat=threat)
    if not reply.endswith("OK"):
        log.error("virus scanner %s answered %r, upload refused", address, reply[:200])
        raise UploadRejected(SCANNER_DOWN)


# --- storing -----------------------------------------------------------------------------


def save_upload(session: Session, stream: IO[bytes], upload_dir: str, max_bytes: int) -> StoredFile:
    """Stream to a temporary file, check size, content and (if configured) for viruses, then
    give it its final name. Settings come from the session's app config (db._AppSession)."""
    config = session.info.get("config")
    directory = Path(upload_dir)
    directory.mkdir(parents=True, exist_ok=True)
    sweep_if_due(directory)
    tmp = part_path(directory)
    digest = hashlib.sha256()
    size = 0
    try:
        with tmp.open("xb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise UploadRejected(
                        N_("The file is larger than %(limit)s MB."), limit=max_bytes // 2**20
                    )
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise UploadRejected(N_("The file is empty."))
        content_type = sniff(tmp, config)
        if content_type is None:
            raise UploadRejected(NOT_ACCEPTED)
        scan(tmp, config)
        name = secrets.token_hex(16) + EXTENSIONS[content_type]
        os.replace(tmp, directory / name)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    delete_on_rollback(session, directory / name)
    return StoredFile(name, content_type, size, digest.hexdigest())
