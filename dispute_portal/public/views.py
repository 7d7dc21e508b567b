"""Pages for everyone: the home page (or the user's own start page) and /healthz."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ..auth.login_session import home_for

bp = Blueprint("public", __name__)


@bp.get("/")
def home() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    return render_template("public/home.html")


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """For the load balancer and the benchmark: the app answers (no database, no session):
    what the stack itself can serve, the yardstick of every other page."""
    return "ok\n", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}
