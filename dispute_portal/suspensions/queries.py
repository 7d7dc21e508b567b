"""What a case's suspensions are now: read by the workflow's guards and the case page."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..cases.models import Case
from ..db import session_of
from ..texts import N_
from .models import Cause, Suspension


def open_suspensions(case: Case) -> list[Suspension]:
    if case.suspended_since is None:  # the column says so without a query
        return []
    return list(
        session_of(case).scalars(
            select(Suspension)
            .where(Suspension.case_id == case.id, Suspension.ended_at.is_(None))
            .order_by(Suspension.started_at, Suspension.id)
        )
    )


def open_suspension(case: Case, cause: Cause) -> Suspension | None:
    return next((s for s in open_suspensions(case) if s.cause is cause), None)


def due_to_resume(session: Session, day: dt.date) -> list[Suspension]:
    """Suspensions by agreement whose agreed day to resume has come."""
    return list(
        session.scalars(
            select(Suspension)
            .where(
                Suspension.ended_at.is_(None),
                Suspension.cause == Cause.AGREEMENT,
                Suspension.resume_on <= day,
            )
            .order_by(Suspension.resume_on, Suspension.id)
        )
    )


# Guards of the table's rows.


def not_suspended_by_agreement(case: Case) -> str | None:
    if open_suspension(case, Cause.AGREEMENT) is not None:
        return N_("The proceeding is already suspended by agreement of the parties.")
    return None


def suspended_by_agreement(case: Case) -> str | None:
    if open_suspension(case, Cause.AGREEMENT) is None:
        return N_("The proceeding is not suspended by agreement of the parties.")
    return None
