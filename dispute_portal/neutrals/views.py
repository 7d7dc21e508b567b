"""Neutrals' screens: assigning them (clerk), answering (neutral), caseload, conflicts."""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import login_required

bp = Blueprint("neutrals", __name__)


@bp.route("/cases/<int:case_id>/assign-mediator", methods=["GET", "POST"])
@login_required
def assign_mediator(case_id: int):
    abort(404)  # being built


@bp.route("/cases/<int:case_id>/tribunal", methods=["GET", "POST"])
@login_required
def tribunal(case_id: int):
    abort(404)


@bp.route("/cases/<int:case_id>/appointment", methods=["GET", "POST"])
@login_required
def appointment(case_id: int):
    abort(404)


@bp.get("/caseload")
@login_required
def caseload():
    abort(404)


@bp.route("/conflicts", methods=["GET", "POST"])
@login_required
def conflicts():
    abort(404)
