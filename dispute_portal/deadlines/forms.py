"""The admin's forms: the rule set (one field a time limit of the current rule set, built
from it), and the calendar's draft list and its publishing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import DecimalField, IntegerField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from ..core.forms import BaseForm, DayField
from .rules import DEADLINE_LABELS, setting

UNIT_CHOICES = [
    ("calendar_days", _l("calendar days")),
    ("business_days", _l("business days")),
    ("months", _l("months")),
]
VARIANT_LABELS = {"award_expedited": _l("The award (expedited track)")}
# The rule set's `mediation_first`: the road a registered case takes unless the parties
# agree otherwise.
ROAD_CHOICES = [
    ("1", _l("To mediation first, unless the parties agree to go straight to arbitration")),
    ("0", _l("To arbitration, unless the parties agree to mediate")),
]
# The rule set's `excerpts_without_consent`.
EXCERPT_CHOICES = [
    ("1", _l("An excerpt of the reasoning, which the tribunal chooses")),
    ("0", _l("Nothing of the decision")),
]


class CountField(IntegerField):
    """A count of days or times: at most 9 digits (a longer number is no count, and the
    range check of a huge one would overflow)."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        if valuelist and isinstance(valuelist[0], str) and len(valuelist[0].strip()) > 9:
            self.data = None
            raise ValueError(self.gettext("Not a valid integer value."))
        super().process_formdata(valuelist)


def rule_set_form(current: dict[str, Any]) -> type[BaseForm]:
    """A form with one amount and one unit per time limit of the current rule set."""

    class RuleSetForm(BaseForm):
        name = StringField(_l("Name of the new version"), [DataRequired(), Length(max=200)])
        mediation_extension_days = CountField(
            _l("Extension of mediation (days)"), [InputRequired(), NumberRange(1, 365)]
        )
        mediation_extensions_allowed = CountField(
            _l("Extensions of mediation allowed"), [InputRequired(), NumberRange(0, 5)]
        )
        mediation_inactivity_days = CountField(
            _l("Mediation ends after this many days without activity"),
            [InputRequired(), NumberRange(1, 1000)],
        )
        remind_days_before = CountField(
            _l("Remind this many days before a deadline"), [InputRequired(), NumberRange(0, 60)]
        )
        respondent_join_days = CountField(
            _l("Remind the registry when the respondent has not joined after this many days"),
            [InputRequired(), NumberRange(1, 365)],
        )
        inactivity_days = CountField(
            _l("Notice of inactivity after this many days without a step of the parties"),
            [InputRequired(), NumberRange(1, 3650)],
        )
        non_payment_discontinuance_days = CountField(
            _l("A suspension for non-payment may end the case after this many days"),
            [InputRequired(), NumberRange(1, 3650)],
        )
        challenge_days = CountField(
            _l("A party proposes to disqualify a neutral within this many days of learning why"),
            [InputRequired(), NumberRange(1, 365)],
        )
        redaction_days = CountField(
            _l("Each side proposes passages of a decision to withhold within this many days"),
            [InputRequired(), NumberRange(1, 365)],
        )
        mediation_first = RadioField(_l("A registered case goes"), choices=[], default="1")
        excerpts_without_consent = RadioField(
            _l("Without both sides' consent to publication, the register shows"),
            choices=[],
            default="1",
        )
        expedited_limit_usd = DecimalField(
            _l("Expedited track: amount claimed up to (USD)"),
            [InputRequired(), NumberRange(0, 10**15)],
        )

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.mediation_first.choices = [(v, str(label)) for v, label in ROAD_CHOICES]
            self.excerpts_without_consent.choices = [
                (v, str(label)) for v, label in EXCERPT_CHOICES
            ]
            for key in current["deadlines"]:
                self[f"{key}__unit"].choices = [
                    (value, str(label)) for value, label in UNIT_CHOICES
                ]

    for key in current["deadlines"]:
        label = VARIANT_LABELS.get(key) or _l(DEADLINE_LABELS.get(key, key))
        setattr(
            RuleSetForm,
            f"{key}__amount",
            CountField(label, [InputRequired(), NumberRange(1, 3650)]),
        )
        setattr(RuleSetForm, f"{key}__unit", SelectField(_l("Unit"), choices=[]))
    return RuleSetForm


def rules_from(form: BaseForm, current: dict[str, Any]) -> dict[str, Any]:
    return {
        "deadlines": {
            key: {
                "amount": form[f"{key}__amount"].data,
                "unit": form[f"{key}__unit"].data,
            }
            for key in current["deadlines"]
        },
        "mediation_extension_days": form.mediation_extension_days.data,
        "mediation_extensions_allowed": form.mediation_extensions_allowed.data,
        "mediation_inactivity_days": form.mediation_inactivity_days.data,
        "remind_days_before": form.remind_days_before.data,
        "respondent_join_days": form.respondent_join_days.data,
        "inactivity_days": form.inactivity_days.data,
        "non_payment_discontinuance_days": form.non_payment_discontinuance_days.data,
        "challenge_days": form.challenge_days.data,
        "redaction_days": form.redaction_days.data,
        "mediation_first": form.mediation_first.data == "1",
        "excerpts_without_consent": form.excerpts_without_consent.data == "1",
        "expedited_limit_usd": form.expedited_limit_usd.data,
    }


def fill(form: BaseForm, current: dict[str, Any]) -> None:
    for key, rule in current["deadlines"].items():
        form[f"{key}__amount"].data = rule["amount"]
        form[f"{key}__unit"].data = rule["unit"]
    for key in (
        "mediation_extension_days",
        "mediation_extensions_allowed",
        "mediation_inactivity_days",
        "remind_days_before",
        "respondent_join_days",
        "inactivity_days",
        "non_payment_discontinuance_days",
        "challenge_days",
        "redaction_days",
    ):
        form[key].data = setting(current, key)
    form.mediation_first.data = "1" if setting(current, "mediation_first") else "0"
    form.excerpts_without_consent.data = (
        "1" if setting(current, "excerpts_without_consent") else "0"
    )
    form.expedited_limit_usd.data = Decimal(current["expedited_limit_usd"])


# The calendar of days off -----------------------------------------------------------------

KIND_CHOICES = [
    ("day_off", _l("Extra day off: the Centre is closed on this weekday")),
    ("working_day", _l("Working day: the Centre is open on this Saturday, Sunday or holiday")),
]


class CalendarDayForm(BaseForm):
    """A day for the draft list of the calendar."""

    day = DayField(_l("Day"), [InputRequired()])
    kind = RadioField(_l("What the day is"), choices=[], default="day_off")
    reason = StringField(
        _l("Reason"),
        [DataRequired(), Length(max=300)],
        description=_l("For example: Government decree No. 123 of 1 December 2026"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = [(value, str(label)) for value, label in KIND_CHOICES]


class PublishCalendarForm(BaseForm):
    name = StringField(_l("Name of the new version"), [DataRequired(), Length(max=200)])
