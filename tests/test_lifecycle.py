"""Whole lives of cases, through the real operations, with their deadlines and rulings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dispute_portal.auth.models import Role
from dispute_portal.awards import operations as awards
from dispute_portal.awards.models import CostsAllocation, CostsMode
from dispute_portal.db import frozen_time
from dispute_portal.deadlines.models import DeadlineStatus
from dispute_portal.deadlines.queries import today
from dispute_portal.neutrals import operations as neutrals
from dispute_portal.neutrals.models import AppointmentStatus, Capacity
from dispute_portal.proceedings import operations as proceedings
from dispute_portal.registry import operations as registry
from dispute_portal.rulings.operations import case_rulings
from dispute_portal.workflow import engine
from dispute_portal.workflow.models import verify_chain
from dispute_portal.workflow.states import CaseState

# A Wednesday in Almaty; registration at 10:00 local time.
REGISTERED_AT = dt.datetime(2026, 3, 4, 5, 0, tzinfo=dt.UTC)


def deadline(case, key):
    found = [d for d in case.deadlines if d.key == key]
    assert found, f"no {key} deadline"
    return found[-1]


def kinds(case):
    return [r.kind for r in case_rulings(case)]


def registered(factory, **claim):
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.SUBMITTED)
    for attr, value in claim.items():
        setattr(case, attr, value)
    with frozen_time(REGISTERED_AT):
        factory.settle_lodging_fee(case, clerk)
        registry.register_case(factory.session, case, clerk=clerk)
    return case, clerk


def test_registration_fixes_the_rules_and_starts_the_first_deadlines(factory):
    case, _ = registered(factory)
    assert case.rule_set_version == 3  # the newest version the migrations install
    assert case.expedited is True  # USD 2 million claimed
    # 30 calendar days from 4 March 2026 is 3 April (a Friday).
    assert deadline(case, "response").due_on == dt.date(2026, 4, 3)
    # 10 business days; Monday 9 March is a day off (Women's Day fell on Sunday the 8th).
    assert deadline(case, "mediator_appointment").due_on == dt.date(2026, 3, 19)


def test_settled_in_mediation(factory):
    case, clerk = registered(factory)
    with frozen_time(REGISTERED_AT + dt.timedelta(days=3)):
        mediator = factory.mediate(case, clerk)
    assert case.state is CaseState.MEDIATION
    assert deadline(case, "mediator_appointment").status is DeadlineStatus.MET
    # 60 days from acceptance on 7 March 2026 fall on 6 May 2026 (a Wednesday).
    assert deadline(case, "mediation_conclusion").due_on == dt.date(2026, 5, 6)
    proceedings.act(
        case,
        user=mediator,
        action="settle",
        reason="USD 1.2m in two instalments.",
        expected_version=case.version,
    )
    assert case.state is CaseState.SETTLED
    assert "settlement_record" in kinds(case)
    assert all(d.status is not DeadlineStatus.OPEN for d in case.deadlines)
    proceedings.act(case, user=clerk, action="close", reason=None, expected_version=None)
    assert case.state is CaseState.CLOSED and case.closed_at is not None
    assert verify_chain(case.events) is None


def test_impasse_arbitration_award_and_correction(factory):
    case, clerk = registered(factory)
    mediator = factory.mediate(case, clerk)
    proceedings.act(case, user=mediator, action="impasse", reason="No.", expected_version=None)
    assert "termination_certificate" in kinds(case)
    proceedings.act(
        case, user=case.claimant_user, action="refer", reason=None, expected_version=None
    )
    assert case.state is CaseState.ARBITRATION
    assert deadline(case, "tribunal_constitution").status is DeadlineStatus.OPEN
    # The mediator is never offered as the case's arbitrator.
    offered = neutrals.candidates(factory.session, case, Role.ARBITRATOR)
    assert all(c.user.id != mediator.id for c in offered)
    chair, co1, co2 = factory.tribunal(case, clerk, size=3)
    assert case.tribunal_constituted_at is not None
    assert deadline(case, "tribunal_constitution").status is DeadlineStatus.MET
    assert deadline(case, "first_session").status is DeadlineStatus.OPEN
    # A co-arbitrator does not speak for the tribunal.
    with pytest.raises(engine.TransitionRefused):
        awards.issue_award(case, chair=co1, reasons="x", expected_version=None)
    proceedings.act(
        case, user=chair, action="procedural_order", reason="PO1: timetable.", expected_version=None
    )
    # A tribunal of three issues the draft its majority approved.
    awards.submit_draft(
        case,
        chair=chair,
        reasons="The claim succeeds.",
        costs=CostsAllocation(CostsMode.OWN),
        expected_version=None,
    )
    for member in (chair, co2):
        awards.approve_draft(case, member=member, expected_version=None)
    awards.issue_award(case, chair=chair, expected_version=None)
    assert case.state is CaseState.AWARDED
    assert deadline(case, "correction_request").status is DeadlineStatus.OPEN
    proceedings.act(
        case,
        user=case.claimant_user,
        action="request_correction",
        reason="A typo in paragraph 3.",
        expected_version=None,
    )
    with pytest.raises(engine.TransitionRefused, match="decided before"):
        proceedings.act(case, user=clerk, action="close", reason=None, expected_version=None)
    proceedings.decide_correction(case, chair=chair, reason="Corrected.", expected_version=None)
    assert kinds(case)[-1] == "correction_decision"
    # Decided, but the other party may still ask until the window ends.
    with pytest.raises(engine.TransitionRefused, match="may still request a correction"):
        proceedings.act(case, user=clerk, action="close", reason=None, expected_version=None)
    window_ended(case)
    proceedings.act(case, user=clerk, action="close", reason=None, expected_version=None)
    assert case.state is CaseState.CLOSED
    assert verify_chain(case.events) is None


def window_ended(case, days_ago: int = 1):
    """The correction window's last day was `days_ago` days ago (Almaty)."""
    window = deadline(case, "correction_request")
    window.starts_on = window.due_on = today() - dt.timedelta(days=days_ago)
    return window


