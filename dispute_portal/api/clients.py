"""OAuth 2.0 clients of government systems (issue 18): the admin registers one for the
account whose view it has (a ministry's representative), with a scope and, when given, the
state body whose cases alone it may see; the system then takes access tokens with its
client id and secret (client credentials, RFC 6749 section 4.4). Secrets and tokens are
256 random bits, kept as SHA-256 digests; each client registered or revoked is in the
security log."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.orm import Session

from ..audit.operations import log_security
from ..auth.models import User
from ..cases.models import Case, Party
from ..db import utcnow
from ..parties.models import Side
from ..texts import N_
from .models import OAuthClient, OAuthToken, TokenScope
from .tokens import TokenRefused, digest

CLIENT_PREFIX = "dpcl_"
TOKEN_PREFIX = "dpoa_"  # noqa: S105 - "dispute portal OAuth access": a scanner finds leaks
TOKEN_SECONDS = 3600  # an access token's life: the system asks for another after it
# What a token may be asked for (space-separated, RFC 6749 section 3.3).
SCOPES = tuple(s.value for s in TokenScope)


def register(
    session: Session,
    admin: User,
    *,
    name: str,
    acts_for: User | None,
    scope: TokenScope,
    respondent: str | None,
) -> tuple[OAuthClient, str]:
    """A new client, and its secret (shown once, never stored). `acts_for`: the account
    found by the e-mail address the admin gave (None: none has it)."""
    name = name.strip()
    if not name or len(name) > 100:
        raise TokenRefused(N_("Give the client a name of up to 100 characters."))
    if acts_for is None or not acts_for.is_active:
        refused = TokenRefused(N_("No active account has this e-mail address."))
        refused.field = "acts_for"  # the form shows it beside the address
        raise refused
    plain = secrets.token_urlsafe(32)
    client = OAuthClient(
        name=name,
        client_id=CLIENT_PREFIX + secrets.token_urlsafe(12),
        secret_digest=digest(plain),
        scope=scope,
        acts_for_id=acts_for.id,
        respondent=(respondent or "").strip() or None,
    )
    session.add(client)
    session.flush()
    log_security(
        session,
        "oauth_client_registered",
        user=admin,
        data={"client": client.id, "acts_for": acts_for.id, "scope": scope.value},
    )
    return client, plain


def revoke(session: Session, admin: User, client: OAuthClient) -> None:
    if client.revoked_at is not None:
        raise TokenRefused(N_("This client is revoked already."))
    client.revoked_at = utcnow()
    log_security(session, "oauth_client_revoked", user=admin, data={"client": client.id})


def find(session: Session, client_id: str) -> OAuthClient | None:
    """A client that may take tokens: registered, not revoked, its account active."""
    client = session.scalar(select(OAuthClient).where(OAuthClient.client_id == client_id))
    if client is None or client.revoked_at is not None:
        return None
    user = session.get(User, client.acts_for_id)
    return client if user is not None and user.is_active else None


def granted(client: OAuthClient, asked: str | None) -> TokenScope | None:
    """The scope a token is issued for: what was asked, if the client has it (none asked:
    the client's own); None when it asks for more, or for something unknown."""
    words = set((asked or "").split()) or {client.scope.value}
    if not words <= set(SCOPES):
        return None
    wanted = TokenScope.READ_WRITE if TokenScope.READ_WRITE.value in words else TokenScope.READ
    if wanted is TokenScope.READ_WRITE and client.scope is not TokenScope.READ_WRITE:
        return None
    return wanted


def keep_token(
    session: Session, client: OAuthClient, plain: str, scope: TokenScope, seconds: int
) -> OAuthToken:
    """The access token issued to the client (its digest): good for `seconds`."""
    now = utcnow()
    session.execute(  # the client's expired tokens, swept as it takes a new one
        delete(OAuthToken).where(OAuthToken.client_id == client.id, OAuthToken.expires_at <= now)
    )
    token = OAuthToken(
        client_id=client.id,
        digest=digest(plain),
        scope=scope,
        issued_at=now,
        expires_at=now + dt.timedelta(seconds=seconds),
    )
    session.add(token)
    session.flush()
    return token


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def authenticate(session: Session, presented: str) -> tuple[OAuthToken, OAuthClient] | None:
    """The usable access token presented and its client (still registered, its account
    active); None for anything else."""
    if not presented.startswith(TOKEN_PREFIX) or len(presented) > 200:
        return None
    token = session.scalar(select(OAuthToken).where(OAuthToken.digest == digest(presented)))
    if token is None or token.expires_at <= utcnow():
        return None
    client = session.get(OAuthClient, token.client_id)
    if client is None or find(session, client.client_id) is None:
        return None
    return token, client


def within(client: OAuthClient) -> ColumnElement[bool] | None:
    """The cases the client is narrowed to (on Case.id), or None: all its account sees."""
    if client.respondent is None:
        return None
    respondent = select(Party.case_id).where(
        Party.side == Side.RESPONDENT, func.lower(Party.name) == client.respondent.lower()
    )
    return Case.id.in_(respondent)
