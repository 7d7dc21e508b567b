"""Forms for verifying a ruling and for the clerk's print queue (filter, print, mark served)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional

from ..core.forms import BaseForm, DayField
from .kinds import KINDS


class VerifyForm(BaseForm):
    code = StringField(
        _l("Verification code"),
        description=_l("The code printed at the end of the ruling, for example 7KQ2-M9XD-4TRB."),
        validators=[Optional(), Length(max=40)],
    )
    file = FileField(_l("Or upload the PDF file"))

    def has_file(self) -> bool:
        return bool(self.file.data and self.file.data.filename)

    def validate(self, extra_validators: Any = None) -> bool:
        """The fields, then: something to check (a code or a file) was given."""
        if not super().validate(extra_validators):
            return False
        if not self.has_file() and not (self.code.data or "").strip():
            self.code.errors = [
                *self.code.errors,
                gettext("Enter the verification code, or choose the PDF file to upload."),
            ]
            return False
        return True


class QueueFilterForm(BaseForm):
    """The print queue's filters: a GET form, nothing to protect."""

    class Meta:
        csrf = False

    kind = SelectField(_l("Kind"), choices=[], validators=[Optional()])
    issued_from = DayField(_l("Issued from"), validators=[Optional()])
    issued_to = DayField(_l("Issued until"), validators=[Optional()])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = [("", gettext("All kinds"))] + [
            (k.key, gettext(k.title)) for k in KINDS.values()
        ]


class PrintActionForm(BaseForm):
    served_on = DayField(_l("Served on"), validators=[Optional()])
