"""The award of a tribunal of three (ICSID rules 59-62): the chair's draft, the members'
approvals (a changed draft voids them), the majority rule, a dissent issued with the award;
and a sole arbitrator's award with its costs section."""

from __future__ import annotations

import io
from decimal import Decimal

import pypdf
import pytest
from sqlalchemy import select

from dispute_portal.auth.models import Role
from dispute_portal.awards import operations as awards
from dispute_portal.awards import queries
from dispute_portal.awards.models import CostsAllocation, CostsMode
from dispute_portal.cases.models import Currency
from dispute_portal.errors import TransitionRefused
from dispute_portal.notices.models import Notification
from dispute_portal.parties.models import Side
from dispute_portal.policy import may_read_event
from dispute_portal.rulings import operations as rulings
from dispute_portal.rulings.models import Ruling
from dispute_portal.workflow.states import CaseState

from .conftest import browser_for
from .test_proceedings_views import add_respondent, events_of

OWN = CostsAllocation(CostsMode.OWN)
SPLIT = CostsAllocation(
    CostsMode.SPLIT, Side.RESPONDENT, Decimal("25.00"), Decimal("1680000.55"), Currency.USD
)
TEXT = "The respondent expropriated the quarry.\n\nIt shall pay USD 31,400,000."
DISSENT = "I respectfully dissent: the measure was a regulation of general application."


def pdf_text(session, ruling: Ruling) -> str:
    pdf = rulings.ruling_pdf(session, ruling)
    return " ".join(
        " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages).split()
    )


@pytest.fixture
def three(factory, session):
    return tribunal_of_three(factory, session)


def tribunal_of_three(factory, session):
    """A case before a constituted tribunal of three, with the respondent joined."""
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.ARBITRATION, clerk=clerk)
    chair, co1, co2 = factory.tribunal(case, clerk, size=3)
    respondent = add_respondent(factory, case)
    session.flush()
    return case, {"chair": chair, "co1": co1, "co2": co2, "respondent": respondent, "clerk": clerk}


def draft(case, chair, text=TEXT, costs=SPLIT):
    return awards.submit_draft(case, chair=chair, reasons=text, costs=costs, expected_version=None)


def test_only_the_chair_puts_a_draft_and_only_members_approve(three):
    case, p = three
    for user in (p["co1"], p["respondent"], case.claimant_user, p["clerk"]):
        with pytest.raises(TransitionRefused):
            draft(case, user)
    with pytest.raises(TransitionRefused, match="not put a draft"):
        awards.approve_draft(case, member=p["co1"], expected_version=None)
    draft(case, p["chair"])
    for user in (p["respondent"], case.claimant_user, p["clerk"]):
        with pytest.raises(TransitionRefused, match="may not do this"):
            awards.approve_draft(case, member=user, expected_version=None)
    awards.approve_draft(case, member=p["co1"], expected_version=None)
    with pytest.raises(TransitionRefused, match="already approved"):
        awards.approve_draft(case, member=p["co1"], expected_version=None)


def test_the_award_needs_a_majority_of_the_current_draft(three):
    case, p = three
    with pytest.raises(TransitionRefused, match="not put a draft"):
        awards.issue_award(case, chair=p["chair"], expected_version=None)
    draft(case, p["chair"])
    awards.approve_draft(case, member=p["chair"], expected_version=None)
    with pytest.raises(TransitionRefused, match="majority"):
        awards.issue_award(case, chair=p["chair"], expected_version=None)
    assert case.state is CaseState.ARBITRATION
    awards.approve_draft(case, member=p["co2"], expected_version=None)
    assert queries.award_issuable(case) is None  # two of three
    with pytest.raises(TransitionRefused, match="may not do this"):
        awards.issue_award(case, chair=p["co2"], expected_version=None)
    awards.issue_award(case, chair=p["chair"], expected_version=None)
    assert case.state is CaseState.AWARDED


