"""Small pieces every blueprint's views share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeGuard, TypeVar
from urllib.parse import urljoin, urlsplit

from flask import abort, current_app, g, make_response, request
from werkzeug.wrappers import Response

from ..db import begin_reading, db, end_reading

T = TypeVar("T")


class OfACase(Protocol):
    case_id: int


C = TypeVar("C", bound=OfACase)
V = TypeVar("V", bound=Callable[..., Any])

UPLOAD_FILES = "takes_uploads"  # the attribute takes_uploads puts on a view


def takes_uploads(files: int) -> Callable[[V], V]:
    """Mark a view that takes up to `files` uploaded files: its multipart body may be
    MAX_UPLOAD_BYTES larger for each (body_limit). Every other body stays within
    MAX_CONTENT_LENGTH, a form's worth."""

    def mark(view: V) -> V:
        setattr(view, UPLOAD_FILES, files)
        return view

    return mark


WRITES = "writes"  # the attribute writes puts on a view
READING_METHODS = frozenset({"GET", "HEAD"})


def writes(view: V) -> V:
    """Mark a view that writes though it answers GET (a download's audit event, a link
    that confirms something): its transaction begins IMMEDIATE on SQLite, as a POST's does.
    An unmarked GET view's transaction only reads (begin_request)."""
    setattr(view, WRITES, True)
    return view


def begin_request() -> None:
    """before_request, before any hook that reads the database: a GET or HEAD request,
    unless its view is marked `@writes`, only reads, so on SQLite its transactions begin
    DEFERRED and readers do not queue behind each other (db._sqlite_pragmas)."""
    view = current_app.view_functions.get(request.endpoint or "")
    if request.method in READING_METHODS and not getattr(view, WRITES, False):
        g.reading_token = begin_reading()


def end_request(_exc: BaseException | None = None) -> None:
    """teardown_request: the next request, or the CLI, in this thread starts afresh."""
    if (token := g.pop("reading_token", None)) is not None:
        end_reading(token)


def uploads_taken() -> int:
    """How many files the view of this request takes (0 for most)."""
    view = current_app.view_functions.get(request.endpoint or "")
    files: int = getattr(view, UPLOAD_FILES, 0)
    return files


def body_limit() -> int:
    """The largest body this request may send: a form (MAX_CONTENT_LENGTH), plus one
    document limit per file on a page that takes files, when the body is multipart."""
    config = current_app.config
    form: int = config["MAX_CONTENT_LENGTH"]
    files = uploads_taken() if request.mimetype == "multipart/form-data" else 0
    return form + files * int(config["MAX_UPLOAD_BYTES"])


def limit_body() -> None:
    """before_request, ahead of every hook that reads the form (CSRF, the limits): a body
    over its limit is refused (413) on its declared length, before a byte is parsed."""
    limit = request.max_content_length = body_limit()
    if request.content_length is not None and request.content_length > limit:
        abort(413)


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


def of_case_or_404(model: type[C], ident: Any, case_id: int) -> C:
    """A row that belongs to this case (a document, a ruling, an invoice…): one of another
    case answers 404, as one that does not exist."""
    obj = db.session.get(model, ident) if ident is not None else None
    if obj is None or obj.case_id != case_id:
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
