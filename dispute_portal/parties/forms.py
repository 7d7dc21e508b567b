"""Forms for inviting someone to a case and for joining it by invitation."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, StringField
from wtforms.validators import DataRequired, Email, Length

from ..auth.forms import password_pair
from ..cases.forms import CaseActionForm
from ..core.forms import BaseForm


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class InviteForm(CaseActionForm):
    name = StringField(
        _l("Full name"),
        filters=[_strip],
        validators=[DataRequired(_l("Give the person's name.")), Length(max=200)],
    )
    email = EmailField(
        _l("Email address"),
        description=_l("The invitation link goes to this address. It works once."),
        filters=[_strip],
        validators=[
            DataRequired(_l("Give the email address.")),
            Email(check_deliverability=False),
            Length(max=254),
        ],
    )


class JoinForm(BaseForm):
    """Confirm joining a case with the account one is logged in with."""


class JoinNewAccountForm(BaseForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    password, confirm = password_pair(_l("Password"), _l("Repeat the password"))
