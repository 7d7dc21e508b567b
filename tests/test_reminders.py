"""The daily scheduler run: deadline reminders, once each, and dormant mediations ended."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from dispute_portal.auth.models import Role
from dispute_portal.db import frozen_time
from dispute_portal.deadlines.reminders import (
    AWARD_OVERDUE,
    DUE_TODAY,
    OVERDUE,
    RECIPIENTS,
    SOON,
    recipients,
)
from dispute_portal.deadlines.rules import DEADLINE_LABELS, RULES_V3, SET_BY_ORDER
from dispute_portal.notices.models import Notification, OutboxMessage
from dispute_portal.proceedings import operations as proceedings
from dispute_portal.registry import operations as registry
from dispute_portal.rulings.operations import case_rulings
from dispute_portal.workflow.models import verify_chain
from dispute_portal.workflow.states import CaseState

# A Wednesday in Almaty; the response is then due on Friday 3 April 2026.
REGISTERED_AT = dt.datetime(2026, 3, 4, 5, 0, tzinfo=dt.UTC)
RESPONSE_DUE = dt.date(2026, 4, 3)


def at(day: dt.date) -> dt.datetime:
    """11:00 in Almaty on that day."""
    return dt.datetime.combine(day, dt.time(6, 0), tzinfo=dt.UTC)


def remind(app, session, day: dt.date):
    session.commit()
    with frozen_time(at(day)):
        result = app.test_cli_runner().invoke(args=["deadlines", "remind"])
    assert result.exit_code == 0, result.output
    session.expire_all()
    return result.output


def notices(session, deadline_key: str | None = None, message: str | None = None):
    query = select(Notification).order_by(Notification.id)
    rows = session.scalars(query).all()
    return [
        n
        for n in rows
        if (deadline_key is None or n.params.get("deadline") == DEADLINE_LABELS[deadline_key])
        and (message is None or n.message == message)
    ]


def total_notices(session) -> int:
    return session.scalar(select(func.count(Notification.id)))


@pytest.fixture
def registered(factory, session):
    """A case registered on 4 March 2026 whose respondent's representative has joined."""
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.SUBMITTED)
    with frozen_time(REGISTERED_AT):
        factory.settle_lodging_fee(case, clerk)
        registry.register_case(session, case, clerk=clerk)
    with frozen_time(REGISTERED_AT + dt.timedelta(days=1)):
        respondent = factory.join(case, clerk)
    session.flush()
    return case, clerk, respondent


def test_the_mapping_covers_every_deadline():
    assert set(RECIPIENTS) == set(DEADLINE_LABELS)
    assert set(RECIPIENTS) == set(RULES_V3["deadlines"]) - {"award_expedited"} | set(SET_BY_ORDER)


def test_nothing_before_the_reminder_window(app, session, registered):
    before = total_notices(session)
    output = remind(app, session, dt.date(2026, 3, 13))  # every deadline is > 5 days away
    assert "0 due soon, 0 overdue" in output
    assert total_notices(session) == before


def test_due_soon_then_overdue_each_once_to_those_who_must_act(app, session, registered):
    case, clerk, respondent = registered
    remind(app, session, RESPONSE_DUE - dt.timedelta(days=6))
    assert notices(session, "response") == []  # not yet within the five days

    remind(app, session, RESPONSE_DUE - dt.timedelta(days=4))
    soon = notices(session, "response")
    assert {n.user_id for n in soon} == {respondent.id, clerk.id}
    assert case.claimant_user_id not in {n.user_id for n in soon}
    assert all(n.message == SOON and n.case_id == case.id for n in soon)
    assert soon[0].params == {
        "reference": case.reference,
        "deadline": "Respondent's response",
        "date": "2026-04-03",
        "days": 4,
    }
    mail = session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_email == respondent.email)
    ).all()
    assert any(
        m.subject == f"{case.reference}: Respondent's response is due on 3 April 2026, in 4 days."
        for m in mail
    )
    response = next(d for d in case.deadlines if d.key == "response")
    assert response.reminded_at == at(RESPONSE_DUE - dt.timedelta(days=4))

    # Again the same day, and on the following days up to the due date: nothing new.
    count = total_notices(session)
    remind(app, session, RESPONSE_DUE - dt.timedelta(days=4))
    remind(app, session, RESPONSE_DUE)
    assert total_notices(session) == count

    output = remind(app, session, RESPONSE_DUE + dt.timedelta(days=1))
    overdue = notices(session, "response", OVERDUE)
    assert {n.user_id for n in overdue} == {respondent.id, clerk.id}
    assert overdue[0].params["date"] == "2026-04-03"
    assert "overdue" in output
    count = total_notices(session)
    remind(app, session, RESPONSE_DUE + dt.timedelta(days=1))
    remind(app, session, RESPONSE_DUE + dt.timedelta(days=20))
    assert total_notices(session) == count
    assert len(notices(session, "response")) == 4  # two people, once each, twice


def test_a_deadline_due_today(app, session, registered):
    remind(app, session, RESPONSE_DUE)
    (today,) = {n.message for n in notices(session, "response")}
    assert today == DUE_TODAY


