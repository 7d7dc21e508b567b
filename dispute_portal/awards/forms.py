"""The forms of the award, the costs, the counterclaims and a grace period."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import IO, Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import Field, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from ..cases.forms import CURRENCIES
from ..cases.models import Currency
from ..core.forms import DayField, MoneyField, blank_choice
from ..parties.models import Side
from ..proceedings.forms import MAX_TEXT, ActForm
from .models import COSTS_MODE_LABELS, OPINION_LABELS, CostsAllocation, CostsMode

ITEM_ROWS = (1, 2, 3, 4, 5)
CURRENCY_CODES = frozenset(c.value for c in Currency)
FILE_SLOTS = (1, 2, 3)


def _sides() -> list[tuple[str, str]]:
    return [
        (Side.CLAIMANT.value, gettext("The claimant")),
        (Side.RESPONDENT.value, gettext("The respondent")),
    ]


class CostsFields(ActForm):
    """How the costs are allocated: the mode, and what the mode needs (checked again by the
    operation, which says beside which field what is missing)."""

    costs_mode = RadioField(
        _l("Costs of the proceedings"),
        choices=[],
        validators=[InputRequired(_l("Choose how the costs are allocated."))],
    )
    costs_payer = RadioField(_l("The party that pays"), choices=[], validators=[Optional()])
    costs_claimant_percent = MoneyField(
        _l("The claimant's share of the costs, in per cent (when they are shared)")
    )
    costs_amount = MoneyField(_l("The amount the paying party pays the other"))
    costs_currency = SelectField(_l("Currency of the amount"), choices=[], validate_choice=False)
    modes: tuple[CostsMode, ...] = tuple(CostsMode)

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.costs_mode.choices = [(m.value, gettext(COSTS_MODE_LABELS[m])) for m in self.modes]
        self.costs_payer.choices = _sides()
        self.costs_currency.choices = [blank_choice(), *CURRENCIES]

    def validate_costs_currency(self, field: Field) -> None:
        if field.data and field.data not in CURRENCY_CODES:
            raise ValidationError(gettext("Choose the currency."))

    def validate_costs_claimant_percent(self, field: Field) -> None:
        if field.data is not None and field.data > Decimal(100):
            raise ValidationError(gettext("Give the claimant's share as a per cent, 0 to 100."))

    def costs(self) -> CostsAllocation:
        return CostsAllocation(
            CostsMode(self.costs_mode.data),
            Side(self.costs_payer.data) if self.costs_payer.data else None,
            self.costs_claimant_percent.data,
            self.costs_amount.data,
            Currency(self.costs_currency.data) if self.costs_currency.data else None,
        )


class AwardForm(CostsFields):
    """The award (or its draft): the reasons, the costs, and the decision on a counterclaim."""

    counterclaim_decision = TextAreaField(
        _l("The decision on the counterclaim"), validators=[Length(max=MAX_TEXT)]
    )


class CostsDecisionForm(CostsFields):
    modes = (CostsMode.OWN, CostsMode.LOSER, CostsMode.SPLIT)


class OpinionForm(ActForm):
    kind = RadioField(
        _l("Kind of opinion"),
        choices=[],
        validators=[InputRequired(_l("Choose the kind of opinion."))],
    )

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.kind.choices = [(k.value, gettext(label)) for k, label in OPINION_LABELS.items()]


class CostsOrderForm(ActForm):
    due = DayField(
        _l("Date by which each party files its statement of costs"),
        validators=[InputRequired(_l("Enter a date."))],
    )


class GraceForm(ActForm):
    until = DayField(
        _l("Last day of the grace period (at most 60 days from today)"),
        validators=[InputRequired(_l("Enter a date."))],
    )


class CostsStatementForm(ActForm):
    """A statement of costs: up to five items, each a description, an amount and a currency;
    rows left empty are ignored."""

    item_1_description = StringField(_l("Item 1: what it is"), validators=[Length(max=300)])
    item_1_amount = MoneyField(_l("Item 1: amount"))
    item_1_currency = SelectField(_l("Item 1: currency"), choices=[], validate_choice=False)
    item_2_description = StringField(_l("Item 2: what it is"), validators=[Length(max=300)])
    item_2_amount = MoneyField(_l("Item 2: amount"))
    item_2_currency = SelectField(_l("Item 2: currency"), choices=[], validate_choice=False)
    item_3_description = StringField(_l("Item 3: what it is"), validators=[Length(max=300)])
    item_3_amount = MoneyField(_l("Item 3: amount"))
    item_3_currency = SelectField(_l("Item 3: currency"), choices=[], validate_choice=False)
    item_4_description = StringField(_l("Item 4: what it is"), validators=[Length(max=300)])
    item_4_amount = MoneyField(_l("Item 4: amount"))
    item_4_currency = SelectField(_l("Item 4: currency"), choices=[], validate_choice=False)
    item_5_description = StringField(_l("Item 5: what it is"), validators=[Length(max=300)])
    item_5_amount = MoneyField(_l("Item 5: amount"))
    item_5_currency = SelectField(_l("Item 5: currency"), choices=[], validate_choice=False)

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        for n in ITEM_ROWS:
            self[f"item_{n}_currency"].choices = [blank_choice(), *CURRENCIES]

    def rows(self) -> list[tuple[Field, Field, Field]]:
        return [
            (self[f"item_{n}_description"], self[f"item_{n}_amount"], self[f"item_{n}_currency"])
            for n in ITEM_ROWS
        ]

    def validate(self, extra_validators: Mapping[str, Sequence[Any]] | None = None) -> bool:
        ok: bool = super().validate(extra_validators)
        filled = 0
        for description, amount, currency in self.rows():
            text = (description.data or "").strip()
            if not (text or amount.data is not None or currency.data):
                continue
            filled += 1
            if not text:
                description.errors.append(gettext("Describe the item."))
                ok = False
            if amount.data is None and not amount.errors:
                amount.errors.append(gettext("Give the amount."))
                ok = False
            if currency.data not in CURRENCY_CODES:
                currency.errors.append(gettext("Choose the currency."))
                ok = False
        if not filled and ok:
            self.item_1_description.errors.append(gettext("List at least one item of costs."))
            ok = False
        return ok

    def items(self) -> list[tuple[str, Decimal, Currency]]:
        return [
            (d.data.strip(), a.data, Currency(c.data))
            for d, a, c in self.rows()
            if (d.data or "").strip() and a.data is not None and c.data
        ]


class CounterclaimForm(ActForm):
    amount = MoneyField(
        _l("Amount of the counterclaim"), validators=[InputRequired(_l("Give the amount."))]
    )
    currency = SelectField(
        _l("Currency"), choices=[], validators=[InputRequired(_l("Choose the currency."))]
    )
    file_1 = FileField(_l("Document (PDF, DOCX, PNG or JPEG)"))
    file_2 = FileField(_l("Document (PDF, DOCX, PNG or JPEG)"))
    file_3 = FileField(_l("Document (PDF, DOCX, PNG or JPEG)"))

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.currency.choices = [blank_choice(), *CURRENCIES]

    def upload_field(self, position: int) -> str:
        return [f"file_{n}" for n in FILE_SLOTS if self[f"file_{n}"].data][position]

    def uploads(self) -> list[tuple[IO[bytes], str]]:
        return [
            (self[f"file_{n}"].data.stream, self[f"file_{n}"].data.filename or "")
            for n in FILE_SLOTS
            if self[f"file_{n}"].data
        ]
