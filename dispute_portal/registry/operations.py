"""The registry's verbs: screening submitted claims."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import NamedTuple

from sqlalchemy import and_, select
from sqlalchemy.orm import Session, lazyload, selectinload

from ..auth.models import Role, User
from ..cases.models import Case
from ..cases.queries import CaseLine, party_name
from ..clock import ALMATY
from ..core.counters import next_in_series
from ..core.keyset import Page, paginate
from ..db import utcnow
from ..deadlines.operations import fix_rules
from ..deadlines.queries import today as local_today
from ..errors import StaleCase
from ..neutrals.models import INACTIVE, Appointment, AppointmentStatus, Capacity
from ..parties.models import Participant, Side
from ..workflow import engine
from ..workflow.models import CaseEvent
from ..workflow.states import CaseState
from ..workflow.transitions import PROCEEDING
from .models import CaseNumberCounter


def next_case_number(session: Session, year: int, prefix: str = "ADR") -> str:
    """Take the next number of the year; concurrent callers queue on the counter row."""
    return f"{prefix}-{year}-{next_in_series(session, CaseNumberCounter, year):04d}"


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


@dataclass(frozen=True, slots=True)
class Sitting:
    """A neutral a docket row names: proposed or accepted, in one capacity."""

    name: str
    capacity: Capacity
    status: AppointmentStatus


@dataclass(frozen=True, slots=True)
class DocketRow(CaseLine):
    next_key: str | None
    next_due: dt.date | None
    overdue: bool
    respondent_absent: bool  # a case under way whose respondent has not joined
    neutrals: tuple[Sitting, ...]  # by appointment


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
    100,000 cases costs what the first costs. Columns, not entities, in a constant number of
    queries whatever the page holds: the count, the anchor of the cursor, the page's cases,
    and their parties and neutrals (`_people`)."""
    today = local_today()
    query = select(
        Case.id, Case.number, Case.state, Case.next_deadline_key, Case.next_due_on
    ).where(Case.state != CaseState.DRAFT)
    if state is not None:
        query = query.where(Case.state == state)
    if neutral_id is not None:
        query = query.where(
            Case.id.in_(
                select(Appointment.case_id).where(
                    Appointment.user_id == neutral_id,
                    Appointment.status.not_in(INACTIVE),
                )
            )
        )
    if overdue_only:  # the key starts with the due date: overdue is the keys before today
        query = query.where(Case.docket_order < today.isoformat())
    page = paginate(
        session,
        query,
        (Case.docket_order, Case.id),
        after=after,
        before=before,
        per_page=per_page,
        count_up_to=DOCKET_COUNT_UP_TO,
        counter=counter,
        row_id=lambda row: int(row[0]),
    )
    people = _people(session, [row[0] for row in page.rows])
    rows = []
    for case_id, number, case_state, key, due in page.rows:
        claimant, respondent, joined, neutrals = people[case_id]
        rows.append(
            DocketRow(
                case_id,
                number,
                case_state,
                claimant,
                respondent,
                next_key=key,
                next_due=due,
                overdue=due is not None and due < today,
                respondent_absent=case_state in PROCEEDING and not joined,
                neutrals=tuple(neutrals),
            )
        )
    return replace(page, rows=rows)


def _people(
    session: Session, ids: list[int]
) -> dict[int, tuple[str | None, str | None, bool, list[Sitting]]]:
    """By case: the parties' names, whether a respondent's account has joined, and the
    neutrals sitting (declined appointments left out): one query, a row per neutral."""
    if not ids:
        return {}
    joined = (
        select(Participant.id)
        .where(Participant.case_id == Case.id, Participant.side == Side.RESPONDENT)
        .exists()
    )
    rows = session.execute(
        select(
            Case.id,
            party_name(Side.CLAIMANT),
            party_name(Side.RESPONDENT),
            joined,
            User.name,
            Appointment.capacity,
            Appointment.status,
        )
        .outerjoin(
            Appointment,
            and_(
                Appointment.case_id == Case.id,
                Appointment.status.not_in(INACTIVE),
            ),
        )
        .outerjoin(User, User.id == Appointment.user_id)
        .where(Case.id.in_(ids))
        .order_by(Case.id, Appointment.id)
    )
    found: dict[int, tuple[str | None, str | None, bool, list[Sitting]]] = {}
    for case_id, claimant, respondent, has_joined, name, capacity, status in rows:
        entry = found.setdefault(case_id, (claimant, respondent, bool(has_joined), []))
        if capacity is not None:
            entry[3].append(Sitting(name, capacity, status))
    return found
