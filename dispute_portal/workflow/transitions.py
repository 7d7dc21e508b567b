"""The workflow as one table: every way a case's state can change.

Read its parts top to bottom for the life of a case (docs/architecture.md): table/filing.py,
table/tribunal.py, table/arbitration.py, table/ending.py, then the case account's acts in
table/money.py and what the public may know in table/publication.py. Each row says who may
act, in which states, what must hold, the deadlines the act starts, meets and cancels, the
ruling it issues. Rows whose target is None are acts
within the proceedings (a hearing, a submission, a payment): they change no state but are
asked and audited the same way. Nothing else changes a case's state; this module joins the
parts and looks a row up by its action.
"""

from __future__ import annotations

from .phases import ACTIVE, DECIDING, FINAL, OPEN, PROCEEDING, SEATED
from .rows import Transition
from .table.arbitration import ARBITRATION
from .table.ending import ENDING
from .table.filing import FILING
from .table.money import MONEY
from .table.publication import PUBLICATION
from .table.tribunal import TRIBUNAL

__all__ = [
    "ACTIVE",
    "DECIDING",
    "FINAL",
    "OPEN",
    "PROCEEDING",
    "SEATED",
    "TRANSITIONS",
    "Transition",
    "transition",
]

# The one table, its parts in the order a case lives them (table/).
TRANSITIONS: tuple[Transition, ...] = (
    *FILING,
    *TRIBUNAL,
    *ARBITRATION,
    *ENDING,
    *MONEY,
    *PUBLICATION,
)

_BY_ACTION = {t.action: t for t in TRANSITIONS}


def transition(action: str) -> Transition:
    try:
        return _BY_ACTION[action]
    except KeyError:
        raise KeyError(f"no such transition: {action!r}") from None
