"""Background jobs of accounts (run by dispute_portal.jobs): the work a public form must not
do while the visitor waits, because how long it takes would tell whether an account exists.

Each job finds out for itself what to do, commits, and hands the mail to the outbox's
sender at once (when a mail server is configured; cron's `mail send` otherwise).
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy.exc import IntegrityError

from ..db import db
from ..notices.operations import send_pending
from . import operations as ops
from . import registration

RESET_JOB = "dispute_portal.auth.jobs.password_reset"
REGISTER_JOB = "dispute_portal.auth.jobs.register"


def password_reset(email: str) -> None:
    """A reset link for the account with this address, if there is an active one."""
    ops.request_password_reset(db.session(), email)
    _commit_and_send()


def register(email: str, name: str, password_hash: str, locale: str | None) -> None:
    """A new account and its activation link, or a warning to the address's owner."""

    def once() -> None:
        registration.register(
            db.session(), email=email, name=name, password_hash=password_hash, locale=locale
        )

    try:
        with db.session.begin_nested():
            once()
    except IntegrityError:
        # The same address registered twice at once: the other job made the account, so
        # this one finds it (and sends a fresh link, or the warning).
        once()
    _commit_and_send()


def _commit_and_send() -> None:
    db.session.commit()
    send_pending(db.session(), current_app.config)
