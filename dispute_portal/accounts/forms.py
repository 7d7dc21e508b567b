"""The fee calculator's form (a GET form: the answer is a page anyone may link to), the
admin's form of a new version of the schedule, and the case account's forms: a payment
recorded, an advance on costs requested, a lodging fee waived."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    Field,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import TextInput

from ..cases.forms import CaseActionForm
from ..cases.models import Currency
from ..core.forms import BaseForm, DayField, MoneyField


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


# The admin's new version of the schedule ---------------------------------------------------


class RateField(Field):
    """A rate in per cent as people type it: 2, 0.5 or 0,125 (a comma is the decimal one),
    from 0 to 100 with at most four decimals."""

    widget = TextInput()
    step = Decimal("0.0001")  # a rate in per cent: 0.125 is an eighth of a per cent
    message = _l("Enter a rate in per cent from 0 to 100, for example 0.5.")

    def _value(self) -> str:
        if self.raw_data:
            raw: str = self.raw_data[0]
            return raw
        return format(self.data.normalize(), "f") if self.data is not None else ""

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = None
        if not valuelist or not valuelist[0].strip():
            return
        try:
            value = Decimal(valuelist[0].strip().replace(" ", "").replace(",", "."))
        except InvalidOperation:
            value = Decimal(-1)
        if not value.is_finite() or not 0 <= value <= 100 or value != value.quantize(self.step):
            raise ValueError(self.message)
        self.data = value


class ShareField(RateField):
    """A side's share in per cent: 50, 60 or 33,33 (at most two decimals)."""

    step = Decimal("0.01")
    message = _l("Enter the share in per cent from 0 to 100, for example 60 or 33.33.")


BRACKET_ROWS = 6  # the brackets a currency may have (the last one with no end left empty)
MODE_CHOICES = [
    ("scale", _l("On a scale by the amount in dispute")),
    ("per_year", _l("A fixed fee for each year")),
]


def schedule_form(offered: list[Currency]) -> type[BaseForm]:
    """The form of a new schedule: for each currency the current one is published in, its
    lodging fee, its administrative fee (a scale of brackets, or a fixed fee a year) and the
    neutrals' rates. Rates are typed in per cent."""

    class ScheduleForm(BaseForm):
        name = StringField(_l("Name of the new version"), [DataRequired(), Length(max=200)])

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            for currency in offered:
                self[f"{currency.value}__mode"].choices = [(v, str(t)) for v, t in MODE_CHOICES]

    for currency in offered:
        c = currency.value
        fields: dict[str, Any] = {
            "lodging_fee": MoneyField(_l("Lodging fee"), [InputRequired(_l("Enter an amount."))]),
            "mode": RadioField(_l("Administrative fee"), choices=[], default="scale"),
            "per_year": MoneyField(_l("Fixed fee for each year"), [Optional()]),
            "minimum": MoneyField(_l("Least administrative fee on the scale"), [Optional()]),
            "maximum": MoneyField(_l("Greatest administrative fee on the scale"), [Optional()]),
            "hourly": MoneyField(
                _l("A neutral's hourly rate"), [InputRequired(_l("Enter an amount."))]
            ),
            "daily": MoneyField(
                _l("A neutral's daily rate"), [InputRequired(_l("Enter an amount."))]
            ),
        }
        for n in range(BRACKET_ROWS):
            fields[f"b{n}__up_to"] = MoneyField(_l("Up to"), [Optional()])
            fields[f"b{n}__rate"] = RateField(_l("Rate, per cent"), [Optional()])
        for name, field in fields.items():
            setattr(ScheduleForm, f"{c}__{name}", field)
    return ScheduleForm


def fill_schedule(form: BaseForm, fees: dict[str, Any]) -> None:
    """The form filled with the schedule in force, to change."""
    for c, part in fees.items():
        administrative = part["administrative"]
        form[f"{c}__lodging_fee"].data = Decimal(part["lodging_fee"])
        form[f"{c}__mode"].data = administrative["mode"]
        form[f"{c}__hourly"].data = Decimal(part["neutral_rates"]["hourly"])
        form[f"{c}__daily"].data = Decimal(part["neutral_rates"]["daily"])
        if administrative["mode"] == "per_year":
            form[f"{c}__per_year"].data = Decimal(administrative["amount"])
            continue
        form[f"{c}__minimum"].data = Decimal(administrative["minimum"])
        form[f"{c}__maximum"].data = Decimal(administrative["maximum"])
        for n, bracket in enumerate(administrative["brackets"][:BRACKET_ROWS]):
            if bracket["up_to"] is not None:
                form[f"{c}__b{n}__up_to"].data = Decimal(bracket["up_to"])
            form[f"{c}__b{n}__rate"].data = (Decimal(bracket["rate"]) * 100).normalize()


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def fees_from(form: BaseForm, offered: list[Currency]) -> dict[str, Any]:
    """The schedule the form says (fees.checked then judges it): the rows of brackets that
    have a rate, in order; a rate in per cent becomes a fraction."""
    fees: dict[str, Any] = {}
    for currency in offered:
        c = currency.value
        if form[f"{c}__mode"].data == "per_year":
            administrative: dict[str, Any] = {
                "mode": "per_year",
                "amount": _text(form[f"{c}__per_year"].data),
            }
        else:
            rows = [
                (form[f"{c}__b{n}__up_to"].data, form[f"{c}__b{n}__rate"].data)
                for n in range(BRACKET_ROWS)
            ]
            administrative = {
                "mode": "scale",
                "minimum": _text(form[f"{c}__minimum"].data),
                "maximum": _text(form[f"{c}__maximum"].data),
                "brackets": [
                    {"up_to": _text(up_to), "rate": str((rate / 100).normalize())}
                    for up_to, rate in rows
                    if rate is not None
                ],
            }
        fees[c] = {
            "lodging_fee": _text(form[f"{c}__lodging_fee"].data),
            "administrative": administrative,
            "neutral_rates": {
                "hourly": _text(form[f"{c}__hourly"].data),
                "daily": _text(form[f"{c}__daily"].data),
            },
        }
    return fees


