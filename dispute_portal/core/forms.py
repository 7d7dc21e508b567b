"""Form pieces shared by the feature packages: the base every form derives from, and the
fields more than one feature uses."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import Field, FileField, HiddenField
from wtforms.validators import StopValidation
from wtforms.widgets import TextInput

# Said wherever a form cannot be trusted (a stale or foreign page, a missing CSRF token).
FORM_EXPIRED = _l(
    "The form expired or did not come from this site. Nothing was changed. "
    "Reload the page and try again."
)


class BaseForm(FlaskForm):
    """Every form of the portal. Its Meta carries the input rules, for this project's forms
    only (Flask-WTF itself is left as it is)."""

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form: Any, formdata: Any) -> Any:
            """Text fields read the form body, file fields the uploaded files.

            Flask-WTF mixes request.files into the form data and takes a JSON body as a
            form: a file part named like a text field (or JSON that is not a string) would
            then reach code that expects text. Here each kind of field gets only its own
            kind of input, and a JSON body is no form at all."""
            read = super().wrap_formdata(form, formdata)
            if read is None or read is formdata:  # nothing submitted, or given by the caller
                return read
            file_fields = {field.name for field in form if isinstance(field, FileField)}
            data: MultiDict[str, Any] = MultiDict()
            for key, value in request.form.items(multi=True):
                if key not in file_fields:
                    data.add(key, value)
            for key, upload in request.files.items(multi=True):
                if key in file_fields:
                    data.add(key, upload)
            return data or None


class MoneyField(Field):
    """An amount as people type it: 1 500 000,50 or 1,500,000.50 or 1500000.5."""

    widget = TextInput()

    def _value(self) -> str:
        if self.raw_data:
            raw: str = self.raw_data[0]
            return raw
        return f"{self.data:.2f}" if self.data is not None else ""

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = None
        if not valuelist or not valuelist[0].strip():
            return
        text = valuelist[0].strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
        if "," in text and "." in text:
            text = text.replace(",", "")  # 1,500,000.50
        elif text.count(",") == 1 and len(text.split(",")[1]) <= 2:
            text = text.replace(",", ".")  # 1500000,50
        else:
            text = text.replace(",", "")
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValueError(_l("Enter an amount, for example 1500000.00")) from None
        if not value.is_finite() or value < 0 or value >= Decimal("1e18"):
            raise ValueError(_l("Enter an amount, for example 1500000.00"))
        if value != value.quantize(Decimal("0.01")):
            raise ValueError(_l("Use at most two decimal places."))
        self.data = value.quantize(Decimal("0.01"))


class VersionField(HiddenField):
    """The case version the form was rendered from; a stale form applies nothing.

    Required: a form without it is not "any version will do" but a form that did not come
    from one of our pages (or lost a field on the way), and it applies nothing.
    """

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            self.data = int(valuelist[0]) if valuelist and valuelist[0] else None
        except ValueError:
            self.data = None

    def pre_validate(self, form: Any) -> None:
        if self.data is None:
            raise StopValidation(FORM_EXPIRED)
