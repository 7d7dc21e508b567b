"""What the database itself enforces, and the audit chain."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, StatementError

from dispute_portal.cases.models import Case
from dispute_portal.db import utcnow
from dispute_portal.registry.operations import next_case_number
from dispute_portal.workflow.models import verify_chain
from dispute_portal.workflow.states import CaseState
from tests.insider import bypass_triggers


def _raw_update(session, case_id, sql):
    with pytest.raises(IntegrityError), session.begin_nested():
        session.execute(text(f"UPDATE cases SET {sql} WHERE id = :id"), {"id": case_id})


def test_state_must_be_a_known_value(factory, session):
    case = factory.case()
    _raw_update(session, case.id, "state = 'limbo'")


def test_registered_case_must_have_a_number(factory, session):
    case = factory.case(CaseState.SUBMITTED)
    _raw_update(session, case.id, "state = 'registered'")


def test_closed_case_must_have_closed_at(factory, session):
    case = factory.case(CaseState.DISMISSED)
    _raw_update(session, case.id, "state = 'closed'")


def test_amounts_cannot_be_negative(factory, session):
    case = factory.case()
    _raw_update(session, case.id, "amount_claimed = -1")


def test_case_numbers_are_unique(factory, session):
    a = factory.case(CaseState.REGISTERED)
    b = factory.case(CaseState.REGISTERED)
    _raw_update(session, b.id, f"number = '{a.number}'")


def test_naive_datetimes_are_refused(factory, session):
    case = factory.case()
    case.submitted_at = dt.datetime(2026, 1, 1)  # noqa: DTZ001 - the point of the test
    with pytest.raises(StatementError, match="naive datetime"):
        session.flush()


def test_timestamps_come_back_as_aware_utc(factory, session):
    case = factory.case(CaseState.SUBMITTED)
    session.expire_all()
    loaded = session.get(Case, case.id)
    assert loaded.submitted_at.tzinfo is not None
    assert loaded.submitted_at.utcoffset() == dt.timedelta(0)
    assert abs(loaded.submitted_at - utcnow()) < dt.timedelta(minutes=1)


def test_case_numbers_are_sequential_per_year(session):
    numbers = [next_case_number(session, 2031) for _ in range(3)]
    assert numbers == ["ADR-2031-0001", "ADR-2031-0002", "ADR-2031-0003"]
    assert next_case_number(session, 2032) == "ADR-2032-0001"


def test_audit_chain_detects_tampering(factory, session):
    case = factory.case(CaseState.REGISTERED)
    session.expire_all()
    case = session.get(Case, case.id)
    assert verify_chain(case.events) is None
    assert [e.seq for e in case.events] == list(range(1, len(case.events) + 1))
    victim = case.events[2]
    bypass_triggers(session)  # an insider, as the tables' owner
    session.execute(
        text("UPDATE case_events SET note = 'forged' WHERE id = :id"), {"id": victim.id}
    )
    session.expire_all()
    case = session.get(Case, case.id)
    assert verify_chain(case.events) == victim.seq


def test_audit_chain_detects_a_removed_event(factory, session):
    case = factory.case(CaseState.REGISTERED)
    events = list(case.events)
    del events[1]
    assert verify_chain(events) == events[1].seq
