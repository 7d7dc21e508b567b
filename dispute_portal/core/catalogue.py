"""The request's message catalogue, found once per request instead of once per text.

Flask-Babel's gettext looks up the request context, the domain, the locale and the
locale's name (`str(locale)` builds it anew) at every call: a docket page translates some
700 texts, and those look-ups cost more than the translations. Here the catalogue is kept
in `g` beside the locale object it was found for: Flask-Babel's `force_locale` and
`refresh` put a different locale object in place, so a changed language is noticed (the
identity check) and its catalogue found then.
"""

from __future__ import annotations

from typing import Any

from babel.support import NullTranslations
from flask import Flask, g
from flask_babel import get_locale, get_translations
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup


def catalogue() -> NullTranslations:
    """The current language's translations (Flask-Babel's own object)."""
    if not g:  # no app context (a script): what Flask-Babel gives there
        found: NullTranslations = get_translations()
        return found
    locale = get_locale()
    cached = g.get("_catalogue")
    if cached is not None and cached[0] is locale:
        translations: NullTranslations = cached[1]
        return translations
    translations = get_translations()
    g._catalogue = (locale, translations)
    return translations


def gettext(string: str, **variables: Any) -> str:
    """Flask-Babel's gettext (parameters by name), the catalogue found once per request."""
    text: str = catalogue().ugettext(string)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
    """Flask-Babel's ngettext: `num` is also a parameter of the text."""
    variables.setdefault("num", num)
    text: str = catalogue().ungettext(singular, plural, num)
    return text % variables


# Templates: the i18n extension's "new style" callables (the text is a format string,
# escaped under autoescape), as Flask-Babel installs them, with the catalogue found once per
# request. A template rendered in a request also gets them bound to the request's catalogue
# by a context processor, so `_()` there costs one dictionary look-up.


def _new_style(translations: NullTranslations) -> dict[str, Any]:
    @pass_context
    def gettext_(context: Context, string: str, **variables: Any) -> str:
        text = translations.ugettext(string)
        if context.eval_ctx.autoescape:
            text = Markup(text)  # noqa: S704 - the catalogue's own text, as Jinja's i18n does
        return text % variables

    @pass_context
    def ngettext_(context: Context, singular: str, plural: str, num: int, **variables: Any) -> str:
        variables.setdefault("num", num)
        text = translations.ungettext(singular, plural, num)
        if context.eval_ctx.autoescape:
            text = Markup(text)  # noqa: S704 - the catalogue's own text, as Jinja's i18n does
        return text % variables

    return {"gettext": gettext_, "ngettext": ngettext_}


def init_catalogue(app: Flask) -> None:
    """After Flask-Babel's init_app: its template callables replaced by these."""
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: catalogue().ugettext(s),
        ngettext=lambda s, p, n: catalogue().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: catalogue().upgettext(c, s),
        npgettext=lambda c, s, p, n: catalogue().unpgettext(c, s, p, n),
    )

    @app.context_processor
    def _bound_gettext() -> dict[str, Any]:
        return _new_style(catalogue())
