"""Keyset pagination: a page is "the rows after (or before) this one" in a fixed order, so
page 2,000 costs what page 1 costs (an index range, never OFFSET over the rows before it).

A cursor is the id of a row: the last one shown (for the next page) or the first one shown
(for the previous page). Its sort key is read back with one indexed look-up, so addresses
stay short and a stale or foreign id only lands on the first page."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select, tuple_
from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Page:
    rows: list[Any]
    total: int
    before: int | None  # the cursor of the previous page (None: this is the first page)
    after: int | None  # the cursor of the next page (None: this is the last page)
    total_capped: bool = False  # True: there are more than `total` rows (counted no further)


def paginate(
    session: Session,
    query: Select[*tuple[Any, ...]],
    key: Sequence[Any],
    *,
    after: int | None = None,
    before: int | None = None,
    per_page: int = 50,
    descending: bool = False,
    count_up_to: int | None = None,
    row_id: Callable[[Any], int] = lambda row: row[0].id,
    counter: Callable[[Callable[[], int]], int] = lambda count: count(),
) -> Page:
    """One page of `query` in `key` order (ascending, or descending); the key's last column
    is the rows' id (unique), and an index on the key makes every page an index range.
    `counter` is given the count to make (it may answer with one made before)."""
    # Counting costs a read of every matching row: lists that can hold 100,000 rows count up
    # to `count_up_to` ("more than 10,000"), and 0 means the page needs no count at all.
    capped = False
    if count_up_to == 0:
        total = 0
    else:
        counted = query if count_up_to is None else query.limit(count_up_to + 1)
        total = counter(
            lambda: session.scalar(select(func.count()).select_from(counted.subquery())) or 0
        )
        if count_up_to is not None and total > count_up_to:
            total, capped = count_up_to, True
    cursor, forward = (after, True) if after is not None else (before, False)
    anchor = None
    if cursor is not None:
        # Only a row of this list anchors it (the same filters): any other id starts afresh.
        anchor = session.execute(
            query.with_only_columns(*key).where(key[-1] == cursor).limit(1)
        ).first()
    if anchor is None:
        forward = True
    elif forward != descending:
        query = query.where(tuple_(*key) > tuple_(*anchor))
    else:
        query = query.where(tuple_(*key) < tuple_(*anchor))
    ascending = forward != descending
    order = key if ascending else [column.desc() for column in key]
    rows = list(session.execute(query.order_by(*order).limit(per_page + 1)).all())
    more = len(rows) > per_page
    rows = rows[:per_page]
    if not forward:
        rows.reverse()
    if not rows:
        return Page(rows=[], total=total, before=None, after=None, total_capped=capped)
    first, last = row_id(rows[0]), row_id(rows[-1])
    if forward:  # rows before the anchor exist; rows after the page exist if one more came
        before, after = (first if anchor else None), (last if more else None)
    else:
        before, after = (first if more else None), last
    return Page(rows, total, before=before, after=after, total_capped=capped)
