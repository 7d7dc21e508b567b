"""Ending a proceeding without an award (ICSID Arbitration Rules 2022, rules 55-57): by the
parties' agreement or settlement, at one party's request, for failure to act; each act for
the right role and refused for the others, its deadlines on the Kazakhstan calendar, its
ruling, notices and audit event."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from dispute_portal.auth.models import Role
from dispute_portal.awards import operations as awards
from dispute_portal.db import frozen_time
from dispute_portal.deadlines.models import DeadlineStatus
from dispute_portal.deadlines.queries import open_deadline
from dispute_portal.discontinuance import operations as ending
from dispute_portal.notices.models import Notification
from dispute_portal.proceedings import operations as proceedings
from dispute_portal.rulings.models import Ruling
from dispute_portal.workflow import engine
from dispute_portal.workflow.models import verify_chain
from dispute_portal.workflow.states import CaseState

from .conftest import browser_for, hidden


def at(day: dt.date) -> dt.datetime:
    """11:00 in Almaty on that day."""
    return dt.datetime.combine(day, dt.time(6, 0), tzinfo=dt.UTC)


def take(case, user, action: str, reason: str | None = "As the parties agreed."):
    return ending.act(case, user=user, action=action, reason=reason, expected_version=None)


def rulings(session, case) -> list[Ruling]:
    return list(
        session.scalars(select(Ruling).where(Ruling.case_id == case.id).order_by(Ruling.id))
    )


def told(session, case, user) -> list[str]:
    return [
        n.message
        for n in session.scalars(
            select(Notification)
            .where(Notification.case_id == case.id, Notification.user_id == user.id)
            .order_by(Notification.id)
        )
    ]


@pytest.fixture
def arbitration(factory, session):
    """A case in arbitration before a sole arbitrator, the respondent's representative on it."""
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.ARBITRATION, clerk=clerk)
    respondent = factory.join(case, clerk)
    (chair,) = factory.tribunal(case, clerk)
    session.flush()
    return case, {"clerk": clerk, "claimant": case.claimant_user, "respondent": respondent,
                  "chair": chair}  # fmt: skip


@pytest.fixture
def impasse(factory, session):
    """A case whose mediation ended: no tribunal yet, so the registry acts for the Centre."""
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.IMPASSE, clerk=clerk)
    respondent = factory.join(case, clerk)
    session.flush()
    return case, {"clerk": clerk, "claimant": case.claimant_user, "respondent": respondent}


# By agreement of the parties (rule 55) -----------------------------------------------------


def test_the_tribunal_discontinues_by_agreement(session, arbitration):
    case, people = arbitration
    for who in ("clerk", "claimant", "respondent"):
        with pytest.raises(engine.TransitionRefused):
            take(case, people[who], "discontinue")
    # The registry's own row is closed once the tribunal sits.
    with pytest.raises(engine.TransitionRefused, match="tribunal decides"):
        take(case, people["clerk"], "registry_discontinue")
    with pytest.raises(engine.TransitionRefused, match="Give the reasons"):
        take(case, people["chair"], "discontinue", reason="  ")
    assert case.state is CaseState.ARBITRATION

    take(case, people["chair"], "discontinue", "The parties settled and ask to discontinue.")
    session.flush()
    assert case.state is CaseState.DISCONTINUED and case.decided_at is not None
    order = rulings(session, case)[-1]
    assert order.kind == "discontinuance_order"
    assert order.values["extra"] == {"ground": "agreement", "by": "tribunal"}
    assert order.values["reasons"] == "The parties settled and ask to discontinue."
    assert all(d.status is not DeadlineStatus.OPEN for d in case.deadlines)
    assert case.last_event("discontinue").actor_id == people["chair"].id
    assert verify_chain(case.events) is None
    assert "discontinued by agreement of the parties" in told(session, case, people["claimant"])[-1]
    assert "can now be closed" in told(session, case, people["clerk"])[-1]
    # A final state: the registry closes it, decides the neutrals' last fee notes and
    # settles the account.
    assert {t.action for t in engine.allowed(people["clerk"], case)} == {
        "close",
        "approve_fee_note",
        "reject_fee_note",
        "issue_account_statement",
        "issue_final_statement",
        "pay_refund",
        "publish_decision",
        "seal",
        "unseal",
    }
    proceedings.act(case, user=people["clerk"], action="close", reason=None, expected_version=None)
    assert case.state is CaseState.CLOSED


