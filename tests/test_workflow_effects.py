"""What follows a transition: the effects the app factory registers with the engine, in order."""

from __future__ import annotations

import pytest

from dispute_portal.accounts import operations as account_ops
from dispute_portal.cases import operations as cases
from dispute_portal.deadlines import operations as deadline_ops
from dispute_portal.discontinuance import operations as ending_ops
from dispute_portal.funding import operations as funding_ops
from dispute_portal.notices import operations as notice_ops
from dispute_portal.rulings import operations as ruling_ops
from dispute_portal.suspensions import operations as suspension_ops
from dispute_portal.workflow import engine
from dispute_portal.workflow.states import CaseState


def test_the_app_registers_deadlines_then_the_ruling_then_the_notices(app):
    assert engine.effects() == (
        account_ops.follow_transition,  # a claim filed keeps the schedule of fees in force
        deadline_ops.follow_transition,
        funding_ops.follow_transition,  # a re-confirmation no sitting neutral owes stops
        suspension_ops.follow_transition,
        ending_ops.answer_inactivity_notice,  # a party's step answers a notice of inactivity
        ruling_ops.issue_for_transition,
        notice_ops.notify_transition,
    )


def test_apply_runs_every_effect_once_in_order_after_the_audit_entry(factory, monkeypatch):
    seen: list[tuple[str, str, int]] = []

    def spy(effect):
        def run(change: engine.Change) -> None:
            seen.append((effect.__name__, change.transition.action, change.event.seq))
            effect(change)

        return run

    monkeypatch.setattr(engine, "_effects", [spy(e) for e in engine.effects()])
    case = factory.case(CaseState.DRAFT)
    event = cases.submit_claim(case, claimant=case.claimant_user)
    assert seen == [
        ("follow_transition", "submit", event.seq),  # the case account's
        ("follow_transition", "submit", event.seq),  # the deadlines'
        ("follow_transition", "submit", event.seq),  # the re-confirmations'
        ("follow_transition", "submit", event.seq),  # the suspensions'
        ("answer_inactivity_notice", "submit", event.seq),
        ("issue_for_transition", "submit", event.seq),
        ("notify_transition", "submit", event.seq),
    ]
    # The case account's effect issues the lodging fee's invoice (its ruling, then its
    # entry) before the act's own ruling.
    assert [e.action for e in case.events][-4:] == [
        "submit",
        "issue_ruling",
        "issue_invoice",
        "issue_ruling",
    ]


def test_apply_refuses_to_run_without_the_effects(factory, monkeypatch):
    case = factory.case(CaseState.DRAFT)
    monkeypatch.setattr(engine, "_effects", [])
    with pytest.raises(RuntimeError, match="no workflow effects"):
        cases.submit_claim(case, claimant=case.claimant_user)
    assert case.state is CaseState.DRAFT
