"""The registry's verbs: screening submitted claims."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import NamedTuple

from sqlalchemy import select, update
from sqlalchemy.orm import Session, lazyload, selectinload

from ..auth.models import Role, User
from ..cases.models import Case
from ..clock import ALMATY
from ..core.keyset import Page, paginate
from ..db import upsert_insert, utcnow
from ..deadlines.operations import fix_rules
from ..deadlines.queries import today as local_today
from ..errors import StaleCase
from ..neutrals.models import Appointment, AppointmentStatus
from ..parties.models import Side
from ..workflow import engine
from ..workflow.models import CaseEvent
from ..workflow.states import CaseState
from ..workflow.transitions import PROCEEDING
from .models import CaseNumberCounter


def next_case_number(session: Session, year: int, prefix: str = "ADR") -> str:
    """Take the next number of the year; concurrent callers queue on the counter row."""
    if session.get(CaseNumberCounter, year) is None:
        insert = upsert_insert(session)
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
        raise StaleCase()
    engine.check(clerk, case, "register")
    fix_rules(case)
    year = utcnow().astimezone(ALMATY).year
    case.number = next_case_number(session, year, prefix)
    return engine.apply(clerk, case, "register", data={"number": case.number})


def return_case(
    case: Case, *, clerk: User, reason: str, expected_version: int | None = None
) -> CaseEvent:
    return engine.apply(clerk, case, "return", reason=reason, expected_version=expected_version)


def reject_case(
    case: Case, *, clerk: User, reason: str, expected_version: int | None = None
) -> CaseEvent:
    return engine.apply(clerk, case, "reject", reason=reason, expected_version=expected_version)


INTAKE_PAGE_SIZE = 50


def intake_queue(
    session: Session, *, after: int | None = None, before: int | None = None, per_page: int = 50
) -> Page:
    """Submitted cases, oldest submission first, a page at a time (keyset: the queue can be
    long after a holiday, and page 20 costs what page 1 costs)."""
    query = (
        select(Case)
        .where(Case.state == CaseState.SUBMITTED)
        .options(
            selectinload(Case.parties),
            lazyload(Case.appointments),
            lazyload(Case.participants),
        )
    )
    page = paginate(
        session,
        query,
        (Case.submitted_at, Case.id),
        after=after,
        before=before,
        per_page=per_page,
    )
    return replace(page, rows=[c for (c,) in page.rows])


def age_in_days(since: dt.datetime, now: dt.datetime | None = None) -> int:
    now = now or utcnow()
    return (now.astimezone(ALMATY).date() - since.astimezone(ALMATY).date()).days


# The docket: every case on file, with its neutrals and its next deadline -----------------

DOCKET_PAGE_SIZE = 50
DOCKET_COUNT_UP_TO = 10_000  # past this the docket says "more than 10,000 cases"


@dataclass(frozen=True)
class DocketRow:
    case: Case
    next_key: str | None
    next_due: dt.date | None
    overdue: bool
    respondent_absent: bool  # a case under way whose respondent has not joined


class NeutralChoice(NamedTuple):
    id: int
    name: str
    role: Role


def docket_neutrals(session: Session) -> tuple[NeutralChoice, ...]:
    """The people the docket can be filtered by: every mediator and arbitrator."""
    query = (
        select(User.id, User.name, User.role)
        .where(User.role.in_((Role.MEDIATOR, Role.ARBITRATOR)))
        .order_by(User.name, User.id)
    )
    return tuple(NeutralChoice(*row) for row in session.execute(query))


def docket(
    session: Session,
    *,
    state: CaseState | None = None,
    neutral_id: int | None = None,
    overdue_only: bool = False,
    after: int | None = None,
    before: int | None = None,
    per_page: int = DOCKET_PAGE_SIZE,
    counter: Callable[[Callable[[], int]], int] = lambda count: count(),
) -> Page:
    """One page of the docket (rows are DocketRow): overdue first, then by the next due
    date, then by reference: the order of cases.docket_order, an index, so a page deep in
    100,000 cases costs what the first costs. A constant number of queries whatever the page
    holds: the count, the anchor of the cursor, the rows, their parties, neutrals and
    participants."""
    today = local_today()
    query = select(Case).where(Case.state != CaseState.DRAFT)
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
    if overdue_only:  # the key starts with the due date: overdue is the keys before today
        query = query.where(Case.docket_order < today.isoformat())
    page = paginate(
        session,
        query.options(
            selectinload(Case.parties),
            selectinload(Case.appointments).selectinload(Appointment.user),
            selectinload(Case.participants),  # who has joined (not their accounts)
        ),
        (Case.docket_order, Case.id),
        after=after,
        before=before,
        per_page=per_page,
        count_up_to=DOCKET_COUNT_UP_TO,
        counter=counter,
    )
    rows = [
        DocketRow(
            case=c,
            next_key=c.next_deadline_key,
            next_due=c.next_due_on,
            overdue=c.next_due_on is not None and c.next_due_on < today,
            respondent_absent=c.state in PROCEEDING and not c.side_joined(Side.RESPONDENT),
        )
        for (c,) in page.rows
    ]
    return replace(page, rows=rows)
