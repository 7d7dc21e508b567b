"""Which language a request speaks, and turning marked texts into the user's language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from flask import current_app, request, session
from flask_babel import format_date, get_locale
from flask_login import current_user

from .catalogue import catalogue
from .typed import gettext

# Each language in its own words: the language switcher offers them so.
LANGUAGE_NAMES = {"en": "English", "ru": "Русский", "kk": "Қазақша"}


def language_name(code: str) -> str:
    """A language's name in the reader's language ("Английский" on a Russian page), for a
    case's language of the proceedings; the code itself if Babel does not know it."""
    name: str = get_locale().languages.get(code, code)
    return name[:1].upper() + name[1:]


def select_locale() -> str:
    languages: tuple[str, ...] = current_app.config["LANGUAGES"]
    if getattr(current_user, "is_authenticated", False) and current_user.locale in languages:
        chosen: str = current_user.locale
        return chosen
    remembered = session.get("locale")
    if isinstance(remembered, str) and remembered in languages:
        return remembered
    # The browser's order, by primary tag: "kk-KZ,ru;q=0.8" means Kazakh.
    for tag, _quality in request.accept_languages:
        primary = tag.split("-")[0].split("_")[0].lower()
        if primary in languages:
            return primary
    default: str = current_app.config["BABEL_DEFAULT_LOCALE"]
    return default


def translate(message: str, params: dict[str, Any] | None = None) -> str:
    """Translate a text marked with N_() where it was written (workflow, operations).

    Parameters that are themselves marked texts (a state's label) are translated too, and a
    date (a day a refusal names) is written out in the reader's language.
    """
    params = {k: _param(v) for k, v in (params or {}).items()}
    return gettext(message, **params)


def reader_translate() -> Callable[..., str]:
    """`translate` for one render: the request's catalogue found once, not at every label
    (a case page translates a hundred marked texts: states, acts, visibilities)."""
    ugettext = catalogue().ugettext

    def tr(message: str, params: dict[str, Any] | None = None) -> str:
        text: str = translate(message, params) if params else ugettext(message)
        return text

    return tr


def _param(value: Any) -> Any:
    if isinstance(value, str):
        return gettext(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return format_date(value, "d MMMM y")
    return value
