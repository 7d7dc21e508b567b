"""Single-use links sent by e-mail (password reset, account activation): one live link per
account and kind, only the token's hash stored, spent under a row lock so two clicks at
once cannot both use it."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import TypeVar

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..db import utcnow
from .models import EmailLinkToken, User

T = TypeVar("T", bound=EmailLinkToken)


def issue(session: Session, kind: type[T], user: User, lifetime: dt.timedelta) -> str:
    """A new link for the account; its earlier live links of this kind stop working.
    Returns the clear token (it goes into the e-mail and nowhere else)."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.execute(
        update(kind)
        .where(kind.user_id == user.id, kind.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session="fetch")
    )
    row = kind()
    row.user_id, row.token_hash = user.id, kind.hash_token(token)
    row.created_at, row.expires_at = now, now + lifetime
    session.add(row)
    return token


def find(session: Session, kind: type[T], token: str, *, lock: bool = False) -> T | None:
    """The link this token stands for, if unused, unexpired and its account active."""
    if not token or len(token) > 100:
        return None
    query = select(kind).where(kind.token_hash == kind.hash_token(token))
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    row = session.execute(query).scalar_one_or_none()
    if row is None or row.used_at is not None or row.expires_at <= utcnow():
        return None
    if not row.user.is_active:
        return None
    return row
