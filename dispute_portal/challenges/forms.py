"""Forms of the challenge pages: the proposal (whom, since when, the facts), the texts of the
comments, observations and resignation, a member's vote and the decision."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import Field, RadioField, SelectMultipleField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..cases.forms import CaseActionForm
from ..core.forms import DayField
from ..proceedings.forms import MAX_TEXT
from .models import OUTCOME_LABELS, VOTE_LABELS, Outcome, Vote


class TextActForm(CaseActionForm):
    """An act with one text (comments, observations, reasons): its label is the act's."""

    text = TextAreaField(_l("Reasons"), validators=[Length(max=MAX_TEXT)])

    def __init__(self, *args: Any, label: str | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        if label:
            self.text.label.text = label

    def validate_text(self, field: Field) -> None:
        if not (field.data or "").strip():
            raise ValidationError(gettext("Write the text."))


class ProposeForm(TextActForm):
    persons = SelectMultipleField(
        _l("Whom you propose to disqualify"),
        coerce=int,
        choices=[],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=False,  # a person no longer on the case is the operation's refusal
    )
    learned_on = DayField(
        _l("The day you learned of the facts"),
        validators=[InputRequired(_l("Enter a date."))],
    )

    def validate_persons(self, field: Field) -> None:
        if not field.data:
            raise ValidationError(gettext("Choose whom you propose to disqualify."))


class VoteForm(TextActForm):
    vote = RadioField(
        _l("Your vote"),
        choices=[],
        validators=[InputRequired(_l("Choose your vote."))],
    )

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.vote.choices = [(v.value, gettext(VOTE_LABELS[v])) for v in Vote]


class DecideForm(TextActForm):
    """The decision: the Centre chooses the outcome; the members' is the one they voted."""

    # Checked below: only the Centre chooses; the members' outcome is their vote.
    outcome = RadioField(_l("The decision"), choices=[], validate_choice=False)

    def __init__(self, *args: Any, by_centre: bool = False, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.by_centre = by_centre
        self.outcome.choices = [(o.value, gettext(OUTCOME_LABELS[o])) for o in Outcome.decisions()]

    def validate_outcome(self, field: Field) -> None:
        if self.by_centre and field.data not in {o.value for o in Outcome.decisions()}:
            raise ValidationError(gettext("Choose the decision."))
