"""Forms of the objections pages: an act with its reasons (ActForm), an objection to
jurisdiction that may ask for bifurcation, and the tribunal's decision on that request."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, TextAreaField
from wtforms.validators import InputRequired, Length

from ..proceedings.forms import MAX_TEXT, ActForm


class JurisdictionObjectionForm(ActForm):
    bifurcation = BooleanField(
        _l("Ask that the objection be decided first, before the merits (bifurcation)")
    )
    bifurcation_reasons = TextAreaField(
        _l("Reasons for bifurcation (optional: else the grounds above)"),
        validators=[Length(max=MAX_TEXT)],
    )


class BifurcationDecisionForm(ActForm):
    granted = RadioField(
        _l("The request for bifurcation"),
        choices=[],
        validators=[InputRequired(_l("Grant or refuse the request."))],
    )

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.granted.choices = [
            ("yes", gettext("Granted: decide jurisdiction first, the merits wait")),
            ("no", gettext("Refused: the objection is joined to the merits")),
        ]
