"""A tribunal of three decides by a majority (ICSID Convention art. 48(1)) the award, an award
embodying the parties' settlement and a separate decision on costs. Each is issued from a
draft of its kind that a majority of the members approved; the tribunal deliberates on one
draft at a time, and a sole arbitrator decides directly."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from dispute_portal.auth.models import Role
from dispute_portal.awards import operations as awards
from dispute_portal.awards import queries
from dispute_portal.awards.models import CostsAllocation, CostsDecision, CostsMode, DraftKind
from dispute_portal.cases.models import Currency
from dispute_portal.deadlines.queries import today
from dispute_portal.errors import TransitionRefused
from dispute_portal.parties.models import Side
from dispute_portal.rulings.models import Ruling
from dispute_portal.suspensions import operations as suspensions
from dispute_portal.workflow.states import CaseState

from .conftest import browser_for, hidden
from .test_award_tribunal import OWN, TEXT, pdf_text, tribunal_of_three
from .test_proceedings_views import events_of

TERMS = "The respondent pays USD 2,000,000 within 30 days; each party bears its own costs."
LOSER = CostsAllocation(CostsMode.LOSER, Side.RESPONDENT, None, Decimal("850000.00"), Currency.USD)
RESERVED = CostsAllocation(CostsMode.RESERVED)


@pytest.fixture
def three(factory, session):
    return tribunal_of_three(factory, session)


def submit(case, chair, kind, text, costs=OWN):
    return awards.submit_draft(
        case, chair=chair, kind=kind, reasons=text, costs=costs, expected_version=None
    )


def approve(case, *members):
    for member in members:
        awards.approve_draft(case, member=member, expected_version=None)


def rulings_of(session, case, kind):
    query = select(Ruling).where(Ruling.case_id == case.id, Ruling.kind == kind)
    return list(session.scalars(query))


def test_a_consent_award_needs_a_majority_of_its_draft(three, session):
    case, p = three
    with pytest.raises(TransitionRefused, match="embodying the settlement"):
        awards.issue_consent_award(case, chair=p["chair"], terms=TERMS, expected_version=None)
    # A draft of the award is not a draft of the consent award.
    submit(case, p["chair"], DraftKind.AWARD, TEXT)
    approve(case, p["chair"], p["co1"])
    with pytest.raises(TransitionRefused, match="embodying the settlement"):
        awards.issue_consent_award(case, chair=p["chair"], terms=TERMS, expected_version=None)
    consent = submit(case, p["chair"], DraftKind.CONSENT_AWARD, TERMS)
    event = case.last_event("submit_award_draft")
    assert event.data == {
        "draft": 2, "kind": "consent_award", "replaces": 1, "approvals_voided": 2,
    }  # fmt: skip
    # The earlier draft's approvals do not count for the new one; one member is no majority.
    approve(case, p["co1"])
    with pytest.raises(TransitionRefused, match="majority"):
        awards.issue_consent_award(case, chair=p["chair"], terms="", expected_version=None)
    assert case.state is CaseState.ARBITRATION
    # No opinion on a consent award: opinions go with the award.
    with pytest.raises(TransitionRefused, match="opinion is attached to the award"):
        awards.attach_opinion(
            case, member=p["co2"], kind="dissenting", text="No.", expected_version=None
        )
    approve(case, p["co2"])
    # What the chair types is not what is issued: the draft the majority approved is.
    awards.issue_consent_award(case, chair=p["chair"], terms="Other terms.", expected_version=None)
    session.flush()
    assert case.state is CaseState.AWARDED
    (ruling,) = rulings_of(session, case, "consent_award")
    assert ruling.values["reasons"] == TERMS
    assert case.last_event("consent_award").data == {"draft": 2, "approvals": 2}
    assert consent.issued_at is not None and queries.current_draft(case) is None
    # The award of draft 1 was never issued: nothing counts it as the award.
    assert queries.issued_award(case) is None


def test_a_separate_decision_on_costs_needs_a_majority_of_its_draft(three, session):
    case, p = three
    submit(case, p["chair"], DraftKind.AWARD, TEXT, costs=RESERVED)
    approve(case, p["chair"], p["co2"])
    awards.issue_award(case, chair=p["chair"], expected_version=None)
    assert case.state is CaseState.AWARDED
    with pytest.raises(TransitionRefused, match="draft of the decision on costs"):
        awards.decide_costs(
            case, chair=p["chair"], costs=LOSER, reason="Costs.", expected_version=None
        )
    # After the award, only a decision on costs remains to be drafted.
    with pytest.raises(TransitionRefused, match="only a decision on costs"):
        submit(case, p["chair"], DraftKind.AWARD, TEXT)
    with pytest.raises(TransitionRefused, match="only a decision on costs"):
        submit(case, p["chair"], DraftKind.CONSENT_AWARD, TERMS)
    # A decision on costs decides them: it cannot reserve them again.
    with pytest.raises(TransitionRefused, match="choose how"):
        submit(case, p["chair"], DraftKind.COSTS_DECISION, "Costs.", costs=RESERVED)
    costs = submit(case, p["chair"], DraftKind.COSTS_DECISION, "The claimant prevailed.", LOSER)
    approve(case, p["co1"])
    assert "majority" in queries.costs_decidable(case)
    approve(case, p["co2"])
    decision = awards.decide_costs(case, chair=p["chair"], expected_version=None)
    session.flush()
    assert decision.costs == LOSER and costs.issued_at is not None
    (ruling,) = rulings_of(session, case, "costs_decision")
    assert ruling.values["reasons"] == "The claimant prevailed."
    assert case.last_event("decide_costs").data == {"costs": "loser", "draft": 2, "approvals": 2}
    # Once: no other decision on costs, and no other draft of one.
    assert session.scalars(select(CostsDecision).where(CostsDecision.case_id == case.id)).all()
    with pytest.raises(TransitionRefused, match="already decided on costs"):
        submit(case, p["chair"], DraftKind.COSTS_DECISION, "Again.", LOSER)


def test_a_decision_on_costs_before_the_award_is_the_tribunals_too(three, session):
    case, p = three
    submit(case, p["chair"], DraftKind.COSTS_DECISION, "Security for costs.", LOSER)
    assert queries.award_issuable(case) is not None  # the draft before it is not the award
    approve(case, p["chair"], p["co1"])
    awards.decide_costs(case, chair=p["chair"], expected_version=None)
    session.flush()
    assert case.state is CaseState.ARBITRATION
    assert [r.kind for r in rulings_of(session, case, "costs_decision")] == ["costs_decision"]
    # Its approvals were the decision's: the award needs a draft and a majority of its own.
    assert "not put a draft of the award" in queries.award_issuable(case)


def test_the_draft_pages_of_each_kind(app, three, session):
    case, p = three
    session.commit()
    chair = browser_for(app, p["chair"])
    base = f"/cases/{case.id}/award/draft"
    # A decision without its draft says so, and leads to the draft of its kind.
    for url, kind in (("award/consent", "consent_award"), ("costs/decision", "costs_decision")):
        blocked = chair.get(f"/cases/{case.id}/{url}")
        assert blocked.status_code == 200 and "has not put a draft" in blocked.text
        assert f'href="{base}?kind={kind}"' in blocked.text
    page = chair.get(f"{base}?kind=consent_award")
    assert page.status_code == 200 and "The terms of the settlement" in page.text
    assert "act-costs_mode" not in page.text and 'aria-current="page"' in page.text
    assert f'action="{base}?kind=consent_award"' in page.text
    costs_page = chair.get(f"{base}?kind=costs_decision")
    assert (
        "act-costs_mode" in costs_page.text and "act-counterclaim_decision" not in costs_page.text
    )
    assert chair.get(f"{base}?kind=nonsense").status_code == 404
    done = chair.post(
        f"{base}?kind=consent_award",
        {"act-version": hidden(page.text, "act-version"), "act-reason": TERMS},
    )
    assert done.status_code == 302, done.text
    session.expire_all()
    current = queries.current_draft(case)
    assert (current.kind, current.reasons) == (DraftKind.CONSENT_AWARD, TERMS)
    # The consent award's page shows the draft and issues it once a majority approved.
    for member in (p["chair"], p["co1"]):
        approve_page = browser_for(app, member).get(f"/cases/{case.id}/award/approve")
        assert "Draft of the award embodying the parties" in approve_page.text
        answer = browser_for(app, member).post(
            f"/cases/{case.id}/award/approve",
            {"act-version": hidden(approve_page.text, "act-version")},
        )
        assert answer.status_code == 302, answer.text
    consent = chair.get(f"/cases/{case.id}/award/consent")
    assert TERMS in consent.text and "which a majority of the tribunal approved" in consent.text
    issued = chair.post(
        f"/cases/{case.id}/award/consent", {"act-version": hidden(consent.text, "act-version")}
    )
    assert issued.status_code == 302, issued.text
    session.expire_all()
    assert case.state is CaseState.AWARDED
    assert [e.action for e in events_of(session, case, "consent_award")] == ["consent_award"]


@pytest.mark.real_pdf
@pytest.mark.parametrize(
    ("language", "consent_says", "costs_says"),
    [
        ("en", "The award was approved by a majority of the tribunal",
         "The decision on costs was approved by a majority of the tribunal"),
        ("ru", "Арбитражное решение одобрено большинством состава арбитража",
         "Решение о расходах одобрено большинством состава арбитража"),
        ("kk", "Төрелік шешімді төрелік құрамның көпшілігі мақұлдады",
         "Шығыстар туралы шешімді төрелік құрамның көпшілігі мақұлдады"),
    ],
)  # fmt: skip
def test_the_rulings_name_the_majority_that_approved_them(
    three, session, language, consent_says, costs_says
):
    """A decision on costs and then a consent award, each from its approved draft: the PDF
    says which members approved it (the one who did not is not named)."""
    case, p = three
    case.language = language
    submit(case, p["chair"], DraftKind.COSTS_DECISION, "The claimant prevailed.", LOSER)
    approve(case, p["chair"], p["co1"])
    awards.decide_costs(case, chair=p["chair"], expected_version=None)
    submit(case, p["chair"], DraftKind.CONSENT_AWARD, TERMS)
    approve(case, p["co1"], p["co2"])
    awards.issue_consent_award(case, chair=p["chair"], expected_version=None)
    session.flush()
    (costs,) = rulings_of(session, case, "costs_decision")
    text = pdf_text(session, costs)
    assert f"{costs_says}: {p['chair'].name}, {p['co1'].name}." in text
    assert "The claimant prevailed." in text
    assert any(amount in text for amount in ("850,000.00", "850 000,00")), text
    (consent,) = rulings_of(session, case, "consent_award")
    text = pdf_text(session, consent)
    assert f"{consent_says}: {p['co1'].name}, {p['co2'].name}." in text
    assert TERMS in text


def test_a_sole_arbitrator_writes_and_previews_the_consent_award(app, factory, session):
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.ARBITRATION, clerk=clerk)
    (sole,) = factory.tribunal(case, clerk)
    session.commit()
    browser = browser_for(app, sole)
    page = browser.get(f"/cases/{case.id}/award/consent")
    assert page.status_code == 200 and "The terms of the settlement" in page.text
    assert f'formaction="/cases/{case.id}/award/consent/preview"' in page.text
    version = hidden(page.text, "act-version")
    preview = browser.post(
        f"/cases/{case.id}/award/consent/preview", {"act-version": version, "act-reason": TERMS}
    )
    assert preview.status_code == 200 and TERMS in preview.text
    session.expire_all()
    assert case.state is CaseState.ARBITRATION  # a preview issues nothing
    empty = browser.post(f"/cases/{case.id}/award/consent", {"act-version": version})
    assert empty.status_code == 400
    done = browser.post(
        f"/cases/{case.id}/award/consent", {"act-version": version, "act-reason": TERMS}
    )
    assert done.status_code == 302, done.text
    session.expire_all()
    assert case.state is CaseState.AWARDED
    (ruling,) = rulings_of(session, case, "consent_award")
    assert ruling.values["reasons"] == TERMS and ruling.values["extra"] == {"approved_by": []}


def test_a_suspended_tribunal_of_three_still_embodies_a_settlement(three, session):
    """Parties who suspend their arbitration to settle come back with the settlement: the
    tribunal deliberates on its draft while the proceeding is suspended, and nothing else."""
    case, p = three
    submit(case, p["chair"], DraftKind.AWARD, TEXT)
    suspensions.suspend_by_agreement(
        case, user=p["chair"], reason="The parties negotiate.",
        resume_on=today() + dt.timedelta(days=60), expected_version=None,
    )  # fmt: skip
    assert case.suspended_since is not None
    with pytest.raises(TransitionRefused, match="suspended"):
        approve(case, p["co1"])  # the award's draft waits
    with pytest.raises(TransitionRefused, match="suspended"):
        submit(case, p["chair"], DraftKind.COSTS_DECISION, "Costs.", LOSER)
    submit(case, p["chair"], DraftKind.CONSENT_AWARD, TERMS)
    approve(case, p["chair"], p["co2"])
    awards.issue_consent_award(case, chair=p["chair"], expected_version=None)
    session.flush()
    assert case.state is CaseState.AWARDED
    (ruling,) = rulings_of(session, case, "consent_award")
    assert ruling.values["reasons"] == TERMS
