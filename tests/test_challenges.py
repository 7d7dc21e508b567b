"""Challenges (proposals for disqualification), resignations and vacancies: the acts of the
workflow table, who may take them and when, the deadlines they start and meet on the
Kazakhstan calendar, the decision (a ruling), the notices and the audit events."""

from __future__ import annotations

import datetime as dt
import io

import pypdf
import pytest

from dispute_portal.auth.models import Role
from dispute_portal.challenges import operations as challenges
from dispute_portal.challenges import queries
from dispute_portal.challenges.models import Outcome, Vote
from dispute_portal.db import session_of
from dispute_portal.deadlines.models import DeadlineStatus
from dispute_portal.deadlines.queries import open_deadline, today
from dispute_portal.errors import TransitionRefused
from dispute_portal.neutrals import operations as neutrals
from dispute_portal.neutrals.models import AppointmentStatus, Capacity, EndReason
from dispute_portal.notices.models import Notification
from dispute_portal.rulings.models import Ruling
from dispute_portal.rulings.operations import ruling_pdf
from dispute_portal.suspensions.queries import open_suspensions
from dispute_portal.workflow import engine
from dispute_portal.workflow import roles as wf
from dispute_portal.workflow.states import CaseState

from .conftest import browser_for


def seat(case, user):
    return next(a for a in case.appointments if a.user_id == user.id and a.active)


def arbitration(factory, *, size=3):
    """A case in arbitration before a constituted tribunal, the respondent joined."""
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.IMPASSE, clerk=clerk)
    respondent = factory.join(case, clerk)
    engine.apply(clerk, case, "refer")
    members = factory.tribunal(case, clerk, size=size)
    assert case.tribunal_constituted_at is not None
    return case, clerk, respondent, members


def propose(case, party, *people, learned_on=None):
    return challenges.propose(
        session_of(case),
        case,
        user=party,
        appointment_ids=[seat(case, p).id for p in people],
        facts="The arbitrator advised the respondent's ministry in 2025.",
        learned_on=learned_on or today(),
        expected_version=None,
    )


def pleadings(case, challenge, respondent, *named):
    session = session_of(case)
    for person in named:
        challenges.comment(
            session, case, user=person, comments="I was never instructed.", expected_version=None
        )
    challenges.observe(
        session, case, user=respondent, observations="The proposal is late.", expected_version=None
    )
    assert challenge.pleadings_closed_at is not None


def test_a_challenge_decided_by_the_other_members(factory, session):
    case, clerk, respondent, (chair, co1, co2) = arbitration(factory)
    claimant = case.claimant_user
    challenge = propose(case, claimant, co1)
    assert open_deadline(case, "challenge_explanation") is not None
    assert wf.CHALLENGED in wf.case_roles(co1, case)
    assert wf.CHALLENGE_OPPONENT in wf.case_roles(respondent, case)
    assert wf.CHALLENGE_OPPONENT not in wf.case_roles(claimant, case)
    assert wf.CHALLENGE_MEMBER in wf.case_roles(chair, case)
    assert wf.CHALLENGE_MEMBER in wf.case_roles(co2, case)
    assert wf.CHALLENGE_CENTRE not in wf.case_roles(clerk, case)

    pleadings(case, challenge, respondent, co1)
    assert open_deadline(case, "challenge_explanation") is None
    assert open_deadline(case, "challenge_decision") is not None
    # Not before both voted the same way.
    with pytest.raises(TransitionRefused):
        engine.check(chair, case, "decide_challenge", reason="x")
    for member in (chair, co2):
        challenges.vote(
            session,
            case,
            user=member,
            choice=Vote.REJECT,
            reasons="No link.",
            expected_version=None,
        )
    challenges.decide(
        session,
        case,
        user=chair,
        outcome=None,
        reasons="The facts do not show a manifest lack of independence.",
        expected_version=None,
    )
    assert challenge.outcome is Outcome.REJECTED and challenge.by_centre is False
    assert seat(case, co1).status is AppointmentStatus.ACCEPTED
    ruling = session.query(Ruling).filter_by(case_id=case.id, kind="challenge_decision").one()
    assert ruling.values["extra"]["outcome"] == "rejected"
    assert [v["name"] for v in ruling.values["extra"]["votes"]] == [chair.name, co2.name]
    deadline = next(d for d in case.deadlines if d.key == "challenge_decision")
    assert deadline.status is DeadlineStatus.MET
    assert case.last_event("decide_challenge") is not None
    assert queries.pending_challenge(case) is None


