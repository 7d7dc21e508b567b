"""Small pieces every blueprint's views share."""

from __future__ import annotations

from typing import Any, TypeGuard, TypeVar
from urllib.parse import urljoin, urlsplit

from flask import abort, make_response, request
from werkzeug.wrappers import Response

from ..db import db

T = TypeVar("T")


def framed_preview(html: str) -> Response:
    """A ruling's preview, shown in a frame beside the form that writes it."""
    response = make_response(html)
    # Its own policy: the ruling's inline styles, our fonts, no scripts, framed by us only.
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; font-src 'self'; img-src data:; "
        "frame-ancestors 'self'; sandbox"
    )
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


def get_or_404(model: type[T], ident: Any) -> T:
    obj = db.session.get(model, ident)
    if obj is None:
        abort(404)
    return obj


def is_safe_next(target: str | None) -> TypeGuard[str]:
    """Only paths on this site: no scheme, no other host, no //host or backslash tricks."""
    if not target or "\\" in target or not target.startswith("/") or target.startswith("//"):
        return False
    if any(ord(ch) < 33 or ord(ch) == 127 for ch in target):  # browsers drop tabs/newlines
        return False
    parts = urlsplit(urljoin(request.host_url, target))
    return parts.scheme in ("http", "https") and parts.netloc == urlsplit(request.host_url).netloc


MAX_ID = 2**31 - 1  # the largest id (or page) a request may name; beyond it nothing exists


def number(text: object) -> int | None:
    """A whole number typed by someone (an id, a page), or None when it is not one or is too
    large for the database to hold (int() would take '²' or '99…9' and fail later)."""
    if not isinstance(text, str) or not text.isascii() or not text.strip().isdigit():
        return None
    value = int(text)
    return value if value <= MAX_ID else None


def page_arg() -> int:
    """The ?page= of a list: 1 when missing or unusable; never past MAX_ID."""
    return max(number(request.args.get("page", "1")) or 1, 1)
