"""Acts within the proceedings: submissions, sessions and hearings, orders, the award,
corrections, extensions, withdrawal and closing. Each goes through the workflow table."""

from __future__ import annotations

import datetime as dt
from typing import Any

from babel.dates import format_date
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import policy
from ..auth.models import User
from ..cases.models import Case
from ..db import utcnow
from ..deadlines import operations as deadlines
from ..deadlines import queries as deadline_queries
from ..deadlines.calendar import local_date
from ..deadlines.models import Deadline
from ..errors import TransitionRefused
from ..parties.models import Side
from ..rulings.operations import ruling_language
from ..texts import N_
from ..workflow import engine
from ..workflow.models import CaseEvent
from . import queries
from .filing import WRONG_PHASE as WRONG_PHASE
from .filing import file_submission as file_submission
from .filing import submissions as submissions
from .models import Meeting, MeetingKind, PrivateNote

# Acts that need nothing but a text (and the version the actor saw).
SIMPLE_ACTS = frozenset(
    {
        "return",
        "reject",
        "settle",
        "impasse",
        "refer",
        "procedural_order",
        "dismiss",
        "request_correction",
        "withdraw",
        "close",
    }
)


def act(
    case: Case, *, user: User, action: str, reason: str | None, expected_version: int | None
) -> CaseEvent:
    if action not in SIMPLE_ACTS:
        raise KeyError(action)
    return engine.apply(
        user, case, action, reason=reason or None, expected_version=expected_version
    )


def extend_mediation(
    case: Case, *, user: User, reason: str, expected_version: int | None
) -> CaseEvent:
    """Both parties agreed to extend (the reason records their agreement)."""
    engine.check(user, case, "extend_mediation", reason=reason)
    deadline, plan = deadlines.plan_mediation_extension(case)
    event = engine.apply(
        user, case, "extend_mediation", reason=reason, expected_version=expected_version, data=plan
    )
    deadlines.extend(deadline, plan, reason=reason)
    return event


def extend_deadline(
    case: Case,
    *,
    clerk: User,
    deadline_id: int,
    new_due: dt.date,
    reason: str,
    expected_version: int | None,
) -> CaseEvent:
    engine.check(clerk, case, "extend_deadline", reason=reason)
    deadline = next((d for d in case.deadlines if d.id == deadline_id), None)
    if deadline is None:
        raise TransitionRefused(N_("Choose one of this case's deadlines."))
    plan = deadlines.plan_extension(deadline, new_due)
    event = engine.apply(
        clerk, case, "extend_deadline", reason=reason, expected_version=expected_version, data=plan
    )
    deadlines.extend(deadline, plan, reason=reason)
    return event


def notice_of_delay(
    case: Case, *, chair: User, reason: str, expected_on: dt.date, expected_version: int | None
) -> CaseEvent:
    """The award is late: the tribunal says why and when to expect it; the award deadline
    moves to that date."""
    engine.check(chair, case, "delay_notice", reason=reason)
    deadline = deadline_queries.open_deadline(case, "award")
    assert deadline is not None  # the guard says it is running and overdue
    if expected_on <= deadline_queries.today():
        raise TransitionRefused(N_("The new expected date must be in the future."))
    plan = deadlines.plan_extension(deadline, expected_on)
    event = engine.apply(
        chair,
        case,
        "delay_notice",
        reason=reason,
        expected_version=expected_version,
        data=plan,
        ruling_extra=ruling_extra(case, "delay_notice", expected_on=expected_on),
    )
    deadlines.extend(deadline, plan, reason=reason)
    return event


def record_default(
    case: Case, *, chair: User, side: str, reason: str, expected_version: int | None
) -> CaseEvent:
    """The tribunal records that a party failed to act (the proceedings go on): which side,
    and the failure and the tribunal's finding in its reasons."""
    try:
        party = Side(side)
    except ValueError:
        raise TransitionRefused(N_("Choose the party in default.")) from None
    return engine.apply(
        chair,
        case,
        "record_default",
        reason=reason,
        expected_version=expected_version,
        data={"side": party.value},
    )


def decide_correction(
    case: Case, *, chair: User, reason: str, expected_version: int | None
) -> CaseEvent:
    return engine.apply(
        chair,
        case,
        "decide_correction",
        reason=reason,
        expected_version=expected_version,
        ruling_extra=ruling_extra(case, "decide_correction"),
    )


def ruling_extra(
    case: Case, action: str, *, expected_on: dt.date | None = None
) -> dict[str, Any] | None:
    """What an act's ruling shows beyond the case and the reasons, as text in the ruling's
    language: the same for the preview and for the issued ruling."""
    if action == "delay_notice" and expected_on is not None:
        day = deadlines.falls_on(case, expected_on)  # where the deadline will actually fall
        return {"expected_on": format_date(day, "d MMMM y", locale=ruling_language(case))}
    if action == "decide_correction":
        request = case.last_event("request_correction")
        return {"request": request.note if request else ""}
    return None


# The date of the last submission is the cut-off the tribunal sets for the parties' further
# submissions (the notices tell them to file by it), so it may lie ahead: within the coming
# year. A longer timetable is set again later, with reasons, as it unfolds.
LAST_SUBMISSION_AHEAD = dt.timedelta(days=365)


class LastSubmissionRefused(TransitionRefused):
    """A date of the last submission the case does not allow (said beside the date)."""

    field = "last_on"


