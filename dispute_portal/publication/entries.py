"""Keeping the register: each registered case's public entry, made from the case as it is
now. Session hooks note the cases a flush touched (the case itself, its parties, its
neutrals, a new event) and refresh their entries as the transaction commits, in it, so the
entry and the case change together; `rebuild` makes every entry anew (after a restore, or
to fill the register of a database that had cases before it)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.orm import InstanceState, Session

from ..auth.models import User
from ..cases.models import Case, Party
from ..clock import ALMATY
from ..db import db, utcnow
from ..neutrals.models import Appointment, AppointmentStatus
from ..parties.models import Side
from ..search.operations import terms
from ..workflow.models import CaseEvent
from ..workflow.states import CaseState
from .models import STAGE_OF, Outcome, RegisterEntry, Seal, SealTarget, Stage

BATCH = 1000  # cases made into entries per round of queries
ENTRIES = cast(sa.Table, RegisterEntry.__table__)
ENDINGS = {CaseState(o.value): o for o in Outcome}  # the final states, as outcomes


def _outcome_of_closed(conn: Connection, ids: list[int]) -> dict[int, Outcome]:
    """How each closed case ended: the last ending its trail records before the closing."""
    endings = [o.value for o in Outcome]
    found: dict[int, Outcome] = {}
    for case_id, to_state in conn.execute(
        sa.select(CaseEvent.case_id, CaseEvent.to_state)
        .where(CaseEvent.case_id.in_(ids), CaseEvent.to_state.in_(endings))
        .order_by(CaseEvent.case_id, CaseEvent.seq)
    ):
        found[case_id] = Outcome(to_state)
    return found


def _values(conn: Connection, cases: list[Any], now: dt.datetime) -> list[dict[str, Any]]:
    """The entries of these case rows (id, number, state, dates, sector, basis)."""
    ids = [c.id for c in cases]
    parties: dict[tuple[int, Side], Any] = {}
    for row in conn.execute(
        sa.select(Party.case_id, Party.side, Party.name, Party.country)
        .where(Party.case_id.in_(ids))
        .order_by(Party.id)
    ):
        parties.setdefault((row.case_id, row.side), row)
    neutrals: dict[int, list[dict[str, Any]]] = {}
    for seat in conn.execute(
        sa.select(Appointment.case_id, Appointment.capacity, User.name, User.nationality)
        .join(User, User.id == Appointment.user_id)
        .where(Appointment.case_id.in_(ids), Appointment.status == AppointmentStatus.ACCEPTED)
        .order_by(Appointment.id)
    ):
        neutrals.setdefault(seat.case_id, []).append(
            {"capacity": seat.capacity.value, "name": seat.name, "nationality": seat.nationality}
        )
    hidden_names = [
        (row.case_id, row.side)
        for row in conn.execute(
            sa.select(Seal.case_id, Seal.side).where(
                Seal.case_id.in_(ids),
                Seal.target == SealTarget.PARTY_NAME,
                Seal.lifted_at.is_(None),
            )
        )
    ]
    for case_id, side in hidden_names:
        if side is not None:
            parties.pop((case_id, side), None)  # its name is "Confidential" in the register
    closed_ids = [c.id for c in cases if c.state is CaseState.CLOSED]
    closed = _outcome_of_closed(conn, closed_ids) if closed_ids else {}
    entries = []
    for case in cases:
        claimant, respondent = (
            parties.get((case.id, Side.CLAIMANT)),
            parties.get((case.id, Side.RESPONDENT)),
        )
        outcome = closed.get(case.id) if case.state is CaseState.CLOSED else ENDINGS.get(case.state)
        sitting = neutrals.get(case.id, [])
        names = [
            claimant.name if claimant else None,
            respondent.name if respondent else None,
            *(n["name"] for n in sitting),
        ]
        entries.append(
            {
                "case_id": case.id,
                "number": case.number,
                "registered_at": case.registered_at,
                "year": case.registered_at.astimezone(ALMATY).year,
                "claimant": claimant.name if claimant else None,
                "claimant_country": claimant.country if claimant else None,
                "respondent": respondent.name if respondent else None,
                "sector": case.sector,
                "basis": case.legal_basis,
                "stage": STAGE_OF.get(case.state, Stage.CONCLUDED),
                "outcome": outcome,
                "concluded_at": case.decided_at or case.closed_at if outcome else None,
                "neutrals": sitting,
                "terms": " " + " ".join(terms(case.number, *names)) + " ",
                "changed_at": now,
            }
        )
    return entries


_CASE_COLUMNS = (
    Case.id,
    Case.number,
    Case.state,
    Case.registered_at,
    Case.decided_at,
    Case.closed_at,
    Case.sector,
    Case.legal_basis,
)


def _public(query: sa.Select[*tuple[Any, ...]]) -> sa.Select[*tuple[Any, ...]]:
    """The cases the register shows: registered (numbered, with a date of registration), and
    not sealed as a whole."""
    sealed = sa.exists().where(
        Seal.case_id == Case.id, Seal.target == SealTarget.CASE, Seal.lifted_at.is_(None)
    )
    return query.where(Case.registered_at.is_not(None), Case.number.is_not(None), ~sealed)


def refresh(session: Session, case_ids: Iterable[int]) -> None:
    """Make these cases' entries as the cases are now (a case not public: no entry)."""
    conn = session.connection()
    ids = sorted({i for i in case_ids if i is not None})
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        conn.execute(sa.delete(ENTRIES).where(ENTRIES.c.case_id.in_(chunk)))
        cases = conn.execute(_public(sa.select(*_CASE_COLUMNS)).where(Case.id.in_(chunk))).all()
        if cases:
            conn.execute(sa.insert(ENTRIES), _values(conn, list(cases), utcnow()))


