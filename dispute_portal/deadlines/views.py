"""The admin's rule sets: every version, and publishing a new one."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from ..auth.models import Role
from ..core.actions import redirect_with, run_form_action
from ..core.typed import login_required
from ..db import db
from ..policy import is_staff
from . import operations as ops
from .forms import fill, rule_set_form, rules_from
from .queries import current_rule_set

bp = Blueprint("deadlines", __name__, url_prefix="/admin/rules")


@bp.route("/", methods=["GET", "POST"])
@login_required
def rules() -> ResponseReturnValue:
    if not is_staff(current_user, Role.ADMIN):
        abort(403)
    current = current_rule_set(db.session())
    form = rule_set_form(current.rules)()
    if request.method == "GET":
        fill(form, current.rules)

    def page(status: int) -> ResponseReturnValue:
        return render_template(
            "deadlines/rules.html",
            form=form,
            current=current,
            versions=ops.rule_sets(db.session()),
        ), status

    return run_form_action(
        form,
        lambda: ops.new_rule_set(
            db.session(),
            name=form.name.data,
            rules=rules_from(form, current.rules),
            by=current_user,
        ),
        done=lambda made: redirect_with(
            gettext(
                "Version %(version)s is in force for cases registered from now on.",
                version=made.version,
            ),
            url_for("deadlines.rules"),
        ),
        page=page,
    )