def test_closing_an_awarded_case_waits_for_the_correction_window_to_end(factory):
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.AWARDED, clerk=clerk)
    window = deadline(case, "correction_request")
    assert window.due_on > today()
    with pytest.raises(engine.TransitionRefused, match="may still request a correction"):
        proceedings.act(case, user=clerk, action="close", reason=None, expected_version=None)
    assert case.state is CaseState.AWARDED and window.status is DeadlineStatus.OPEN
    # The last day of the window is still in it: a request filed that day is in time.
    window_ended(case, days_ago=0)
    with pytest.raises(engine.TransitionRefused, match="may still request a correction"):
        proceedings.act(case, user=clerk, action="close", reason=None, expected_version=None)
    window_ended(case, days_ago=1)
    proceedings.act(case, user=clerk, action="close", reason=None, expected_version=None)
    assert case.state is CaseState.CLOSED
    assert window.status is DeadlineStatus.CANCELLED


def test_withdrawal_issues_a_termination_order_and_stops_the_clock(factory):
    case, clerk = registered(factory)
    proceedings.act(
        case,
        user=case.claimant_user,
        action="withdraw",
        reason="Settled privately.",
        expected_version=None,
    )
    assert case.state is CaseState.WITHDRAWN
    assert kinds(case)[-1] == "termination_order"
    assert {d.status for d in case.deadlines} == {DeadlineStatus.CANCELLED}


def test_expedited_award_is_due_six_months_from_constitution(factory):
    case, clerk = registered(factory, amount_claimed=Decimal("4000000"))
    assert case.expedited
    mediator = factory.mediate(case, clerk)
    proceedings.act(case, user=mediator, action="impasse", reason="No.", expected_version=None)
    proceedings.act(case, user=clerk, action="refer", reason=None, expected_version=None)
    with frozen_time(dt.datetime(2026, 8, 31, 6, 0, tzinfo=dt.UTC)):
        factory.tribunal(case, clerk)
    # 31 August 2026 + 6 months = 28 February 2027, a Sunday: due Monday 1 March.
    assert deadline(case, "award").due_on == dt.date(2027, 3, 1)


def test_standard_award_runs_240_days_from_the_last_submission(factory):
    case, clerk = registered(factory, amount_claimed=Decimal("9000000"))
    assert not case.expedited
    with frozen_time(REGISTERED_AT + dt.timedelta(days=3)):
        mediator = factory.mediate(case, clerk)
        proceedings.act(case, user=mediator, action="impasse", reason="No.", expected_version=None)
        proceedings.act(case, user=clerk, action="refer", reason=None, expected_version=None)
        (chair,) = factory.tribunal(case, clerk)
    assert not any(d.key == "award" for d in case.deadlines)
    with frozen_time(dt.datetime(2026, 4, 20, 6, 0, tzinfo=dt.UTC)):
        proceedings.close_submissions(
            case,
            chair=chair,
            last_on=dt.date(2026, 4, 20),
            reason="The parties filed their last submissions today.",
            expected_version=None,
        )
    # 240 days after 20 April 2026 is 16 December 2026, Independence Day: due 17 December.
    assert deadline(case, "award").due_on == dt.date(2026, 12, 17)


def test_a_declined_seat_is_filled_again(factory):
    case = factory.case(CaseState.ARBITRATION)
    clerk = factory.user(Role.CLERK)
    a, b, c, d = (factory.user(Role.ARBITRATOR) for _ in range(4))
    neutrals.propose_tribunal(
        factory.session,
        case,
        clerk=clerk,
        expected_version=None,
        members=[
            (Capacity.PRESIDING_ARBITRATOR, a),
            (Capacity.CO_ARBITRATOR, b),
            (Capacity.CO_ARBITRATOR, c),
        ],
    )
    neutrals.decline(
        factory.session, case, user=b, disclosure="I advised the respondent.", expected_version=None
    )
    assert neutrals.seats(case) == [Capacity.CO_ARBITRATOR]
    with pytest.raises(engine.TransitionRefused, match="empty seats"):
        neutrals.propose_tribunal(
            factory.session,
            case,
            clerk=clerk,
            expected_version=None,
            members=[(Capacity.PRESIDING_ARBITRATOR, d)],
        )
    neutrals.propose_tribunal(
        factory.session,
        case,
        clerk=clerk,
        expected_version=None,
        members=[(Capacity.CO_ARBITRATOR, d)],
    )
    for user in (a, c, d):
        neutrals.accept(
            factory.session,
            case,
            user=user,
            declaration="I am independent.",
            confirmed=True,
            expected_version=None,
        )
    assert case.tribunal_constituted_at is not None
    statuses = {x.user_id: x.status for x in case.appointments}
    assert statuses[b.id] is AppointmentStatus.DECLINED