# The case account -------------------------------------------------------------------------


class PaymentForm(CaseActionForm):
    """The finance officer's record of money received against one invoice (by hand: a
    transfer the statement import could not match, or money paid otherwise)."""

    invoice = HiddenField(validators=[InputRequired()])
    amount = MoneyField(
        _l("Amount received"),
        validators=[InputRequired(_l("Enter the amount received."))],
    )
    received_on = DayField(
        _l("Day received"),
        validators=[InputRequired(_l("Enter the day the money was received."))],
    )
    payer = StringField(
        _l("Paid by"),
        description=_l("As the bank names the payer."),
        validators=[DataRequired(_l("Enter who paid.")), Length(max=200)],
    )
    substitution = BooleanField(
        _l("Paid by the other side, in substitution"),
        description=_l("An overdue share of an advance that the other side paid in its place."),
    )


class AdvanceForm(CaseActionForm):
    """The registry's request for an advance on costs: the amount (the schedule's suggestion
    unless changed), and the claimant's share (the respondent pays the rest)."""

    amount = MoneyField(
        _l("Amount of the advance"),
        validators=[InputRequired(_l("Enter the amount of the advance."))],
    )
    currency = SelectField(_l("Currency"), choices=[], validators=[InputRequired()])
    claimant_percent = ShareField(
        _l("The claimant's share, per cent"),
        [InputRequired(_l("Enter the claimant's share."))],
        default=Decimal(50),
        description=_l("The respondent pays the rest. Equal shares unless there are reasons."),
    )
    reason = TextAreaField(
        _l("Reasons for shares that are not equal"),
        validators=[Optional(), Length(max=5000)],
    )

    def __init__(self, *args: Any, currencies: list[Currency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.currency.choices = [(c.value, c.value) for c in currencies]


class WaiverForm(CaseActionForm):
    """The registry's waiver of a claim's lodging fee, with its reasons."""

    reason = TextAreaField(
        _l("Why the fee is waived"),
        validators=[DataRequired(_l("Give the reasons.")), Length(max=5000)],
    )


class StatementForm(BaseForm):
    """The Centre's bank statement, as the bank's e-banking exports it."""

    file = FileField(
        _l("Bank statement"),
        description=_l(
            "An MT940 (.sta, .txt) or camt.053 (.xml) file of one of the Centre's accounts."
        ),
    )


class MatchForm(BaseForm):
    """The invoice an unmatched credit pays, by its number."""

    invoice = StringField(
        _l("Invoice number"),
        description=_l("For example INV-2026-000123."),
        validators=[DataRequired(_l("Enter the number of the invoice the credit pays.")),
                    Length(max=20)],
    )  # fmt: skip
    substitution = BooleanField(_l("Paid by the other side, in substitution"))


class FeeNoteForm(CaseActionForm):
    """A neutral's note of time and expenses on the case."""

    time_spent = MoneyField(
        _l("Time spent"),
        description=_l("In hours or days, for example 7.5."),
        validators=[InputRequired(_l("Enter the time spent (0 if only expenses)."))],
    )
    unit = RadioField(
        _l("Counted in"),
        choices=[],
        default="hours",
        validators=[InputRequired(_l("Choose hours or days."))],
    )
    expenses = MoneyField(
        _l("Expenses"),
        description=_l("Travel, hearing rooms, interpretation: 0 if none."),
        default=Decimal("0.00"),
        validators=[InputRequired(_l("Enter the expenses (0 if none)."))],
    )
    description = TextAreaField(
        _l("What the time and the expenses were for"),
        validators=[DataRequired(_l("Say what the time and the expenses were for.")),
                    Length(max=5000)],
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unit.choices = [("hours", _l("Hours")), ("days", _l("Days"))]


class NoteDecisionForm(CaseActionForm):
    """The registry's decision on a fee note: approve it, or reject it with reasons."""

    decision = RadioField(
        _l("Decision"),
        choices=[],
        validators=[InputRequired(_l("Choose to approve or to reject the note."))],
    )
    reason = TextAreaField(
        _l("Why the note is rejected"),
        validators=[Optional(), Length(max=5000)],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.decision.choices = [
            ("approve", _l("Approve and charge it to the advance")),
            ("reject", _l("Reject")),
        ]


class PaidForm(CaseActionForm):
    """The finance officer's record that the Centre paid (a neutral's note, a refund)."""

    paid_on = DayField(
        _l("Day paid"),
        validators=[InputRequired(_l("Enter the day the Centre paid."))],
    )
