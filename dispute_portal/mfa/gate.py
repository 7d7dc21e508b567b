"""The login hook of the second factor: once the password is right, the session starts
now, or after the second factor (or its enrolment, when the role requires one).

A login whose password was right but whose second factor is awaited is not a session: the
browser's session only points at a server-side challenge (see views.py).
"""

from __future__ import annotations

from flask import current_app, redirect, session, url_for
from werkzeug.wrappers import Response

from ..audit.operations import log_security
from ..auth import login_session
from ..auth.models import User
from ..core.web import is_safe_next
from ..db import db, utcnow
from . import operations as ops
from .models import Purpose

PENDING = "mfa_pending"  # the login awaiting its second factor
SETUP = "mfa_setup"  # the secret being enrolled, encrypted, until it is confirmed
PASSED = "mfa_passed"  # this session's second factor was given (login or enrolment)


def mfa_gate(user: User, next_url: str | None) -> Response:
    """Called by the login page once the password is right: start the session, or first
    ask for the second factor (or its enrolment, when the role requires one)."""
    if ops.is_enabled(db.session(), user):
        purpose = Purpose.VERIFY
    elif ops.is_required(current_app.config, user):
        purpose = Purpose.ENROL
    else:
        return redirect(start(user, next_url, second_factor=False))
    challenge = ops.open_challenge(db.session(), user, purpose)
    session[PENDING] = {
        "t": challenge.token,
        "u": user.id,
        "at": int(utcnow().timestamp()),
        "next": next_url if is_safe_next(next_url) else "",
    }
    return redirect(url_for("mfa.verify" if purpose is Purpose.VERIFY else "mfa.enrol"))


def start(user: User, next_url: str | None, *, second_factor: bool = True) -> str:
    """Start the session as the login page would have; where to go next."""
    login_session.begin(user)
    if second_factor:
        session[PASSED] = user.id
    log_security(db.session(), "login", user=user)
    return next_url if is_safe_next(next_url) else login_session.home_for(user)
