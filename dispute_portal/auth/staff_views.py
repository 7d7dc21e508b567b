"""The admin's page of one account: who it is, and the nationality the public register
shows beside a mediator's or arbitrator's name (set when the account was made, changed
here: a neutral's account made before the register had none)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ..audit.operations import log_security
from ..core.actions import redirect_with, run_form_action
from ..core.typed import gettext, login_required
from ..db import db
from ..policy import is_staff
from . import operations as ops
from .forms import NationalityForm
from .models import ROLE_LABELS, Role, User

bp = Blueprint("staff", __name__)


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@login_required
def account(user_id: int) -> ResponseReturnValue:
    if not is_staff(current_user, Role.ADMIN):
        abort(403)
    person = db.session.get(User, user_id)
    if person is None:
        abort(404)
    form = NationalityForm(data={"nationality": person.nationality or ""})

    def changed(old: str | None) -> ResponseReturnValue:
        data = {"user": person.id, "from": old, "to": person.nationality}
        log_security(db.session(), "nationality_changed", user=current_user, data=data)
        return redirect_with(
            gettext("The nationality of %(name)s is recorded.", name=person.name),
            url_for("staff.account", user_id=person.id),
        )

    return run_form_action(
        form,
        lambda: ops.set_nationality(person, form.nationality.data),
        done=changed,
        page=lambda status: (
            render_template(
                "auth/staff_account.html", form=form, person=person, role_labels=ROLE_LABELS
            ),
            status,
        ),
    )
