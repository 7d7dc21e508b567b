"""The transition table and the engine that applies it."""

from __future__ import annotations

import pytest

from dispute_portal.cases import operations as cases
from dispute_portal.registry import operations as registry
from dispute_portal.workflow import engine
from dispute_portal.workflow.models import verify_chain
from dispute_portal.workflow.states import CaseState


def test_submit_moves_draft_to_submitted_and_audits(factory, session):
    case = factory.case(CaseState.DRAFT)
    event = cases.submit_claim(case, claimant=case.claimant_user)
    assert case.state is CaseState.SUBMITTED
    assert case.submitted_at is not None
    assert (event.action, event.from_state, event.to_state) == ("submit", "draft", "submitted")
    assert event.actor_id == case.claimant_user_id
    assert verify_chain(case.events) is None


def test_incomplete_claim_cannot_be_submitted(factory, session):
    case = factory.case(CaseState.DRAFT, complete=False)
    with pytest.raises(engine.TransitionRefused, match="incomplete"):
        cases.submit_claim(case, claimant=case.claimant_user)
    assert case.state is CaseState.DRAFT


def test_claim_without_documents_cannot_be_submitted(factory, session):
    from tests.factories import COMPLETE_CLAIM

    claimant = factory.user("investor")
    case, _ = cases.create_draft(session, claimant=claimant)
    cases.save_section(case, COMPLETE_CLAIM)
    with pytest.raises(engine.TransitionRefused, match="at least one document"):
        cases.submit_claim(case, claimant=claimant)
    assert case.state is CaseState.DRAFT


def test_only_the_claimant_submits(factory, session):
    case = factory.case(CaseState.DRAFT)
    other = factory.user("investor")
    clerk = factory.user("clerk")
    for actor in (other, clerk):
        with pytest.raises(engine.TransitionRefused, match="may not"):
            cases.submit_claim(case, claimant=actor)
    assert case.state is CaseState.DRAFT


@pytest.mark.parametrize("role", ["investor", "mediator", "arbitrator", "admin", "respondent"])
def test_only_clerks_register(factory, session, role):
    case = factory.case(CaseState.SUBMITTED)
    actor = case.claimant_user if role == "investor" else factory.user(role)
    with pytest.raises(engine.TransitionRefused):
        factory.settle_lodging_fee(case, actor)
        registry.register_case(session, case, clerk=actor)
    assert case.state is CaseState.SUBMITTED and case.number is None


@pytest.mark.parametrize(
    "state", [CaseState.DRAFT, CaseState.RETURNED, CaseState.REGISTERED, CaseState.DISMISSED]
)
def test_register_only_from_submitted(factory, session, state):
    case = factory.case(state)
    before = (case.state, case.number, len(case.events))
    with pytest.raises(
        engine.TransitionRefused, match="may not" if state is CaseState.DRAFT else "Not possible"
    ):
        factory.settle_lodging_fee(case, factory.user("clerk"))
        registry.register_case(session, case, clerk=factory.user("clerk"))
    assert (case.state, case.number, len(case.events)) == before


@pytest.mark.parametrize("operation", [registry.return_case, registry.reject_case])
@pytest.mark.parametrize("reason", ["", "   "])
def test_return_and_reject_need_reasons(factory, session, operation, reason):
    case = factory.case(CaseState.SUBMITTED)
    with pytest.raises(engine.TransitionRefused, match="reasons"):
        operation(case, clerk=factory.user("clerk"), reason=reason)
    assert case.state is CaseState.SUBMITTED


def test_return_records_the_reason_and_claimant_can_resubmit(factory, session):
    case = factory.case(CaseState.SUBMITTED)
    clerk = factory.user("clerk")
    registry.return_case(case, clerk=clerk, reason="  Attach the power of attorney.  ")
    assert case.state is CaseState.RETURNED
    assert case.last_event("return").note == "Attach the power of attorney."
    cases.save_section(case, {"summary": "Amended summary."})
    cases.submit_claim(case, claimant=case.claimant_user)
    assert case.state is CaseState.SUBMITTED
    assert [e.action for e in case.events if e.changes_state] == ["submit", "return", "submit"]


def test_stale_version_applies_nothing(factory, session):
    case = factory.case(CaseState.SUBMITTED)
    seen = case.version
    registry.return_case(case, clerk=factory.user("clerk"), reason="Amend.")
    cases.submit_claim(case, claimant=case.claimant_user)
    assert case.state is CaseState.SUBMITTED
    factory.settle_lodging_fee(case, factory.user("clerk"))
    with pytest.raises(engine.StaleCase):
        registry.register_case(session, case, clerk=factory.user("clerk"), expected_version=seen)
    assert case.number is None and case.state is CaseState.SUBMITTED


def test_allowed_lists_what_the_user_may_start(factory, session):
    case = factory.case(CaseState.SUBMITTED, fee_settled=False)
    clerk = factory.user("clerk")
    assert {t.action for t in engine.allowed(clerk, case)} == {
        "return",
        "reject",
        "register",
        "extend_deadline",
        "waive_fee",
        "approve_fee_note",  # none waits: the guard says so (the case page hides them)
        "reject_fee_note",
        "issue_account_statement",
        "publish_decision",  # publication (issue 17): the guards say when
        "seal",
        "unseal",
    }
    blocked = {t.action: why for t, why in engine.offered(clerk, case)}
    assert blocked["approve_fee_note"] == "No fee note awaits the registry."
    # Registration waits for the lodging fee: paid, or waived by the registry (issue 16).
    assert blocked["register"] == (
        "The lodging fee is not paid: record its payment, or waive it with reasons."
    )
    assert blocked["waive_fee"] is None
    factory.settle_lodging_fee(case, clerk)
    blocked = {t.action: why for t, why in engine.offered(clerk, case)}
    assert blocked["register"] is None
    assert blocked["waive_fee"] == "No lodging fee is due on this claim."
    assert blocked["extend_deadline"] == "No deadline is running on this case."
    # At filing the claimant may also disclose its funding (issue 15).
    assert [t.action for t in engine.allowed(case.claimant_user, case)] == [
        "disclose_funding",
        "update_funding",
        "withdraw_funding",
        "withdraw",
        # Publication (issue 17): its answer, and passages to withhold (the guards say when).
        "state_publication_consent",
        "propose_redaction",
        "no_more_redactions",
        "comment_redaction",
    ]
    assert engine.allowed(factory.user("mediator"), case) == []