def test_a_changed_draft_voids_the_approvals_of_the_earlier_one(three, session):
    case, p = three
    first = draft(case, p["chair"])
    awards.approve_draft(case, member=p["chair"], expected_version=None)
    awards.approve_draft(case, member=p["co1"], expected_version=None)
    assert queries.award_issuable(case) is None
    with pytest.raises(TransitionRefused, match="same as the current one"):
        draft(case, p["chair"])
    second = draft(case, p["chair"], text=TEXT + "\n\nInterest at 5% a year.")
    assert (first.number, second.number) == (1, 2)
    assert queries.current_draft(case) is second
    assert queries.approvers(second, case) == []
    assert len(first.approvals) == 2  # they stay with the text they approved
    assert "majority" in queries.award_issuable(case)
    (event,) = events_of(session, case, "submit_award_draft")[1:]
    assert event.data == {"draft": 2, "kind": "award", "replaces": 1, "approvals_voided": 2}
    # A changed costs allocation is a changed draft too.
    third = draft(case, p["chair"], text=TEXT + "\n\nInterest at 5% a year.", costs=OWN)
    assert third.number == 3


def test_the_deliberation_is_the_tribunals(three, session):
    case, p = three
    draft(case, p["chair"])
    awards.approve_draft(case, member=p["co1"], expected_version=None)
    awards.attach_opinion(
        case, member=p["co2"], kind="dissenting", text=DISSENT, expected_version=None
    )
    for action in ("submit_award_draft", "approve_award_draft", "attach_opinion"):
        (event,) = events_of(session, case, action)
        assert event.visibility == "tribunal"
        assert may_read_event(p["co2"], case, event) and may_read_event(p["clerk"], case, event)
        assert not may_read_event(p["respondent"], case, event)
        assert not may_read_event(case.claimant_user, case, event)
    session.flush()

    def told(user) -> list[str]:
        query = select(Notification.message).where(Notification.user_id == user.id)
        return list(session.scalars(query))

    parties = told(p["respondent"]) + told(case.claimant_user)
    assert not any("draft" in m or "opinion" in m for m in parties)
    assert any("approved the draft before the tribunal" in m for m in told(p["chair"]))
    assert any("put a draft to the tribunal" in m for m in told(p["co1"]))


def test_an_opinion_is_written_again_until_the_award(three):
    case, p = three
    draft(case, p["chair"])
    with pytest.raises(TransitionRefused, match="kind of opinion"):
        awards.attach_opinion(case, member=p["co2"], kind="loud", text="x", expected_version=None)
    with pytest.raises(TransitionRefused, match="Write the opinion"):
        awards.attach_opinion(
            case, member=p["co2"], kind="individual", text=" ", expected_version=None
        )
    awards.attach_opinion(
        case, member=p["co2"], kind="individual", text="First.", expected_version=None
    )
    awards.attach_opinion(
        case, member=p["co2"], kind="dissenting", text=DISSENT, expected_version=None
    )
    (opinion,) = queries.opinions(case)
    assert (opinion.kind.value, opinion.text) == ("dissenting", DISSENT)
    with pytest.raises(TransitionRefused, match="may not do this"):
        awards.attach_opinion(
            case, member=p["respondent"], kind="dissenting", text="x", expected_version=None
        )


@pytest.mark.real_pdf
@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ("Dissenting opinion", "25 per cent by the claimant", "$1,680,000.55", "Costs")),
        ("ru", ("Особое мнение", "25 процентов", "1 680 000,55", "Арбитражные расходы")),
        ("kk", ("Ерекше пікір", "25 пайыз", "1 680 000,55", "Төрелік шығыстар")),
    ],
)
def test_an_award_with_a_dissent(three, session, language, words):
    """The award of a tribunal of three: two approvals, a dissent after the award in its
    PDF, the costs allocation in exact amounts; /verify shows the opinion with the award."""
    case, p = three
    case.language = language
    draft(case, p["chair"])
    awards.approve_draft(case, member=p["chair"], expected_version=None)
    awards.approve_draft(case, member=p["co1"], expected_version=None)
    awards.attach_opinion(
        case, member=p["co2"], kind="dissenting", text=DISSENT, expected_version=None
    )
    awards.issue_award(case, chair=p["chair"], expected_version=None)
    award = session.scalars(select(Ruling).where(Ruling.case_id == case.id)).all()[-1]
    assert award.kind == "award"
    text = pdf_text(session, award)
    for word in words:
        assert word in text, word
    assert DISSENT in text and p["co2"].name in text
    assert p["chair"].name in text and p["co1"].name in text  # who approved
    assert text.index("It shall pay USD 31,400,000.") < text.index(DISSENT)
    (opinion,) = award.values["extra"]["opinions"]
    assert opinion["text"] == DISSENT and opinion["author"] == p["co2"].name
    (event,) = events_of(session, case, "issue_award")
    assert event.data == {"draft": 1, "costs": "split", "approvals": 2, "opinions": 1}
    assert queries.issued_award(case).issued_at is not None


