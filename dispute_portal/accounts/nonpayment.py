"""What the Centre does when an advance on costs is not paid (defaults.py says when).

- The daily scheduler (`flask deadlines remind`) gives notice of a default, which starts the
  time for the other side to pay in substitution, and suspends the proceeding once that
  time has passed with the advance still unpaid (the suspension pauses the case's
  deadlines, like any other).
- A payment that leaves nothing of the advances due resumes a proceeding suspended for
  non-payment at once (billing.record_payment calls `resume_if_paid`).
- The registry's discontinuance after the rule set's period is an act of the table,
  `discontinue_non_payment`, taken on the act page (discontinuance/operations.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..cases.models import Case
from ..deadlines.models import Deadline
from ..suspensions.models import Cause
from ..suspensions.operations import end_suspension, suspend
from ..workflow import engine
from ..workflow.phases import PROCEEDING
from .defaults import advance_defaulted, paid_while_suspended, substitution_unpaid


@dataclass
class NonPaymentReport:
    noticed: list[str] = field(default_factory=list)  # references told of a default today
    suspended: list[str] = field(default_factory=list)  # suspended for non-payment today
    skipped: list[str] = field(default_factory=list)  # moved on meanwhile: the next run retries


def _passed(session: Session, key: str, day: dt.date) -> list[Case]:
    """Live proceedings with a running deadline of `key` whose day has passed."""
    return list(
        session.scalars(
            select(Case)
            .join(Deadline, Deadline.case_id == Case.id)
            .where(Case.state.in_(PROCEEDING), Deadline.key == key, Deadline.passed_by(day))
            .order_by(Case.id)
        ).unique()
    )


def notify_default(case: Case) -> None:
    """Tell both sides the advance is overdue; the time to pay in substitution starts."""
    engine.apply(None, case, "notify_advance_default")


def suspend_for_non_payment(case: Case) -> None:
    """Suspend the proceeding for non-payment (its deadlines pause)."""
    event = engine.apply(None, case, "suspend_for_non_payment")
    suspend(case, cause=Cause.NON_PAYMENT, at=event.at, reason=None, resume_on=None)


def run(session: Session, day: dt.date) -> NonPaymentReport:
    """The scheduler's part: suspend where the time to pay in substitution has run out, then
    give notice where an advance's day has passed. Running it twice on one day does nothing
    the second time (the notice starts its deadline; the suspension is open)."""
    late = [c for c in _passed(session, "advance_substitution", day) if not substitution_unpaid(c)]
    suspended, skipped = engine.apply_each(session, late, suspend_for_non_payment)
    due = [c for c in _passed(session, "advance_payment", day) if not advance_defaulted(c)]
    noticed, skipped_too = engine.apply_each(session, due, notify_default)
    return NonPaymentReport(noticed, suspended, skipped + skipped_too)


def resume_if_paid(case: Case) -> None:
    """A proceeding suspended for non-payment resumes once nothing of its advances is due
    (its deadlines run again with the days they had left)."""
    if paid_while_suspended(case) is None:
        event = engine.apply(None, case, "resume_after_payment")
        end_suspension(case, cause=Cause.NON_PAYMENT, at=event.at)
