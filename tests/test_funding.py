"""Third-party funding (ICSID rule 14): a party discloses, updates and withdraws a funder
(the history kept, each an audit event); the sitting neutrals re-confirm their declarations
within the time limit (business days on the Kazakhstan calendar); the conflict check covers
funders and counsel."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from dispute_portal.auth.models import Role
from dispute_portal.challenges import operations as challenges
from dispute_portal.db import frozen_time
from dispute_portal.deadlines.models import DeadlineStatus
from dispute_portal.deadlines.queries import open_deadline
from dispute_portal.errors import TransitionRefused
from dispute_portal.funding import operations as funding
from dispute_portal.funding import queries
from dispute_portal.funding.models import Ending
from dispute_portal.neutrals import operations as neutrals
from dispute_portal.neutrals.models import Capacity
from dispute_portal.notices.models import Notification
from dispute_portal.parties.models import Side, Standing
from dispute_portal.proceedings import operations as proceedings
from dispute_portal.workflow.states import CaseState

# Friday 11 December 2026 in Almaty: ten business days, over two weekends and Independence
# Day (Wednesday 16 December), end on Monday 28 December.
DISCLOSED_AT = dt.datetime(2026, 12, 11, 5, 0, tzinfo=dt.UTC)


def arbitration(factory):
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.ARBITRATION, clerk=clerk)
    respondent = factory.join(case, clerk)
    tribunal = factory.tribunal(case, clerk, size=3)
    factory.session.flush()
    return case, clerk, respondent, tribunal


def _disclose(factory, case, user, name="Themis Litigation Fund LP"):
    disclosure = funding.disclose(
        factory.session,
        case,
        user=user,
        funder_name=name,
        funder_address="1 Fleet Street, London",
        expected_version=None,
    )
    factory.session.flush()
    return disclosure


def test_a_disclosure_asks_each_neutral_to_reconfirm_in_business_days(factory, session):
    with frozen_time(DISCLOSED_AT - dt.timedelta(days=1)):
        case, _, respondent, (chair, co1, co2) = arbitration(factory)
    with frozen_time(DISCLOSED_AT):
        disclosure = _disclose(factory, case, case.claimant_user)
    assert disclosure.side is Side.CLAIMANT and disclosure.current
    deadline = open_deadline(case, "declaration_reconfirmation")
    assert (deadline.starts_on, deadline.due_on) == (dt.date(2026, 12, 11), dt.date(2026, 12, 28))
    assert {a.user_id for a in queries.not_reconfirmed(case)} == {chair.id, co1.id, co2.id}
    event = case.last_event("disclose_funding")
    assert event.data == {
        "side": "claimant",
        "name": "Themis Litigation Fund LP",
        "address": "1 Fleet Street, London",
    }
    notes = session.scalars(select(Notification).where(Notification.user_id == co1.id)).all()
    assert any(n.params.get("due") == "2026-12-28" for n in notes)
    # Each re-confirms once; the last one meets the time limit.
    with frozen_time(DISCLOSED_AT + dt.timedelta(days=3)):
        for user in (chair, co1):
            funding.reconfirm(
                session,
                case,
                user=user,
                statement="Still independent.",
                confirmed=True,
                expected_version=None,
            )
        with pytest.raises(TransitionRefused, match="since the last disclosure"):
            funding.reconfirm(
                session,
                case,
                user=chair,
                statement="Again.",
                confirmed=True,
                expected_version=None,
            )
        with pytest.raises(TransitionRefused, match="sign the declaration"):
            funding.reconfirm(
                session, case, user=co2, statement="", confirmed=False, expected_version=None
            )
        assert [a.user_id for a in queries.not_reconfirmed(case)] == [co2.id]
        funding.reconfirm(
            session, case, user=co2, statement="No link.", confirmed=True, expected_version=None
        )
        session.flush()
        met = next(d for d in case.deadlines if d.key == "declaration_reconfirmation")
        assert met.status is DeadlineStatus.MET and queries.not_reconfirmed(case) == []
        assert len(case.events_of("reconfirm_declaration")) == 3
        # A party does not re-confirm; nor does anyone when nothing is waiting.
        with pytest.raises(TransitionRefused):
            funding.reconfirm(
                session,
                case,
                user=respondent,
                statement="x",
                confirmed=True,
                expected_version=None,
            )


def test_updates_and_withdrawals_keep_the_history(factory, session):
    case, _, respondent, _ = arbitration(factory)
    first = _disclose(factory, case, case.claimant_user)
    # The other side's disclosure is not theirs to change.
    with pytest.raises(TransitionRefused, match="your side"):
        funding.update(
            session,
            case,
            user=respondent,
            disclosure_id=first.id,
            funder_name="X",
            funder_address="Y",
            expected_version=None,
        )
    with pytest.raises(TransitionRefused, match="Nothing changed"):
        funding.update(
            session,
            case,
            user=case.claimant_user,
            disclosure_id=first.id,
            funder_name=first.funder_name,
            funder_address=first.funder_address,
            expected_version=None,
        )
    second = funding.update(
        session,
        case,
        user=case.claimant_user,
        disclosure_id=first.id,
        funder_name="Themis Fund II LP",
        funder_address="2 Fleet Street, London",
        expected_version=None,
    )
    session.flush()
    assert first.ending is Ending.UPDATED and second.replaces_id == first.id
    assert [d.id for d in queries.current_funders(case)] == [second.id]
    funding.withdraw(case, user=case.claimant_user, disclosure_id=second.id, expected_version=None)
    session.flush()
    assert second.ending is Ending.WITHDRAWN and queries.current_funders(case) == []
    assert {d.id for d in queries.disclosures(case)} == {first.id, second.id}
    assert [e.action for e in case.events if "funding" in e.action] == [
        "disclose_funding",
        "update_funding",
        "withdraw_funding",
    ]
    # Nothing left to update or withdraw.
    assert queries.funding_disclosed(case) is not None
    with pytest.raises(TransitionRefused):
        funding.withdraw(
            case, user=case.claimant_user, disclosure_id=second.id, expected_version=None
        )


def test_bad_input_is_refused_and_changes_nothing(factory, session):
    case, clerk, _, _ = arbitration(factory)
    version = case.version
    with pytest.raises(TransitionRefused, match="funder's name"):
        _disclose(factory, case, case.claimant_user, name="  ")
    with pytest.raises(TransitionRefused, match="Only a party"):
        _disclose(factory, case, clerk)
    assert case.version == version and queries.disclosures(case) == []


def test_before_anyone_sits_nothing_waits_for_a_reconfirmation(factory):
    case = factory.case(CaseState.SUBMITTED)
    _disclose(factory, case, case.claimant_user)  # at filing
    assert open_deadline(case, "declaration_reconfirmation") is None
    assert queries.reconfirmation_due(case) is not None


def _barred(session, case, user) -> str | None:
    found = next(c for c in neutrals.candidates(session, case, Role.ARBITRATOR) if c.user == user)
    return found.barred


def test_the_conflict_check_covers_funders_and_counsel(factory, session):
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.IMPASSE, clerk=clerk)
    # Counsel as the claim names them (and their firm), and counsel who joined the case.
    case.claimant.counsel_name, case.claimant.counsel_firm = "Aigerim Sadykova", "Steppe Law LLP"
    counsel = factory.user(Role.INVESTOR, name="Daniyar Omarov")
    factory.join(case, case.claimant_user, counsel, side=Side.CLAIMANT, standing=Standing.COUNSEL)
    conflicted = {}
    for name in ("Themis Litigation Fund", "Steppe Law", "Daniyar Omarov", "Aigerim Sadykova"):
        conflicted[name] = factory.user(Role.ARBITRATOR)
        neutrals.add_conflict(session, conflicted[name], party_name=name, note=None)
    clean = factory.user(Role.ARBITRATOR)
    session.flush()
    barred = "Declared a conflict with a party to this case."
    assert _barred(session, case, conflicted["Themis Litigation Fund"]) is None  # not yet
    for name in ("Steppe Law", "Daniyar Omarov", "Aigerim Sadykova"):
        assert _barred(session, case, conflicted[name]) == barred, name
    _disclose(factory, case, case.claimant_user, name="Themis Litigation Fund LP")
    assert _barred(session, case, conflicted["Themis Litigation Fund"]) == barred
    assert _barred(session, case, clean) is None
    # Refused as with a party: the clerk cannot propose them.
    proceedings.act(case, user=clerk, action="refer", reason=None, expected_version=None)
    for user in conflicted.values():
        with pytest.raises(TransitionRefused, match="conflict"):
            neutrals.propose_tribunal(
                session,
                case,
                clerk=clerk,
                members=[(Capacity.SOLE_ARBITRATOR, user)],
                expected_version=None,
            )
    neutrals.propose_tribunal(
        session,
        case,
        clerk=clerk,
        members=[(Capacity.SOLE_ARBITRATOR, clean)],
        expected_version=None,
    )


def test_the_time_to_reconfirm_stops_when_the_case_leaves_mediation(factory, session):
    """The mediator owed a re-confirmation; the mediation ends without one: nobody sitting
    owes it any more (the tribunal will sign its declarations knowing of the funder)."""
    with frozen_time(DISCLOSED_AT - dt.timedelta(days=1)):
        clerk = factory.user(Role.CLERK)
        case = factory.case(CaseState.MEDIATION, clerk=clerk)
        factory.join(case, clerk)
    with frozen_time(DISCLOSED_AT):
        _disclose(factory, case, case.claimant_user)
    (mediator,) = queries.not_reconfirmed(case)
    with frozen_time(DISCLOSED_AT + dt.timedelta(days=2)):
        proceedings.act(
            case,
            user=mediator.user,
            action="impasse",
            reason="No agreement.",
            expected_version=None,
        )
        session.flush()
    (deadline,) = [d for d in case.deadlines if d.key == "declaration_reconfirmation"]
    assert deadline.status is DeadlineStatus.CANCELLED
    assert deadline.closed_at is not None and not deadline.overdue(dt.date(2027, 1, 30))
    assert case.next_deadline_key != "declaration_reconfirmation"


def test_the_time_to_reconfirm_stops_when_the_last_who_owed_it_resigns(factory, session):
    with frozen_time(DISCLOSED_AT - dt.timedelta(days=1)):
        clerk = factory.user(Role.CLERK)
        case = factory.case(CaseState.ARBITRATION, clerk=clerk)
        factory.join(case, clerk)
        (arbitrator,) = factory.tribunal(case, clerk)  # a sole arbitrator
    with frozen_time(DISCLOSED_AT):
        _disclose(factory, case, case.claimant_user)
    with frozen_time(DISCLOSED_AT + dt.timedelta(days=1)):
        challenges.resign(
            session, case, user=arbitrator, reasons="Ill health.", expected_version=None
        )
        session.flush()
    (deadline,) = [d for d in case.deadlines if d.key == "declaration_reconfirmation"]
    assert deadline.status is DeadlineStatus.CANCELLED


def test_one_who_still_owes_keeps_the_time_running_after_another_resigns(factory, session):
    with frozen_time(DISCLOSED_AT - dt.timedelta(days=1)):
        case, _, _, (chair, co1, co2) = arbitration(factory)
        factory.session.flush()
    with frozen_time(DISCLOSED_AT):
        _disclose(factory, case, case.claimant_user)
    with frozen_time(DISCLOSED_AT + dt.timedelta(days=1)):
        challenges.resign(session, case, user=co2, reasons="Ill health.", expected_version=None)
        session.flush()
    assert open_deadline(case, "declaration_reconfirmation") is not None
    assert {a.user_id for a in queries.not_reconfirmed(case)} == {chair.id, co1.id}
