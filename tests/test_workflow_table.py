"""The workflow table, walked for every state and every role: who may take which act."""

from __future__ import annotations

import pytest

from dispute_portal.auth.models import Role
from dispute_portal.neutrals import operations as neutrals
from dispute_portal.parties.models import Participant, Side, Standing
from dispute_portal.policy import VIEW, can
from dispute_portal.proceedings.presenter import ACTION_ENDPOINTS, SYSTEM_ACTIONS
from dispute_portal.proceedings.views.acts import ACTS
from dispute_portal.workflow import engine, transitions
from dispute_portal.workflow.states import CaseState as S

PROCEEDING = {S.REGISTERED, S.MEDIATION, S.IMPASSE, S.ARBITRATION}
FINAL_STATES = {S.SETTLED, S.AWARDED, S.DISMISSED, S.WITHDRAWN, S.DISCONTINUED}
# The life of a case as docs/architecture.md draws it: (action, from, to, taken by).
DESIGN = [
    ("submit", {S.DRAFT, S.RETURNED}, S.SUBMITTED, {"claimant"}),
    ("return", {S.SUBMITTED}, S.RETURNED, {"clerk"}),
    ("reject", {S.SUBMITTED}, S.DISMISSED, {"clerk"}),
    ("register", {S.SUBMITTED}, S.REGISTERED, {"clerk"}),
    ("accept_mediation", {S.REGISTERED}, S.MEDIATION, {"proposed_mediator"}),  # clerk proposes
    ("settle", {S.MEDIATION}, S.SETTLED, {"mediator"}),
    ("impasse", {S.MEDIATION}, S.IMPASSE, {"mediator"}),
    ("refer", {S.IMPASSE}, S.ARBITRATION, {"claimant", "clerk"}),
    ("issue_award", {S.ARBITRATION}, S.AWARDED, {"chair"}),
    ("dismiss", {S.ARBITRATION}, S.DISMISSED, {"chair"}),
    (
        "withdraw",
        {S.SUBMITTED, S.RETURNED, S.REGISTERED, S.MEDIATION, S.IMPASSE, S.ARBITRATION},
        S.WITHDRAWN,
        {"claimant"},
    ),
    (
        "close",
        {S.SETTLED, S.AWARDED, S.DISMISSED, S.WITHDRAWN, S.DISCONTINUED},
        S.CLOSED,
        {"clerk"},
    ),
    # Ending without an award, and mediation as the parties choose.
    ("end_mediation", {S.MEDIATION}, S.IMPASSE, {"claimant", "respondent"}),
    ("arbitrate_by_agreement", {S.REGISTERED}, S.ARBITRATION, {"clerk"}),
    ("refer_registered", {S.REGISTERED}, S.ARBITRATION, {"clerk"}),
    ("discontinue", {S.ARBITRATION}, S.DISCONTINUED, {"chair"}),
    ("registry_discontinue", PROCEEDING, S.DISCONTINUED, {"clerk"}),
    ("consent_award", {S.ARBITRATION}, S.AWARDED, {"chair"}),
    ("order_discontinuance", {S.ARBITRATION}, S.DISCONTINUED, {"chair"}),
    ("registry_order_discontinuance", PROCEEDING, S.DISCONTINUED, {"clerk"}),
    ("discontinue_inactive", {S.IMPASSE, S.ARBITRATION}, S.DISCONTINUED, {"system"}),
]


def test_the_table_draws_the_design():
    for action, sources, target, who in DESIGN:
        t = transitions.transition(action)
        assert (t.sources, t.target, t.who) == (sources, target, who), action
    assert transitions.transition("propose_mediator").who == {"clerk"}
    actions = [t.action for t in transitions.TRANSITIONS]
    assert len(set(actions)) == len(actions)


def test_every_state_is_reachable_and_only_closed_is_a_dead_end():
    reached, frontier = {S.DRAFT}, [S.DRAFT]
    while frontier:
        state = frontier.pop()
        for t in transitions.TRANSITIONS:
            if state in t.sources and t.target and t.target not in reached:
                reached.add(t.target)
                frontier.append(t.target)
    assert reached == set(S)
    # Acts on a closed case (a seal, publishing its decisions) leave it closed.
    assert not any(S.CLOSED in t.sources and t.target for t in transitions.TRANSITIONS)


