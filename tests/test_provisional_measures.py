"""Provisional measures (ICSID rule 47): a party's request, the other party's observations,
the tribunal's order. Who may take each act and when, the time limits on the Kazakhstan
calendar, the order as a real PDF, the notices and the audit trail, and urgent requests
listed first."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from dispute_portal.auth.models import Role
from dispute_portal.db import frozen_time
from dispute_portal.deadlines.models import DeadlineStatus
from dispute_portal.deadlines.queries import open_deadline
from dispute_portal.errors import TransitionRefused
from dispute_portal.measures import operations as measures
from dispute_portal.measures import queries
from dispute_portal.measures.models import Outcome
from dispute_portal.neutrals import operations as neutrals
from dispute_portal.neutrals.models import Capacity
from dispute_portal.notices.models import Notification
from dispute_portal.rulings import operations as rulings
from dispute_portal.workflow.states import CaseState

from .test_rulings import _text

# 2 December 2026 in Almaty: 14 calendar days later is 16 December, Independence Day.
REQUEST_DAY = dt.datetime(2026, 12, 2, 5, 0, tzinfo=dt.UTC)


def arbitration(factory, size: int = 3):
    """A case in arbitration with its respondent joined and a tribunal sitting."""
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.ARBITRATION, clerk=clerk)
    respondent = factory.join(case, clerk)
    tribunal = factory.tribunal(case, clerk, size=size)
    factory.session.flush()
    return case, clerk, respondent, tribunal


def _request(factory, case, user, *, urgent=False, measures_text="Stop the sale of the plant."):
    request = measures.request_measures(
        factory.session,
        case,
        user=user,
        measures=measures_text,
        grounds="The plant is the investment; its sale makes any award empty.",
        urgent=urgent,
        expected_version=None,
    )
    factory.session.flush()
    return request


def test_a_request_starts_the_other_partys_time_on_the_kazakhstan_calendar(factory, session):
    with frozen_time(REQUEST_DAY):
        case, _, respondent, _ = arbitration(factory)
        request = _request(factory, case, case.claimant_user, urgent=True)
    deadline = open_deadline(case, "provisional_observations")
    assert deadline.starts_on == dt.date(2026, 12, 2)
    # 14 days end on Independence Day, a public holiday: the next working day.
    assert deadline.due_on == dt.date(2026, 12, 17)
    assert request.urgent and request.pending and request.side.value == "claimant"
    event = case.last_event("request_provisional_measures")
    assert event.data["urgent"] is True and event.data["side"] == "claimant"
    told = session.scalars(select(Notification).where(Notification.user_id == respondent.id))
    assert any(n.message.startswith("%(actor)s requested provisional measures") for n in told)


def test_observations_meet_their_time_and_start_the_tribunals(factory, session):
    with frozen_time(REQUEST_DAY):
        case, _, respondent, _ = arbitration(factory)
        _request(factory, case, case.claimant_user)
    # The requesting side does not observe on its own request.
    with pytest.raises(TransitionRefused, match="other party"):
        measures.observe(
            case, user=case.claimant_user, observations="We agree.", expected_version=None
        )
    with frozen_time(dt.datetime(2026, 12, 10, 5, 0, tzinfo=dt.UTC)):
        request = measures.observe(
            case, user=respondent, observations="No risk of sale.", expected_version=None
        )
    session.flush()
    assert request.observations == "No risk of sale." and request.observed_by_id == respondent.id
    met = next(d for d in case.deadlines if d.key == "provisional_observations")
    assert met.status is DeadlineStatus.MET
    decision = open_deadline(case, "provisional_decision")
    assert (decision.starts_on, decision.due_on) == (dt.date(2026, 12, 10), dt.date(2027, 1, 11))
    # A second set of observations is not taken.
    with pytest.raises(TransitionRefused, match="have been filed"):
        measures.observe(case, user=respondent, observations="More.", expected_version=None)


def test_the_chair_orders_and_the_order_is_a_ruling(factory, session):
    case, _, respondent, (chair, co, _) = arbitration(factory)
    _request(factory, case, case.claimant_user)
    # Not before the other party was heard.
    with pytest.raises(TransitionRefused, match="may still file observations"):
        measures.decide(
            case, chair=chair, outcome="granted", reason="Granted.", expected_version=None
        )
    measures.observe(case, user=respondent, observations="Opposed.", expected_version=None)
    # A co-arbitrator does not speak for the tribunal; a party does not order.
    for user in (co, respondent, case.claimant_user):
        with pytest.raises(TransitionRefused):
            measures.decide(
                case, chair=user, outcome="granted", reason="Granted.", expected_version=None
            )
    with pytest.raises(TransitionRefused, match="Choose what"):
        measures.decide(case, chair=chair, outcome="maybe", reason="x", expected_version=None)
    request = measures.decide(
        case,
        chair=chair,
        outcome="partly_granted",
        reason="The respondent shall give 30 days' notice of any sale.",
        expected_version=None,
    )
    session.flush()
    assert request.outcome is Outcome.PARTLY_GRANTED and request.decided_at is not None
    assert open_deadline(case, "provisional_decision") is None
    ruling = rulings.case_rulings(case)[-1]
    assert ruling.kind == "provisional_measures_order"
    assert ruling.values["extra"]["measures"] == "Stop the sale of the plant."
    assert ruling.values["extra"]["observations"] == "Opposed."
    event = case.last_event("decide_provisional_measures")
    assert event.data["outcome"] == "partly_granted" and event.note.startswith("The respondent")
    assert case.last_event("issue_ruling").data["kind"] == "provisional_measures_order"
    # The request is decided: another may now be made.
    assert queries.may_request(case) is None


def test_one_request_at_a_time_and_only_once_the_tribunal_sits(factory):
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.ARBITRATION, clerk=clerk)
    with pytest.raises(TransitionRefused, match="not constituted"):
        _request(factory, case, case.claimant_user)
    respondent = factory.join(case, clerk)
    factory.tribunal(case, clerk)
    _request(factory, case, respondent)
    with pytest.raises(TransitionRefused, match="is pending"):
        _request(factory, case, case.claimant_user)
    # Nobody but a party requests; and not before arbitration.
    with pytest.raises(TransitionRefused):
        _request(factory, case, clerk)
    mediation = factory.case(CaseState.MEDIATION)
    with pytest.raises(TransitionRefused):
        _request(factory, mediation, mediation.claimant_user)
    assert not queries.requests_of(factory.session, mediation)


def test_without_observations_the_tribunal_orders_once_their_time_has_passed(factory, session):
    with frozen_time(REQUEST_DAY):
        case, _, respondent, (chair, *_) = arbitration(factory, size=1)
        _request(factory, case, case.claimant_user)
    with frozen_time(dt.datetime(2026, 12, 18, 5, 0, tzinfo=dt.UTC)):
        assert queries.ready_to_decide(case) is None
        assert queries.observations_open(case) is not None  # too late to observe
        request = measures.decide(
            case, chair=chair, outcome="refused", reason="No urgency.", expected_version=None
        )
    assert request.outcome is Outcome.REFUSED
    closed = next(d for d in case.deadlines if d.key == "provisional_observations")
    assert closed.status is DeadlineStatus.CANCELLED  # unanswered: not met
    assert rulings.case_rulings(case)[-1].values["extra"]["observations"] == ""


def test_urgent_requests_are_listed_first(factory, session):
    first, clerk, resp1, (chair, *_) = arbitration(factory, size=1)
    second = factory.case(CaseState.ARBITRATION, clerk=clerk)
    factory.join(second, clerk)
    factory.session.flush()
    neutrals.propose_tribunal(
        session,
        second,
        clerk=clerk,
        members=[(Capacity.SOLE_ARBITRATOR, chair)],
        expected_version=None,
    )
    neutrals.accept(
        session,
        second,
        user=chair,
        declaration="Independent.",
        confirmed=True,
        expected_version=None,
    )
    plain = _request(factory, first, first.claimant_user, urgent=False)
    urgent = _request(factory, second, second.claimant_user, urgent=True)
    assert [r.id for r, _ in queries.pending_for(session, chair)] == [urgent.id, plain.id]
    # On the case: the pending request before those decided.
    measures.observe(first, user=resp1, observations="None.", expected_version=None)
    measures.decide(first, chair=chair, outcome="refused", reason="No.", expected_version=None)
    again = _request(factory, first, first.claimant_user, urgent=True)
    assert [r.id for r in queries.requests_of(session, first)] == [again.id, plain.id]
    assert [r.id for r, _ in queries.pending_for(session, chair)] == [urgent.id, again.id]


@pytest.mark.real_pdf
@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_the_order_renders_in_every_language(factory, session, language):
    case, _, respondent, (chair, *_) = arbitration(factory, size=1)
    case.language = language
    _request(factory, case, case.claimant_user, urgent=True, measures_text="Ұлттық заң measure")
    measures.observe(case, user=respondent, observations="Opposed entirely.", expected_version=None)
    measures.decide(
        case, chair=chair, outcome="granted", reason="Reasons of the order.", expected_version=None
    )
    ruling = rulings.case_rulings(case)[-1]
    text = " ".join(_text(rulings.ruling_pdf(session, ruling)).split())
    assert ruling.language == language
    assert "Ұлттық заң measure" in text and "Opposed entirely." in text
    assert "Reasons of the order." in text
    assert " ".join(ruling.values["title"].split()) in text


def test_the_tribunal_shortens_the_time_for_observations_on_an_urgent_request(factory, session):
    with frozen_time(REQUEST_DAY):
        case, _, respondent, (chair, co, _) = arbitration(factory)
        _request(factory, case, case.claimant_user, urgent=True)
        deadline = open_deadline(case, "provisional_observations")
        assert deadline.due_on == dt.date(2026, 12, 17)
        # Only the chair fixes it; the parties and a co-arbitrator do not.
        for user in (co, respondent, case.claimant_user):
            with pytest.raises(TransitionRefused):
                measures.shorten_observations(
                    case, chair=user, until=dt.date(2026, 12, 7), reason="x", expected_version=None
                )
        for until, refusal in (
            (dt.date(2026, 12, 1), "cannot be before today"),
            (dt.date(2026, 12, 17), "must come before the current one"),
            # 16 December is a public holiday: its next working day is the current one.
            (dt.date(2026, 12, 16), "must come before the current one"),
        ):
            with pytest.raises(measures.MeasuresRefused, match=refusal) as refused:
                measures.shorten_observations(
                    case, chair=chair, until=until, reason="x", expected_version=None
                )
            assert refused.value.field == "until"
            assert deadline.due_on == dt.date(2026, 12, 17)
        assert case.last_event("shorten_provisional_observations") is None
        # Saturday 5 December: the time ends on the next working day, Monday 7 December.
        measures.shorten_observations(
            case,
            chair=chair,
            until=dt.date(2026, 12, 5),
            reason="The capacity is to be allocated next week.",
            expected_version=None,
        )
        session.flush()
    assert deadline.due_on == dt.date(2026, 12, 7)
    assert deadline.last_reason == "The capacity is to be allocated next week."
    assert deadline.extensions == 0 and deadline.status is DeadlineStatus.OPEN
    assert case.next_due_on == dt.date(2026, 12, 7)
    event = case.last_event("shorten_provisional_observations")
    assert event.data == {
        "deadline": "provisional_observations",
        "from": "2026-12-17",
        "to": "2026-12-07",
    }
    assert event.note == "The capacity is to be allocated next week."
    told = session.scalars(select(Notification).where(Notification.user_id == respondent.id))
    shortened = [n for n in told if n.message.startswith("The tribunal shortened the time")]
    assert len(shortened) == 1 and shortened[0].params["due"] == "2026-12-07"
    # The respondent may still observe until then; after it, the tribunal orders without.
    with frozen_time(dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)):
        assert queries.observations_open(case) is None
        assert queries.ready_to_decide(case) is not None
    with frozen_time(dt.datetime(2026, 12, 8, 5, 0, tzinfo=dt.UTC)):
        assert queries.ready_to_decide(case) is None
        assert "has ended" in queries.urgent_open(case)


def test_only_an_urgent_request_still_open_to_observations_is_shortened(factory, session):
    case, _, respondent, (chair, _, _) = arbitration(factory)
    assert queries.urgent_open(case) == "No request for provisional measures is pending."
    _request(factory, case, case.claimant_user, urgent=False)
    with pytest.raises(TransitionRefused, match="urgent request"):
        measures.shorten_observations(
            case, chair=chair, until=dt.date(2026, 12, 7), reason="x", expected_version=None
        )
    other, _, other_respondent, (other_chair, _, _) = arbitration(factory)
    _request(factory, other, other.claimant_user, urgent=True)
    measures.observe(other, user=other_respondent, observations="No.", expected_version=None)
    with pytest.raises(TransitionRefused, match="have been filed"):
        measures.shorten_observations(
            other, chair=other_chair, until=dt.date(2026, 12, 7), reason="x", expected_version=None
        )
    assert other.last_event("shorten_provisional_observations") is None
