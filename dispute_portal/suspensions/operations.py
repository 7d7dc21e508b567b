"""Suspending a case and resuming it: the parties' agreement as an act of the table, and
the interface the challenges, vacancies and the case account use for their own causes.

While any suspension is open `case.suspended_since` is set, the case's deadlines are paused
(deadlines.operations.pause) and the workflow refuses every act not marked `in_suspension`.
When the last one ends the deadlines resume with the days they had left.
"""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date
from sqlalchemy.orm import Session

from ..auth.models import User
from ..cases.models import Case
from ..db import session_of
from ..deadlines import operations as deadlines
from ..deadlines.calendar import local_date
from ..deadlines.queries import today
from ..rulings.operations import ruling_language
from ..texts import N_
from ..workflow import engine
from ..workflow.engine import Change, TransitionRefused
from ..workflow.models import CaseEvent
from ..workflow.states import CaseState
from ..workflow.transitions import FINAL
from .models import Cause, Suspension
from .queries import due_to_resume, open_suspension, open_suspensions

# An agreed suspension names the day to resume on, within this window.
LONGEST_AGREED = dt.timedelta(days=366)


class SuspensionRefused(TransitionRefused):
    """A date to resume on the case does not allow (said beside the date)."""

    field = "resume_on"


def suspend(
    case: Case, *, cause: Cause, at: dt.datetime, reason: str | None, resume_on: dt.date | None
) -> Suspension:
    """Open a suspension for `cause`; the first one pauses the case's deadlines."""
    suspension = Suspension(
        case_id=case.id, cause=cause, reason=reason, started_at=at, resume_on=resume_on
    )
    session_of(case).add(suspension)
    if case.suspended_since is None:
        case.suspended_since = at
        deadlines.pause(case, on=local_date(at))
    return suspension


def end_suspension(case: Case, *, cause: Cause, at: dt.datetime) -> None:
    """End the open suspension(s) for `cause`; when none is left, the deadlines resume."""
    remaining = []
    for suspension in open_suspensions(case):
        if suspension.cause is cause:
            suspension.ended_at = at
        else:
            remaining.append(suspension)
    if not remaining and case.suspended_since is not None:
        case.suspended_since = None
        deadlines.resume(case, on=local_date(at))


def ruling_extra(case: Case, resume_on: dt.date) -> dict[str, str]:
    """The day to resume on, as the order writes it in its language."""
    day = format_date(resume_on, "d MMMM y", locale=ruling_language(case))
    return {"resume_on": day}


def suspend_by_agreement(
    case: Case,
    *,
    user: User,
    reason: str,
    resume_on: dt.date,
    expected_version: int | None,
) -> CaseEvent:
    """The parties agreed to suspend the proceeding until `resume_on` (ICSID Arbitration
    Rule 54): the tribunal (the mediator in a mediation, the registry otherwise) records it
    with an order; the scheduler resumes the case on that day."""
    first = today() + dt.timedelta(days=1)
    if not first <= resume_on <= today() + LONGEST_AGREED:
        raise SuspensionRefused(
            N_("The date to resume on must be between %(first)s and %(last)s."),
            first=first.isoformat(),
            last=(today() + LONGEST_AGREED).isoformat(),
        )
    event = engine.apply(
        user,
        case,
        "suspend",
        reason=reason,
        expected_version=expected_version,
        data={"cause": Cause.AGREEMENT.value, "resume_on": resume_on.isoformat()},
        ruling_extra=ruling_extra(case, resume_on),
    )
    suspend(case, cause=Cause.AGREEMENT, at=event.at, reason=reason, resume_on=resume_on)
    return event


def resume(
    case: Case, *, user: User | None, reason: str | None, expected_version: int | None
) -> CaseEvent:
    """End the suspension by agreement, on its day (the scheduler) or earlier when the
    parties ask. Deadlines resume only if no other suspension (a challenge) remains."""
    event = engine.apply(user, case, "resume", reason=reason, expected_version=expected_version)
    end_suspension(case, cause=Cause.AGREEMENT, at=event.at)
    return event


def resume_due(session: Session, day: dt.date) -> tuple[list[str], list[str]]:
    """The scheduler's part: resume each case whose agreed day has come, each in its own
    savepoint. Returns the references resumed and those skipped (moved on meanwhile)."""
    cases = [session.get_one(Case, s.case_id) for s in due_to_resume(session, day)]
    return engine.apply_each(
        session,
        cases,
        lambda case: resume(case, user=None, reason=None, expected_version=None),
    )


def follow_transition(change: Change) -> None:
    """The workflow's effect on suspensions: a case that ends (a final ruling, a withdrawal,
    its closing) is no longer suspended; nothing is left to resume."""
    case = change.case
    if not change.event.changes_state or case.suspended_since is None:
        return
    if case.state in FINAL or case.state is CaseState.CLOSED:
        for suspension in open_suspensions(case):
            suspension.ended_at = change.at
        case.suspended_since = None


__all__ = [
    "Cause",
    "end_suspension",
    "follow_transition",
    "open_suspension",
    "resume",
    "resume_due",
    "suspend",
    "suspend_by_agreement",
]
