"""The minimal pages' queries: SQLAlchemy Core on the portal's own tables (their column types
turn values into the portal's enums and aware datetimes), rows, never ORM objects. Each page
reads what the portal's page shows, in a fixed number of statements."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import Row, func, literal_column, select, tuple_
from sqlalchemy.engine import Connection

from dispute_portal.auth.models import AuthSession, User
from dispute_portal.cases.models import Case, Document, Party
from dispute_portal.deadlines.models import Deadline, DeadlineStatus
from dispute_portal.mfa.models import MfaSecret
from dispute_portal.neutrals.models import Appointment, AppointmentStatus
from dispute_portal.notices.models import Notification
from dispute_portal.parties.models import Participant
from dispute_portal.proceedings.models import Meeting, Submission
from dispute_portal.rulings.models import Ruling
from dispute_portal.workflow.models import CaseEvent
from dispute_portal.workflow.states import CaseState
from dispute_portal.workflow.transitions import PROCEEDING, TRANSITIONS

PER_PAGE = 50
COUNT_UP_TO = 10_000
TIMELINE = 30

cases = Case.__table__.c
parties = Party.__table__.c
appointments = Appointment.__table__.c
users = User.__table__.c
participants = Participant.__table__.c


def session_user(conn: Connection, token_hash: str) -> Row[Any] | None:
    """The login session with its account, whether a second factor is on, and the unread
    notifications: one statement."""
    s = AuthSession.__table__.c
    unread = (
        select(func.count())
        .where(Notification.__table__.c.user_id == users.id)
        .where(Notification.__table__.c.read_at.is_(None))
        .scalar_subquery()
    )
    mfa = (
        select(func.count())
        .where(MfaSecret.__table__.c.user_id == users.id)
        .where(MfaSecret.__table__.c.enabled_at.is_not(None))
        .scalar_subquery()
    )
    query = (
        select(
            users.id,
            users.name,
            users.role,
            users.locale,
            users.is_active,
            s.created_at,
            s.expires_at,
            s.last_seen_at,
            unread.label("unread"),
            mfa.label("mfa_enabled"),
        )
        .join_from(AuthSession.__table__, User.__table__, s.user_id == users.id)
        .where(s.token_hash == token_hash, s.revoked_at.is_(None))
    )
    return conn.execute(query).first()


def _titles(conn: Connection, ids: list[int]) -> dict[int, dict[str, str]]:
    found: dict[int, dict[str, str]] = defaultdict(dict)
    for case_id, side, name in conn.execute(
        select(parties.case_id, parties.side, parties.name)
        .where(parties.case_id.in_(ids))
        .order_by(parties.id)
    ):
        found[case_id].setdefault(side.value, name or "…")
    return found


def docket(conn: Connection, *, after: int | None = None) -> dict[str, Any]:
    """A page of filed cases in the docket's order, with their parties, sitting neutrals and
    whether the respondent has joined; the count up to 10,000."""
    filed = cases.state != CaseState.DRAFT
    total = conn.scalar(
        select(func.count()).select_from(
            select(literal_column("1")).where(filed).limit(COUNT_UP_TO + 1).subquery()
        )
    )
    query = select(
        cases.id,
        cases.number,
        cases.state,
        cases.next_due_on,
        cases.next_deadline_key,
        cases.docket_order,
    ).where(filed)
    if after is not None:
        anchor = select(cases.docket_order, cases.id).where(cases.id == after).subquery()
        query = query.where(
            tuple_(cases.docket_order, cases.id)
            > select(anchor.c.docket_order, anchor.c.id).scalar_subquery()
        )
    rows = conn.execute(query.order_by(cases.docket_order, cases.id).limit(PER_PAGE + 1)).all()
    more = len(rows) > PER_PAGE
    rows = rows[:PER_PAGE]
    ids = [r.id for r in rows]
    titles = _titles(conn, ids)
    sitting: dict[int, list[Any]] = defaultdict(list)
    for a in conn.execute(
        select(appointments.case_id, appointments.capacity, appointments.status, users.name)
        .join_from(Appointment.__table__, User.__table__, users.id == appointments.user_id)
        .where(appointments.case_id.in_(ids), appointments.status != AppointmentStatus.DECLINED)
        .order_by(appointments.id)
    ):
        sitting[a.case_id].append(a)
    joined = set(
        conn.scalars(
            select(participants.case_id)
            .where(participants.case_id.in_(ids), participants.side == "respondent")
            .distinct()
        )
    )
    today = dt.datetime.now(dt.UTC).date()
    return {
        "total": total,
        "capped": (total or 0) > COUNT_UP_TO,
        "after": ids[-1] if more and ids else None,
        "before": ids[0] if after is not None and ids else None,
        "rows": [
            {
                "case": r,
                "title": titles.get(r.id, {}),
                "sitting": sitting.get(r.id, []),
                "overdue": r.next_due_on is not None and r.next_due_on < today,
                "absent": r.state in PROCEEDING and r.id not in joined,
            }
            for r in rows
        ],
    }


def neutrals(conn: Connection) -> list[Row[Any]]:
    return list(
        conn.execute(
            select(users.id, users.name, users.role)
            .where(users.role.in_(("mediator", "arbitrator")))
            .order_by(users.name, users.id)
        )
    )


def caseload(conn: Connection, user_id: int) -> tuple[list[tuple[CaseState, int]], list[Any]]:
    """The neutral's cases by state, and the first page in the docket's order."""
    holding = (appointments.user_id == user_id, appointments.status != AppointmentStatus.DECLINED)
    counted = dict(
        conn.execute(
            select(cases.state, func.count(func.distinct(cases.id)))
            .join_from(Case.__table__, Appointment.__table__, appointments.case_id == cases.id)
            .where(*holding)
            .group_by(cases.state)
        ).all()
    )
    rows = conn.execute(
        select(
            cases.id,
            cases.number,
            cases.state,
            cases.next_due_on,
            cases.next_deadline_key,
            cases.last_activity_at,
            appointments.capacity,
            appointments.status,
        )
        .join_from(Case.__table__, Appointment.__table__, appointments.case_id == cases.id)
        .where(*holding)
        .order_by(cases.docket_order, cases.id)
        .limit(PER_PAGE)
    ).all()
    titles = _titles(conn, [r.id for r in rows])
    today = dt.datetime.now(dt.UTC).date()
    return [(s, counted[s]) for s in CaseState if s in counted], [
        {
            "case": r,
            "title": titles.get(r.id, {}),
            "overdue": r.next_due_on is not None and r.next_due_on < today,
        }
        for r in rows
    ]


def case_page(conn: Connection, case_id: int, user: Any) -> dict[str, Any] | None:
    """The case with what its page shows; None if it is not there or not the reader's."""
    case = conn.execute(select(Case.__table__).where(cases.id == case_id)).first()
    if case is None:
        return None
    appointed = conn.execute(
        select(appointments.user_id, appointments.capacity, appointments.status, users.name)
        .join_from(Appointment.__table__, User.__table__, users.id == appointments.user_id)
        .where(appointments.case_id == case_id)
        .order_by(appointments.id)
    ).all()
    joined = conn.execute(
        select(participants.user_id, participants.side, participants.standing, users.name)
        .join_from(Participant.__table__, User.__table__, users.id == participants.user_id)
        .where(participants.case_id == case_id)
        .order_by(participants.id)
    ).all()
    clerk = user.role.value == "clerk"
    if not (
        clerk
        or case.claimant_user_id == user.id
        or any(a.user_id == user.id for a in appointed)
        or any(p.user_id == user.id for p in joined)
    ):
        return None
    roles = {"clerk"} if clerk else {"claimant"} if case.claimant_user_id == user.id else set()
    for a in appointed:
        if a.user_id == user.id and a.status is AppointmentStatus.ACCEPTED:
            roles |= {"mediator"} if a.capacity.value == "mediator" else {"arbitrator", "chair"}
    d = Document.__table__.c
    documents: dict[int | None, list[Any]] = defaultdict(list)
    for doc in conn.execute(select(Document.__table__).where(d.case_id == case_id).order_by(d.id)):
        documents[doc.submission_id].append(doc)
    s = Submission.__table__.c
    submissions = conn.execute(
        select(s.id, s.title, s.body, s.side, s.is_response, s.created_at, users.name)
        .join_from(Submission.__table__, User.__table__, users.id == s.author_id)
        .where(s.case_id == case_id)
        .order_by(s.id)
    ).all()
    e = CaseEvent.__table__.c
    events = conn.execute(
        select(
            e.at, e.action, e.actor_name, e.from_state, e.to_state, e.note, e.data,
            func.count().over().label("total"),
        )
        .where(e.case_id == case_id)
        .order_by(e.seq.desc())
        .limit(TIMELINE)
    ).all()  # fmt: skip
    dl = Deadline.__table__.c
    deadlines = sorted(
        conn.execute(select(Deadline.__table__).where(dl.case_id == case_id)).all(),
        key=lambda x: (x.status is not DeadlineStatus.OPEN, x.due_on, x.id),
    )
    m = Meeting.__table__.c
    meetings = conn.execute(
        select(Meeting.__table__).where(m.case_id == case_id).order_by(m.starts_at)
    ).all()
    r = Ruling.__table__.c
    rulings = conn.execute(
        select(r.id, r.kind, r.issued_at, r.verification_code)
        .where(r.case_id == case_id)
        .order_by(r.id)
    ).all()
    named = {p.side.value: p for p in _parties(conn, case_id)}
    now = dt.datetime.now(dt.UTC)
    return {
        "case": case,
        "parties": named,
        "appointments": appointed,
        "participants": joined,
        "claim_documents": documents.get(None, []),
        "documents": documents,
        "submissions": submissions,
        "events": events,
        "events_total": events[0].total if events else 0,
        "deadlines": deadlines,
        "today": now.date(),
        "upcoming": [x for x in meetings if x.starts_at >= now],
        "earlier": [x for x in meetings if x.starts_at < now],
        "rulings": rulings,
        "actions": [t for t in TRANSITIONS if case.state in t.sources and t.who & roles],
    }


def _parties(conn: Connection, case_id: int) -> list[Any]:
    return list(conn.execute(select(Party.__table__).where(parties.case_id == case_id)))
