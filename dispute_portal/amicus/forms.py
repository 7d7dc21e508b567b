"""Forms of a non-disputing party's application: the registry's record of it, the parties'
observations, the tribunal's decision."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from ..cases.forms import CaseActionForm
from ..core.forms import DayField
from .models import (
    APPLICANT_KIND_LABELS,
    DECISION_LABELS,
    RECEIVED_BY_LABELS,
    ApplicantKind,
    Decision,
    ReceivedBy,
)

MAX_TEXT = 50_000


class ApplicationForm(CaseActionForm):
    applicant_name = StringField(
        _l("Name of the applicant"),
        validators=[InputRequired(_l("Give the applicant's name.")), Length(max=300)],
    )
    applicant_kind = SelectField(
        _l("The applicant is"),
        choices=[],
        validators=[InputRequired()],
    )
    description = TextAreaField(
        _l("Who the applicant is"),
        description=_l("Its nature, membership, and any link with a party or a funder."),
        validators=[InputRequired(_l("Say who the applicant is.")), Length(max=MAX_TEXT)],
    )
    interest = TextAreaField(
        _l("The applicant's interest in the proceeding"),
        validators=[
            InputRequired(_l("Say what the applicant's interest is.")),
            Length(max=MAX_TEXT),
        ],
    )
    received_by = SelectField(
        _l("Received"),
        choices=[],
        validators=[InputRequired()],
    )
    received_on = DayField(_l("Received on"), validators=[InputRequired(_l("Enter a date."))])
    document = FileField(
        _l("The written submission"),
        description=_l("PDF, DOCX or an image, as received."),
    )

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.applicant_kind.choices = [
            (k.value, gettext(APPLICANT_KIND_LABELS[k])) for k in ApplicantKind
        ]
        self.received_by.choices = [(r.value, gettext(RECEIVED_BY_LABELS[r])) for r in ReceivedBy]


class ObservationsForm(CaseActionForm):
    observations = TextAreaField(
        _l("Observations on the application"),
        validators=[InputRequired(_l("Give your observations.")), Length(max=MAX_TEXT)],
    )


class DecisionForm(CaseActionForm):
    decision = RadioField(
        _l("The tribunal's decision"),
        choices=[],
        validators=[InputRequired(_l("Choose the tribunal's decision."))],
    )
    reason = TextAreaField(
        _l("The tribunal's reasons"),
        validators=[InputRequired(_l("Give the reasons.")), Length(max=MAX_TEXT)],
    )

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.decision.choices = [(d.value, gettext(DECISION_LABELS[d])) for d in Decision]
