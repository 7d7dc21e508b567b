"""The public page of the Centre's fees: the schedule in force, and a calculator from an
amount in dispute to the fees (a GET form: works without JavaScript, and a result can be
linked to)."""

from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue

from ..cases.models import Currency
from ..core.i18n import translate
from ..db import db
from .fees import FeesRefused, currencies, current_schedule, quote
from .forms import FeeCalculatorForm

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
