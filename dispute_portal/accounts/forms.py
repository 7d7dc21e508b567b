"""The fee calculator's form (a GET form: the answer is a page anyone may link to)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.validators import InputRequired

from ..cases.models import Currency
from ..core.forms import BaseForm, MoneyField


class FeeCalculatorForm(BaseForm):
    class Meta:
        csrf = False

    amount = MoneyField(
        _l("Amount in dispute"),
        description=_l("As in the claim, for example 2 500 000,00 or 2,500,000.00."),
        validators=[InputRequired(_l("Enter the amount in dispute."))],
    )
    currency = SelectField(_l("Currency"), choices=[], validators=[InputRequired()])

    def __init__(self, *args: Any, currencies: list[Currency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.currency.choices = [(c.value, c.value) for c in currencies]
