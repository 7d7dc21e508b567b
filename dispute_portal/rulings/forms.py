from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import StringField
from wtforms.validators import Length, Optional


class VerifyForm(FlaskForm):
    code = StringField(
        _l("Verification code"),
        description=_l("The code printed at the end of the ruling, for example 7KQ2-M9XD-4TRB."),
        validators=[Optional(), Length(max=40)],
    )
    file = FileField(_l("Or upload the PDF file"))
