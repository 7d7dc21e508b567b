"""What a case's sessions and hearings say now: read-only questions beside the models.

The workflow table's guard on recording a hearing as held asks these, so they import nothing
but the models. A hearing is recorded as held by an audit event ("record_hearing_held") that
names the meeting: the trail is the record, as it is for a party's default.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from ..cases.models import Case
from ..db import session_of, utcnow
from ..texts import N_
from ..workflow.models import CaseEvent
from .models import Meeting, MeetingKind

HELD = "record_hearing_held"  # the act that records a hearing as held


def meetings(session: Session, case: Case) -> list[Meeting]:
    return list(
        session.scalars(
            select(Meeting).where(Meeting.case_id == case.id).order_by(Meeting.starts_at)
        )
    )


def case_page_events(
    session: Session,
    case: Case,
    readable: ColumnElement[bool],
    shown: int,
    acts: Collection[str],
) -> tuple[list[CaseEvent], int, list[CaseEvent]]:
    """In one query, without loading the trail: the latest `shown` events the reader may read
    (`readable`: the policy's condition, policy.readable_events), how many they may read in
    all, and every event of these `acts` (those the page reads facts from), oldest first."""
    of_case = CaseEvent.case_id == case.id
    latest = (
        select(CaseEvent.id)
        .where(of_case, readable)
        .order_by(CaseEvent.seq.desc())
        .limit(shown)
        .correlate(None)
    )
    total = select(func.count(CaseEvent.id)).where(of_case, readable).correlate(None)
    in_latest = CaseEvent.id.in_(latest)
    rows = session.execute(
        select(CaseEvent, in_latest, total.scalar_subquery())
        .where(of_case, or_(in_latest, CaseEvent.action.in_(acts)))
        .order_by(CaseEvent.seq)
    ).all()
    timeline: list[CaseEvent] = [row[0] for row in rows if row[1]]
    named: list[CaseEvent] = [row[0] for row in rows if row[0].action in acts]
    return timeline, int(rows[0][2]) if rows else 0, named


def held(case: Case, events: list[CaseEvent] | None = None) -> dict[int, CaseEvent]:
    """The hearings recorded as held, by meeting id: the event that records each (`events`:
    the case's events of that act, when the caller has them)."""
    recorded: dict[int, CaseEvent] = {}
    for event in case.events_of(HELD) if events is None else events:
        meeting_id = (event.data or {}).get("meeting_id")
        if event.action == HELD and isinstance(meeting_id, int):
            recorded[meeting_id] = event
    return recorded


def hearings_to_record(case: Case) -> list[Meeting]:
    """The case's hearings that have begun and are not yet recorded as held, oldest first:
    one query, reading neither the other meetings nor the trail."""
    recorded = select(CaseEvent.id).where(
        CaseEvent.case_id == case.id,
        CaseEvent.action == HELD,
        CaseEvent.data["meeting_id"].as_integer() == Meeting.id,
    )
    return list(
        session_of(case).scalars(
            select(Meeting)
            .where(
                Meeting.case_id == case.id,
                Meeting.kind == MeetingKind.HEARING,
                Meeting.starts_at <= utcnow(),
                ~recorded.exists(),
            )
            .order_by(Meeting.starts_at, Meeting.id)
        )
    )


def hearing_to_record(case: Case) -> str | None:
    """The guard of recording a hearing as held: one must have been scheduled and begun."""
    if not hearings_to_record(case):
        return N_(
            "A hearing can be recorded as held once its scheduled time has come: no hearing "
            "of this case is waiting for that record."
        )
    return None
