"""What an upload's bytes are, found by parsing them: never by the file's name, nor by a few
bytes at either end (an HTML page or a program can start with `%PDF-` and end with `%%EOF`).

- PDF: pypdf must open it; its page tree must declare between one and `PDF_MAX_PAGES` pages
  and lead down to a first page. The parse runs in the request, so it is bounded: the file
  is at most `MAX_UPLOAD_BYTES`, pypdf's own resource limits apply (decompression, arrays,
  dictionaries), only the cross-reference table, the catalog and the way down to the first
  page are read (no content stream is decoded, the rest of the page tree is not walked), and
  every read of the file checks a deadline (`PDF_CHECK_SECONDS`): whatever the parser is
  doing, it stops at its next read once the time is up.
- PNG, JPEG: Pillow must identify it as that format, its size may not pass
  `IMAGE_MAX_PIXELS` (judged from the header, before anything is decoded: a decompression
  bomb), its structure must verify and the whole image must decode (a JPEG at an eighth of
  its size: every byte is still decoded, in a sixty-fourth of the memory).
- DOCX: a zip with `[Content_Types].xml` and `word/document.xml`, within the zip-bomb limits
  (judged from its central directory before anything is unpacked), whose parts all unpack to
  their checksums.
"""

from __future__ import annotations

import io
import re
import struct
import threading
import time
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..texts import N_, Refusal
from .names import DOCX, JPEG, PDF, PNG

# pypdf and Pillow are imported where a file is checked, not with the app (as WeasyPrint is
# in rulings/render.py): together they hold some 15 MB in every worker, most of which never
# checks an upload, and that was the margin of the worker's peak memory (issue 14).

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
MEMBER_CHUNK = 2**20

# The other limits (config.py overrides them).
PDF_MAX_PAGES = 5000
PDF_CHECK_SECONDS = 5
IMAGE_MAX_PIXELS = 40_000_000  # a 600 dpi A4 scan is 35 million; 4 bytes each when decoded

NOT_ACCEPTED = N_("This file is not a PDF, DOCX, PNG or JPEG document (its content was checked).")
BAD_DOCX = N_(
    "This DOCX file was refused: its packed contents are damaged, unsafe or would unpack to "
    "more than %(limit)s MB."
)
BAD_PDF = N_("This PDF file was refused: it is damaged, has no pages or is not a PDF.")
PDF_LOCKED = N_("This PDF file is protected by a password. Please upload it without the password.")
PDF_TOO_BIG = N_(
    "This PDF file was refused: it has more than %(limit)s pages or takes too long to read."
)
BAD_IMAGE = N_("This image was refused: it is damaged or it is not a PNG or JPEG image.")
IMAGE_TOO_BIG = N_("This image was refused: it has more than %(limit)s million pixels.")


class UploadRejected(Refusal):
    """The upload is refused; nothing of it was kept. `position`: which of a request's files
    it was (0, 1, ...), when there were several; `field`: the form field it came from, when
    the view knows it (the reason is then shown beside that field)."""

    position: int | None = None
    field: str | None = None


def setting(config: Mapping[str, Any] | None, key: str, default: Any = None) -> Any:
    """A setting from the app's config, or the default when it is not set."""
    value = (config or {}).get(key)
    return default if value is None else value


def checked_type(path: Path, config: Mapping[str, Any] | None = None) -> str:
    """The accepted type this file is, after parsing it; UploadRejected otherwise."""
    content_type = sniff(path, config)
    if content_type is None:
        raise UploadRejected(NOT_ACCEPTED)
    return content_type


def sniff(path: Path, config: Mapping[str, Any] | None = None) -> str | None:
    """The accepted type these bytes are, or None when they are none of them. A file that
    starts like one of them but does not parse as it is refused outright (UploadRejected)."""
    with path.open("rb") as fh:
        head = fh.read(16)
    if head.startswith(b"%PDF-"):
        check_pdf(path, config)
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        check_image(path, config, "PNG")
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        check_image(path, config, "JPEG")
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        return DOCX if check_docx(path, config) else None
    return None


# --- PDF -----------------------------------------------------------------------------------


class _OutOfTime(BaseException):
    """The deadline passed. A BaseException, so that no `except Exception` in the parser's
    recovery code swallows it and goes on."""


class _TimedFile(io.BytesIO):
    """A file's bytes that refuse to be read after a deadline (looked at on the first read and
    every 64th after: the clock costs more than most of pypdf's one-byte reads)."""

    def __init__(self, data: bytes, deadline: float) -> None:
        super().__init__(data)
        self.deadline = deadline
        self.reads = 0

    def _in_time(self) -> None:
        if self.reads % 64 == 0 and time.monotonic() >= self.deadline:
            raise _OutOfTime
        self.reads += 1

    def read(self, size: int | None = -1, /) -> bytes:
        self._in_time()
        return super().read(size)

    def readline(self, size: int | None = -1, /) -> bytes:
        self._in_time()
        return super().readline(size)

    def seek(self, offset: int, whence: int = 0, /) -> int:
        self._in_time()
        return super().seek(offset, whence)