def rebuild(session: Session) -> int:
    """Every entry anew, in batches by case id; the number of entries."""
    conn = session.connection()
    conn.execute(sa.delete(ENTRIES))
    count, after = 0, 0
    while True:
        cases = conn.execute(
            _public(sa.select(*_CASE_COLUMNS)).where(Case.id > after).order_by(Case.id).limit(BATCH)
        ).all()
        if not cases:
            return count
        conn.execute(sa.insert(ENTRIES), _values(conn, list(cases), utcnow()))
        count += len(cases)
        after = cases[-1].id


def fill_if_empty(session: Session) -> int | None:
    """rebuild(), when the register is empty and cases are registered (a database that
    had cases before the register): the number of entries made, or None."""
    if session.scalar(sa.select(RegisterEntry.case_id).limit(1)) is not None:
        return None
    if session.scalar(_public(sa.select(Case.id)).limit(1)) is None:
        return None
    return rebuild(session)


# The hook -------------------------------------------------------------------------------------

_USER_FIELDS = ("name", "nationality")
PENDING = "register_pending"  # session.info: the cases touched since the last refresh


def _unregistered(session: Session, case_id: int) -> bool:
    """Known, from the session's own copy, to have no entry and no claim to one yet."""
    case = session.identity_map.get(sa.inspect(Case).identity_key_from_primary_key((case_id,)))
    return isinstance(case, Case) and case.registered_at is None


def _touched(session: Session) -> set[int]:
    """The cases whose entry this flush may have changed."""
    ids: set[int] = set()
    users: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Case):
            ids.add(obj.id)
        elif isinstance(obj, Party | Appointment | CaseEvent | Seal):
            ids.add(obj.case_id)
        elif isinstance(obj, User) and obj in session.dirty:
            state: InstanceState[User] = sa.inspect(obj)
            if any(state.attrs[name].history.has_changes() for name in _USER_FIELDS):
                users.add(obj.id)
    if users:
        ids.update(
            session.connection().scalars(
                sa.select(Appointment.case_id).where(Appointment.user_id.in_(users))
            )
        )
    return {i for i in ids if i is not None and not _unregistered(session, i)}


def refresh_pending(session: Session) -> None:
    """Bring the entries of the cases touched in this transaction up to date (before it
    commits; a test reads them without committing)."""
    session.flush()
    if ids := session.info.pop(PENDING, None):
        refresh(session, ids)


# The entries are made once a transaction, as it commits, whatever number of flushes touched
# its cases (an act flushes several times); a rollback forgets them. SQLAlchemy tells these
# hooks of a savepoint's end too (the scheduler acts on each case in one, and a case that
# moved on is rolled back): that is not the transaction's, and forgets nothing (a case
# touched only in the savepoint is refreshed anyway, to what it is: no harm).
@event.listens_for(db.sessionmaker, "after_flush")
def _note_touched(session: Session, _context: Any) -> None:
    if ids := _touched(session):
        session.info.setdefault(PENDING, set()).update(ids)


@event.listens_for(db.sessionmaker, "before_commit")
def _refresh_before_commit(session: Session) -> None:
    if not session.in_nested_transaction():
        refresh_pending(session)


@event.listens_for(db.sessionmaker, "after_rollback")
def _forget(session: Session) -> None:
    if not session.in_nested_transaction():
        session.info.pop(PENDING, None)