def test_the_registry_discontinues_before_the_tribunal_is_constituted(session, impasse):
    case, people = impasse
    for who in ("claimant", "respondent"):
        with pytest.raises(engine.TransitionRefused, match="may not do this"):
            take(case, people[who], "registry_discontinue")
    take(case, people["clerk"], "registry_discontinue", "Joint letter of the parties.")
    session.flush()
    assert case.state is CaseState.DISCONTINUED
    order = rulings(session, case)[-1]
    assert order.values["extra"] == {"ground": "agreement", "by": "registry"}
    assert order.issued_by_id == people["clerk"].id


def test_the_settlement_embodied_in_an_award(session, arbitration):
    case, people = arbitration
    for who in ("clerk", "claimant", "respondent"):
        with pytest.raises(engine.TransitionRefused):
            awards.issue_consent_award(
                case, chair=people[who], terms="Terms.", expected_version=None
            )
    # The act of a sole arbitrator's tribunal, with the terms given (a tribunal of three's:
    # tests/test_award_tribunal.py).
    awards.issue_consent_award(
        case, chair=people["chair"], terms="The respondent pays USD 2,000,000.",
        expected_version=None,
    )  # fmt: skip
    session.flush()
    assert case.state is CaseState.AWARDED
    assert rulings(session, case)[-1].kind == "consent_award"
    # Like an award: the parties may still ask for a correction.
    assert open_deadline(case, "correction_request") is not None
    assert "settlement in an award" in told(session, case, people["claimant"])[-1]


# At one party's request (rule 56) -------------------------------------------------------------


REQUESTED_ON = dt.date(2026, 2, 19)  # a Thursday
# 30 days later is Saturday 21 March, Nauryz; the holidays and their observed days run to
# Wednesday 25 March: the time to object ends on Thursday 26 March.
OBJECTION_DUE = dt.date(2026, 3, 26)


def test_a_request_runs_the_objection_window_on_the_kazakhstan_calendar(session, arbitration):
    case, people = arbitration
    for who in ("clerk", "chair"):
        with pytest.raises(engine.TransitionRefused, match="may not do this"):
            take(case, people[who], "request_discontinuance", "Please.")
    with frozen_time(at(REQUESTED_ON)):
        take(case, people["respondent"], "request_discontinuance", "The claim is abandoned.")
    session.flush()
    window = open_deadline(case, "discontinuance_objection")
    assert (window.starts_on, window.due_on) == (REQUESTED_ON, OBJECTION_DUE)
    assert case.last_event("request_discontinuance").data == {"side": "respondent"}
    assert case.state is CaseState.ARBITRATION
    # One request at a time; the requesting side does not object to itself.
    with pytest.raises(engine.TransitionRefused, match="already pending"):
        take(case, people["claimant"], "request_discontinuance", "Me too.")
    with frozen_time(at(REQUESTED_ON + dt.timedelta(days=1))):
        with pytest.raises(engine.TransitionRefused, match="may not do this"):
            take(case, people["respondent"], "object_to_respondent_request", "No.")
        with pytest.raises(engine.TransitionRefused, match="no request of the other party"):
            take(case, people["respondent"], "object_to_claimant_request", "No.")
        # Before the window ends, nobody may order it.
        with pytest.raises(engine.TransitionRefused, match="may still object"):
            take(case, people["chair"], "order_discontinuance", None)
    (notice,) = [m for m in told(session, case, people["claimant"]) if "may object" in m]
    assert "requested the discontinuance" in notice


def test_an_objection_in_time_lets_the_proceeding_go_on(session, arbitration):
    case, people = arbitration
    with frozen_time(at(REQUESTED_ON)):
        take(case, people["respondent"], "request_discontinuance", "The claim is abandoned.")
    with frozen_time(at(OBJECTION_DUE)):  # the last day still counts
        take(case, people["claimant"], "object_to_respondent_request", "We pursue the claim.")
        session.flush()
        statuses = {d.key: d.status for d in case.deadlines}
        assert statuses["discontinuance_objection"] is DeadlineStatus.MET
        assert case.state is CaseState.ARBITRATION
        with pytest.raises(engine.TransitionRefused, match="No request for discontinuance"):
            take(case, people["chair"], "order_discontinuance", None)
        # The request lapsed: a new one may be made.
        take(case, people["respondent"], "request_discontinuance", "Again.")
    assert "request lapses" in told(session, case, people["respondent"])[-1]


