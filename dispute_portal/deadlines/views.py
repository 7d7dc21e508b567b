"""The admin's rule sets: every version, and publishing a new one."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from ..auth.models import Role
from ..core.web import perform
from ..db import db
from ..policy import is_staff
from . import operations as ops
from .forms import fill, rule_set_form, rules_from

bp = Blueprint("deadlines", __name__, url_prefix="/admin/rules")


@bp.route("/", methods=["GET", "POST"])
@login_required
def rules():
    if not is_staff(current_user, Role.ADMIN):
        abort(403)
    current = ops.current_rule_set(db.session)
    form = rule_set_form(current.rules)()
    if request.method == "GET":
        fill(form, current.rules)
    elif form.validate_on_submit():
        outcome = perform(
            ops.new_rule_set,
            db.session,
            name=form.name.data,
            rules=rules_from(form, current.rules),
            by=current_user,
        )
        if outcome.ok:
            flash(
                gettext(
                    "Version %(version)s is in force for cases registered from now on.",
                    version=outcome.value.version,
                ),
                "success",
            )
            return redirect(url_for("deadlines.rules"))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "deadlines/rules.html",
        form=form,
        current=current,
        versions=ops.rule_sets(db.session),
    ), status
