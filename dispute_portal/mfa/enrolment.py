"""Enrolment links: a staff account binds an authenticator only through a single-use link
e-mailed to its own address, so the first password an admin hands over (or anyone who
learnt it) is not enough to bind someone else's phone to the account. New staff accounts
get one when they are made; the account's owner can have a new one sent to that same
address; an admin who resets a person's second factor (phone and recovery codes lost)
sends one too, and the person enrols again through it.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete
from sqlalchemy.orm import Session

from ..audit.operations import log_security
from ..auth import links, mail
from ..auth.models import User
from ..auth.operations import end_sessions
from ..texts import N_
from . import operations as ops
from .models import MfaChallenge, MfaEnrolLink, MfaSecret, RecoveryCode

LINK_DAYS = 7


def send_link(session: Session, user: User) -> str:
    """E-mail a new enrolment link to the account (earlier ones stop working); the token."""
    config = mail.config_of(session)
    days = int(config.get("MFA_ENROL_LINK_DAYS", LINK_DAYS))
    token = links.issue(session, MfaEnrolLink, user, dt.timedelta(days=days))
    t = mail.translations(config, user.locale)
    params = {"name": user.name, "days": days}
    mail.queue(
        session,
        user.email,
        t.gettext("Set up two-factor authentication for the Dispute Portal"),
        [
            t.gettext("Dear %(name)s,") % params,
            t.gettext(
                "Two-factor authentication of your account on the Dispute Portal is set up "
                "through this link, so that only the owner of this address can bind an "
                "authenticator app to the account."
            ),
            t.gettext(
                "Open it, log in and follow the steps. It works once and expires in %(days)s days:"
            )
            % params,
            mail.link(config, f"/mfa/link/{token}"),
            t.gettext("If you did not expect this message, tell the registry of the centre."),
        ],
    )
    return token


def link_owner(session: Session, token: str) -> User | None:
    """The account a live enrolment link belongs to."""
    row = links.find(session, MfaEnrolLink, token)
    return row.user if row is not None else None


def has_link(session: Session, user: User, token: object) -> bool:
    """Whether the enrolment may go on: the account needs no link, or this one is its own."""
    if not ops.needs_link(user):
        return True
    row = links.find(session, MfaEnrolLink, token) if isinstance(token, str) else None
    return row is not None and row.user_id == user.id


def reset(session: Session, admin: User, user: User) -> str:
    """An admin's reset of a person's second factor (phone and recovery codes lost): it is
    removed, every session of theirs ends, and a new enrolment link goes to their address.
    Audited in the security log under the person, naming the admin."""
    if admin.id == user.id:
        raise ops.MfaError(
            N_("Another administrator must reset your own two-factor authentication.")
        )
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    session.execute(delete(MfaSecret).where(MfaSecret.user_id == user.id))
    session.execute(delete(MfaChallenge).where(MfaChallenge.user_id == user.id))
    ended = end_sessions(session, user, reason="mfa_reset")
    token = send_link(session, user)
    log_security(session, "mfa_reset", user=user, data={"by": admin.id})
    log_security(session, "mfa_reset_done", user=admin, data={"user": user.id, "ended": ended})
    return token
