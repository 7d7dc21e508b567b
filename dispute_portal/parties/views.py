"""Inviting people to act for a side, and joining by invitation."""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import login_required

bp = Blueprint("parties", __name__)


@bp.route("/cases/<int:case_id>/invite/<standing>", methods=["GET", "POST"])
@login_required
def invite(case_id: int, standing: str):
    abort(404)  # being built


@bp.route("/join/<token>", methods=["GET", "POST"])
def join(token: str):
    abort(404)
