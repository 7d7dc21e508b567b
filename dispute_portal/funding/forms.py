"""Forms of funding disclosure and of the neutrals' re-confirmation."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from ..cases.forms import CaseActionForm


class DisclosureForm(CaseActionForm):
    """A new disclosure, or the update of one."""

    funder_name = StringField(
        _l("Name of the funder"),
        validators=[InputRequired(_l("Give the funder's name.")), Length(max=300)],
    )
    funder_address = TextAreaField(
        _l("Address of the funder"),
        validators=[InputRequired(_l("Give the funder's address.")), Length(max=2000)],
    )


class WithdrawForm(CaseActionForm):
    """The withdrawal of the disclosure the address names."""


class ReconfirmForm(CaseActionForm):
    statement = TextAreaField(
        _l("Your declaration"),
        description=_l(
            "Confirm that you remain independent and impartial in the light of the funders "
            "disclosed, or disclose any relationship with them."
        ),
        validators=[InputRequired(_l("Write your declaration.")), Length(max=20000)],
    )
    confirmed = BooleanField(
        _l("I sign this declaration"),
        validators=[DataRequired(_l("Tick the box to sign the declaration."))],
    )