def test_split_members_leave_the_decision_to_the_centre_which_upholds(factory, session):
    case, clerk, respondent, (chair, co1, co2) = arbitration(factory)
    challenge = propose(case, case.claimant_user, co1)
    pleadings(case, challenge, respondent, co1)
    challenges.vote(
        session, case, user=chair, choice=Vote.UPHOLD, reasons="Doubt.", expected_version=None
    )
    assert wf.CHALLENGE_CENTRE not in wf.case_roles(clerk, case)
    challenges.vote(
        session, case, user=co2, choice=Vote.REJECT, reasons="None.", expected_version=None
    )
    assert queries.decided_by_centre(case, challenge)
    assert wf.CHALLENGE_CENTRE in wf.case_roles(clerk, case)
    assert wf.CHALLENGE_MEMBER not in wf.case_roles(chair, case)
    assert case.last_event("refer_challenge") is not None
    assert session.query(Notification).filter_by(user_id=clerk.id, case_id=case.id).count()

    # A member may no longer decide; the registry does, choosing the outcome.
    with pytest.raises(TransitionRefused):
        challenges.decide(
            session, case, user=chair, outcome=None, reasons="x", expected_version=None
        )
    with pytest.raises(TransitionRefused):
        challenges.decide(
            session, case, user=clerk, outcome=None, reasons="Upheld.", expected_version=None
        )
    challenges.decide(
        session,
        case,
        user=clerk,
        outcome=Outcome.UPHELD,
        reasons="A reasonable third person would doubt.",
        expected_version=None,
    )
    assert challenge.by_centre is True
    left = seat_of_any(case, co1)
    assert left.status is AppointmentStatus.ENDED
    assert left.ended_reason is EndReason.DISQUALIFIED
    assert wf.ARBITRATOR not in wf.case_roles(co1, case)
    assert open_deadline(case, "vacancy") is not None
    assert case.last_event("open_vacancy") is not None

    # The registry fills the seat by the route it was filled by; the acceptance fills it.
    replacement = factory.user(Role.ARBITRATOR)
    neutrals.propose_tribunal(
        session,
        case,
        clerk=clerk,
        members=[(Capacity.CO_ARBITRATOR, replacement)],
        expected_version=None,
    )
    constituted = case.tribunal_constituted_at
    neutrals.accept(
        session,
        case,
        user=replacement,
        declaration="I am independent.",
        confirmed=True,
        expected_version=None,
    )
    assert open_deadline(case, "vacancy") is None
    assert case.last_event("fill_vacancy") is not None
    assert case.tribunal_constituted_at == constituted  # constituted once only
    assert len(case.events_of("constitute")) == 1


def seat_of_any(case, user):
    return next(a for a in case.appointments if a.user_id == user.id)


def test_a_sole_arbitrator_is_decided_by_the_centre(factory, session):
    case, clerk, respondent, (sole,) = arbitration(factory, size=1)
    challenge = propose(case, respondent, sole)
    assert queries.decided_by_centre(case, challenge)
    assert wf.CHALLENGE_CENTRE in wf.case_roles(clerk, case)
    assert wf.CHALLENGE_OPPONENT in wf.case_roles(case.claimant_user, case)


def test_a_majority_of_the_tribunal_is_decided_by_the_centre(factory, session):
    case, clerk, respondent, (chair, co1, co2) = arbitration(factory)
    challenge = propose(case, respondent, co1, co2)
    assert queries.decided_by_centre(case, challenge)
    assert wf.CHALLENGE_MEMBER not in wf.case_roles(chair, case)


