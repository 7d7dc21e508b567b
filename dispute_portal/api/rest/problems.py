"""Errors of the API as `application/problem+json` (RFC 9457): each refusal has a stable
`type` a program can branch on, a `title` for that type, and a `detail` about this request,
in the caller's language. The types are listed in docs/api.md; a type is never renamed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NoReturn

from flask import Response, current_app, g, json
from werkzeug.exceptions import HTTPException, default_exceptions

from ...core.typed import gettext
from ...texts import N_

MEDIA_TYPE = "application/problem+json"
TYPE_PREFIX = "tag:disputes.alatau.city,2026:problem/"

# slug -> the title of every problem of that type.
TITLES = {
    "bad-request": N_("The request could not be understood"),
    "invalid-input": N_("The input is not valid"),
    "unauthorized": N_("A valid access token is needed"),
    "forbidden": N_("Not allowed"),
    "insufficient-scope": N_("The token's scope does not allow this"),
    "not-found": N_("Not found"),
    "method-not-allowed": N_("This address does not accept that method"),
    "not-acceptable": N_("The answer cannot be given in the format asked for"),
    "refused": N_("Refused in the case's present state"),
    "idempotency-key-reused": N_("The idempotency key was used for another request"),
    "idempotency-key-in-use": N_("A request with this idempotency key is still running"),
    "case-changed": N_("The case changed since you read it"),
    "payload-too-large": N_("The request is too large"),
    "unsupported-media-type": N_("The request's format is not accepted here"),
    "too-many-requests": N_("Too many requests"),
    "server-error": N_("Something went wrong"),
}

# The type of each HTTP status the framework raises by itself.
BY_STATUS = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    406: "not-acceptable",
    409: "refused",
    412: "case-changed",
    413: "payload-too-large",
    415: "unsupported-media-type",
    422: "invalid-input",
    429: "too-many-requests",
}


def type_uri(slug: str) -> str:
    return TYPE_PREFIX + slug


def problem(
    status: int,
    slug: str | None = None,
    detail: str | None = None,
    *,
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> Response:
    """The answer to a refused request. `extra` members (such as `errors`, the invalid
    fields) go into the body beside the standard ones."""
    slug = slug or BY_STATUS.get(status, "server-error")
    body: dict[str, Any] = {
        "type": type_uri(slug),
        "title": gettext(TITLES[slug]),
        "status": status,
    }
    if detail:
        body["detail"] = detail
    if request_id := g.get("request_id"):
        body["instance"] = f"urn:request:{request_id}"
    body.update(extra)
    response = current_app.response_class(
        json.dumps(body, ensure_ascii=False), status=status, mimetype=MEDIA_TYPE
    )
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def from_http_exception(exc: HTTPException) -> Response:
    """A werkzeug or webargs error as a problem: its headers kept (405's Allow, 429's
    Retry-After, 401's WWW-Authenticate), a validation error's fields as `errors`."""
    status = exc.code or 500
    data = getattr(exc, "data", None) or {}
    headers = {k: v for k, v in exc.get_headers() if k.lower() != "content-type"}
    headers.update(data.get("headers") or {})
    extra: dict[str, Any] = {}
    if messages := data.get("messages"):  # webargs: {location: {field: [messages]}}
        extra["errors"] = messages
    slug = data.get("slug") or BY_STATUS.get(status, "server-error")
    # werkzeug's own descriptions are English prose for a browser: the title says it.
    return problem(status, slug, data.get("detail"), headers=headers, **extra)


def fail(
    status: int,
    slug: str | None = None,
    detail: str | None = None,
    *,
    headers: Mapping[str, str] | None = None,
) -> NoReturn:
    """Refuse the request: the error handler answers with the problem."""
    exc = default_exceptions[status]()
    exc.data = {"slug": slug, "detail": detail, "headers": dict(headers or {})}  # type: ignore[attr-defined]
    raise exc
