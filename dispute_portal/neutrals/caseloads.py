"""Caseloads: the cases a mediator or an arbitrator holds, with their next running
deadline, counted by state and listed by the chosen order."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy import case as sql_case
from sqlalchemy.orm import Session

from ..auth.models import User
from ..cases.models import Case
from ..cases.queries import CaseLine, titles
from ..deadlines.queries import today as local_today
from ..workflow.states import CaseState
from .models import INACTIVE, Appointment, AppointmentStatus, Capacity

# Caseloads and dockets: lists of cases with their next running deadline ------------------

CASELOAD_SORTS = ("deadline", "reference", "activity")


def reference_order() -> list[Any]:
    # Registry numbers (ADR-2026-0001) sort as text; unnumbered filings after them, by id.
    return [sql_case((Case.number.is_(None), 1), else_=0), Case.number, Case.id]


@dataclass(frozen=True, slots=True)
class CaseloadRow(CaseLine):
    capacity: Capacity
    status: AppointmentStatus
    next_key: str | None
    next_due: dt.date | None
    overdue: bool
    last_activity_at: dt.datetime | None


def _holding(user: User) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    """The user's active appointments (proposed or accepted)."""
    return (Appointment.user_id == user.id, Appointment.status.not_in(INACTIVE))


def caseload_counts(session: Session, user: User) -> dict[CaseState, int]:
    """How many of the user's cases are in each state (one query)."""
    rows = session.execute(
        select(Case.state, func.count(func.distinct(Case.id)))
        .join(Appointment, Appointment.case_id == Case.id)
        .where(*_holding(user))
        .group_by(Case.state)
    )
    return {CaseState(state): count for state, count in rows.all()}


def caseload(
    session: Session,
    user: User,
    *,
    state: CaseState | None = None,
    sort: str = "deadline",
    page: int = 1,
    per_page: int = 50,
) -> list[CaseloadRow]:
    """Every case where the user holds an active appointment, with their capacity and the
    case's next running deadline: one query for the rows' columns, one for the parties'
    names (cases.queries.titles); no entities."""
    today = local_today()
    query = (
        select(
            Case.id,
            Case.number,
            Case.state,
            Appointment.capacity,
            Appointment.status,
            Case.next_deadline_key,
            Case.next_due_on,
            Case.last_activity_at,
        )
        .join(Appointment, Appointment.case_id == Case.id)
        .where(*_holding(user))
    )
    if state is not None:
        query = query.where(Case.state == state)
    if sort == "reference":
        order = reference_order()
    elif sort == "activity":
        order = [
            sql_case((Case.last_activity_at.is_(None), 1), else_=0),
            Case.last_activity_at.desc(),
            Case.id.desc(),
        ]
    else:  # overdue first, then by the next due date, then by reference (cases.docket_order)
        order = [Case.docket_order, Case.id]
    rows = session.execute(
        query.order_by(*order).limit(per_page).offset((max(page, 1) - 1) * per_page)
    ).all()
    names = titles(session, [row[0] for row in rows])
    return [
        CaseloadRow(
            case_id,
            number,
            case_state,
            *names.get(case_id, (None, None)),
            capacity=capacity,
            status=status,
            next_key=key,
            next_due=due,
            overdue=due is not None and due < today,
            last_activity_at=activity,
        )
        for case_id, number, case_state, capacity, status, key, due, activity in rows
    ]