def test_a_proposal_late_after_learning_the_facts_is_refused(factory, session):
    case, clerk, respondent, (chair, co1, co2) = arbitration(factory)
    with pytest.raises(TransitionRefused) as refused:
        propose(case, case.claimant_user, co1, learned_on=today() - dt.timedelta(days=22))
    assert refused.value.field == "learned_on"
    assert queries.pending_challenge(case) is None
    assert case.last_event("propose_disqualification") is None
    propose(case, case.claimant_user, co1, learned_on=today() - dt.timedelta(days=21))


def test_a_proposal_for_someone_not_on_the_case_is_refused(factory, session):
    case, clerk, respondent, (chair, co1, co2) = arbitration(factory)
    other_case, *_ = arbitration(factory, size=1)
    stranger = other_case.appointments[0]
    with pytest.raises(TransitionRefused):
        challenges.propose(
            session,
            case,
            user=case.claimant_user,
            appointment_ids=[stranger.id],
            facts="Facts.",
            learned_on=today(),
            expected_version=None,
        )
    assert case.last_event("propose_disqualification") is None


def test_only_the_parties_propose_and_only_while_a_neutral_sits(factory, session):
    case, clerk, respondent, (chair, co1, co2) = arbitration(factory)
    for user in (clerk, chair, co1):
        with pytest.raises(TransitionRefused):
            propose(case, user, co1)
    registered = factory.case(CaseState.REGISTERED)
    with pytest.raises(TransitionRefused):
        engine.check(registered.claimant_user, registered, "propose_disqualification", reason="x")


def test_one_proposal_at_a_time_and_each_act_once(factory, session):
    case, clerk, respondent, (chair, co1, co2) = arbitration(factory)
    challenge = propose(case, case.claimant_user, co1)
    with pytest.raises(TransitionRefused):
        propose(case, respondent, co2)
    # The proposer does not observe on its own proposal; the others do not comment.
    with pytest.raises(TransitionRefused):
        challenges.observe(
            session, case, user=case.claimant_user, observations="x", expected_version=None
        )
    with pytest.raises(TransitionRefused):
        challenges.comment(session, case, user=co2, comments="x", expected_version=None)
    # No vote before the comments are in.
    with pytest.raises(TransitionRefused):
        challenges.vote(
            session, case, user=chair, choice=Vote.REJECT, reasons="x", expected_version=None
        )
    pleadings(case, challenge, respondent, co1)
    with pytest.raises(TransitionRefused):
        challenges.comment(session, case, user=co1, comments="again", expected_version=None)
    challenges.vote(
        session, case, user=chair, choice=Vote.REJECT, reasons="x", expected_version=None
    )
    with pytest.raises(TransitionRefused):
        challenges.vote(
            session, case, user=chair, choice=Vote.REJECT, reasons="x", expected_version=None
        )
    with pytest.raises(TransitionRefused):  # the challenged person does not vote
        challenges.vote(
            session, case, user=co1, choice=Vote.REJECT, reasons="x", expected_version=None
        )


def test_the_time_for_comments_running_out_starts_the_decision(factory, session, clock):
    case, clerk, respondent, (chair, co1, co2) = arbitration(factory)
    challenge = propose(case, case.claimant_user, co1)
    assert challenges.close_run_out_pleadings(session) == 0
    due = open_deadline(case, "challenge_explanation").due_on
    clock.advance(days=(due - today()).days)  # the last day: still time
    assert challenges.close_run_out_pleadings(session) == 0
    clock.advance(days=1)
    assert challenges.close_run_out_pleadings(session) == 1
    assert challenge.pleadings_closed_at is not None
    assert open_deadline(case, "challenge_decision") is not None
    event = case.last_event("close_challenge_pleadings")
    assert event.actor_id is None


