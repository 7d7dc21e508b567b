"""Accounts and login sessions."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..db import utcnow
from ..texts import N_, Refusal
from .models import AuthSession, Role, User
from .passwords import hash_password, needs_rehash, password_problem, verify_password


class AccountError(Refusal):
    def __init__(self, message: str, *, field: str = "password", **params: object) -> None:
        super().__init__(message, **params)
        self.field = field  # the form field the message belongs to


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user(session: Session, email: str) -> User | None:
    return session.execute(
        select(User).where(func.lower(User.email) == normalise_email(email))
    ).scalar_one_or_none()


def create_user(
    session: Session, *, email: str, name: str, password: str, role: Role, locale: str | None = None
) -> User:
    email = normalise_email(email)
    if find_user(session, email) is not None:
        raise AccountError(N_("An account with this email address already exists."), field="email")
    if problem := password_problem(password, email=email, name=name):
        raise AccountError(problem)
    user = User(
        email=email,
        name=name.strip(),
        password_hash=hash_password(password),
        role=role,
        locale=locale,
    )
    session.add(user)
    session.flush()
    return user


def register_investor(
    session: Session, *, email: str, name: str, password: str, locale: str | None = None
) -> User:
    """Self-registration exists for investors only; staff are created by an admin."""
    return create_user(
        session, email=email, name=name, password=password, role=Role.INVESTOR, locale=locale
    )


def authenticate(session: Session, email: str, password: str) -> User | None:
    user = find_user(session, email)
    if not verify_password(user.password_hash if user else None, password):
        return None
    if not user.is_active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def start_session(session: Session, user: User, lifetime_hours: int) -> AuthSession:
    token = secrets.token_urlsafe(32)
    auth = AuthSession(
        user=user,
        token_hash=AuthSession.hash_token(token),
        expires_at=utcnow() + dt.timedelta(hours=lifetime_hours),
    )
    auth.token_for_cookie = token
    session.add(auth)
    user.last_login_at = utcnow()
    user.current_session = auth
    session.flush()
    return auth


def load_session_user(session: Session, token: str) -> User | None:
    auth = session.execute(
        select(AuthSession).where(AuthSession.token_hash == AuthSession.hash_token(token))
    ).scalar_one_or_none()
    if auth is None or auth.revoked_at is not None or auth.expires_at <= utcnow():
        return None
    if not auth.user.is_active:
        return None
    auth.token_for_cookie = token
    auth.user.current_session = auth
    return auth.user


def end_session(user: User) -> None:
    if user.current_session is not None and user.current_session.revoked_at is None:
        user.current_session.revoked_at = utcnow()


def set_locale(user: User, locale: str) -> None:
    user.locale = locale