def test_an_unopposed_request_is_ordered_by_the_tribunal(session, arbitration):
    case, people = arbitration
    with frozen_time(at(REQUESTED_ON)):
        take(case, people["respondent"], "request_discontinuance", "The claim is abandoned.")
    with frozen_time(at(OBJECTION_DUE + dt.timedelta(days=1))):
        with pytest.raises(engine.TransitionRefused, match="time to object"):
            take(case, people["claimant"], "object_to_respondent_request", "Too late.")
        with pytest.raises(engine.TransitionRefused, match="tribunal decides"):
            take(case, people["clerk"], "registry_order_discontinuance", None)
        take(case, people["chair"], "order_discontinuance", None)
    session.flush()
    assert case.state is CaseState.DISCONTINUED
    extra = rulings(session, case)[-1].values["extra"]
    respondent_name = case.respondent.name
    assert extra == {
        "ground": "request",
        "by": "tribunal",
        "requested_by": respondent_name,
        "requested_on": "19 February 2026",
        "objection_until": "26 March 2026",
    }


def test_the_registry_orders_an_unopposed_request_before_constitution(session, impasse):
    case, people = impasse
    with frozen_time(at(REQUESTED_ON)):
        take(case, people["claimant"], "request_discontinuance", "We stop here.")
        with pytest.raises(engine.TransitionRefused, match="may not do this"):
            take(case, people["claimant"], "object_to_claimant_request", "No.")
    with frozen_time(at(OBJECTION_DUE + dt.timedelta(days=1))):
        take(case, people["clerk"], "registry_order_discontinuance", None)
    assert case.state is CaseState.DISCONTINUED
    assert rulings(session, case)[-1].values["extra"]["by"] == "registry"


# For failure to act (rule 57) -----------------------------------------------------------------

# The parties' last step on 7 January 2026; 150 days later is Saturday 6 June, when the
# scheduler gives notice; 30 days after it is Monday 6 July, Capital Day: a party may take a
# step until Tuesday 7 July.
LAST_STEP = dt.date(2026, 1, 7)
NOTICE_DAY = dt.date(2026, 6, 6)
STEP_DUE = dt.date(2026, 7, 7)


@pytest.fixture
def quiet(factory, session):
    """A case in arbitration, constituted on 7 January 2026, where nobody acts after."""
    with frozen_time(at(LAST_STEP)):
        clerk = factory.user(Role.CLERK)
        case = factory.case(CaseState.ARBITRATION, clerk=clerk)
        respondent = factory.join(case, clerk)
        (chair,) = factory.tribunal(case, clerk)
    session.flush()
    return case, {"clerk": clerk, "claimant": case.claimant_user, "respondent": respondent,
                  "chair": chair}  # fmt: skip


def remind(app, session, day: dt.date) -> str:
    session.commit()
    with frozen_time(at(day)):
        result = app.test_cli_runner().invoke(args=["deadlines", "remind"])
    assert result.exit_code == 0, result.output
    session.expire_all()
    return result.output


def test_the_scheduler_gives_notice_then_discontinues(app, session, quiet):
    case, people = quiet
    out = remind(app, session, NOTICE_DAY - dt.timedelta(days=1))
    assert "notices of inactivity: 0" in out and case.last_event("notify_inactivity") is None

    out = remind(app, session, NOTICE_DAY)
    assert "notices of inactivity: 1" in out
    notice = case.last_event("notify_inactivity")
    assert notice.actor_id is None and notice.actor_name == "system"
    due = open_deadline(case, "inactivity_notice")
    assert (due.starts_on, due.due_on) == (NOTICE_DAY, STEP_DUE)
    assert any("will be discontinued" in m for m in told(session, case, people["claimant"]))
    # Once a day, once a notice: the second run the same day does nothing.
    assert "notices of inactivity: 0" in remind(app, session, NOTICE_DAY)
    assert len(case.events_of("notify_inactivity")) == 1

    # Nobody steps in: the day after the last day, the scheduler discontinues.
    assert "discontinued for failure to act: 0" in remind(app, session, STEP_DUE)
    out = remind(app, session, STEP_DUE + dt.timedelta(days=1))
    assert f"discontinued for failure to act: 1 ({case.reference})" in out
    assert case.state is CaseState.DISCONTINUED
    order = rulings(session, case)[-1]
    assert order.kind == "discontinuance_order" and order.issued_by_id is None
    assert order.values["extra"] == {
        "ground": "inactivity",
        "by": "registry",
        "since": "7 January 2026",
        "noticed_on": "6 June 2026",
        "step_until": "7 July 2026",
    }
    assert verify_chain(case.events) is None
    again = remind(app, session, STEP_DUE + dt.timedelta(days=1))
    assert "discontinued for failure to act: 0" in again
    assert len(case.events_of("discontinue_inactive")) == 1


