"""Form pieces shared by the feature packages: the base every form derives from, and the
fields more than one feature uses."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from babel import support
from flask import current_app, request
from flask_babel import format_date, get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from werkzeug.datastructures import MultiDict
from wtforms import DateField, Field, FileField, HiddenField
from wtforms.i18n import messages_path
from wtforms.validators import StopValidation, ValidationError
from wtforms.widgets import TextInput

from ..clock import ALMATY
from ..db import utcnow
from .typed import gettext

# Said wherever a form cannot be trusted (a stale or foreign page, a missing CSRF token).
FORM_EXPIRED = _l(
    "The form expired or did not come from this site. Nothing was changed. "
    "Reload the page and try again."
)


# Babel's territories that are no country: unknown, groupings, and the pseudo-regions
# for testing software ("pseudo-Accents", "pseudo-Bidi").
NOT_COUNTRIES = frozenset({"ZZ", "EU", "EZ", "UN", "QO", "XA", "XB"})


def blank_choice(label: str = "") -> tuple[str, str]:
    """The first choice of a list where nothing is chosen yet."""
    return ("", label or gettext("Choose…"))


def country_choices() -> list[tuple[str, str]]:
    """Every country by its name in the reader's language, after a blank choice."""
    territories = get_locale().territories
    codes = [c for c in territories if len(c) == 2 and c.isalpha() and c not in NOT_COUNTRIES]
    return [blank_choice()] + sorted(((c, territories[c]) for c in codes), key=lambda x: x[1])


class _WtformsMessages:
    """WTForms' own messages ("Not a valid choice"...) in the reader's language.

    What Flask-WTF's `translations` does, but its catalogue is read from WTForms' .mo file
    once per language and process, not once per request that has a form (0.4-0.9 ms each):
    the file is part of the installed package and does not change while the process runs.
    """

    _loaded: dict[str, support.NullTranslations] = {}

    def _catalogue(self) -> support.NullTranslations | None:
        if not request or "babel" not in current_app.extensions:
            return None
        locale = get_locale()
        key = str(locale)
        found = self._loaded.get(key)
        if found is None:
            found = support.Translations.load(messages_path(), [locale], domain="wtforms")
            self._loaded[key] = found  # a race loads it twice: the same catalogue
        return found

    def gettext(self, string: str) -> str:
        catalogue = self._catalogue()
        return string if catalogue is None else str(catalogue.ugettext(string))

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        catalogue = self._catalogue()
        if catalogue is None:
            return singular if n == 1 else plural
        return str(catalogue.ungettext(singular, plural, n))


WTFORMS_MESSAGES = _WtformsMessages()


class BaseForm(FlaskForm):
    """Every form of the portal. Its Meta carries the input rules, for this project's forms
    only (Flask-WTF itself is left as it is)."""

    class Meta(FlaskForm.Meta):
        def get_translations(self, form: Any) -> Any:
            if not current_app.config.get("WTF_I18N_ENABLED", True):
                return super().get_translations(form)
            return WTFORMS_MESSAGES

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


# The days a form or a filter takes, the same everywhere. From 1950: older than anything the
# centre handles (an investment, a contract, a measure complained of, a ruling). To the end of
# the year ten years ahead: farther than any hearing, deadline or expected award is set. A
# date outside is a typing slip (0026 for 2026), and beyond it the calendar arithmetic the
# portal does on dates (a day later, a time zone) would overflow.
FIRST_DAY = dt.date(1950, 1, 1)
YEARS_AHEAD = 10


def date_window() -> tuple[dt.date, dt.date]:
    """The first and the last day any form or filter of the portal accepts."""
    today = utcnow().astimezone(ALMATY).date()
    return FIRST_DAY, dt.date(today.year + YEARS_AHEAD, 12, 31)


def outside_window(day: dt.date) -> str | None:
    """Why the day cannot be taken (in the request's language), or None when it can."""
    first, last = date_window()
    if first <= day <= last:
        return None
    return gettext(
        "Enter a date between %(first)s and %(last)s.",
        first=format_date(first, "d MMMM y"),
        last=format_date(last, "d MMMM y"),
    )


class DayField(DateField):
    """A calendar day, picked (2026-03-25, what <input type=date> sends) or typed the
    Kazakh/Russian way (25.03.2026), and refused outside date_window(). Every date of every
    form and filter is one (tests/test_date_window.py holds them to it)."""

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("format", ["%Y-%m-%d", "%d.%m.%Y"])
        super().__init__(label, validators, **kwargs)

    def __call__(self, **kwargs: Any) -> Markup:
        first, last = date_window()
        kwargs.setdefault("min", first.isoformat())
        kwargs.setdefault("max", last.isoformat())
        html: Markup = super().__call__(**kwargs)
        return html

    def post_validate(self, form: Any, validation_stopped: bool) -> None:
        if validation_stopped or self.data is None:
            return
        if (problem := outside_window(self.data)) is not None:
            raise ValidationError(problem)

    def valid_data(self) -> dt.date | None:
        """The day, or None when it was refused (a filter then shows the refusal and
        filters by the other fields)."""
        return None if self.errors else self.data
