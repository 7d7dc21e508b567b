"""The Idempotency-Key header on the API's POSTs: the same key with the same request gives
the first answer again (with `Idempotent-Replayed: true`) and does nothing new; with another
request it is refused (422). The request is what the server reads of it, not its bytes: the
fields, and each file's name and SHA-256 (a client sends a multipart body with a new random
boundary each time)."""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Callable
from typing import Any, TypeVar, cast

from flask import Response, current_app, request

from ...core.typed import gettext
from ...db import db
from ...texts import N_
from .. import idempotency
from .caller import caller
from .problems import fail

V = TypeVar("V", bound=Callable[..., Any])
HEADER = "Idempotency-Key"
KEY = re.compile(r"[\x21-\x7e]{1,255}")  # visible ASCII, as the draft's examples
KEPT_HEADERS = ("Location", "ETag", "Content-Type")
BAD_KEY = N_("The Idempotency-Key header takes 1 to 255 visible ASCII characters.")


def fingerprint() -> str:
    """A digest of what the request asks: method, path, query, fields, files, JSON."""
    digest = hashlib.sha256()
    files = []
    for name, storage in sorted(request.files.items(multi=True), key=lambda kv: kv[0]):
        content = hashlib.sha256()
        while chunk := storage.stream.read(65536):
            content.update(chunk)
        storage.stream.seek(0)
        files.append([name, storage.filename or "", content.hexdigest()])
    parts = {
        "method": request.method,
        "path": request.path,
        "query": sorted(request.args.items(multi=True)),
        "form": sorted(request.form.items(multi=True)),
        "files": files,
        "json": request.get_json(silent=True) if request.is_json else None,
    }
    digest.update(json.dumps(parts, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def idempotent(view: V) -> V:
    """Wrap a POST view: claim the key, run the view, keep its answer if it did something."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        key = request.headers.get(HEADER)
        if key is None:
            return view(*args, **kwargs)
        if not KEY.fullmatch(key):
            fail(400, "bad-request", gettext(BAD_KEY))
        who, asked = caller().key, fingerprint()
        earlier = idempotency.find(db.session(), who, key)
        row = None
        if earlier is None:
            row = idempotency.claim(db.session(), who, key, asked)
            if row is None:  # another request with the key committed first
                earlier = idempotency.find(db.session(), who, key)
        if row is None:
            return _again(earlier, asked)
        response = current_app.make_response(view(*args, **kwargs))
        if response.status_code < 400:
            kept = {h: response.headers[h] for h in KEPT_HEADERS if h in response.headers}
            idempotency.complete(row, response.status_code, response.get_data(as_text=True), kept)
        return response

    return cast(V, wrapper)


def _again(earlier: Any, asked: str) -> Response:
    if earlier is None or earlier.status == idempotency.RUNNING:
        fail(409, "idempotency-key-in-use")
    if earlier.fingerprint != asked:
        fail(422, "idempotency-key-reused")
    response = current_app.response_class(earlier.body, status=earlier.status)
    for name, value in earlier.headers.items():
        response.headers[name] = value
    response.headers["Idempotent-Replayed"] = "true"
    return response
