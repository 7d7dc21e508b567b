"""Forms for inviting someone to a case and for joining it by invitation."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, RadioField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional

from ..auth.forms import password_pair
from ..cases.forms import CaseActionForm, consent_choices
from ..cases.subject import Consent
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


class _JoiningForm(BaseForm):
    """The respondent's representative answers, as it joins, whether the decisions may be
    published (publication/consent.py); it may also answer later, on the case."""

    publication_consent = RadioField(
        _l("May the award and the tribunal's other decisions be published?"),
        description=_l(
            "The Centre publishes decisions when both sides consent, after each side has "
            "proposed the passages to withhold. You can change your answer until the award."
        ),
        choices=[],
        validators=[Optional()],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.publication_consent.choices = consent_choices()

    @property
    def consent(self) -> Consent | None:
        return Consent(self.publication_consent.data) if self.publication_consent.data else None


class JoinForm(_JoiningForm):
    """Confirm joining a case with the account one is logged in with."""


class JoinNewAccountForm(_JoiningForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    password, confirm = password_pair(_l("Password"), _l("Repeat the password"))
