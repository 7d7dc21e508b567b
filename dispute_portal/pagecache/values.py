"""Values a page draws that are the same for every reader, kept until the data changes: the
docket's list of neutrals, its capped count. Kept under a name and a key (the filters, the
day) with the data version they were computed at; a later request that reads the same
version gets them without a query. Only immutable values (tuples, numbers) belong here."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from . import tracking

T = TypeVar("T")


class ValueCache:
    """The most recent `limit` values of this process, each with its data version."""

    def __init__(self, limit: int = 512) -> None:
        self.limit = limit
        self._values: OrderedDict[tuple[str, Hashable], tuple[str, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, session: Session, name: str, key: Hashable, compute: Callable[[], T]) -> T:
        """compute(), or what it gave at this data version before."""
        if tracking.has_pending_writes(session):
            return compute()  # what this transaction sees, others may not
        version = tracking.read_version(session)
        if version is None:
            return compute()
        slot = (name, key)
        with self._lock:
            found = self._values.get(slot)
            if found is not None and found[0] == version:
                self._values.move_to_end(slot)
                value: T = found[1]
                return value
        value = compute()
        if not tracking.has_pending_writes(session):
            with self._lock:
                self._values[slot] = (version, value)
                self._values.move_to_end(slot)
                while len(self._values) > self.limit:
                    self._values.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
