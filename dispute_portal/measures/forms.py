"""Forms of provisional measures: the request, the observations, the tribunal's order."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, TextAreaField
from wtforms.validators import InputRequired, Length

from ..cases.forms import CaseActionForm
from ..core.forms import DayField
from .models import OUTCOME_LABELS, Outcome

MAX_TEXT = 50_000


class RequestForm(CaseActionForm):
    measures = TextAreaField(
        _l("The measures requested"),
        description=_l("What the tribunal should order or recommend, and against whom."),
        validators=[
            InputRequired(_l("Say which measures the tribunal should order.")),
            Length(max=MAX_TEXT),
        ],
    )
    grounds = TextAreaField(
        _l("Why: the rights to preserve, and why the measures cannot wait"),
        validators=[InputRequired(_l("Give the reasons.")), Length(max=MAX_TEXT)],
    )
    urgent = BooleanField(
        _l("Urgent"),
        description=_l(
            "Mark the request urgent if harm would occur before the usual time for "
            "observations has run: the tribunal considers urgent requests first."
        ),
    )


class ObservationsForm(CaseActionForm):
    observations = TextAreaField(
        _l("Observations on the request"),
        validators=[InputRequired(_l("Give your observations.")), Length(max=MAX_TEXT)],
    )


class ShortenForm(CaseActionForm):
    until = DayField(
        _l("The new last day for observations"),
        description=_l(
            "A working day from today on, before the current one; a day off moves to the next "
            "working day."
        ),
        validators=[InputRequired(_l("Enter a date."))],
    )
    reason = TextAreaField(
        _l("Why the request cannot wait the usual time"),
        validators=[InputRequired(_l("Give the reasons.")), Length(max=MAX_TEXT)],
    )


class OrderForm(CaseActionForm):
    outcome = RadioField(
        _l("The tribunal's order"),
        choices=[],
        validators=[InputRequired(_l("Choose what the tribunal orders."))],
    )
    reason = TextAreaField(
        _l("The tribunal's reasons"),
        description=_l("The measures ordered (if any) and the reasons for the order."),
        validators=[InputRequired(_l("Give the reasons.")), Length(max=MAX_TEXT)],
    )

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.outcome.choices = [(o.value, gettext(OUTCOME_LABELS[o])) for o in Outcome]
