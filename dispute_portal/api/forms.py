"""The account page's form for a new personal access token."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional

from ..core.forms import BaseForm
from ..core.typed import gettext
from .models import CLIENT_SCOPE_LABELS, SCOPE_LABELS, TokenScope
from .tokens import LIFETIMES


class TokenForm(BaseForm):
    name = StringField(_l("Name (what the token is for)"), [DataRequired(), Length(max=100)])
    scope = RadioField(_l("What the token may do"), choices=[], default=TokenScope.READ.value)
    days = SelectField(_l("Lasts for"), choices=[], coerce=int, default=90)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scope.choices = [(s.value, gettext(label)) for s, label in SCOPE_LABELS.items()]
        self.days.choices = [(d, gettext("%(days)s days", days=d)) for d in LIFETIMES]


class RevokeForm(BaseForm):
    """A button that revokes a token (its CSRF token only)."""


class ClientForm(BaseForm):
    """The admin's form for a government system's OAuth client."""

    name = StringField(_l("Name (the system it is)"), [DataRequired(), Length(max=100)])
    acts_for = EmailField(
        _l("The account it acts for (its e-mail address)"),
        [DataRequired(), Email(check_deliverability=False), Length(max=254)],
    )
    scope = RadioField(_l("What the client may do"), choices=[], default=TokenScope.READ.value)
    respondent = StringField(
        _l("Only the cases against (the respondent's name; empty: all its account sees)"),
        [Optional(), Length(max=300)],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scope.choices = [(s.value, gettext(label)) for s, label in CLIENT_SCOPE_LABELS.items()]
