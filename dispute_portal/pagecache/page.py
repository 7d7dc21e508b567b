"""Serving a page from the cache, or drawing it and keeping it: what the views call.

`cached_page(draw)` is called by a view once the reader's access is checked. The page is
looked up under its key (pagecache/__init__.py); when it is not there, `draw()` renders it
with holes where the per-request parts go, and the result is kept unless the transaction
has written something others cannot see yet. Either way the holes are filled for this
request: the CSRF token, one-time form tokens, the flashes and the unread count.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from flask import (
    Flask,
    Response,
    current_app,
    g,
    make_response,
    render_template,
    request,
    session,
)
from flask.globals import request_ctx
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from ..core.freshness import watching
from ..db import db, utcnow
from ..deadlines.queries import today
from ..notices.operations import unread_count
from . import tracking
from .store import PageStore, make_store
from .values import ValueCache

T = TypeVar("T")

MARK = "\ue000"  # a private-use character: marks a hole in a stored page
LIVE_TEMPLATES = {"flashes": "_live/flashes.html", "unread": "_live/unread.html"}
HEADER = "X-Page-Cache"
MAX_KEPT_COUNT = 99  # the unread link is kept drawn for counts up to this, per language
_UNREAD: dict[tuple[str, str, int], str] = {}
_HOLE = re.compile(f"{MARK}(csrf|token:[0-9]+|flashes|unread){MARK}")


@dataclass
class _Drawing:
    """What a drawing for the cache left as holes."""

    live: int = 0
    tokens: list[str] = field(default_factory=list)


_drawing: ContextVar[_Drawing | None] = ContextVar("page_drawing", default=None)


@dataclass
class PageCache:
    store: PageStore | None  # None: PAGE_CACHE=off, every page is drawn
    generation: str
    values: ValueCache | None  # None: every value computed (tests that count queries)


def init_app(app: Flask) -> None:
    app.extensions["page_cache"] = PageCache(make_store(app.config), _generation(app), ValueCache())
    app.jinja_env.globals["live"] = live


def _generation(app: Flask) -> str:
    """The code, templates, catalogues and settings this process draws pages with: pages a
    Redis kept for another version of any of them are never served."""
    digest = hashlib.sha256()
    root = Path(app.root_path)
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".html", ".mo") and path.is_file():
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    for key in sorted(app.config):
        digest.update(f"{key}={app.config[key]!r}".encode())
    return digest.hexdigest()[:16]


def live(name: str) -> Markup:
    """A per-request part of a page (the flashes, the unread count): drawn now, or a hole
    when the page is drawn for the cache."""
    drawing = _drawing.get()
    if drawing is not None:
        drawing.live += 1
        return Markup(f"{MARK}{name}{MARK}")  # noqa: S704 - the name is ours, not input
    return Markup(_live_part(name))  # noqa: S704 - escaped by Jinja


def kept_value(name: str, key: Hashable, compute: Callable[[], T]) -> T:
    """A value the same for every reader (a list of neutrals, a capped count): computed,
    or as computed at this data version before (pagecache/values.py)."""
    cache: PageCache | None = current_app.extensions.get("page_cache")
    if cache is None or cache.values is None:
        return compute()
    return cache.values.get(db.session(), name, key, compute)


def one_time_token() -> str:
    """A form's one-time token (a double click leads to the same draft): a new one at every
    answer, also when the page comes from the cache."""
    token = secrets.token_urlsafe(24)
    drawing = _drawing.get()
    if drawing is not None:
        drawing.tokens.append(token)
    return token


def cached_page(draw: Callable[[], str]) -> ResponseReturnValue:
    """The page `draw()` renders, from the cache when it holds it for this reader now."""
    cache: PageCache | None = current_app.extensions.get("page_cache")
    session = db.session()
    if cache is None or cache.store is None or request.method not in ("GET", "HEAD"):
        return make_response(draw())
    if tracking.has_pending_writes(session) or (version := tracking.read_version(session)) is None:
        return _answer(draw(), "bypass")
    key = _key(cache.generation, version)
    kept = cache.store.get(key)
    if kept is not None:
        valid_until, _, body = kept.partition(b"\n")
        if not int(valid_until) or utcnow().timestamp() < int(valid_until):
            return _answer(_fill(body.decode()), "hit")
    with watching() as moments, _drawing_holes() as drawing:
        html = draw()
    stored = _punch(html, drawing)
    if stored is not None and not tracking.has_pending_writes(session):
        until = int(min(moments).timestamp()) if moments else 0
        cache.store.put(key, f"{until}\n".encode() + stored.encode())
    return _answer(_fill(stored if stored is not None else html), "miss")


def _key(generation: str, version: str) -> str:
    reader = str(current_user.id) if current_user.is_authenticated else "-"
    parts = (
        generation,
        request.scheme,
        request.host,
        request.full_path,
        reader,
        str(get_locale()),
        today().isoformat(),
        version,
    )
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


@contextmanager
def _drawing_holes() -> Iterator[_Drawing]:
    drawing = _Drawing()
    token = _drawing.set(drawing)
    try:
        yield drawing
    finally:
        _drawing.reset(token)


def _punch(html: str, drawing: _Drawing) -> str | None:
    """The page with holes for its per-request values; None when it cannot be kept (a mark
    the portal did not put there, say in a title someone typed)."""
    if html.count(MARK) != 2 * drawing.live:
        return None
    csrf = g.get("csrf_token")
    if isinstance(csrf, str) and csrf:
        html = html.replace(csrf, f"{MARK}csrf{MARK}")
    for index, token in enumerate(drawing.tokens):
        html = html.replace(token, f"{MARK}token:{index}{MARK}")
    return html


def _fill(body: str) -> str:
    if MARK not in body:
        return body
    fills: dict[str, str] = {}

    def fill(found: re.Match[str]) -> str:
        name = found.group(1)
        if name not in fills:
            fills[name] = _fresh(name)
        return fills[name]

    return _HOLE.sub(fill, body)


def _fresh(name: str) -> str:
    if name == "csrf":
        return str(generate_csrf())
    if name.startswith("token:"):
        return secrets.token_urlsafe(24)
    return _live_part(name)


def _live_part(name: str) -> str:
    if name == "flashes" and not (session.get("_flashes") or request_ctx.flashes):
        return ""  # most answers flash nothing: no template to render for it
    if name == "unread" and current_user.is_authenticated:
        # The menu's link with the count: the same for every reader with that count.
        count = unread_count(db.session(), current_user)
        key = (request.script_root, str(get_locale()), count)
        drawn = _UNREAD.get(key)
        if drawn is None:
            drawn = render_template(LIVE_TEMPLATES[name])
            if count <= MAX_KEPT_COUNT:
                _UNREAD[key] = drawn
        return drawn
    return render_template(LIVE_TEMPLATES[name])


def _answer(html: str, how: str) -> Response:
    response: Response = make_response(html)
    response.headers[HEADER] = how
    return response
