"""Self-registration of investors, answered alike for a new address and a taken one.

The request checks and hashes the password (the same work for every address), then queues
a job (auth.jobs) that decides after the answer: a new address gets an account that cannot
log in until the link e-mailed to it is opened; an address that already has an account
gets a message telling its owner that someone tried, with the way to log in or reset the
password. An account still waiting for its activation is taken over by whoever registers
the address again (a new password and a new link; the earlier links stop working): the link
goes to the address, so only its owner can finish, and someone who registered another
person's address first is left with nothing.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from ..audit.operations import log_security
from ..db import utcnow
from ..texts import N_
from . import links, mail
from .models import ActivationToken, Role, User
from .operations import AccountError, find_user, normalise_email
from .passwords import hash_password, password_problem


def prepare(*, email: str, name: str, password: str) -> str:
    """Check the chosen password and hash it: what the request does for every address."""
    if problem := password_problem(password, email=normalise_email(email), name=name):
        raise AccountError(problem)
    return hash_password(password)


def register(
    session: Session, *, email: str, name: str, password_hash: str, locale: str | None
) -> str | None:
    """The job's part: a new account waiting for activation (or a fresh link for one still
    waiting), or a warning to the owner of a taken address. Returns the activation token
    (for tests), or None when none was sent."""
    email = normalise_email(email)
    user = find_user(session, email)
    if user is not None and user.email_confirmed_at is not None:
        if user.is_active:
            mail.registration_attempt(session, user)
        log_security(session, "register_taken", user=user)
        return None
    if user is None:
        user = User(email=email, role=Role.INVESTOR)
        session.add(user)
    elif not user.is_active:
        return None
    user.name, user.password_hash, user.locale = name.strip(), password_hash, locale
    session.flush()
    hours = int(mail.config_of(session).get("ACTIVATION_HOURS", 48))
    token = links.issue(session, ActivationToken, user, dt.timedelta(hours=hours))
    mail.activation(session, user, token, hours)
    log_security(session, "register", user=user)
    return token


def find_activation(session: Session, token: str) -> ActivationToken | None:
    return links.find(session, ActivationToken, token)


def activate(session: Session, token: str) -> User:
    """Open the account whose address the link proves; the link is spent."""
    row = links.find(session, ActivationToken, token, lock=True)  # two clicks: one wins
    if row is None:
        raise AccountError(N_("This link is no longer valid."), field="token")
    row.used_at = utcnow()
    row.user.email_confirmed_at = row.used_at
    log_security(session, "account_activated", user=row.user)
    return row.user
