"""Acting on a case: the transition pages, submissions, sessions and hearings, notes, trail."""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import login_required

bp = Blueprint("proceedings", __name__, url_prefix="/cases/<int:case_id>")


@bp.route("/act/<action>", methods=["GET", "POST"])
@login_required
def act(case_id: int, action: str):
    abort(404)  # being built


@bp.route("/submissions/new", methods=["GET", "POST"])
@login_required
def submission(case_id: int):
    abort(404)


@bp.route("/meetings/new", methods=["GET", "POST"])
@login_required
def meeting(case_id: int):
    abort(404)


@bp.route("/notes", methods=["GET", "POST"])
@login_required
def notes(case_id: int):
    abort(404)


@bp.get("/trail")
@login_required
def trail(case_id: int):
    abort(404)


@bp.route("/deadlines/extend", methods=["GET", "POST"])
@login_required
def extend_deadline(case_id: int):
    abort(404)
