"""The demo data: every role, a dozen cases across the states, and idempotent."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from sqlalchemy import func, select

from dispute_portal.auth.models import Role, User
from dispute_portal.auth.operations import authenticate
from dispute_portal.cases.models import Case, Document
from dispute_portal.seed import DEMO_PASSWORD, DEMO_USERS
from dispute_portal.workflow.models import verify_chain
from dispute_portal.workflow.states import CaseState


def _counts(session):
    return tuple(
        session.scalar(select(func.count()).select_from(m)) for m in (User, Case, Document)
    )


def test_seed_demo_fills_an_empty_database_once(app, session, connection):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0 and "7 accounts and 12 cases" in result.output
    after_first = _counts(session)
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0 and "nothing was changed" in again.output
    assert _counts(session) == after_first

    assert {u.role for u in session.scalars(select(User))} == set(Role)
    for email, *_ in DEMO_USERS:
        assert authenticate(session, email, DEMO_PASSWORD) is not None

    cases = session.scalars(select(Case)).all()
    states = Counter(c.state for c in cases)
    assert len(cases) == 12
    assert set(states) == {
        CaseState.DRAFT,
        CaseState.SUBMITTED,
        CaseState.RETURNED,
        CaseState.REGISTERED,
        CaseState.DISMISSED,
    }
    numbers = sorted(c.number for c in cases if c.number)
    assert len(numbers) == states[CaseState.REGISTERED] == 3
    assert [int(n[-4:]) for n in numbers] == [1, 2, 3]
    for case in cases:
        assert verify_chain(case.events) is None
        for document in case.documents:
            assert (Path(app.config["UPLOAD_DIR"]) / document.stored_name).is_file()
    from dispute_portal.rulings.operations import case_rulings

    expected = {
        CaseState.DRAFT: [],
        CaseState.SUBMITTED: ["filing_receipt"],
        CaseState.REGISTERED: ["filing_receipt", "registration_notice"],
        CaseState.RETURNED: ["filing_receipt", "return_notice"],
        CaseState.DISMISSED: ["filing_receipt", "inadmissibility_decision"],
    }
    for case in cases:  # the demo shows the rulings its cases would have
        assert [r.kind for r in case_rulings(case)] == expected[case.state]
    submitted = [c for c in cases if c.state is CaseState.SUBMITTED]
    assert len({c.submitted_at.date() for c in submitted}) > 1  # a realistic spread of ages


def test_seed_demo_is_refused_in_production(app, session, connection, monkeypatch):
    monkeypatch.setitem(app.config, "DEMO_DATA_ALLOWED", False)
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code != 0 and "refused in production" in result.output
    assert session.scalar(select(func.count()).select_from(User)) == 0
