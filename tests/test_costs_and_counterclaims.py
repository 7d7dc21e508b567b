"""Statements of costs and a separate decision on costs, counterclaims (ICSID rule 48) and a
grace period for a party in default (rule 49), each allowed and refused per role and state."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from sqlalchemy import select

from dispute_portal.auth.models import Role
from dispute_portal.awards import claims, queries
from dispute_portal.awards import operations as awards
from dispute_portal.awards.models import CostsAllocation, CostsMode
from dispute_portal.cases.models import Currency
from dispute_portal.db import frozen_time, utcnow
from dispute_portal.deadlines import operations as deadlines
from dispute_portal.deadlines.calendar import next_business_day
from dispute_portal.deadlines.calendars import calendar_for
from dispute_portal.deadlines.models import DeadlineStatus
from dispute_portal.errors import TransitionRefused
from dispute_portal.parties.models import Side
from dispute_portal.policy import DOWNLOAD, can
from dispute_portal.proceedings import operations as proceedings
from dispute_portal.rulings.models import Ruling
from dispute_portal.workflow.states import CaseState

from .conftest import browser_for, hidden
from .factories import pdf_bytes
from .test_award_tribunal import pdf_text
from .test_proceedings_views import add_respondent, events_of

# A Monday in Almaty; 16 December 2026, Independence Day, is a public holiday.
MONDAY = dt.datetime(2026, 12, 7, 5, 0, tzinfo=dt.UTC)
INDEPENDENCE_DAY = dt.date(2026, 12, 16)
USD, KZT = Currency.USD, Currency.KZT


@pytest.fixture
def sole(factory, session):
    """A case before a constituted sole arbitrator, with the respondent joined."""
    clerk = factory.user(Role.CLERK)
    case = factory.case(CaseState.ARBITRATION, clerk=clerk)
    (chair,) = factory.tribunal(case, clerk)
    respondent = add_respondent(factory, case)
    session.flush()
    return case, {"chair": chair, "respondent": respondent, "clerk": clerk}


def deadline(case, key: str):
    return next(d for d in case.deadlines if d.key == key)


# Costs ------------------------------------------------------------------------------------


def test_statements_of_costs_by_the_date_the_tribunal_sets(sole, session):
    case, p = sole
    claimant, respondent, chair = case.claimant_user, p["respondent"], p["chair"]
    items = [("Legal fees", Decimal("1000.10"), USD), ("Expert", Decimal("0.20"), USD)]
    with frozen_time(MONDAY):
        with pytest.raises(TransitionRefused, match="not set the date"):
            claims.file_costs_statement(
                case, user=claimant, items=items, note=None, expected_version=None
            )
        for user in (claimant, respondent, p["clerk"]):
            with pytest.raises(TransitionRefused, match="may not do this"):
                claims.order_costs_statements(
                    case, chair=user, due=dt.date(2026, 12, 20), reason="x", expected_version=None
                )
        for day, why in ((dt.date(2026, 12, 7), "future"), (dt.date(2028, 1, 1), "a year")):
            with pytest.raises(TransitionRefused, match=why) as refused:
                claims.order_costs_statements(
                    case, chair=chair, due=day, reason="x", expected_version=None
                )
            assert refused.value.field == "due"
        claims.order_costs_statements(
            case,
            chair=chair,
            due=INDEPENDENCE_DAY,
            reason="Fees and expenses.",
            expected_version=None,
        )
        running = deadline(case, "costs_statement")
        assert running.due_on == next_business_day(INDEPENDENCE_DAY, calendar_for(case))
        assert running.due_on > INDEPENDENCE_DAY  # a public holiday: the next business day
        for user in (chair, p["clerk"]):
            with pytest.raises(TransitionRefused, match="may not do this"):
                claims.file_costs_statement(
                    case, user=user, items=items, note=None, expected_version=None
                )
        with pytest.raises(TransitionRefused, match="at least one item"):
            claims.file_costs_statement(
                case, user=claimant, items=[], note=None, expected_version=None
            )
        statement = claims.file_costs_statement(
            case, user=claimant, items=items + [("Court fee", Decimal("5000"), KZT)], note=None,
            expected_version=None,
        )  # fmt: skip
        assert statement.side is Side.CLAIMANT
        assert statement.totals() == {USD: Decimal("1000.30"), KZT: Decimal("5000")}
        assert running.status is DeadlineStatus.OPEN  # the respondent has not filed yet
        claims.file_costs_statement(
            case, user=respondent, items=[("Fees", Decimal("7.5"), USD)], note="All in.",
            expected_version=None,
        )  # fmt: skip
    assert running.status is DeadlineStatus.MET
    (event,) = events_of(session, case, "file_costs_statement")[:1]
    assert event.data == {
        "side": "claimant", "items": 3, "totals": {"KZT": "5000.00", "USD": "1000.30"}
    }  # fmt: skip
    session.flush()
    session.expire_all()
    stored = queries.costs_statements(case)[0]
    assert [i.amount for i in stored.items] == [
        Decimal("1000.10"),
        Decimal("0.20"),
        Decimal("5000.00"),
    ]


def test_the_statement_form_refuses_bad_rows_and_changes_nothing(app, sole, session):
    case, p = sole
    with frozen_time(MONDAY):
        claims.order_costs_statements(
            case, chair=p["chair"], due=dt.date(2026, 12, 21), reason="x", expected_version=None
        )
    session.commit()
    browser = browser_for(app, p["respondent"])
    page = browser.get(f"/cases/{case.id}/costs/statement").text
    version = hidden(page, "act-version")
    bad = {"act-version": version, "act-item_1_description": "Fees", "act-item_1_amount": "-5"}
    answer = browser.post(f"/cases/{case.id}/costs/statement", bad)
    assert answer.status_code == 400 and "Enter an amount" in answer.text
    answer = browser.post(f"/cases/{case.id}/costs/statement", {"act-version": version})
    assert answer.status_code == 400 and "List at least one item of costs." in answer.text
    assert queries.costs_statements(case) == []
    good = {
        "act-version": version,
        "act-item_1_description": "Fees",
        "act-item_1_amount": "1 500 000,25",
        "act-item_1_currency": "KZT",
    }
    assert browser.post(f"/cases/{case.id}/costs/statement", good).status_code == 302
    session.expire_all()
    (statement,) = queries.costs_statements(case)
    assert statement.items[0].amount == Decimal("1500000.25")
    # Everyone on the case reads it on the case page.
    page = browser_for(app, case.claimant_user).get(f"/cases/{case.id}").text
    section = page[page.index('id="awards-heading"') :]
    assert "statement of costs" in section and "1,500,000.25" in section, section[:2000]


@pytest.mark.real_pdf
@pytest.mark.parametrize(
    ("language", "says"),
    [
        ("en", "Each party shall file its statement of costs by 21 December 2026."),
        ("ru", "не позднее 21 декабря 2026"),
        ("kk", "мына күнге дейін береді: 21 желтоқсан 2026."),
    ],
)
def test_the_date_of_the_statements_of_costs_is_a_procedural_order(sole, session, language, says):
    """The order that sets the date is a ruling the parties receive, in the case's language,
    with the tribunal's reasons and the date (moved to the next business day)."""
    case, p = sole
    case.language = language
    session.flush()
    with frozen_time(MONDAY):
        claims.order_costs_statements(
            case,
            chair=p["chair"],
            due=dt.date(2026, 12, 19),  # a Saturday: the Monday after
            reason="Fees and expenses, each with its evidence.",
            expected_version=None,
        )
    ruling = session.scalars(
        select(Ruling).where(Ruling.case_id == case.id, Ruling.kind == "procedural_order")
    ).one()
    assert case.last_event("order_costs_statements").data["due"] == "2026-12-21"
    text = " ".join(pdf_text(session, ruling).split())
    assert "Fees and expenses, each with its evidence." in text
    assert says in text, text[-1500:]


