"""Who calls the API: every request of its blueprints presents a bearer token, a person's
own or an OAuth client's access token. The token's person (a client's: the account it acts
for) becomes the request's user, so the one access policy answers every call exactly as it
answers that person's pages; a client is narrowed further to its cases. A session cookie
opens nothing here (a page of another site could make the browser send it: the API is not
a form of the portal's own)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NoReturn

from flask import g, request
from sqlalchemy import ColumnElement

from ...auth import limits
from ...auth.models import User
from ...db import db, short_write
from ...policy import sees
from .. import clients
from ..models import ApiToken, OAuthClient, TokenScope
from ..tokens import authenticate, record_use, use_to_record
from .problems import fail

READING = frozenset({"GET", "HEAD", "OPTIONS"})
CHALLENGE = 'Bearer realm="api"'


@dataclass(frozen=True)
class Caller:
    user: User
    scope: TokenScope
    key: str  # whom the rate limit and the idempotency keys belong to
    within: ColumnElement[bool] | None = None  # an OAuth client's cases (on Case.id)
    client: OAuthClient | None = None  # the OAuth client calling, if it is one


def _caller(presented_token: str) -> Caller | None:
    """Who presents this token: a person's own token, or an OAuth client's access token
    (the account it acts for, narrowed to its cases)."""
    session = db.session()
    if presented_token.startswith(clients.TOKEN_PREFIX):
        found = clients.authenticate(session, presented_token)
        if found is None:
            return None
        token, client = found
        user = session.get(User, client.acts_for_id)
        assert user is not None  # clients.authenticate found its account active
        return Caller(user, token.scope, f"client:{client.id}", clients.within(client), client)
    personal = authenticate(session, presented_token)
    if personal is None:
        return None
    if use_to_record(personal):
        _record(personal)
    user = session.get(User, personal.user_id)
    assert user is not None  # authenticate found the token's account active
    return Caller(user, personal.scope, f"token:{personal.id}")


def presented() -> str | None:
    """The bearer token of the request's Authorization header, if it has one."""
    kind, _, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() if kind.lower() == "bearer" and value.strip() else None


def identify() -> None:
    """before_request of the API's blueprints: the caller, or 401; then its rate limit."""
    token_text = presented()
    who = _caller(token_text) if token_text else None
    if who is None:
        error = ', error="invalid_token"' if token_text else ""
        fail(401, headers={"WWW-Authenticate": CHALLENGE + error})
    _count(who)
    if request.method not in READING and who.scope is not TokenScope.READ_WRITE:
        refuse_scope()
    g.api_caller = who
    # Flask-Login's current user for this request only (what login_user sets, without the
    # session): the policy, load_case and the operations see the token's person.
    g._login_user = who.user


def refuse_scope() -> NoReturn:
    """403: the token's scope does not allow this (RFC 6750's insufficient_scope)."""
    fail(
        403,
        "insufficient-scope",
        headers={"WWW-Authenticate": CHALLENGE + ', error="insufficient_scope"'},
    )


def case_seen() -> None:
    """before_request, after `identify`, of calls on one case: a case the caller may not
    see answers 404 before anything the request sent is read (its input's errors would
    otherwise tell that the case exists)."""
    case_id = (request.view_args or {}).get("case_id")
    if isinstance(case_id, int) and not sees(db.session(), caller().user, case_id, caller().within):
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
