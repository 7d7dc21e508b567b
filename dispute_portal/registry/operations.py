"""The registry's verbs: screening submitted claims."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, lazyload, selectinload

from .. import workflow
from ..auth.models import Role, User
from ..cases.models import Case
from ..db import utcnow
from ..deadlines.operations import fix_rules
from ..neutrals.models import Appointment, AppointmentStatus
from ..workflow.models import CaseEvent
from ..workflow.states import CaseState
from .models import CaseNumberCounter

ALMATY = ZoneInfo("Asia/Almaty")


def next_case_number(session: Session, year: int, prefix: str = "ADR") -> str:
    """Take the next number of the year; concurrent callers queue on the counter row."""
    if session.get(CaseNumberCounter, year) is None:
        insert = _insert_for(session)
        session.execute(
            insert(CaseNumberCounter)
            .values(year=year, last_value=0)
            .on_conflict_do_nothing(index_elements=["year"])
        )
    value = session.execute(
        update(CaseNumberCounter)
        .where(CaseNumberCounter.year == year)
        .values(last_value=CaseNumberCounter.last_value + 1)
        .returning(CaseNumberCounter.last_value)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    return f"{prefix}-{year}-{value:04d}"


def _insert_for(session: Session):
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def register_case(
    session: Session,
    case: Case,
    *,
    clerk: User,
    expected_version: int | None = None,
    prefix: str = "ADR",
) -> CaseEvent:
    # Check first: a refused registration must not consume a number.
    if expected_version is not None and case.version != expected_version:
        raise workflow.StaleCase()
    workflow.engine.check(clerk, case, "register")
    fix_rules(case)
    year = utcnow().astimezone(ALMATY).year
    case.number = next_case_number(session, year, prefix)
    return workflow.apply(clerk, case, "register", data={"number": case.number})


def return_case(
    case: Case, *, clerk: User, reason: str, expected_version: int | None = None
) -> CaseEvent:
    return workflow.apply(clerk, case, "return", reason=reason, expected_version=expected_version)


def reject_case(
    case: Case, *, clerk: User, reason: str, expected_version: int | None = None
) -> CaseEvent:
    return workflow.apply(clerk, case, "reject", reason=reason, expected_version=expected_version)


def intake_queue(session: Session) -> list[Case]:
    """Submitted cases, oldest submission first."""
    return list(
        session.execute(
            select(Case)
            .where(Case.state == CaseState.SUBMITTED)
            .order_by(Case.submitted_at, Case.id)
        ).scalars()
    )


def age_in_days(since: dt.datetime, now: dt.datetime | None = None) -> int:
    now = now or utcnow()
    return (now.astimezone(ALMATY).date() - since.astimezone(ALMATY).date()).days


# The docket: every case on file, with its neutrals and its next deadline -----------------

DOCKET_PAGE_SIZE = 50


@dataclass(frozen=True)
class DocketRow:
    case: Case
    next_key: str | None
    next_due: dt.date | None
    overdue: bool


def docket_neutrals(session: Session) -> list[User]:
    """The people the docket can be filtered by: every mediator and arbitrator."""
    return list(
        session.scalars(
            select(User)
            .where(User.role.in_((Role.MEDIATOR, Role.ARBITRATOR)))
            .order_by(User.name, User.id)
        )
    )


def docket(
    session: Session,
    *,
    state: CaseState | None = None,
    neutral_id: int | None = None,
    overdue_only: bool = False,
    page: int = 1,
    per_page: int = 50,
) -> tuple[list[DocketRow], int]:
    """One page of the docket and the number of cases that match: overdue first, then by
    the next due date, then by reference. A constant number of queries whatever the page
    holds: the count, the rows (with their next deadline), their parties and neutrals."""
    from ..deadlines.operations import today as local_today
    from ..neutrals.operations import deadline_order, next_deadlines, reference_order

    today = local_today()
    nd = next_deadlines()
    query = (
        select(Case, nd.c.key, nd.c.due_on)
        .outerjoin(nd, nd.c.case_id == Case.id)
        .where(Case.state != CaseState.DRAFT)
    )
    if state is not None:
        query = query.where(Case.state == state)
    if neutral_id is not None:
        query = query.where(
            Case.id.in_(
                select(Appointment.case_id).where(
                    Appointment.user_id == neutral_id,
                    Appointment.status != AppointmentStatus.DECLINED,
                )
            )
        )
    if overdue_only:
        query = query.where(nd.c.due_on < today)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.execute(
        query.options(
            selectinload(Case.parties),
            selectinload(Case.appointments).selectinload(Appointment.user),
            lazyload(Case.participants),
        )
        .order_by(*deadline_order(nd, today), *reference_order())
        .limit(per_page)
        .offset((max(page, 1) - 1) * per_page)
    ).all()
    return [
        DocketRow(case=c, next_key=key, next_due=due, overdue=due is not None and due < today)
        for c, key, due in rows
    ], total