@pytest.mark.real_pdf
def test_a_separate_decision_on_costs(sole, session):
    case, p = sole
    loser = CostsAllocation(CostsMode.LOSER, Side.CLAIMANT, None, Decimal("99.99"), USD)
    with pytest.raises(TransitionRefused, match="may not do this"):
        awards.decide_costs(
            case, chair=p["respondent"], costs=loser, reason="x", expected_version=None
        )
    reserved = CostsAllocation(CostsMode.RESERVED)
    with pytest.raises(TransitionRefused, match="choose how"):
        awards.decide_costs(
            case, chair=p["chair"], costs=reserved, reason="x", expected_version=None
        )
    # The award reserves the costs; the decision on costs follows it.
    awards.issue_award(
        case, chair=p["chair"], reasons="The claim fails.", costs=reserved, expected_version=None
    )
    assert case.state is CaseState.AWARDED
    awards.decide_costs(
        case, chair=p["chair"], costs=loser, reason="The claim failed.", expected_version=None
    )
    ruling = session.scalars(
        select(Ruling).where(Ruling.case_id == case.id, Ruling.kind == "costs_decision")
    ).one()
    text = pdf_text(session, ruling)
    assert "Decision on costs" in text and "The claim failed." in text
    assert "the claimant bears them and pays the respondent $99.99 for its costs." in text
    with pytest.raises(TransitionRefused, match="already decided"):
        awards.decide_costs(case, chair=p["chair"], costs=loser, reason="x", expected_version=None)