# What each role may start in each state (before guards), written out by hand.
# A party may ask to discontinue while the case is under way, and object to the other
# side's request (the claimant to the respondent's, the respondent to the claimant's).
CLAIMANT_ON = {
    "add_counsel",
    "file_submission",
    "request_discontinuance",
    "object_to_respondent_request",
}
RESPONDENT_ON = {
    "add_counsel",
    "file_response",
    "file_submission",
    "request_discontinuance",
    "object_to_claimant_request",
}
# The registry discontinues by agreement, or at an unopposed request, before the tribunal
# is constituted (the guard says when), and for non-payment of an advance at any stage once
# the proceeding has been suspended for it long enough.
CLERK_ENDS = {"registry_discontinue", "registry_order_discontinuance", "discontinue_non_payment"}
# Funding is disclosed (updated, withdrawn) by either party while the case is active; in
# arbitration the parties also request provisional measures and observe on them and on a
# non-disputing party's application.
FUNDING = {"disclose_funding", "update_funding", "withdraw_funding"}
IN_ARBITRATION = {
    "request_provisional_measures",
    "observe_provisional_measures",
    "observe_non_disputing_application",
}
# Suspending and resuming by agreement of the parties: the registry, or the neutral who
# conducts the phase, while the case is before the Centre.
SUSPENSION = {"suspend", "resume"}
# The written phase and preliminary objections: either party objects, the chair decides.
OBJECTING = {"object_merit", "object_jurisdiction", "request_bifurcation"}
TRIBUNAL_ON_OBJECTIONS = {
    "set_timetable",
    "close_merit_objection",
    "uphold_merit_objection",
    "reject_merit_objection",
    "decide_bifurcation",
    "close_jurisdiction_objection",
    "decline_jurisdiction",
    "uphold_jurisdiction",
    "join_objection",
}
EXPECTED: dict[S, dict[str, set[str]]] = {
    S.DRAFT: {"claimant": {"submit"}},
    S.SUBMITTED: {
        "claimant": {"withdraw"} | FUNDING,
        "respondent": FUNDING,
        "clerk": {"return", "reject", "register", "extend_deadline", "waive_fee"},
    },
    S.RETURNED: {
        "claimant": {"submit", "withdraw"} | FUNDING,
        "respondent": FUNDING,
        "clerk": {"extend_deadline"},
    },
    S.REGISTERED: {
        "claimant": CLAIMANT_ON | {"withdraw"} | FUNDING,
        "respondent": RESPONDENT_ON | FUNDING,
        "clerk": {
            "invite_respondent",
            "propose_mediator",
            "extend_deadline",
            "arbitrate_by_agreement",
            "refer_registered",
            "agree_to_mediate",
        }
        | CLERK_ENDS
        | SUSPENSION,
        "proposed_mediator": {"accept_mediation", "decline_mediation"},
    },
    S.MEDIATION: {
        "claimant": CLAIMANT_ON
        | {"withdraw", "end_mediation", "propose_disqualification"}
        | FUNDING,
        "respondent": RESPONDENT_ON | {"end_mediation", "propose_disqualification"} | FUNDING,
        # A mediator's seat left vacant is filled as the first was: proposed, then accepted.
        "clerk": {"invite_respondent", "extend_mediation", "extend_deadline", "propose_mediator"}
        | CLERK_ENDS
        | SUSPENSION,
        "proposed_mediator": {"accept_mediator_seat", "decline_mediation"},
        "mediator": {
            "schedule_session",
            "extend_mediation",
            "settle",
            "impasse",
            "reconfirm_declaration",
            "resign",
        }
        | SUSPENSION,
    },
    S.IMPASSE: {
        "claimant": CLAIMANT_ON | {"refer", "withdraw"} | FUNDING,
        "respondent": RESPONDENT_ON | FUNDING,
        "clerk": {"invite_respondent", "refer", "extend_deadline"} | CLERK_ENDS | SUSPENSION,
    },
    S.ARBITRATION: {
        "claimant": CLAIMANT_ON
        | OBJECTING
        | FUNDING
        | IN_ARBITRATION
        | {
            "withdraw",
            "propose_disqualification",
            "nominate_arbitrator",
            "file_memorial",
            "file_reply",
            "file_costs_statement",
        },
        "respondent": RESPONDENT_ON
        | OBJECTING
        | FUNDING
        | IN_ARBITRATION
        | {
            "propose_disqualification",
            "nominate_arbitrator",
            "file_counter_memorial",
            "file_rejoinder",
            "file_costs_statement",
            "file_counterclaim",
        },
        "clerk": {
            "invite_respondent",
            "propose_tribunal",
            "extend_deadline",
            "party_appointment",
            "agree_on_arbitrator",
            "appoint_in_default",
            "record_non_disputing_application",
        }
        | CLERK_ENDS
        | SUSPENSION,
        # A member of a tribunal of three deliberates on the draft of the award.
        "co_arbitrator": {
            "choose_presiding",
            "resign",
            "approve_award_draft",
            "attach_opinion",
            "reconfirm_declaration",
        },
        "chair": TRIBUNAL_ON_OBJECTIONS
        | {
            "decide_provisional_measures",
            "shorten_provisional_observations",
            "reconfirm_declaration",
            "decide_non_disputing_application",
            "choose_presiding",
            "resign",
            "discontinue",
            "consent_award",
            "order_discontinuance",
            "notify_inactivity",
            "procedural_order",
            "schedule_hearing",
            "record_hearing_held",
            "close_submissions",
            "delay_notice",
            "record_default",
            "grant_grace",
            "allow_counterclaim",
            "order_costs_statements",
            "decide_costs",
            "submit_award_draft",
            "approve_award_draft",
            "attach_opinion",
            "issue_award",
            "dismiss",
        }
        | SUSPENSION,
    },
    S.AWARDED: {
        "claimant": {
            "add_counsel",
            "file_submission",
            "request_correction",
            "file_costs_statement",
        },
        "respondent": {
            "add_counsel",
            "file_submission",
            "request_correction",
            "file_costs_statement",
        },
        "clerk": {"extend_deadline", "close"},
        # A tribunal of three drafts and approves a decision on costs the award reserved.
        "chair": {"decide_correction", "decide_costs", "submit_award_draft", "approve_award_draft"},
    },
    S.SETTLED: {"clerk": {"close"}},
    S.DISMISSED: {"clerk": {"close"}},
    S.WITHDRAWN: {"clerk": {"close"}},
    S.DISCONTINUED: {"clerk": {"close"}},
    S.CLOSED: {},
}
# The finance officer records what a side paid on any case before the Centre, and nothing
# else: not on a draft (nothing is asked yet) nor on a closed case (its account is settled).
# The registry decides the neutrals' fee notes, the officer records their payment, and the
# neutrals submit them, on any case before the Centre (the guards say when one waits).
for _state in set(S) - {S.DRAFT, S.CLOSED}:
    EXPECTED[_state]["finance"] = {"record_payment", "pay_fee_note", "issue_account_statement"}
    EXPECTED[_state]["clerk"] = EXPECTED[_state]["clerk"] | {
        "approve_fee_note",
        "reject_fee_note",
        "issue_account_statement",
    }
    # Once the proceeding has ended: the final statement, and its refunds paid.
    if _state in FINAL_STATES:
        EXPECTED[_state]["clerk"] = EXPECTED[_state]["clerk"] | {
            "issue_final_statement",
            "pay_refund",
        }
        EXPECTED[_state]["finance"] = EXPECTED[_state]["finance"] | {"pay_refund"}
    for _neutral in ("arbitrator", "chair", "co_arbitrator"):
        if _neutral in EXPECTED[_state]:
            EXPECTED[_state][_neutral] = EXPECTED[_state][_neutral] | {"submit_fee_note"}
