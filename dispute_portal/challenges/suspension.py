"""Where a challenge and a vacancy suspend the proceeding and end that suspension.

The suspension package (suspensions/operations.py: suspend, end_suspension, Cause) is
being built on main; until it is merged these record nothing, and the callers in
operations.py already name the cause ("challenge", "vacancy") they suspend for.
"""

from __future__ import annotations

import datetime as dt

from ..cases.models import Case


def suspend_for(case: Case, cause: str, *, at: dt.datetime, reason: str) -> None:
    """Suspend the proceeding for this cause (CHALLENGE or VACANCY)."""


def end_suspension_for(case: Case, cause: str, *, at: dt.datetime) -> None:
    """End the suspension for this cause (deadlines resume when none is left)."""
