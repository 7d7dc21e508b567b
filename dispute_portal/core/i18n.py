"""Which language a request speaks, and turning marked texts into the user's language."""

from __future__ import annotations

from flask import current_app, request, session
from flask_babel import gettext
from flask_login import current_user

LANGUAGE_NAMES = {"en": "English", "ru": "Русский", "kk": "Қазақша"}


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if getattr(current_user, "is_authenticated", False) and current_user.locale in languages:
        return current_user.locale
    if session.get("locale") in languages:
        return session["locale"]
    # The browser's order, by primary tag: "kk-KZ,ru;q=0.8" means Kazakh.
    for tag, _quality in request.accept_languages:
        primary = tag.split("-")[0].split("_")[0].lower()
        if primary in languages:
            return primary
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def translate(message: str, params: dict | None = None) -> str:
    """Translate a text marked with N_() where it was written (workflow, operations).

    Parameters that are themselves marked texts (a state's label) are translated too.
    """
    params = {k: gettext(v) if isinstance(v, str) else v for k, v in (params or {}).items()}
    return gettext(message, **params)
