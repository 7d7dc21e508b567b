"""Typed faces of the names the portal takes from libraries that ship no type information.

Flask-Login and Flask-Babel have no annotations, so to mypy everything they give is Any, and
an Any decorator erases the type of every view it wraps. Each name here is the library's own
object, only annotated: nothing runs differently (but gettext and ngettext, which find the
request's catalogue once per request: core/catalogue.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, Protocol, TypeVar

import flask_login

from . import catalogue

P = ParamSpec("P")
R = TypeVar("R")


class _ViewDecorator(Protocol):
    def __call__(self, view: Callable[P, R], /) -> Callable[P, R]: ...


login_required: _ViewDecorator = flask_login.login_required
"""Only a logged-in user reaches the view; anyone else is sent to the login page."""

gettext: Callable[..., str] = catalogue.gettext
"""The text in the current request's language (parameters by name, as Flask-Babel takes)."""

ngettext: Callable[..., str] = catalogue.ngettext
"""The singular or plural text for `num`, in the current request's language."""

__all__ = ["gettext", "login_required", "ngettext"]
