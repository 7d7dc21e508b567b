"""Accounts and login sessions."""

from __future__ import annotations

import datetime as dt
import secrets
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, func, or_, select, update
from sqlalchemy.orm import Session, contains_eager
from sqlalchemy.orm.attributes import set_committed_value

from ..db import rowcount, utcnow, writes
from ..mfa.models import MfaSecret
from ..notices.models import Notification
from ..pagecache import tracking as page_tracking
from ..texts import N_, Refusal
from . import links, mail
from .models import AuthSession, PasswordResetToken, Role, User
from .passwords import hash_password, needs_rehash, password_problem, verify_password

# last_seen_at is written at most this often, so browsing is not a write per page.
SEEN_EVERY = dt.timedelta(minutes=1)
# session.info's key for what load_session_user found to write (see write_session_seen).
_SEEN = "auth_session_seen"


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
    session: Session,
    *,
    email: str,
    name: str,
    password: str,
    role: Role,
    locale: str | None = None,
    nationality: str | None = None,
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
        nationality=nationality or None,
        email_confirmed_at=utcnow(),  # made by an admin or an invitation to that address
    )
    session.add(user)
    session.flush()
    return user


def set_nationality(user: User, nationality: str | None) -> str | None:
    """A person's nationality (an ISO 3166 code, or None: not stated), set by the admin; the
    one it replaces. The register's entries of the cases the person sits on follow."""
    old, user.nationality = user.nationality, nationality or None
    return old


def register_investor(
    session: Session, *, email: str, name: str, password: str, locale: str | None = None
) -> User:
    """Self-registration exists for investors only; staff are created by an admin."""
    return create_user(
        session, email=email, name=name, password=password, role=Role.INVESTOR, locale=locale
    )


def authenticate(session: Session, email: str, password: str) -> User | None:
    user = find_user(session, email)
    # Checked even without an account, so that a missing one takes as long as a wrong password.
    if not verify_password(user.password_hash if user else None, password) or user is None:
        return None
    if not user.is_active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def start_session(session: Session, user: User, lifetime_hours: int) -> AuthSession:
    token = secrets.token_urlsafe(32)
    now = utcnow()
    auth = AuthSession(
        user=user,
        token_hash=AuthSession.hash_token(token),
        created_at=now,
        last_seen_at=now,
        expires_at=now + dt.timedelta(hours=lifetime_hours),
    )
    auth.token_for_cookie = token
    session.add(auth)
    user.last_login_at = now
    user.current_session = auth
    session.flush()
    return auth


def _config(session: Session) -> Any:
    return session.info.get("config") or {}


def idle_limit(session: Session) -> dt.timedelta:
    return dt.timedelta(minutes=int(_config(session).get("SESSION_IDLE_MINUTES", 30)))


@cache
def _session_query() -> Select[AuthSession, bool, int, str | None]:
    """find_session's statement, built once (every request runs it: building it anew cost
    more than running it)."""
    enrolled = select(MfaSecret.user_id).where(MfaSecret.user_id == AuthSession.user_id)
    unread = (
        select(func.count(Notification.id))
        .where(Notification.user_id == AuthSession.user_id, Notification.read_at.is_(None))
        .scalar_subquery()
    )
    return (
        select(AuthSession, enrolled.exists(), unread, page_tracking.version_query())
        .join(AuthSession.user)
        .options(contains_eager(AuthSession.user))
        .where(AuthSession.token_hash == bindparam("token_hash"))
    )


def find_session(session: Session, token: str) -> AuthSession | None:
    """The login session of this cookie token, with its user, in one query that also reads
    what every page asks of the user next: whether a second factor is enrolled (the gate),
    how many notifications are unread (the menu) and the data version (the page cache)."""
    if not token or len(token) > 100:
        return None
    row = session.execute(_session_query(), {"token_hash": AuthSession.hash_token(token)}).first()
    if row is None:
        return None
    auth: AuthSession = row[0]
    auth.user.second_factor_enabled = bool(row[1])
    auth.user.unread_as_loaded = (writes(session), int(row[2] or 0))
    page_tracking.remember_version(session, row[3])
    return auth


def load_session_user(session: Session, token: str) -> User | None:
    """The user of the login session this cookie token stands for, if it is still alive.

    A session found past its idle or absolute limit is ended here (reason "expired")."""
    auth = find_session(session, token)
    if auth is None or auth.revoked_at is not None:
        return None
    now = utcnow()
    seen = auth.last_seen_at or auth.created_at
    if auth.expires_at <= now or seen + idle_limit(session) <= now:
        _note_seen(session, auth, now, expired=True)
        return None
    if not auth.user.is_active:
        return None
    if now - seen >= SEEN_EVERY:
        _note_seen(session, auth, now, expired=False)
    auth.token_for_cookie = token
    auth.user.current_session = auth
    return auth.user


def _note_seen(session: Session, auth: AuthSession, now: dt.datetime, *, expired: bool) -> None:
    """Note what write_session_seen writes after the request; this request already sees
    it (set as if loaded, so the row is not dirtied in the request's transaction; the note
    holds the object, so the session's identity map keeps it, with these values)."""
    session.info[_SEEN] = (auth, now, expired)
    if not expired:
        set_committed_value(auth, "last_seen_at", now)
    elif auth.revoked_at is None:
        set_committed_value(auth, "revoked_at", now)
        set_committed_value(auth, "end_reason", "expired")


