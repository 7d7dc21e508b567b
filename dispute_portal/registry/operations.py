"""The registry's verbs: screening submitted claims."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from .. import workflow
from ..auth.models import User
from ..cases.models import Case
from ..db import utcnow
from ..deadlines.operations import fix_rules
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