def test_no_decision_on_costs_after_an_award_that_decided_them(factory, session):
    case = factory.case(CaseState.AWARDED)  # the factory's award: each bears its own costs
    chair = next(a.user for a in case.appointments if a.capacity.chairs)
    own = CostsAllocation(CostsMode.OWN)
    with pytest.raises(TransitionRefused, match="award decided the costs"):
        awards.decide_costs(case, chair=chair, costs=own, reason="x", expected_version=None)


# Counterclaims ----------------------------------------------------------------------------


def counterclaim(case, user, session, config, files=()):
    return claims.file_counterclaim(
        session, case, user=user, amount=Decimal("380000.00"), currency=USD,
        description="Reclamation of the site.", files=list(files),
        upload_dir=config["UPLOAD_DIR"], max_bytes=config["MAX_UPLOAD_BYTES"],
        expected_version=None,
    )  # fmt: skip


def test_only_the_respondent_files_a_counterclaim_in_time(app, sole, session):
    case, p = sole
    config = app.config
    for user in (case.claimant_user, p["chair"], p["clerk"]):
        with pytest.raises(TransitionRefused, match="may not do this"):
            counterclaim(case, user, session, config)
    # The written phase set the rejoinder's date, and it has passed.
    with frozen_time(MONDAY - dt.timedelta(days=30)):
        deadlines.start_on(case, "rejoinder", dt.date(2026, 11, 30), at=utcnow())
    with frozen_time(MONDAY):
        with pytest.raises(TransitionRefused, match="has passed"):
            counterclaim(case, p["respondent"], session, config)
        with pytest.raises(TransitionRefused, match="may not do this"):
            claims.allow_counterclaim(
                case, chair=p["respondent"], reason="x", expected_version=None
            )
        claims.allow_counterclaim(
            case, chair=p["chair"], reason="New facts came to light.", expected_version=None
        )
    with frozen_time(MONDAY + dt.timedelta(hours=1)):
        claim = counterclaim(
            case, p["respondent"], session, config, [(io.BytesIO(pdf_bytes("cc")), "cc.pdf")]
        )
    later = frozen_time(MONDAY + dt.timedelta(hours=2))
    with later, pytest.raises(TransitionRefused, match="has passed"):  # a leave serves once
        counterclaim(case, p["respondent"], session, config)
    assert (claim.amount, claim.currency) == (Decimal("380000.00"), USD)
    (document,) = [d for d in case.documents if d.submission_id == claim.submission_id]
    assert can(case.claimant_user, DOWNLOAD, case, document)
    (event,) = events_of(session, case, "file_counterclaim")
    assert event.note == "Reclamation of the site." and event.data["amount"] == "380000.00"


