"""The public page of the Centre's fees: the schedule in force, and a calculator from an
amount in dispute to the fees (a GET form: works without JavaScript, and a result can be
linked to); and the admin's page that publishes a new version of the schedule."""

from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from ...auth.models import Role
from ...cases.models import Currency
from ...core.actions import redirect_with, run_form_action
from ...core.i18n import translate
from ...core.typed import login_required
from ...db import db
from ...policy import is_staff
from .. import fees
from ..fees import FeesRefused, currencies, current_schedule, quote
from ..forms import BRACKET_ROWS, FeeCalculatorForm, fees_from, fill_schedule, schedule_form

bp = Blueprint("fees", __name__)


@bp.get("/fees")
def schedule() -> ResponseReturnValue:
    """Public: the schedule of fees in force, and what it comes to for an amount."""
    current = current_schedule(db.session())
    offered = currencies(current.fees)
    form = FeeCalculatorForm(formdata=request.args or None, currencies=offered)
    result, status = None, 200
    if request.args:
        if form.validate() and form.amount.data is not None:
            try:
                result = quote(current.fees, form.amount.data, Currency(form.currency.data))
            except FeesRefused as refused:
                form.amount.errors = [*form.amount.errors, translate(refused.message)]
                status = 400
        else:
            status = 400
    parts = [(c, quote(current.fees, Decimal(0), c)) for c in offered]
    return render_template(
        "accounts/fees.html", schedule=current, parts=parts, form=form, result=result
    ), status


@bp.route("/admin/fees", methods=["GET", "POST"])
@login_required
def admin() -> ResponseReturnValue:
    """The admin publishes a new version of the schedule; cases filed before keep theirs."""
    if not is_staff(current_user, Role.ADMIN):
        abort(403)
    current = current_schedule(db.session())
    offered = currencies(current.fees)
    form = schedule_form(offered)()
    if request.method == "GET":
        fill_schedule(form, current.fees)

    def page(status: int) -> ResponseReturnValue:
        return render_template(
            "accounts/admin_fees.html",
            form=form,
            current=current,
            offered=offered,
            versions=fees.schedules(db.session()),
            rows=range(BRACKET_ROWS),
        ), status

    return run_form_action(
        form,
        lambda: fees.publish(
            db.session(), name=form.name.data or "", fees=fees_from(form, offered), by=current_user
        ),
        done=lambda made: redirect_with(
            gettext(
                "Version %(version)s of the schedule is in force for claims filed from now on.",
                version=made.version,
            ),
            url_for("fees.admin"),
        ),
        page=page,
    )
