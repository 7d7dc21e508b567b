"""When what is being drawn changes by itself, as time passes.

A page that compares a moment with the current time (a hearing still ahead, an invitation
not yet expired) says so with `changes_at(moment)`; the page cache keeps the page no longer
than the earliest such moment. What depends on the day alone needs nothing: the day is part
of every cached page's key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from ..db import utcnow

_moments: ContextVar[list[dt.datetime] | None] = ContextVar("freshness_moments", default=None)


def changes_at(moment: dt.datetime) -> None:
    """What is being drawn compares `moment` with the current time: it changes then."""
    found = _moments.get()
    if found is not None and moment > utcnow():
        found.append(moment)


@contextmanager
def watching() -> Iterator[list[dt.datetime]]:
    """Collect the moments named while drawing (the earliest is when the drawing expires)."""
    moments: list[dt.datetime] = []
    token = _moments.set(moments)
    try:
        yield moments
    finally:
        _moments.reset(token)
