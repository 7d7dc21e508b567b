"""Forms of accounts: registration, login, password change and reset, language, staff accounts."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from ..core.forms import BaseForm, country_choices
from .models import ROLE_LABELS, STAFF_ROLES


def password_pair(label: str, repeat_label: str) -> tuple[PasswordField, PasswordField]:
    """A new password and its repetition (registration, joining a case, change, reset)."""
    password = PasswordField(
        label,
        description=_l("At least 12 characters; a passphrase of several words works well."),
        validators=[DataRequired(), Length(max=200)],
    )
    confirm = PasswordField(
        repeat_label,
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )
    return password, confirm


class RegisterForm(BaseForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(
        _l("Email address"),
        validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)],
    )
    password, confirm = password_pair(_l("Password"), _l("Repeat the password"))


class LoginForm(BaseForm):
    email = EmailField(_l("Email address"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    next = HiddenField()


class ChangePasswordForm(BaseForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=200)])
    password, confirm = password_pair(_l("New password"), _l("Repeat the new password"))


class ForgotPasswordForm(BaseForm):
    email = EmailField(
        _l("Email address"),
        validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)],
    )


class ResetPasswordForm(BaseForm):
    password, confirm = password_pair(_l("New password"), _l("Repeat the new password"))


class LanguageForm(BaseForm):
    locale = SelectField(_l("Language"), choices=[])
    next = HiddenField()


class NationalityForm(BaseForm):
    nationality = SelectField(
        _l("Nationality"),
        description=_l("For mediators and arbitrators: the public register shows it."),
        choices=[],
        validators=[Optional()],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.nationality.choices = country_choices()


class StaffUserForm(NationalityForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(
        _l("Email address"),
        validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)],
    )
    role = SelectField(_l("Role"), choices=[], validators=[DataRequired()])
    password = PasswordField(
        _l("Initial password"),
        description=_l("Give it to the person through a safe channel."),
        validators=[DataRequired(), Length(max=200)],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.role.choices = [(r.value, gettext(ROLE_LABELS[r])) for r in STAFF_ROLES]
