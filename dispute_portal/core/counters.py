"""Gapless yearly series (case numbers, invoice numbers): a counter row a year.

The next value is taken by an UPDATE of the year's row, which locks it: concurrent callers
queue on it, and the increment rolls back with a failed transaction, so a series has no gaps.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from ..db import upsert_insert


def next_in_series(session: Session, counter: type[Any], year: int) -> int:
    """Take the next value of `year` in the series that `counter` (a mapped class with the
    columns `year` and `last_value`) keeps."""
    if session.get(counter, year) is None:
        insert = upsert_insert(session)
        session.execute(
            insert(counter)
            .values(year=year, last_value=0)
            .on_conflict_do_nothing(index_elements=["year"])
        )
    value: int = session.execute(
        update(counter)
        .where(counter.year == year)
        .values(last_value=counter.last_value + 1)
        .returning(counter.last_value)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    return value