def test_the_time_limits_fall_on_the_kazakhstan_calendar(factory, session, clock):
    # Filed on Friday 11 December 2026: ten calendar days end on Monday 21 December; the
    # decision's thirty days from Tuesday 15 December end on 14 January, the day the time
    # limit falls on unless it is a day off. Independence Day (16 December) is inside.
    clock.advance(days=15)  # 11 December 2026, 09:00 UTC
    case, clerk, respondent, (chair, co1, co2) = arbitration(factory)
    challenge = propose(case, case.claimant_user, co1)
    explanation = open_deadline(case, "challenge_explanation")
    assert explanation.starts_on == dt.date(2026, 12, 11)
    assert explanation.due_on == dt.date(2026, 12, 21)
    clock.advance(days=4)  # 15 December
    pleadings(case, challenge, respondent, co1)
    decision = open_deadline(case, "challenge_decision")
    assert decision.starts_on == dt.date(2026, 12, 15)
    assert decision.due_on == dt.date(2027, 1, 14)


def test_a_resignation_leaves_a_vacancy_filled_by_the_registry(factory, session):
    case, clerk, respondent, (chair, co1, co2) = arbitration(factory)
    with pytest.raises(TransitionRefused):  # reasons are required
        challenges.resign(session, case, user=co2, reasons=" ", expected_version=None)
    for user in (clerk, case.claimant_user, respondent):
        with pytest.raises(TransitionRefused):
            challenges.resign(session, case, user=user, reasons="x", expected_version=None)
    challenges.resign(
        session, case, user=co2, reasons="A new client conflicts.", expected_version=None
    )
    left = seat_of_any(case, co2)
    assert left.status is AppointmentStatus.ENDED and left.ended_reason is EndReason.RESIGNED
    assert case.last_event("resign").note == "A new client conflicts."
    assert open_deadline(case, "vacancy") is not None
    notices = session.query(Notification).filter_by(user_id=case.claimant_user_id).all()
    assert any("vacant" in n.message for n in notices)
    assert session.query(Notification).filter_by(user_id=clerk.id, case_id=case.id).count()
    assert (
        session.query(Ruling)
        .filter_by(case_id=case.id)
        .filter(Ruling.kind == "challenge_decision")
        .count()
        == 0
    )
    # The seat is offered again; the one who left is not a candidate.
    candidates = {c.user.id: c for c in neutrals.candidates(session, case, Role.ARBITRATOR)}
    assert candidates[co2.id].barred
    replacement = factory.user(Role.ARBITRATOR)
    neutrals.propose_tribunal(
        session,
        case,
        clerk=clerk,
        members=[(Capacity.CO_ARBITRATOR, replacement)],
        expected_version=None,
    )
    neutrals.accept(
        session,
        case,
        user=replacement,
        declaration="I am independent.",
        confirmed=True,
        expected_version=None,
    )
    assert open_deadline(case, "vacancy") is None
    assert wf.ARBITRATOR in wf.case_roles(replacement, case)


@pytest.mark.real_pdf
def test_the_decision_is_a_real_pdf_in_the_case_language(factory, session):
    case, clerk, respondent, (sole,) = arbitration(factory, size=1)
    challenge = propose(case, respondent, sole)
    pleadings(case, challenge, case.claimant_user, sole)
    challenges.decide(
        session,
        case,
        user=clerk,
        outcome=Outcome.REJECTED,
        reasons="No justifiable doubt.",
        expected_version=None,
    )
    ruling = session.query(Ruling).filter_by(case_id=case.id, kind="challenge_decision").one()
    pdf = ruling_pdf(session, ruling)
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    text = " ".join(text.split())
    assert "Decision on the proposal for disqualification" in text
    assert f"proposed the disqualification of {sole.name} (sole arbitrator)" in text
    assert "decided by the Centre, because it concerns a sole arbitrator" in text
    assert "No justifiable doubt." in text
    assert "The proposal for disqualification is rejected." in text


@pytest.mark.real_pdf
@pytest.mark.parametrize(
    ("language", "words"),
    [("ru", "В удовлетворении отвода отказано"), ("kk", "қанағаттандырудан бас тартылды")],
)
def test_the_decision_speaks_russian_and_kazakh(factory, session, language, words):
    case, clerk, respondent, (chair, co1, co2) = arbitration(factory)
    case.language = language
    challenge = propose(case, respondent, co1)
    pleadings(case, challenge, case.claimant_user, co1)
    for member in (chair, co2):
        challenges.vote(
            session, case, user=member, choice=Vote.REJECT, reasons="Нет.", expected_version=None
        )
    challenges.decide(
        session, case, user=chair, outcome=None, reasons="Отказать.", expected_version=None
    )
    ruling = session.query(Ruling).filter_by(case_id=case.id, kind="challenge_decision").one()
    pdf = ruling_pdf(session, ruling)
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    text = " ".join(text.split())  # a name may break across lines
    assert words in text
    assert chair.name in text and co2.name in text


