"""A stand-in for WeasyPrint in the tests that never read a ruling's PDF.

A real render costs 85–95 ms and the factories issue rulings on every case they build, so
most tests would spend a third of their time drawing PDFs nobody opens. The stand-in takes
the place of the one call into WeasyPrint (`render._weasyprint`): the values, the Jinja
template and the HTML are still made for real, the result is still hashed, stored, audited
and served. Tests that read PDFs ask for WeasyPrint with `@pytest.mark.real_pdf`; they get
the QR code's best mask too (`standin_qr` takes the first).
"""

from __future__ import annotations

import hashlib
from typing import Any

import segno

from dispute_portal.seed.pdf import pdf_file


def standin_pdf(html: str, fetcher: Any = None) -> bytes:
    """A valid one-page PDF naming the SHA-256 of its HTML: the same HTML gives the same
    bytes, another HTML other bytes, and a PDF reader opens it."""
    digest = hashlib.sha256(html.encode("utf-8")).hexdigest()
    return one_page_pdf(
        b"<< /Title (Stand-in for a ruling) /Subject (html sha256 %s) >>" % digest.encode()
    )


def standin_qr(url: str) -> segno.QRCode:
    """The ruling's QR code with one mask instead of the best of eight (the search is most
    of the cost of drawing one): still a real code of the same URL that a reader decodes."""
    return segno.make(url, error="m", mask=0)


def one_page_pdf(info: bytes | None = None) -> bytes:
    """A small well-formed PDF: one empty A4 page, a correct cross-reference table, and the
    document information dictionary `info` if given."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    if info is not None:
        objects.append(info)
    return pdf_file(objects, info=4 if info is not None else None, version=b"1.7")
