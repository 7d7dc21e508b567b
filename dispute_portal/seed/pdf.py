"""A small PDF made by hand, for the demo's documents (and the tests' and benchmarks' stand-in
files): well formed, with a correct cross-reference table, so the upload check (which parses
every PDF) and any reader open it."""

from __future__ import annotations

from collections.abc import Sequence


def pdf_file(
    objects: Sequence[bytes],
    *,
    comment: bytes = b"",
    info: int | None = None,
    version: bytes = b"1.4",
) -> bytes:
    """A PDF of these objects, numbered from 1 (the first is the catalog). `comment` goes on a
    comment line after the header (another comment, other bytes); `info` is the number of the
    document information dictionary, if there is one."""
    out = bytearray(b"%PDF-" + version + b"\n")
    if comment:
        out += b"% " + comment + b"\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    info_ref = b" /Info %d 0 R" % info if info is not None else b""
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\n" % (len(objects) + 1, info_ref)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)
