"""Forms of two-factor authentication: the code at login, enrolling an app, and confirming
who asks (a current code or the password) before the second factor is changed."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length, Optional

from ..core.forms import BaseForm


class CodeForm(BaseForm):
    """The second step of a login: a code from the app or a recovery code."""

    code = StringField(
        _l("Authentication code"),
        description=_l("The 6-digit code your authenticator app shows, or a recovery code."),
        validators=[DataRequired(_l("Enter the code.")), Length(max=32)],
    )


class EnrolForm(BaseForm):
    code = StringField(
        _l("Code from your app"),
        description=_l("After adding the account, type the 6 digits the app shows now."),
        validators=[DataRequired(_l("Enter the code.")), Length(max=32)],
    )


class ConfirmForm(BaseForm):
    """Who is asking: a current code from the app, or the account's password."""

    code = StringField(_l("Code from your app"), validators=[Optional(), Length(max=32)])
    password = PasswordField(_l("Or your password"), validators=[Optional(), Length(max=200)])
