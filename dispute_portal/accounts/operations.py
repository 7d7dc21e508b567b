"""What the case account does as the case moves (a workflow effect the app registers)."""

from __future__ import annotations

from ..db import session_of
from ..workflow.engine import Change
from .fees import current_schedule


def follow_transition(change: Change) -> None:
    """The first filing of a claim pins the schedule of fees in force: the case keeps it,
    whatever version the admin publishes later (a returned claim filed again keeps it too)."""
    case = change.case
    if change.transition.action == "submit" and case.fee_schedule_version is None:
        case.fee_schedule_version = current_schedule(session_of(case)).version
