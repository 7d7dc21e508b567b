"""The demo data: every role, a dozen cases across the states, and idempotent.

The demo checked is the one the browser tests use (e2e's `demo_template`): seeded once per
run as `make run` seeds it, by `flask seed-demo` in a process of its own, its rulings drawn
by WeasyPrint. Each test here reads a copy of it.
"""

from __future__ import annotations

import hashlib
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from dispute_portal.accounts.banking import centre_bank
from dispute_portal.accounts.matching import import_statement
from dispute_portal.accounts.models import (
    AdvanceRequest,
    BankLine,
    BankStatement,
    Invoice,
    Payment,
)
from dispute_portal.accounts.outgoings import FeeNote, Refund
from dispute_portal.accounts.queries import InvoiceStatus, lodging_invoice, standings
from dispute_portal.accounts.settlement import account_unsettled
from dispute_portal.auth.models import Role, User
from dispute_portal.auth.operations import authenticate
from dispute_portal.awards import queries as award_queries
from dispute_portal.awards.models import DraftKind
from dispute_portal.cases.models import Case, Document
from dispute_portal.challenges.models import Challenge, Outcome
from dispute_portal.deadlines.queries import open_deadline
from dispute_portal.nominations.queries import seat_in_default
from dispute_portal.publication.models import (
    ProposalStatus,
    Publication,
    RedactionProposal,
    RegisterEntry,
    Seal,
    SealTarget,
)
from dispute_portal.rulings.models import Ruling
from dispute_portal.seed.money import NEXT_STATEMENT
from dispute_portal.seed.people import DEMO_PASSWORD, DEMO_USERS
from dispute_portal.suspensions.models import Cause, Suspension
from dispute_portal.workflow.models import verify_chain
from dispute_portal.workflow.states import CaseState

from .conftest import built_app
from .e2e.conftest import demo_template

# The demo's rulings are WeasyPrint's (the template is seeded in a process of its own), on
# SQLite: the run's one seeding, in the SQLite pass.
pytestmark = pytest.mark.real_pdf


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the run's seeded demo: `demo.db`, its `instance` folder, `seed-demo.out`."""
    own = tmp_path_factory.mktemp("seeded")
    shutil.copytree(demo_template(tmp_path_factory), own, dirs_exist_ok=True)
    return own


@pytest.fixture(scope="module")
def db_url(seeded: Path) -> str:
    return f"sqlite:///{seeded / 'demo.db'}"