def write_session_seen(session: Session) -> bool:
    """Write what load_session_user noted: the login session was seen now, or found expired
    and so ends. Not in the request's own transaction, which on SQLite only reads for a GET
    (db._sqlite_pragmas): the app calls this after the request's commit, in a short
    transaction of its own. Both updates are conditional, so a late or repeated one never
    moves last_seen_at back nor ends a session twice. False when nothing was noted."""
    noted: tuple[AuthSession, dt.datetime, bool] | None = session.info.pop(_SEEN, None)
    if noted is None:
        return False
    auth, now, expired = noted
    query = update(AuthSession).where(AuthSession.id == auth.id)
    if expired:
        query = query.where(AuthSession.revoked_at.is_(None)).values(
            revoked_at=now, end_reason="expired"
        )
    else:
        query = query.where(
            or_(AuthSession.last_seen_at.is_(None), AuthSession.last_seen_at < now)
        ).values(last_seen_at=now)
    session.execute(query.execution_options(synchronize_session=False))
    return True


def forget_session_seen(session: Session) -> None:
    """The request failed: what load_session_user noted is not written (as before)."""
    session.info.pop(_SEEN, None)


def end_reason(session: Session, token: str) -> str | None:
    """Why the login session behind this token no longer works ("expired", "logout"…)."""
    auth = find_session(session, token)
    if auth is None:
        return None
    if auth.revoked_at is None and not auth.user.is_active:
        return "deactivated"
    return auth.end_reason


def _end(auth: AuthSession, reason: str, now: dt.datetime | None = None) -> None:
    if auth.revoked_at is None:
        auth.revoked_at = now or utcnow()
        auth.end_reason = reason


def end_session(user: User, reason: str = "logout") -> None:
    if user.current_session is not None:
        _end(user.current_session, reason)


def end_sessions(
    session: Session, user: User, *, reason: str, keep: AuthSession | None = None
) -> int:
    """End every live login session of the user (but `keep`); how many were ended."""
    query = (
        update(AuthSession)
        .where(AuthSession.user_id == user.id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=utcnow(), end_reason=reason)
        .execution_options(synchronize_session="fetch")
    )
    if keep is not None and keep.id is not None:
        query = query.where(AuthSession.id != keep.id)
    return rowcount(session.execute(query))


def live_sessions(session: Session, user: User) -> list[AuthSession]:
    """The user's login sessions that still work, newest first."""
    now = utcnow()
    rows = session.execute(
        select(AuthSession)
        .where(
            AuthSession.user_id == user.id,
            AuthSession.revoked_at.is_(None),
            AuthSession.expires_at > now,
        )
        .order_by(AuthSession.created_at.desc(), AuthSession.id.desc())
    ).scalars()
    idle = idle_limit(session)
    return [a for a in rows if (a.last_seen_at or a.created_at) + idle > now]


def set_locale(user: User, locale: str) -> None:
    user.locale = locale


# Passwords: change, reset by e-mail -------------------------------------------------------------


def change_password(session: Session, user: User, *, current: str, new: str) -> int:
    """A new password for a logged-in person who knows the current one. Every other login
    session of theirs ends; the account's address is told. Returns how many ended."""
    if not verify_password(user.password_hash, current):
        raise AccountError(N_("The current password is not correct."), field="current")
    if current == new:
        raise AccountError(N_("Choose a password different from the current one."))
    if problem := password_problem(new, email=user.email, name=user.name):
        raise AccountError(problem)
    user.password_hash = hash_password(new)
    ended = end_sessions(session, user, reason="password_changed", keep=user.current_session)
    mail.password_changed(session, user)
    return ended


def request_password_reset(session: Session, email: str) -> str | None:
    """E-mail a single-use reset link if an active account has this address; returns the
    clear token (for tests), or None. Runs in a background job (auth.jobs), after the
    answer, which is therefore the same in content and in time whether the account exists.
    """
    user = find_user(session, email)
    if user is None or not user.is_active:
        return None
    minutes = int(_config(session).get("PASSWORD_RESET_MINUTES", 60))
    token = links.issue(session, PasswordResetToken, user, dt.timedelta(minutes=minutes))
    mail.password_reset(session, user, token, minutes)
    return token


def find_reset_token(
    session: Session, token: str, *, lock: bool = False
) -> PasswordResetToken | None:
    """The reset link this token stands for, if unused, unexpired and its account active."""
    return links.find(session, PasswordResetToken, token, lock=lock)


def reset_password(session: Session, token: str, new: str) -> User:
    """Set a new password through a reset link: the link is spent, every login session of
    the account ends, and the account's address is told."""
    row = find_reset_token(session, token, lock=True)  # two clicks: the second finds it used
    if row is None:
        raise AccountError(N_("This link is no longer valid."), field="token")
    user = row.user
    if problem := password_problem(new, email=user.email, name=user.name):
        raise AccountError(problem)
    row.used_at = utcnow()
    user.password_hash = hash_password(new)
    # The link proved the address: an account still waiting for its activation has it now
    # (and the password of whoever registered the address before its owner is gone).
    user.email_confirmed_at = user.email_confirmed_at or row.used_at
    end_sessions(session, user, reason="password_reset")
    mail.password_changed(session, user)
    return user
