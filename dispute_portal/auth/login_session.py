"""Starting and ending a login session in the browser: what the login page, the second
factor's pages and the password reset share (they are views of two blueprints, and no view
module imports another)."""

from __future__ import annotations

from flask import current_app, session, url_for
from flask_login import login_user, logout_user

from ..db import db
from . import operations as ops
from .models import AuthSession, Role, User

# The enrolment link (mfa.enrolment) opened just before logging in: carried over the login.
ENROL_LINK = "mfa_enrol_link"


def begin(user: User) -> AuthSession:
    """Start a login session: a fresh browser session, a server-side record, Flask-Login."""
    locale, link = session.get("locale"), session.get(ENROL_LINK)
    session.clear()  # a fresh session at every login: nothing else carries over from before
    if link is not None:
        session[ENROL_LINK] = link
    auth = ops.start_session(db.session(), user, current_app.config["SESSION_LIFETIME_HOURS"])
    if user.locale is None and locale:
        user.locale = locale
    login_user(user)
    return auth


def fresh_session(*, keep_csrf: bool = False) -> None:
    """Log out of Flask-Login and empty the browser's session but for its language."""
    keep = ("locale", "csrf_token") if keep_csrf else ("locale",)
    kept = {k: session[k] for k in keep if k in session}
    logout_user()
    session.clear()
    session.update(kept)


def home_for(user: User) -> str:
    """Where a person lands after logging in: the page of their role."""
    if user.role is Role.CLERK:
        return url_for("registry.intake")
    if user.role is Role.ADMIN:
        return url_for("auth.users")
    if user.role in (Role.MEDIATOR, Role.ARBITRATOR):
        return url_for("neutrals.caseload")
    if user.role is Role.FINANCE:
        return url_for("account.dashboard")
    return url_for("cases.my_cases")