def last_submission_window(case: Case) -> tuple[dt.date, dt.date]:
    """The earliest and the latest date of the last submission the tribunal may set now: not
    before its constitution nor before the date already set, at most a year from today."""
    earliest = local_date(case.tribunal_constituted_at or utcnow())
    if case.last_submission_on is not None:
        earliest = max(earliest, case.last_submission_on)
    return earliest, deadline_queries.today() + LAST_SUBMISSION_AHEAD


def close_submissions(
    case: Case,
    *,
    chair: User,
    last_on: dt.date,
    reason: str,
    expected_version: int | None,
) -> CaseEvent:
    """The date of the last submission, with reasons: the award's time limit runs from it.

    A change moves it later only (the parties filed by the date they were given), and the
    audit event keeps the date it replaces, so the parties are told both.
    """
    engine.check(chair, case, "close_submissions", reason=reason)
    previous = case.last_submission_on
    earliest, latest = last_submission_window(case)
    if last_on == previous:
        raise LastSubmissionRefused(
            N_("The date of the last submission is already %(day)s."), day=last_on
        )
    if previous is not None and last_on < previous:
        raise LastSubmissionRefused(
            N_("The date of the last submission can only move later than %(day)s."), day=previous
        )
    if last_on < earliest:
        raise LastSubmissionRefused(
            N_("The tribunal was constituted on %(day)s: the last submission cannot be earlier."),
            day=earliest,
        )
    if last_on > latest:
        raise LastSubmissionRefused(
            N_("The date of the last submission can be at most a year ahead, until %(day)s."),
            day=latest,
        )
    data = {"last_submission_on": last_on.isoformat()}
    if previous is not None:
        data["previous"] = previous.isoformat()
    case.last_submission_on = last_on  # the award's time limit, started below, runs from it
    return engine.apply(
        chair,
        case,
        "close_submissions",
        reason=reason,
        expected_version=expected_version,
        data=data,
    )


def schedule(
    session: Session,
    case: Case,
    *,
    user: User,
    starts_at: dt.datetime,
    place: str | None,
    video_link: str | None,
    agenda: str | None,
    expected_version: int | None,
) -> Meeting:
    """A mediation session (mediator) or a hearing (tribunal), by the case's state."""
    hearing = case.state.value == "arbitration"
    if not (place or video_link):
        raise TransitionRefused(N_("Give a place or a video link."))
    if video_link and not video_link.startswith("https://"):
        raise TransitionRefused(N_("A video link must start with https://."))
    engine.apply(
        user,
        case,
        "schedule_hearing" if hearing else "schedule_session",
        expected_version=expected_version,
        data={"starts_at": starts_at.isoformat(), "place": place, "video_link": video_link},
    )
    meeting = Meeting(
        case_id=case.id,
        kind=MeetingKind.HEARING if hearing else MeetingKind.MEDIATION_SESSION,
        starts_at=starts_at,
        place=place or None,
        video_link=video_link or None,
        agenda=agenda or None,
        created_by_id=user.id,
    )
    session.add(meeting)
    return meeting


class HearingRefused(TransitionRefused):
    """Not a hearing that can be recorded as held (said beside the choice of hearing)."""

    field = "meeting"


def record_hearing_held(
    case: Case, *, chair: User, meeting_id: int, reason: str, expected_version: int | None
) -> CaseEvent:
    """The tribunal records that a scheduled hearing took place, with who attended and what
    was heard: the first one held meets the time limit for the tribunal's first session."""
    engine.check(chair, case, "record_hearing_held", reason=reason)
    meeting = next((m for m in queries.hearings_to_record(case) if m.id == meeting_id), None)
    if meeting is None:
        raise HearingRefused(N_("Choose one of the hearings that are waiting for this record."))
    return engine.apply(
        chair,
        case,
        "record_hearing_held",
        reason=reason,
        expected_version=expected_version,
        data={"meeting_id": meeting.id, "starts_at": meeting.starts_at.isoformat()},
    )


def add_note(session: Session, case: Case, *, author: User, body: str) -> PrivateNote:
    if not policy.can(author, policy.NOTE, case):
        raise TransitionRefused(N_("Only the case's neutrals keep notes."))
    if not body.strip():
        raise TransitionRefused(N_("The note is empty."))
    note = PrivateNote(case_id=case.id, author_id=author.id, body=body.strip())
    session.add(note)
    return note


def notes(session: Session, case: Case, user: User) -> list[PrivateNote]:
    """The user's own notes on the case, newest first: no one else's, ever."""
    return list(
        session.scalars(
            select(PrivateNote)
            .where(PrivateNote.case_id == case.id, PrivateNote.author_id == user.id)
            .order_by(PrivateNote.created_at.desc(), PrivateNote.id.desc())
        )
    )


def visible_events(case: Case, user: User, roles: frozenset[str] | None = None) -> list[CaseEvent]:
    """The case's trail as this user may read it (the clerk reads all of it). `roles`: the
    user's case_roles, when the caller has them (else computed once here)."""
    roles = policy.case_roles(user, case) if roles is None else roles
    return [
        e
        for e in case.events
        if e.visibility is None or policy.may_read_event(user, case, e, roles)
    ]


def running_deadlines(case: Case) -> list[Deadline]:
    return [d for d in case.deadlines if d.status.value == "open"]
