"""Personal access tokens (issue 18): a person makes one on their account page for a program
of their own (a name, a scope, a lifetime), sees it once, lists theirs with their last use,
and revokes any. Only the SHA-256 digest is kept: a token is 256 random bits, so a fast
digest is as good as a slow one, and a lookup by it is one index probe. Staff whose role
needs two-factor authentication make tokens only once they have it. Every token made or
revoked is in the security log."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..audit.operations import log_security
from ..auth.models import User
from ..db import utcnow
from ..mfa import operations as mfa
from ..texts import N_, Refusal
from .models import ApiToken, TokenScope

PREFIX = "dpat_"  # "dispute portal access token": a secret scanner can find it in a leak
LIFETIMES = (30, 90, 180, 365)  # days a token may be made for
MAX_TOKENS = 20  # usable tokens a person may hold at once
SHOWN = len(PREFIX) + 4  # the characters the list shows, to tell tokens apart
USE_RECORDED_EVERY = dt.timedelta(minutes=1)  # "last used" is not a write per request


class TokenRefused(Refusal):
    """A token (or a client) may not be made or revoked; `message` says why, `field` which
    of the form's fields it is about, when one is."""

    field: str | None = None


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(
    session: Session,
    user: User,
    *,
    name: str,
    scope: TokenScope,
    days: int,
    config: Mapping[str, Any],
) -> tuple[ApiToken, str]:
    """A new token of this user's, and the token itself (shown once, never stored)."""
    name = name.strip()
    if not name or len(name) > 100:
        raise TokenRefused(N_("Give the token a name of up to 100 characters."))
    if days not in LIFETIMES:
        raise TokenRefused(N_("Choose how long the token lasts."))
    if needs_mfa(session, user, config):
        raise TokenRefused(
            N_("Your role needs two-factor authentication: set it up, then make the token.")
        )
    if count_usable(session, user) >= MAX_TOKENS:
        raise TokenRefused(
            N_("You hold %(count)s usable tokens already: revoke one first."), count=MAX_TOKENS
        )
    now = utcnow()
    plain = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name,
        scope=scope,
        prefix=plain[:SHOWN],
        digest=digest(plain),
        created_at=now,
        expires_at=now + dt.timedelta(days=days),
    )
    session.add(token)
    session.flush()
    log_security(
        session,
        "api_token_created",
        user=user,
        data={"token": token.id, "scope": scope.value, "days": days},
    )
    return token, plain


def needs_mfa(session: Session, user: User, config: Mapping[str, Any]) -> bool:
    """Whether this user must set up two-factor authentication before making a token."""
    return mfa.is_required(config, user) and not mfa.is_enabled(session, user)


def of_user(session: Session, user: User) -> list[ApiToken]:
    """The user's tokens, newest first, the revoked and expired ones too."""
    return list(
        session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id)
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def revoke(session: Session, user: User, token: ApiToken) -> ApiToken:
    if token.user_id != user.id:
        raise TokenRefused(N_("This is not one of your tokens."))
    if token.revoked_at is not None:
        raise TokenRefused(N_("This token is revoked already."))
    token.revoked_at = utcnow()
    log_security(session, "api_token_revoked", user=user, data={"token": token.id})
    return token


def authenticate(session: Session, presented: str) -> ApiToken | None:
    """The usable token presented, of an active account; None for anything else. Reads
    only: the caller records the use (`record_use`) in a transaction that may write."""
    if not presented.startswith(PREFIX) or len(presented) > 200:
        return None
    token = session.scalar(select(ApiToken).where(ApiToken.digest == digest(presented)))
    now = utcnow()
    if token is None or not token.usable(now):
        return None
    user = session.get(User, token.user_id)
    if user is None or not user.is_active:
        return None
    return token


def use_to_record(token: ApiToken) -> bool:
    """Whether this use is to be recorded: the last recorded one is a minute old or more."""
    return token.last_used_at is None or utcnow() - token.last_used_at >= USE_RECORDED_EVERY


def record_use(token: ApiToken) -> None:
    token.last_used_at = utcnow()


def count_usable(session: Session, user: User) -> int:
    return (
        session.scalar(
            select(func.count()).where(
                ApiToken.user_id == user.id,
                ApiToken.revoked_at.is_(None),
                ApiToken.expires_at > utcnow(),
            )
        )
        or 0
    )