def test_a_partys_step_answers_the_notice(app, session, quiet):
    case, people = quiet
    remind(app, session, NOTICE_DAY)
    with frozen_time(at(NOTICE_DAY + dt.timedelta(days=3))):
        # The tribunal's act is not the parties' step: the notice keeps running.
        engine.apply(people["chair"], case, "procedural_order", reason="Timetable.")
        assert open_deadline(case, "inactivity_notice") is not None
        # A submission by the respondent is a step of a party.
        engine.apply(people["respondent"], case, "file_submission")
        session.flush()
    statuses = {d.key: d.status for d in case.deadlines}
    assert statuses["inactivity_notice"] is DeadlineStatus.MET
    assert "discontinued for failure to act: 0" in remind(
        app, session, STEP_DUE + dt.timedelta(days=1)
    )
    assert case.state is CaseState.ARBITRATION


def test_only_the_scheduler_discontinues_and_the_chair_may_give_notice(session, quiet):
    case, people = quiet
    with (
        frozen_time(at(NOTICE_DAY - dt.timedelta(days=1))),
        pytest.raises(engine.TransitionRefused, match="recently"),
    ):
        take(case, people["chair"], "notify_inactivity", None)
    with frozen_time(at(NOTICE_DAY)):
        for who in ("clerk", "claimant", "respondent"):
            with pytest.raises(engine.TransitionRefused, match="may not do this"):
                take(case, people[who], "notify_inactivity", None)
        take(case, people["chair"], "notify_inactivity", None)
        assert open_deadline(case, "inactivity_notice").due_on == STEP_DUE
    with frozen_time(at(STEP_DUE + dt.timedelta(days=1))):
        for who in people:
            with pytest.raises(engine.TransitionRefused, match="may not do this"):
                engine.apply(people[who], case, "discontinue_inactive")


def test_no_notice_while_the_tribunal_deliberates(app, session, quiet):
    case, people = quiet
    with frozen_time(at(LAST_STEP)):
        proceedings.close_submissions(
            case,
            chair=people["chair"],
            last_on=LAST_STEP,
            reason="The last submissions are in.",
            expected_version=None,
        )
    assert "notices of inactivity: 0" in remind(app, session, NOTICE_DAY)


# The act page ---------------------------------------------------------------------------------


def test_a_party_requests_from_the_case_page(app, session, arbitration):
    case, people = arbitration
    session.commit()
    browser = browser_for(app, people["respondent"])
    page = browser.get(f"/cases/{case.id}").get_data(as_text=True)
    assert f'href="/cases/{case.id}/act/request_discontinuance"' in page
    form = browser.get(f"/cases/{case.id}/act/request_discontinuance").get_data(as_text=True)
    assert "Objection to discontinuance" in form  # the time limit it starts
    empty = browser.post(
        f"/cases/{case.id}/act/request_discontinuance",
        {"act-version": hidden(form, "act-version"), "act-reason": ""},
    )
    assert empty.status_code == 400
    response = browser.post(
        f"/cases/{case.id}/act/request_discontinuance",
        {"act-version": hidden(form, "act-version"), "act-reason": "The claim is abandoned."},
    )
    assert response.status_code == 302
    session.expire_all()
    assert open_deadline(case, "discontinuance_objection") is not None
    claimant = browser_for(app, people["claimant"])
    assert claimant.get(f"/cases/{case.id}/act/object_to_respondent_request").status_code == 200
    assert claimant.get(f"/cases/{case.id}/act/object_to_claimant_request").status_code == 403


def test_the_order_is_previewed_as_it_will_be_issued(app, session, arbitration):
    case, people = arbitration
    session.commit()
    browser = browser_for(app, people["chair"])
    form = browser.get(f"/cases/{case.id}/act/discontinue").get_data(as_text=True)
    preview = browser.post(
        f"/cases/{case.id}/act/discontinue/preview",
        {"act-version": hidden(form, "act-version"), "act-reason": "Settled on 1 June."},
    ).get_data(as_text=True)
    assert "The tribunal orders" in preview and "by agreement of the parties" in preview