def test_the_award_decides_the_counterclaim(app, sole, session):
    case, p = sole
    counterclaim(case, p["respondent"], session, app.config)
    with pytest.raises(TransitionRefused, match="counterclaim") as refused:
        awards.issue_award(
            case, chair=p["chair"], reasons="The claim succeeds.", expected_version=None
        )
    assert refused.value.field == "counterclaim_decision"
    awards.issue_award(
        case, chair=p["chair"], reasons="The claim succeeds.",
        counterclaim_decision="The counterclaim is dismissed.", expected_version=None,
    )  # fmt: skip
    award = session.scalars(
        select(Ruling).where(Ruling.case_id == case.id, Ruling.kind == "award")
    ).one()
    extra = award.values["extra"]
    assert extra["counterclaim_decision"] == "The counterclaim is dismissed."
    assert extra["counterclaims"][0]["amount"] == "$380,000.00"
    session.commit()
    for user in (case.claimant_user, p["chair"]):
        page = browser_for(app, user).get(f"/cases/{case.id}").text
        assert "Counterclaims" in page and "Reclamation of the site." in page


# Default and a grace period ---------------------------------------------------------------


def test_a_grace_period_for_the_party_in_default(sole, session):
    case, p = sole
    with frozen_time(MONDAY):
        with pytest.raises(TransitionRefused, match="No party has been recorded in default"):
            claims.grant_grace(
                case, chair=p["chair"], until=INDEPENDENCE_DAY, reason="x", expected_version=None
            )
        proceedings.record_default(
            case, chair=p["chair"], side="respondent", reason="No counter-memorial.",
            expected_version=None,
        )  # fmt: skip
        for user in (p["respondent"], case.claimant_user, p["clerk"]):
            with pytest.raises(TransitionRefused, match="may not do this"):
                claims.grant_grace(
                    case, chair=user, until=INDEPENDENCE_DAY, reason="x", expected_version=None
                )
        too_late = MONDAY.date() + dt.timedelta(days=61)
        with pytest.raises(TransitionRefused, match="at most 60 days") as refused:
            claims.grant_grace(
                case, chair=p["chair"], until=too_late, reason="x", expected_version=None
            )
        assert refused.value.field == "until"
        with pytest.raises(TransitionRefused, match="future"):
            claims.grant_grace(
                case, chair=p["chair"], until=MONDAY.date(), reason="x", expected_version=None
            )
        claims.grant_grace(
            case, chair=p["chair"], until=INDEPENDENCE_DAY, reason="Last chance to file.",
            expected_version=None,
        )  # fmt: skip
        grace = deadline(case, "default_grace")
        assert grace.due_on == next_business_day(INDEPENDENCE_DAY, calendar_for(case))
        assert grace.due_on > INDEPENDENCE_DAY and grace.due_on.weekday() < 5
        with pytest.raises(TransitionRefused, match="already running"):
            claims.grant_grace(
                case, chair=p["chair"], until=INDEPENDENCE_DAY, reason="x", expected_version=None
            )
    ruling = session.scalars(select(Ruling).where(Ruling.case_id == case.id)).all()[-1]
    assert ruling.kind == "grace_order"
    assert ruling.values["extra"]["side"] == "respondent"
    # The proceedings go on: the award may still be issued.
    assert case.state is CaseState.ARBITRATION and queries.award_issuable(case) is None