@pytest.fixture(scope="module")
def app(db_url: str, seeded: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    with built_app(db_url, tmp_path_factory, instance=seeded / "instance") as application:
        yield application


def _counts(session):
    return tuple(
        session.scalar(select(func.count()).select_from(m)) for m in (User, Case, Document)
    )


def test_seed_demo_fills_an_empty_database_once(app, session, connection, seeded):
    first = (seeded / "seed-demo.out").read_text(encoding="utf-8")
    assert f"{len(DEMO_USERS)} accounts and 35 cases" in first
    after_first = _counts(session)
    runner = app.test_cli_runner()
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0 and "nothing was changed" in again.output
    assert _counts(session) == after_first

    assert {u.role for u in session.scalars(select(User))} == set(Role)
    for email, *_ in DEMO_USERS:
        assert authenticate(session, email, DEMO_PASSWORD) is not None

    cases = session.scalars(select(Case).order_by(Case.registered_at)).all()
    states = Counter(c.state for c in cases)
    assert len(cases) == 35
    assert set(states) == set(CaseState)  # a case in every state of its life
    numbered = [c for c in cases if c.number]
    # Gapless per year, in the order of registration.
    by_year: dict[str, list[int]] = {}
    for case in numbered:
        by_year.setdefault(case.number.split("-")[1], []).append(int(case.number[-4:]))
    assert all(seq == list(range(1, len(seq) + 1)) for seq in by_year.values())
    for case in cases:
        assert verify_chain(case.events) is None
        for document in case.documents:
            assert (Path(app.config["UPLOAD_DIR"]) / document.stored_name).is_file()
    from dispute_portal.deadlines.queries import today
    from dispute_portal.rulings.operations import case_rulings

    must_have = {
        CaseState.DRAFT: set(),
        CaseState.SUBMITTED: {"filing_receipt"},
        CaseState.REGISTERED: {"filing_receipt", "registration_notice"},
        CaseState.RETURNED: {"filing_receipt", "return_notice"},
        CaseState.DISMISSED: {"filing_receipt"},
        CaseState.MEDIATION: {"registration_notice"},
        CaseState.SETTLED: {"settlement_record"},
        CaseState.CLOSED: {"settlement_record"},
        CaseState.IMPASSE: {"termination_certificate"},
        CaseState.ARBITRATION: {"termination_certificate"},
        # An award, or an award embodying the parties' settlement (the demo's published one).
        CaseState.AWARDED: {"procedural_order", "award"},
        CaseState.WITHDRAWN: {"termination_order"},
        CaseState.DISCONTINUED: {"discontinuance_order"},
    }
    for case in cases:  # the demo shows the rulings its cases would have
        # A case the parties sent straight to arbitration had no mediation to certify.
        straight = case.last_event("arbitrate_by_agreement") is not None
        expected = {"registration_notice"} if straight else must_have[case.state]
        if case.last_event("consent_award") is not None:
            expected = {"termination_certificate", "consent_award"}
        assert expected <= {r.kind for r in case_rulings(case)}, case.state
    # The incidents of proceedings: a mediation suspended by agreement, its deadlines paused;
    # an arbitration suspended while a proposal for disqualification is pending; and one
    # suspended for non-payment of its advance (the advances below).
    causes = {
        s.cause: session.get(Case, s.case_id)
        for s in session.scalars(select(Suspension).where(Suspension.ended_at.is_(None)))
    }
    assert set(causes) == {Cause.AGREEMENT, Cause.CHALLENGE, Cause.NON_PAYMENT}
    assert {c.id for c in causes.values()} == {c.id for c in cases if c.suspended_since}
    assert causes[Cause.AGREEMENT].state is CaseState.MEDIATION
    assert "suspension_order" in {r.kind for r in case_rulings(causes[Cause.AGREEMENT])}
    for case in causes.values():
        assert any(d.paused_on is not None for d in case.deadlines), case.reference
    # Dismissed by the registry, and by the tribunal for manifest lack of legal merit.
    dismissed = [{r.kind for r in case_rulings(c)} for c in cases if c.state is CaseState.DISMISSED]
    assert any("inadmissibility_decision" in kinds for kinds in dismissed)
    assert any("merit_award" in kinds for kinds in dismissed)
    # The written phase with its timetable, and an objection to jurisdiction awaiting the
    # tribunal's decision on bifurcation.
    keys = [{d.key for d in c.deadlines if d.status.value == "open"} for c in cases]
    assert any({"counter_memorial", "reply", "rejoinder"} <= running for running in keys)
    assert any("bifurcation_decision" in running for running in keys)
    deadlines = [d for c in cases for d in c.deadlines]
    assert any(d.overdue(today()) for d in deadlines)  # the dashboards have work to show
    assert any(d.status.value == "open" and not d.overdue(today()) for d in deadlines)
    # The endings without an award: a pending request, a notice of inactivity running, and a
    # case sent straight to arbitration by the parties' agreement.
    running = {d.key for d in deadlines if d.status.value == "open"}
    assert {"discontinuance_objection", "inactivity_notice"} <= running
    assert any(c.last_event("arbitrate_by_agreement") for c in cases)
    # The parties appoint two tribunals (issue 15): one awaits the presiding arbitrator's
    # choice, one had a seat filled by the Centre in default (with its notice) and its
    # presiding seat is in default now.
    by_parties = [c for c in cases if c.constitution is not None]
    assert len(by_parties) == 2
    chosen = [{a.chosen_by.value for a in c.appointments if a.chosen_by} for c in by_parties]
    assert {"claimant", "respondent"} in chosen
    assert {"claimant", "centre"} in chosen
    assert any(seat_in_default(c) is None for c in by_parties)
    assert any(
        d.key == "presiding_nomination" and d.status.value == "open"
        for c in by_parties
        for d in c.deadlines
    )
    assert any("notice_of_appointment" in {r.kind for r in case_rulings(c)} for c in by_parties)
    submitted = [c for c in cases if c.state is CaseState.SUBMITTED]
    assert len({c.submitted_at.date() for c in submitted}) > 1  # a realistic spread of ages
    # The case accounts (issue 16): every filed claim asked its lodging fee; the intake
    # queue shows fees paid, partly paid, unpaid and waived; the statements imported left
    # one credit matched by its reference and two in the queue.
    invoices = session.scalars(select(Invoice).order_by(Invoice.id)).all()
    assert {i.case_id for i in invoices} == {c.id for c in cases if c.state is not CaseState.DRAFT}
    assert {s.status for s in standings(session, invoices)} == set(InvoiceStatus)
    assert {
        s.status for s in standings(session, [lodging_invoice(session, c) for c in submitted])
    } == {InvoiceStatus.PAID, InvoiceStatus.PARTLY_PAID, InvoiceStatus.UNPAID}
    # A pending challenge, and a decided one whose parties then settled: a draft of the
    # consent award with one approval of two.
    found = session.scalars(select(Challenge).order_by(Challenge.id)).all()
    assert [c.outcome for c in found] == [None, Outcome.REJECTED]
    pending, decided = found
    assert pending.pleadings_closed_at is None and pending.observations is None
    assert decided.by_centre is False and len(decided.votes) == 2
    assert open_deadline(session.get(Case, pending.case_id), "challenge_explanation")
    settled = session.get(Case, decided.case_id)
    draft = award_queries.current_draft(settled)
    assert draft.kind is DraftKind.CONSENT_AWARD and len(draft.approvals) == 1
    assert award_queries.consent_issuable(settled) == (
        "A majority of the tribunal has not approved the current draft."
    )
    # The advances on costs: the mediation's, both shares paid; a settled mediation's, its
    # final statement issued and its refunds paid; the award's, the respondent's share paid
    # in substitution by the claimant; an arbitration's, shared 40/60 with reasons, the
    # respondent's share never paid and the proceeding suspended for non-payment.
    requests = session.scalars(select(AdvanceRequest).order_by(AdvanceRequest.id)).all()
    assert sorted(r.stage.value for r in requests) == [
        "mediation", "mediation", "tribunal", "tribunal"
    ]  # fmt: skip
    assert [bool(r.split_reason) for r in requests].count(True) == 1
    substituted = session.scalars(
        select(Payment).join(Invoice).where(Payment.side != Invoice.side)
    ).all()
    assert [(p.side.value, p.invoice.side.value) for p in substituted] == [
        ("claimant", "respondent")
    ]
    refunds = session.scalars(select(Refund)).all()
    assert refunds and all(r.paid_on is not None for r in refunds)
    (settled,) = {r.case_id for r in refunds}
    assert account_unsettled(session.get(Case, settled)) is None
    (suspended_for_it,) = session.scalars(
        select(Suspension).where(Suspension.cause == Cause.NON_PAYMENT)
    ).all()
    assert suspended_for_it.open
    assert {n.status.value for n in session.scalars(select(FeeNote))} == {"approved", "submitted"}
    lines = session.scalars(select(BankLine)).all()
    assert sorted(line.matched_at is not None for line in lines) == [False, False, True]
    assert {s.format.value for s in session.scalars(select(BankStatement))} == {"mt940", "camt053"}
    # The public register (issue 17): every registered case but the sealed one, and the
    # individual claimant's name sealed.
    registered = session.scalars(select(Case).where(Case.registered_at.is_not(None))).all()
    entries = {e.case_id: e for e in session.scalars(select(RegisterEntry))}
    sealed = {s.target: s for s in session.scalars(select(Seal))}
    assert set(sealed) == {SealTarget.CASE, SealTarget.PARTY_NAME}
    assert set(entries) == {c.id for c in registered} - {sealed[SealTarget.CASE].case_id}
    assert entries[sealed[SealTarget.PARTY_NAME].case_id].claimant is None
    neutral_names = {n["name"]: n["nationality"] for e in entries.values() for n in e.neutrals}
    assert neutral_names["Sarah Whitfield"] == "GB" and neutral_names["Erlan Dzhaksybekov"] == "KZ"
    # Published decisions: one in full (the tariff withheld), one as an excerpt, and one
    # decision whose redaction is under way.
    published = session.scalars(select(Publication).order_by(Publication.id)).all()
    assert [p.excerpt is None for p in published] == [True, False]
    version = session.get(Ruling, published[0].published_id)
    assert version.kind == "published_decision" and "KZT 34.61" not in str(version.values)
    assert "[\u2026]" in version.values["reasons"] and "Serik Abenov" in version.values["reasons"]
    assert "0007719" not in published[1].excerpt
    waiting = session.scalars(select(RedactionProposal).where(
        RedactionProposal.status == ProposalStatus.PROPOSED)).all()  # fmt: skip
    assert len(waiting) == 1 and waiting[0].comment


def test_seed_demo_is_refused_in_production(app, session, connection, monkeypatch):
    before = _counts(session)
    monkeypatch.setitem(app.config, "DEMO_DATA_ALLOWED", False)
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code != 0 and "refused in production" in result.output
    assert _counts(session) == before


def test_the_readme_names_each_demo_login_and_its_language():
    """A first-time user picks a login by the language of its pages: the README's table
    says it for every demo account, as the seed sets it."""
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("### Demo logins") :]
    table = table[: table.index("\n## ")]
    names = {"en": "English", "ru": "Russian", "kk": "Kazakh"}
    for email, _name, _role, locale in DEMO_USERS:
        (row,) = [line for line in table.splitlines() if f"`{email}`" in line]
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert cells[2] == names[locale], (email, cells)


