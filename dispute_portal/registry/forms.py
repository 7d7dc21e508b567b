"""The clerk's reasons for returning or rejecting a claim."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from ..cases.forms import CaseActionForm


class ReasonForm(CaseActionForm):
    reason = TextAreaField(
        _l("Reasons"),
        validators=[DataRequired(_l("Give the reasons.")), Length(max=20000)],
    )