# The mediator of these worlds notes its fees during the mediation and after it (a former
# mediator's fees are still owed).
for _state in (S.MEDIATION, S.SETTLED, S.IMPASSE, S.ARBITRATION, S.AWARDED):
    EXPECTED[_state]["mediator"] = EXPECTED[_state].get("mediator", set()) | {"submit_fee_note"}
# The registry asks an advance on costs as mediation starts and of a constituted tribunal
# (the world's arbitration has one).
for _state in (S.MEDIATION, S.ARBITRATION):
    EXPECTED[_state]["clerk"] = EXPECTED[_state]["clerk"] | {"request_advance"}
# What the public may know (issue 17), on any case before the Centre, closed ones too: the
# registry and the tribunal's chair seal; the sides propose passages to withhold and comment
# on the other's; the chair decides them and publishes an excerpt, the registry a decision
# in full; and, until the case ends, each side changes its answer on publication.
for _state in set(S) - {S.DRAFT}:
    for _role, _acts in (
        ("clerk", {"seal", "unseal", "publish_decision"}),
        ("chair", {"seal", "unseal", "decide_redaction", "publish_excerpt"}),
        ("claimant", {"propose_redaction", "no_more_redactions", "comment_redaction"}),
        ("respondent", {"propose_redaction", "no_more_redactions", "comment_redaction"}),
    ):
        if _role != "chair" or _role in EXPECTED[_state]:
            EXPECTED[_state][_role] = EXPECTED[_state].get(_role, set()) | _acts
