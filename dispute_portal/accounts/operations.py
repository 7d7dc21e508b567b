"""What the case account does as the case moves (a workflow effect the app registers)."""

from __future__ import annotations

from ..db import session_of
from ..workflow.engine import Change
from .billing import issue_lodging_invoice
from .fees import current_schedule
from .queries import lodging_invoice


def follow_transition(change: Change) -> None:
    """The first filing of a claim pins the schedule of fees in force (the case keeps it,
    whatever version the admin publishes later) and asks the claimant for the lodging fee.
    A returned claim filed again keeps both."""
    case = change.case
    if change.transition.action != "submit":
        return
    session = session_of(case)
    if case.fee_schedule_version is None:
        case.fee_schedule_version = current_schedule(session).version
    if lodging_invoice(session, case) is None:
        issue_lodging_invoice(case)
