"""Forms of a non-disputing party's application: the registry's record of it, the parties'
observations, the tribunal's decision."""

from __future__ import annotations

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
        choices=[(k.value, APPLICANT_KIND_LABELS[k]) for k in ApplicantKind],
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
        choices=[(r.value, RECEIVED_BY_LABELS[r]) for r in ReceivedBy],
        validators=[InputRequired()],
    )
    received_on = DayField(_l("Received on"), validators=[InputRequired(_l("Enter a date."))])
    document = FileField(
        _l("The written submission"),
        description=_l("PDF, DOCX or an image, as received."),
    )


class ObservationsForm(CaseActionForm):
    observations = TextAreaField(
        _l("Observations on the application"),
        validators=[InputRequired(_l("Give your observations.")), Length(max=MAX_TEXT)],
    )


class DecisionForm(CaseActionForm):
    decision = RadioField(
        _l("The tribunal's decision"),
        choices=[(d.value, DECISION_LABELS[d]) for d in Decision],
        validators=[InputRequired(_l("Choose the tribunal's decision."))],
    )
    reason = TextAreaField(
        _l("The tribunal's reasons"),
        validators=[InputRequired(_l("Give the reasons.")), Length(max=MAX_TEXT)],
    )