def test_the_demo_leaves_its_statements_for_the_officer_to_import(app, session, seeded):
    """The two statements the demo imported are kept as files (importing one again adds
    nothing), with a next day's statement that pays the partly paid fee by its reference."""
    kept = seeded / "instance" / "demo-statements"
    imported = {s.filename: s.sha256 for s in session.scalars(select(BankStatement))}
    assert imported == {
        name: hashlib.sha256((kept / name).read_bytes()).hexdigest()
        for name in ("halyk-kzt.xml", "halyk-usd.sta")
    }
    officer = session.scalar(select(User).where(User.role == Role.FINANCE))
    bank = centre_bank(app.config)
    again = import_statement(
        session, (kept / "halyk-usd.sta").read_bytes(), filename="again", bank=bank, by=officer
    )
    assert (again.matched, again.unmatched) == (0, 0)
    (following,) = kept.glob(f"{NEXT_STATEMENT}.*")
    partly = [
        s.invoice
        for s in standings(session, session.scalars(select(Invoice)).all())
        if s.status is InvoiceStatus.PARTLY_PAID
    ]
    result = import_statement(
        session, following.read_bytes(), filename=following.name, bank=bank, by=officer
    )
    assert (result.matched, result.unmatched) == (1, 0)
    assert len(partly) == 1 and standings(session, partly)[0].status is InvoiceStatus.PAID