for _state in (S.SUBMITTED, S.RETURNED, *PROCEEDING):
    for _role in ("claimant", "respondent"):
        EXPECTED[_state][_role] = EXPECTED[_state][_role] | {"state_publication_consent"}
ROLES = [
    "claimant",
    "respondent",
    "clerk",
    "proposed_mediator",
    "mediator",
    "chair",
    "co_arbitrator",
    "other_investor",
    "other_mediator",
    "arbitrator_elsewhere",
    "admin",
    "finance",
]


def cast(factory, state: S) -> tuple:
    """A case in `state` and a user for every role around it."""
    clerk = factory.user(Role.CLERK)
    base = S.SUBMITTED if state is S.RETURNED else state
    case = factory.case(state if state is not S.REGISTERED else S.REGISTERED, clerk=clerk)
    people = {
        "claimant": case.claimant_user,
        "clerk": clerk,
        "other_investor": factory.user(Role.INVESTOR),
        "other_mediator": factory.user(Role.MEDIATOR),
        "arbitrator_elsewhere": factory.user(Role.ARBITRATOR),
        "admin": factory.user(Role.ADMIN),
        "finance": factory.user(Role.FINANCE),
    }
    del base
    if state not in (S.DRAFT,):
        respondent = factory.user(Role.RESPONDENT)
        case.participants.append(
            Participant(
                user_id=respondent.id,
                user=respondent,
                side=Side.RESPONDENT,
                standing=Standing.REPRESENTATIVE,
            )
        )
        people["respondent"] = respondent
    if state is S.REGISTERED:
        proposed = factory.user(Role.MEDIATOR)
        neutrals.propose_mediator(
            factory.session, case, clerk=clerk, mediator=proposed, expected_version=None
        )
        people["proposed_mediator"] = proposed
    for a in case.appointments:
        if a.status.value == "accepted" and not a.capacity.in_tribunal:
            people["mediator"] = a.user
    if state is S.ARBITRATION:
        chair, co, _ = factory.tribunal(case, clerk, size=3)
        people |= {"chair": chair, "co_arbitrator": co}
    if state is S.AWARDED:
        chair = next(a.user for a in case.appointments if a.capacity.chairs)
        people["chair"] = chair
    factory.session.flush()
    return case, people


@pytest.mark.parametrize("state", list(S), ids=lambda s: s.value)
def test_who_may_do_what_in_every_state(factory, state):
    case, people = cast(factory, state)
    for role in ROLES:
        user = people.get(role)
        if user is None:
            continue
        got = {t.action for t in engine.allowed(user, case)}
        assert got == EXPECTED[state].get(role, set()), (state, role)
        # Refused acts are refused by apply too, and leave the case as it was.
        version = case.version
        for t in transitions.TRANSITIONS:
            if t.action in got:
                continue
            with pytest.raises(engine.TransitionRefused):
                engine.check(user, case, t.action, reason="x")
        assert case.state is state and case.version == version


@pytest.mark.parametrize("state", [S.MEDIATION, S.ARBITRATION, S.CLOSED], ids=str)
def test_strangers_do_not_even_see_the_case(factory, state):
    case, people = cast(factory, state)
    for role in ("other_investor", "other_mediator", "arbitrator_elsewhere", "admin"):
        assert not can(people[role], VIEW, case), role


def test_refused_transition_says_why(factory):
    case, people = cast(factory, S.MEDIATION)
    with pytest.raises(engine.TransitionRefused, match="while the case is In mediation"):
        engine.apply(people["clerk"], case, "register")
    with pytest.raises(engine.TransitionRefused, match="may not do this"):
        engine.apply(people["claimant"], case, "settle", reason="x")
    with pytest.raises(engine.TransitionRefused, match="Give the reasons"):
        engine.apply(people["mediator"], case, "impasse", reason="  ")


def test_the_scheduler_alone_terminates_a_dormant_mediation(factory):
    case, people = cast(factory, S.MEDIATION)
    assert "lapse" not in {t.action for t in engine.allowed(people["clerk"], case)}
    with pytest.raises(engine.TransitionRefused, match="recently"):
        engine.apply(None, case, "lapse")


def test_every_act_a_person_takes_has_a_page(app):
    """The case page links each act it offers to the page where it is taken: the act page
    for the acts it serves, else the page the presenter names (which must exist)."""
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    for t in transitions.TRANSITIONS:
        if not t.who - {"system"} or t.action in SYSTEM_ACTIONS:
            continue
        if t.action in ACTION_ENDPOINTS:
            assert ACTION_ENDPOINTS[t.action][0] in endpoints, t.action
        else:
            assert t.action in ACTS, f"{t.action}: the act page would answer 404"
