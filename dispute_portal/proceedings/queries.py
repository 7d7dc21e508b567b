"""What a case's sessions and hearings say now: read-only questions beside the models.

The workflow table's guard on recording a hearing as held asks these, so they import nothing
but the models. A hearing is recorded as held by an audit event ("record_hearing_held") that
names the meeting: the trail is the record, as it is for a party's default.
"""

from __future__ import annotations

from sqlalchemy import select
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


def held(case: Case) -> dict[int, CaseEvent]:
    """The hearings recorded as held, by meeting id: the event that records each."""
    recorded: dict[int, CaseEvent] = {}
    for event in case.events:
        meeting_id = (event.data or {}).get("meeting_id")
        if event.action == HELD and isinstance(meeting_id, int):
            recorded[meeting_id] = event
    return recorded


def hearings_to_record(case: Case) -> list[Meeting]:
    """The case's hearings that have begun and are not yet recorded as held, oldest first."""
    now, recorded = utcnow(), held(case)
    return [
        m
        for m in meetings(session_of(case), case)
        if MeetingKind(m.kind) is MeetingKind.HEARING
        and m.starts_at <= now
        and m.id not in recorded
    ]


def hearing_to_record(case: Case) -> str | None:
    """The guard of recording a hearing as held: one must have been scheduled and begun."""
    if not hearings_to_record(case):
        return N_(
            "A hearing can be recorded as held once its scheduled time has come: no hearing "
            "of this case is waiting for that record."
        )
    return None