def test_a_met_deadline_is_not_reminded(app, session, registered):
    case, _, respondent = registered
    proceedings.file_submission(
        session,
        case,
        author=respondent,
        title="Response",
        body="We deny the claim.",
        files=[],
        is_response=True,
        upload_dir=app.config["UPLOAD_DIR"],
        max_bytes=app.config["MAX_UPLOAD_BYTES"],
        expected_version=None,
    )
    remind(app, session, RESPONSE_DUE + dt.timedelta(days=1))
    assert notices(session, "response") == []


def test_the_reminder_reaches_the_reader_in_their_language(app, session, registered):
    _, _, respondent = registered
    respondent.locale = "ru"
    remind(app, session, RESPONSE_DUE - dt.timedelta(days=2))
    (mail,) = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.to_email == respondent.email)
        .order_by(OutboxMessage.id.desc())
        .limit(1)
    )
    assert "3 апреля 2026" in mail.subject  # the date written out in the reader's language
    assert "Центр разрешения инвестиционных споров города Алатау" in mail.body


def test_an_overdue_award_prompts_the_tribunal_to_give_notice_of_delay(app, session, factory):
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.ARBITRATION, clerk=clerk)
    tribunal = factory.tribunal(case, clerk, size=3)
    award = next(d for d in case.deadlines if d.key == "award")
    due = award.due_on

    remind(app, session, due + dt.timedelta(days=1))
    prompts = notices(session, message=AWARD_OVERDUE)
    assert {n.user_id for n in prompts} == {u.id for u in tribunal}
    assert prompts[0].params["date"] == due.isoformat()
    (mail,) = session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.to_email == tribunal[0].email,
            OutboxMessage.subject.contains("award was due"),
        )
    )
    assert "Issue a notice of delay" in mail.body
    assert case.claimant_user_id not in {n.user_id for n in prompts}

    # The chair gives notice of delay; the new expected date earns a new reminder, once.
    session.refresh(case)
    with frozen_time(at(due + dt.timedelta(days=2))):
        proceedings.notice_of_delay(
            case,
            chair=tribunal[0],
            reason="The hearing was postponed.",
            expected_on=due + dt.timedelta(days=40),
            expected_version=None,
        )
    new_due = next(d for d in case.deadlines if d.key == "award").due_on
    remind(app, session, new_due + dt.timedelta(days=1))
    remind(app, session, new_due + dt.timedelta(days=2))
    assert len(notices(session, message=AWARD_OVERDUE)) == 6


def test_recipients_follow_the_mapping(session, factory):
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.MEDIATION, clerk=clerk)
    mediator = next(a.user for a in case.appointments)
    inactive = factory.user(Role.CLERK, is_active=False)
    assert {u.id for u in recipients(session, case, "mediation_conclusion")} == {
        mediator.id,
        case.claimant_user_id,
    }
    clerks = {u.id for u in recipients(session, case, "mediator_appointment")}
    assert clerk.id in clerks and inactive.id not in clerks
    assert recipients(session, case, "first_session") == []  # no tribunal yet


def test_a_dormant_mediation_is_terminated(app, session, factory):
    with frozen_time(REGISTERED_AT):
        dormant = factory.case(CaseState.MEDIATION)
    with frozen_time(REGISTERED_AT + dt.timedelta(days=10)):
        lively = factory.case(CaseState.MEDIATION)
    day = (REGISTERED_AT + dt.timedelta(days=121)).date()

    output = remind(app, session, day)
    assert f"dormant mediations terminated: 1 ({dormant.reference})" in output
    assert dormant.state is CaseState.IMPASSE
    assert lively.state is CaseState.MEDIATION
    lapse = dormant.last_event("lapse")
    assert lapse.action == "lapse" and lapse.actor_id is None and lapse.actor_name == "system"
    certificate = case_rulings(dormant)[-1]
    assert certificate.kind == "termination_certificate"
    assert verify_chain(dormant.events) is None
    assert {d.key: d.status.value for d in dormant.deadlines}["mediation_conclusion"] == "met"
    # Everyone on the case and the registry hear of it.
    told = {n.user_id for n in notices(session) if n.case_id == dormant.id}
    assert dormant.claimant_user_id in told

    again = remind(app, session, day)
    assert "dormant mediations terminated: 0" in again
    assert [e.action for e in dormant.events].count("lapse") == 1


def test_a_mediation_just_short_of_dormant_is_left_alone(app, session, factory):
    with frozen_time(REGISTERED_AT):
        case = factory.case(CaseState.MEDIATION)
    output = remind(app, session, (REGISTERED_AT + dt.timedelta(days=119)).date())
    assert "dormant mediations terminated: 0" in output
    assert case.state is CaseState.MEDIATION


def test_deadlines_rules_prints_the_rule_set(app):
    result = app.test_cli_runner().invoke(args=["deadlines", "rules"])
    assert result.exit_code == 0
    assert "Rule set 3" in result.output and '"inactivity_days": 150' in result.output
    assert '"non_payment_discontinuance_days": 90' in result.output
