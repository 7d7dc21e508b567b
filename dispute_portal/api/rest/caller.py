"""Who calls the API: every request of its blueprints presents a bearer token; the token's
person becomes the request's user, so the one access policy answers every call exactly as it
answers that person's pages. A session cookie opens nothing here (a page of another site could
make the browser send it: the API is not a form of the portal's own)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, g, request

from ...auth import limits
from ...auth.models import User
from ...cases.loading import visible
from ...db import db, short_write
from ..models import ApiToken, TokenScope
from ..tokens import authenticate, record_use, use_to_record
from .problems import fail

READING = frozenset({"GET", "HEAD", "OPTIONS"})
CHALLENGE = 'Bearer realm="api"'


@dataclass(frozen=True)
class Caller:
    user: User
    scope: TokenScope
    key: str  # whom the rate limit and the idempotency keys belong to


def presented() -> str | None:
    """The bearer token of the request's Authorization header, if it has one."""
    kind, _, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() if kind.lower() == "bearer" and value.strip() else None


def identify() -> None:
    """before_request of the API's blueprints: the caller, or 401; then its rate limit."""
    token_text = presented()
    token = authenticate(db.session(), token_text) if token_text else None
    if token is None:
        error = ', error="invalid_token"' if token_text else ""
        fail(401, headers={"WWW-Authenticate": CHALLENGE + error})
    user = db.session.get(User, token.user_id)
    assert user is not None  # authenticate found the token's account active
    caller = Caller(user=user, scope=token.scope, key=f"token:{token.id}")
    _count(caller)
    if request.method not in READING and caller.scope is not TokenScope.READ_WRITE:
        fail(
            403,
            "insufficient-scope",
            headers={"WWW-Authenticate": CHALLENGE + ', error="insufficient_scope"'},
        )
    if use_to_record(token):
        _record(token)
    g.api_caller = caller
    # Flask-Login's current user for this request only (what login_user sets, without the
    # session): the policy, load_case and the operations see the token's person.
    g._login_user = user


def case_seen() -> None:
    """before_request, after `identify`, of calls on one case: a case the caller may not
    see answers 404 before anything the request sent is read (its input's errors would
    otherwise tell that the case exists)."""
    case_id = (request.view_args or {}).get("case_id")
    if isinstance(case_id, int) and not visible(case_id):
        fail(404)


def _record(token: ApiToken) -> None:
    with short_write(db.session()):  # a GET's transaction only reads
        record_use(token)


def _count(caller: Caller) -> None:
    """One request against the caller's limit; over it, 429 with Retry-After."""
    wait = limits.take("api", "RATELIMIT_API_CALLER", caller.key)
    if wait:
        fail(429, headers={"Retry-After": str(wait)})


def count_public() -> None:
    """before_request of the API's public calls (verification, the register): per address."""
    wait = limits.take("api-public", "RATELIMIT_API_PUBLIC")
    if wait:
        fail(429, headers={"Retry-After": str(wait)})


def caller() -> Caller:
    found: Caller = g.api_caller
    return found


def config_value(name: str) -> int:
    value: int = current_app.config[name]
    return value
