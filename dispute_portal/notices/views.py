"""The portal inbox, and the admin's view of the e-mail outbox."""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import login_required

bp = Blueprint("notices", __name__)


@bp.route("/notifications", methods=["GET", "POST"])
@login_required
def inbox():
    abort(404)  # being built


@bp.get("/admin/outbox")
@login_required
def outbox():
    abort(404)