def test_a_challenged_arbitrator_who_resigns_leaves_one_vacancy_and_a_moot_proposal(
    factory, session
):
    """The sole arbitrator named resigns before the decision: nothing is left to decide. The
    proposal ends moot (no ruling), its time limits stop, the suspension for it ends; the
    vacancy's goes on until the seat is filled."""
    case, clerk, respondent, (sole,) = arbitration(factory, size=1)
    challenge = propose(case, respondent, sole)
    challenges.resign(session, case, user=sole, reasons="I step aside.", expected_version=None)
    session.flush()
    assert challenge.outcome is Outcome.MOOT and challenge.decided_at is not None
    assert challenge.by_centre is None and challenge.decided_by_id is None
    assert queries.pending_challenge(case) is None
    explanation = next(d for d in case.deadlines if d.key == "challenge_explanation")
    assert explanation.status is DeadlineStatus.CANCELLED
    assert open_deadline(case, "vacancy") is not None
    assert [s.cause.value for s in open_suspensions(case)] == ["vacancy"]
    assert case.suspended_since is not None
    moot = case.last_event("challenge_moot")
    assert moot is not None and moot.data["name"] == sole.name
    assert len(case.events_of("open_vacancy")) == 1
    assert seat_of_any(case, sole).ended_reason is EndReason.RESIGNED
    assert not session.query(Ruling).filter_by(case_id=case.id, kind="challenge_decision").count()
    told = session.query(Notification).filter_by(user_id=case.claimant_user_id).all()
    assert any("moot" in n.message for n in told)
    for act in (
        lambda: challenges.observe(
            session, case, user=case.claimant_user, observations="x", expected_version=None
        ),
        lambda: challenges.decide(
            session, case, user=clerk, outcome=Outcome.UPHELD, reasons="x", expected_version=None
        ),
    ):
        with pytest.raises(TransitionRefused):
            act()


def test_a_proposal_naming_two_stays_pending_while_one_still_sits(factory, session):
    case, clerk, respondent, (chair, co1, co2) = arbitration(factory)
    challenge = propose(case, case.claimant_user, co1, co2)
    challenges.resign(session, case, user=co1, reasons="I step aside.", expected_version=None)
    assert challenge.pending and challenge.outcome is None
    assert {s.cause.value for s in open_suspensions(case)} == {"challenge", "vacancy"}
    assert case.last_event("challenge_moot") is None


def test_the_centre_cannot_choose_moot_as_a_decision(factory, session, app):
    case, clerk, respondent, (sole,) = arbitration(factory, size=1)
    propose(case, respondent, sole)
    challenges.comment(session, case, user=sole, comments="No.", expected_version=None)
    challenges.observe(
        session, case, user=case.claimant_user, observations="No.", expected_version=None
    )
    session.commit()
    browser = browser_for(app, clerk)
    page = browser.get(f"/cases/{case.id}/challenges/decide").get_data(as_text=True)
    assert 'value="upheld"' in page and 'value="moot"' not in page