def check_pdf(path: Path, config: Mapping[str, Any] | None = None) -> None:
    """Refuse a PDF that pypdf cannot open, whose page tree declares no pages or more than
    PDF_MAX_PAGES, whose first page cannot be reached, that is locked by a password, or whose
    reading takes longer than PDF_CHECK_SECONDS.

    Only the way down to the first page is walked, not the whole page tree (pypdf spends about
    half a millisecond a page on that): a 5,000-page file costs its cross-reference table and
    a few objects."""
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, LimitReachedError

    max_pages = int(setting(config, "PDF_MAX_PAGES", PDF_MAX_PAGES))
    seconds = float(setting(config, "PDF_CHECK_SECONDS", PDF_CHECK_SECONDS))
    too_big = UploadRejected(PDF_TOO_BIG, limit=max_pages)
    stream = _TimedFile(path.read_bytes(), time.monotonic() + seconds)
    try:
        reader = PdfReader(stream, strict=False)
        tree = _value(reader.root_object, "/Pages")
        pages = _value(tree, "/Count")
        if not isinstance(pages, int) or pages < 1 or not _leads_to_a_page(tree):
            raise UploadRejected(BAD_PDF)
        if pages > max_pages:
            raise too_big
    except UploadRejected:
        raise
    except (_OutOfTime, LimitReachedError):
        raise too_big from None
    except FileNotDecryptedError:
        raise UploadRejected(PDF_LOCKED) from None
    except Exception:  # whatever the parser trips on, the file is not a PDF
        raise UploadRejected(BAD_PDF) from None


PAGE_TREE_DEPTH = 100  # pypdf's own limit too


def _value(node: object, key: str) -> object:
    """node[key] with indirect references followed; None when node is no dictionary or has
    no such key."""
    from pypdf.generic import DictionaryObject

    if not isinstance(node, DictionaryObject):
        return None
    value = node.get(key)
    return None if value is None else value.get_object()


def _leads_to_a_page(tree: object) -> bool:
    """Whether the page tree's first branches lead down to a page."""
    from pypdf.generic import ArrayObject

    node = tree
    for _depth in range(PAGE_TREE_DEPTH):
        kind = _value(node, "/Type")
        kids = _value(node, "/Kids")
        if kind == "/Page":
            return True
        if kind not in (None, "/Pages") or not isinstance(kids, ArrayObject) or not kids:
            return False
        node = kids[0].get_object()
    return False


# --- PNG and JPEG --------------------------------------------------------------------------


_PILLOW_SETTING = threading.Lock()


@contextmanager
def _whole_images_only() -> Iterator[None]:
    """Pillow, for as long as this lasts, refuses a cut or damaged image.

    Importing WeasyPrint (to render a ruling) turns on Pillow's LOAD_TRUNCATED_IMAGES for the
    whole process, so that it draws what it can of a damaged picture; Pillow then quietly
    accepts a cut PNG or JPEG. The check turns it off while it runs and back on after, one
    check at a time so that what it restores is right. A ruling drawn meanwhile only ever
    holds the portal's own images, which are whole."""
    from PIL import ImageFile

    with _PILLOW_SETTING:
        before = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = before


def check_image(path: Path, config: Mapping[str, Any] | None = None, kind: str = "PNG") -> None:
    """Refuse an image that is not a whole, decodable `kind` ("PNG" or "JPEG") of at most
    IMAGE_MAX_PIXELS pixels."""
    max_pixels = int(setting(config, "IMAGE_MAX_PIXELS", IMAGE_MAX_PIXELS))
    too_big = UploadRejected(IMAGE_TOO_BIG, limit=max_pixels // 1_000_000)
    with _whole_images_only():
        _decode(path, kind, max_pixels, too_big)


def _decode(path: Path, kind: str, max_pixels: int, too_big: UploadRejected) -> None:
    from PIL import Image

    try:
        with Image.open(path, formats=[kind]) as image:
            width, height = image.size
            if width * height > max_pixels:
                raise too_big
            image.verify()  # a PNG's chunks and their checksums
        with Image.open(path, formats=[kind]) as image:
            if kind == "JPEG":
                image.draft(image.mode, (max(1, width // 8), max(1, height // 8)))
            image.load()  # every byte of the image decoded: a cut or damaged one raises
    except UploadRejected:
        raise
    except Image.DecompressionBombError:
        raise too_big from None
    except Exception:  # whatever Pillow trips on, the image is not whole
        raise UploadRejected(BAD_IMAGE) from None


# --- DOCX ----------------------------------------------------------------------------------


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
    """Whether this zip is a DOCX within the limits. False: not a DOCX at all (no
    `[Content_Types].xml` or no `word/document.xml`); UploadRejected: a DOCX-like zip that is
    damaged, unsafe (absolute or `..` member names) or a zip bomb.

    The limits are judged from the central directory alone, before anything is unpacked; only
    a zip within them is then read through, part by part, so that every part the directory
    names is really there and unpacks to its checksum (bounded by the sizes just checked)."""
    max_total = int(setting(config, "DOCX_MAX_UNCOMPRESSED_BYTES", 100 * 2**20))
    max_entries = int(setting(config, "DOCX_MAX_ENTRIES", 2000))
    max_ratio = float(setting(config, "DOCX_MAX_RATIO", 100))
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
    _unpack_all(path, refuse)
    return True


def _unpack_all(path: Path, refuse: UploadRejected) -> None:
    """Read every part through (nothing is kept): a missing local header, a name that differs
    from the directory's, bad deflate data or a wrong CRC-32 refuses the file. What a part
    unpacks to stops at its declared size, which the limits have already bounded."""
    try:
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                with zf.open(info) as part:
                    while part.read(MEMBER_CHUNK):
                        pass
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error):
        raise refuse from None
