"""Dispute Portal: the case management system of the investment dispute resolution centre.

The factory lives in app.py and is imported on first use, so that code which needs no web
app (the PDF rendering workers, above all) does not pay for importing Flask.
"""

from __future__ import annotations

from typing import Any


def create_app(config: Any = None) -> Any:
    from .app import create_app as _create_app

    return _create_app(config)