def test_a_pending_challenge_suspends_the_proceeding_and_the_decision_resumes_it(
    factory, session, clock
):
    case, clerk, respondent, (chair, co1, co2) = arbitration(factory)
    first_session = open_deadline(case, "first_session")
    due = first_session.due_on
    challenge = propose(case, case.claimant_user, co1)
    assert case.suspended_since is not None
    assert first_session.paused_on == today()  # the tribunal's time stops
    assert open_deadline(case, "challenge_explanation").paused_on is None  # the proposal's runs
    with pytest.raises(TransitionRefused):  # the tribunal's work waits
        engine.check(chair, case, "procedural_order", reason="PO2")
    clock.advance(days=5)
    pleadings(case, challenge, respondent, co1)
    assert open_deadline(case, "challenge_decision").paused_on is None
    for member in (chair, co2):
        challenges.vote(
            session, case, user=member, choice=Vote.REJECT, reasons="No.", expected_version=None
        )
    challenges.decide(
        session, case, user=chair, outcome=None, reasons="Rejected.", expected_version=None
    )
    assert case.suspended_since is None
    assert first_session.paused_on is None
    assert first_session.due_on >= due + dt.timedelta(days=5)  # the days left are kept
    engine.check(chair, case, "procedural_order", reason="PO2")


def test_an_upheld_challenge_keeps_the_case_suspended_until_the_seat_is_filled(factory, session):
    case, clerk, respondent, (chair, co1, co2) = arbitration(factory)
    challenge = propose(case, respondent, co2)
    pleadings(case, challenge, case.claimant_user, co2)
    for member in (chair, co1):
        challenges.vote(
            session, case, user=member, choice=Vote.UPHOLD, reasons="Yes.", expected_version=None
        )
    challenges.decide(
        session, case, user=co1, outcome=None, reasons="Upheld.", expected_version=None
    )
    assert challenge.outcome is Outcome.UPHELD
    assert case.suspended_since is not None  # now for the vacancy
    assert open_deadline(case, "vacancy").paused_on is None
    assert open_deadline(case, "first_session").paused_on is not None
    replacement = factory.user(Role.ARBITRATOR)
    neutrals.propose_tribunal(
        session,
        case,
        clerk=clerk,
        members=[(Capacity.CO_ARBITRATOR, replacement)],
        expected_version=None,
    )
    neutrals.accept(
        session,
        case,
        user=replacement,
        declaration="I am independent.",
        confirmed=True,
        expected_version=None,
    )
    assert case.suspended_since is None
    assert open_deadline(case, "first_session").paused_on is None


def test_a_mediator_who_resigns_is_replaced_and_the_mediation_goes_on(factory, session, app):
    """The mediation's seat left vacant: the registry proposes a new mediator (the same
    page as the first), who accepts on the same page; the vacancy is filled, the
    suspension ends and the mediation's time runs again with the days it had left."""
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.MEDIATION, clerk=clerk)
    mediator = next(a.user for a in case.appointments if a.active)
    conclusion = open_deadline(case, "mediation_conclusion")
    left = (conclusion.due_on - today()).days
    with pytest.raises(TransitionRefused, match="No seat is vacant"):
        neutrals.propose_mediator(
            session, case, clerk=clerk, mediator=factory.user(Role.MEDIATOR), expected_version=None
        )
    challenges.resign(session, case, user=mediator, reasons="Ill health.", expected_version=None)
    session.flush()
    assert case.state is CaseState.MEDIATION and case.suspended_since is not None
    assert conclusion.paused_on == today() and open_deadline(case, "vacancy") is not None

    second = factory.user(Role.MEDIATOR)
    session.commit()
    page = browser_for(app, clerk).get(f"/cases/{case.id}/assign-mediator")
    assert page.status_code == 200 and second.name in page.get_data(as_text=True)
    neutrals.propose_mediator(session, case, clerk=clerk, mediator=second, expected_version=None)
    session.commit()
    answer = browser_for(app, second).get(f"/cases/{case.id}/appointment")
    assert answer.status_code == 200
    neutrals.accept(
        session,
        case,
        user=second,
        declaration="I am independent and impartial.",
        confirmed=True,
        expected_version=None,
    )
    session.flush()
    assert case.state is CaseState.MEDIATION
    assert [e.action for e in case.events][-4:] == [
        "open_vacancy",
        "propose_mediator",
        "accept_mediator_seat",
        "fill_vacancy",
    ]
    assert case.suspended_since is None
    assert next(d for d in case.deadlines if d.key == "vacancy").status is DeadlineStatus.MET
    assert conclusion.paused_on is None and (conclusion.due_on - today()).days >= left
    assert queries.sitting(case)[0].user_id == second.id