def test_verify_names_the_opinions_issued_with_the_award(app, three, session):
    case, p = three
    draft(case, p["chair"])
    for member in (p["chair"], p["co1"]):
        awards.approve_draft(case, member=member, expected_version=None)
    awards.attach_opinion(
        case, member=p["co2"], kind="dissenting", text=DISSENT, expected_version=None
    )
    awards.issue_award(case, chair=p["chair"], expected_version=None)
    award = session.scalars(
        select(Ruling).where(Ruling.kind == "award", Ruling.case_id == case.id)
    ).one()
    session.commit()
    page = browser_for(app).get(f"/verify?code={award.verification_code}").text
    assert "Authentic" in page
    assert "Dissenting opinion" in page and p["co2"].name in page


@pytest.mark.real_pdf
def test_a_sole_arbitrator_awards_costs_to_the_claimant(factory, session):
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.ARBITRATION, clerk=clerk)
    (chair,) = factory.tribunal(case, clerk)
    with pytest.raises(TransitionRefused, match="sole arbitrator"):
        draft(case, chair)
    loser = CostsAllocation(CostsMode.LOSER, Side.RESPONDENT, None, None, Currency.USD)
    with pytest.raises(TransitionRefused, match="amount") as refused:
        awards.issue_award(case, chair=chair, reasons=TEXT, costs=loser, expected_version=None)
    assert refused.value.field == "costs_amount"
    assert case.state is CaseState.ARBITRATION
    split = CostsAllocation(
        CostsMode.SPLIT, Side.CLAIMANT, Decimal("120"), Decimal("1"), Currency.USD
    )
    with pytest.raises(TransitionRefused, match="per cent"):
        awards.issue_award(case, chair=chair, reasons=TEXT, costs=split, expected_version=None)
    loser = CostsAllocation(
        CostsMode.LOSER, Side.RESPONDENT, Decimal("3"), Decimal("1234567.89"), Currency.EUR
    )
    awards.issue_award(case, chair=chair, reasons=TEXT, costs=loser, expected_version=None)
    award = queries.issued_award(case)
    assert award.costs_amount == Decimal("1234567.89") and award.costs_claimant_percent is None
    ruling = session.scalars(
        select(Ruling).where(Ruling.case_id == case.id, Ruling.kind == "award")
    ).one()
    text = pdf_text(session, ruling)
    assert (
        "The costs of the proceedings follow the event: the respondent bears them and pays the "
        "claimant €1,234,567.89 for its costs." in text
    )
    assert "Dissenting" not in text and "approved by a majority" not in text


def test_the_award_form_has_a_costs_section(app, factory, session):
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.ARBITRATION, clerk=clerk)
    (chair,) = factory.tribunal(case, clerk)
    session.commit()
    browser = browser_for(app, chair)
    page = browser.get(f"/cases/{case.id}/award").text
    assert "Costs of the proceedings" in page and 'name="act-costs_amount"' in page
    fields = {"act-version": str(case.version), "act-reason": TEXT, "act-costs_mode": "split"}
    answer = browser.post(f"/cases/{case.id}/award", fields | {"act-costs_payer": "claimant"})
    assert answer.status_code == 400  # the share is missing: said beside it
    assert "Give the claimant&#39;s share as a per cent" in answer.text
    session.expire_all()
    assert case.state is CaseState.ARBITRATION
    fields |= {
        "act-costs_payer": "claimant",
        "act-costs_claimant_percent": "60",
        "act-costs_amount": "10 000,50",
        "act-costs_currency": "KZT",
    }
    assert browser.post(f"/cases/{case.id}/award", fields).status_code == 302
    session.expire_all()
    award = queries.issued_award(case)
    assert (award.costs_claimant_percent, award.costs_amount) == (
        Decimal("60.00"),
        Decimal("10000.50"),
    )
    assert case.state is CaseState.AWARDED
