"""Advances on costs (issue 16): the registry asks them as mediation starts and once the
tribunal is constituted, the schedule suggests the amount, the sides share it equally unless
the registry gives reasons, each share is an invoice due by the rule set's deadline, and the
deadline is met once every share is paid. A refused request changes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from dispute_portal.accounts import advances, billing, fees, ledger
from dispute_portal.accounts.models import (
    AdvanceRequest,
    AdvanceStage,
    Holder,
    Invoice,
    InvoicePurpose,
    LedgerTransaction,
)
from dispute_portal.accounts.queries import case_account, outstanding, standings
from dispute_portal.auth.models import Role
from dispute_portal.cases.models import Currency, Side
from dispute_portal.deadlines.models import DeadlineStatus
from dispute_portal.deadlines.queries import current_rule_set, open_deadline, rules_for, today
from dispute_portal.deadlines.rules import RULES_V1, with_defaults
from dispute_portal.errors import TransitionRefused
from dispute_portal.texts import Refusal
from dispute_portal.workflow.states import CaseState

from .conftest import hidden

D = Decimal


@pytest.fixture
def clerk(factory):
    return factory.user(Role.CLERK)


@pytest.fixture
def mediating(factory, clerk):
    return factory.case(CaseState.MEDIATION, clerk=clerk)


def _invoices(session, case) -> list[Invoice]:
    return list(
        session.scalars(
            select(Invoice)
            .where(Invoice.case_id == case.id, Invoice.purpose == InvoicePurpose.ADVANCE)
            .order_by(Invoice.id)
        )
    )


def test_rule_set_3_gives_the_advance_thirty_days_and_older_cases_get_it(session):
    rules = current_rule_set(session).rules
    assert rules["deadlines"]["advance_payment"] == {
        "amount": 30,
        "unit": "calendar_days",
        "starts": "the request",
    }
    assert rules["deadlines"]["advance_substitution"]["amount"] == 15
    assert rules["non_payment_discontinuance_days"] == 90
    # A case registered under version 1 runs the new limit by version 3's rule.
    assert "advance_payment" in with_defaults(RULES_V1)["deadlines"]


def test_the_schedule_suggests_the_administrative_fee_and_the_mediators_days(mediating, session):
    suggested = advances.proposal(mediating)
    schedule = fees.schedule_of(mediating)
    quote = fees.quote(schedule.fees, D("2000000.00"), Currency.USD)  # the claim's amount
    assert suggested.stage is AdvanceStage.MEDIATION and suggested.currency is Currency.USD
    assert suggested.administrative_fee == quote.administrative_fee > 0
    assert (suggested.neutrals, suggested.days, suggested.daily) == (1, 2, quote.daily)
    assert suggested.amount == quote.administrative_fee + 2 * quote.daily


def test_an_advance_is_shared_equally_and_each_share_is_an_invoice_due_by_the_rules(
    mediating, clerk, session
):
    version = mediating.version
    request = advances.request_advance(
        mediating, amount=D("10000.01"), currency=Currency.USD, by=clerk, expected_version=version
    )
    assert (request.claimant_share, request.respondent_share) == (D("5000.01"), D("5000.00"))
    assert request.stage is AdvanceStage.MEDIATION and request.split_reason is None
    deadline = open_deadline(mediating, "advance_payment")
    assert deadline is not None and request.due_on == deadline.due_on
    assert deadline.due_on >= today() + dt.timedelta(days=30)  # a day off moves it later
    claimant, respondent = _invoices(session, mediating)
    assert (claimant.side, claimant.amount) == (Side.CLAIMANT, D("5000.01"))
    assert (respondent.side, respondent.amount) == (Side.RESPONDENT, D("5000.00"))
    assert {i.advance_id for i in (claimant, respondent)} == {request.id}
    assert {i.due_on for i in (claimant, respondent)} == {deadline.due_on}
    # The money asked is held for the case; each side owes its share.
    held = ledger.account(session, Holder.ADVANCE, Currency.USD, case=mediating)
    assert ledger.balance(session, held) == D("-10000.01")
    for invoice in (claimant, respondent):
        owed = ledger.account(
            session, Holder.PARTY, Currency.USD, case=mediating, side=invoice.side
        )
        assert ledger.balance(session, owed) == invoice.amount
    event = mediating.last_event("request_advance")
    assert event is not None and event.data["claimant_share"] == "5000.01"
    assert mediating.version > version


def test_shares_that_are_not_equal_need_reasons_and_a_refusal_changes_nothing(
    mediating, clerk, session
):
    version = mediating.version
    with pytest.raises(Refusal, match="reasons"):
        advances.request_advance(
            mediating, amount=D("900"), currency=Currency.USD, claimant_percent=D(60), by=clerk
        )
    assert _invoices(session, mediating) == [] and mediating.version == version
    assert session.scalar(select(func.count()).select_from(AdvanceRequest)) == 0
    request = advances.request_advance(
        mediating,
        amount=D("900"),
        currency=Currency.USD,
        claimant_percent=D("33.33"),
        reason="The respondent's counterclaim doubles what is in dispute.",
        by=clerk,
    )
    assert (request.claimant_share, request.respondent_share) == (D("299.97"), D("600.03"))
    assert request.split_reason.startswith("The respondent's counterclaim")


def test_a_share_of_nothing_is_not_invoiced(mediating, clerk, session):
    advances.request_advance(
        mediating,
        amount=D("500"),
        currency=Currency.KZT,
        claimant_percent=D(100),
        reason="The claimant asked to pay the whole advance.",
        by=clerk,
    )
    (only,) = _invoices(session, mediating)
    assert (only.side, only.amount, only.currency) == (Side.CLAIMANT, D("500"), Currency.KZT)


@pytest.mark.parametrize(
    ("amount", "currency", "percent", "message"),
    [
        (D(0), Currency.USD, D(50), "exact to the cent"),
        (D("10.005"), Currency.USD, D(50), "exact to the cent"),
        (D("1E+13"), Currency.USD, D(50), "exact to the cent"),
        (D("NaN"), Currency.USD, D(50), "exact to the cent"),
        (D(100), Currency.EUR, D(50), "no fees in this currency"),
        (D(100), Currency.USD, D(101), "percentage from 0 to 100"),
        (D(100), Currency.USD, D("33.333"), "percentage from 0 to 100"),
    ],
)
def test_a_request_that_makes_no_sense_is_refused(
    mediating, clerk, session, amount, currency, percent, message
):
    version = mediating.version
    with pytest.raises(Refusal, match=message):
        advances.request_advance(
            mediating,
            amount=amount,
            currency=currency,
            claimant_percent=percent,
            reason="Reasons.",
            by=clerk,
        )
    assert _invoices(session, mediating) == [] and mediating.version == version


def test_only_the_registry_asks_and_only_in_mediation_or_a_constituted_arbitration(
    factory, clerk, session
):
    registered = factory.case(CaseState.REGISTERED, clerk=clerk)
    with pytest.raises(TransitionRefused):
        advances.request_advance(registered, amount=D(100), currency=Currency.USD, by=clerk)
    mediating = factory.case(CaseState.MEDIATION, clerk=clerk)
    with pytest.raises(TransitionRefused):
        advances.request_advance(
            mediating, amount=D(100), currency=Currency.USD, by=mediating.claimant_user
        )
    arbitration = factory.case(CaseState.ARBITRATION, clerk=clerk)
    with pytest.raises(TransitionRefused, match="not constituted"):
        advances.request_advance(arbitration, amount=D(100), currency=Currency.USD, by=clerk)
    assert _invoices(session, arbitration) == []


def test_the_tribunals_advance_then_a_further_one_without_the_administrative_fee_again(
    factory, clerk, session
):
    case = factory.case(CaseState.ARBITRATION, clerk=clerk)  # no mediation's advance asked
    factory.tribunal(case, clerk, size=3)
    first = advances.proposal(case)
    assert first.stage is AdvanceStage.TRIBUNAL and first.neutrals == 3 and first.days == 10
    assert first.administrative_fee > 0  # the case's first advance carries it
    advances.request_advance(case, amount=first.amount, currency=first.currency, by=clerk)
    further = advances.proposal(case)
    assert further.stage is AdvanceStage.FURTHER and further.administrative_fee == 0
    assert further.amount == 3 * 5 * first.daily
    request = advances.request_advance(case, amount=D(300), currency=Currency.USD, by=clerk)
    assert request.stage is AdvanceStage.FURTHER


def test_the_deadline_is_met_once_both_shares_are_paid(factory, mediating, clerk, session):
    advances.request_advance(mediating, amount=D("2000"), currency=Currency.USD, by=clerk)
    officer = factory.user(Role.FINANCE)
    claimant, respondent = _invoices(session, mediating)
    billing.record_payment(
        claimant, amount=D("1000"), received_on=today(), payer="Claimant", by=officer
    )
    assert open_deadline(mediating, "advance_payment") is not None
    billing.record_payment(
        respondent, amount=D("1200"), received_on=today(), payer="Ministry", by=officer
    )
    assert outstanding(session, respondent) == 0
    met = [d for d in mediating.deadlines if d.key == "advance_payment"]
    assert [d.status for d in met] == [DeadlineStatus.MET]


def test_a_case_under_rule_set_1_gets_the_advance_deadline(mediating, clerk, session):
    assert "advance_payment" in rules_for(mediating)["deadlines"]


# --- on the web -------------------------------------------------------------------------------


def test_the_registry_requests_an_advance_from_the_account_page(
    factory, mediating, clerk, session, login_as
):
    browser, _ = login_as("clerk", user=clerk)
    url = f"/cases/{mediating.id}/account"
    page = browser.get(url).text
    assert "Request an advance on costs" in page
    assert "the schedule suggests" in page
    version = hidden(page, "advance-version")
    refused = browser.post(
        f"{url}/advances",
        {
            "advance-version": version,
            "advance-amount": "1 000,00",
            "advance-currency": "USD",
            "advance-claimant_percent": "70",
            "advance-reason": "",
        },
    )
    assert refused.status_code == 409 and "Give the reasons" in refused.text
    assert _invoices(session, mediating) == []
    done = browser.post(
        f"{url}/advances",
        {
            "advance-version": version,
            "advance-amount": "1 000,00",
            "advance-currency": "USD",
            "advance-claimant_percent": "50",
        },
    )
    assert done.status_code == 302 and done.location.endswith(url)
    shown = browser.get(url).text
    assert "An advance on costs of $1,000.00 was requested." in shown
    assert "Advance for the mediation" in shown and shown.count("$500.00") >= 2
    # The claimant reads the request and its own share's invoice, and cannot request one.
    reader, _ = login_as("investor", user=mediating.claimant_user)
    mine = reader.get(url).text
    assert "Advances on costs" in mine and "Request an advance on costs" not in mine
    assert reader.post(f"{url}/advances", {"advance-version": version}).status_code == 403


def test_a_share_typed_with_three_decimals_is_refused_on_its_field(
    mediating, clerk, session, login_as
):
    browser, _ = login_as("clerk", user=clerk)
    url = f"/cases/{mediating.id}/account"
    version = hidden(browser.get(url).text, "advance-version")
    answer = browser.post(
        f"{url}/advances",
        {
            "advance-version": version,
            "advance-amount": "100",
            "advance-currency": "USD",
            "advance-claimant_percent": "33,333",
        },
    )
    assert answer.status_code == 400 and "Enter the share in per cent" in answer.text
    assert _invoices(session, mediating) == []


# --- the property, over the real operations -----------------------------------------------

CENTS = st.integers(min_value=1, max_value=500_000).map(lambda c: (D(c) / 100).quantize(D("0.01")))
ACTS = st.one_of(
    st.tuples(st.just("advance"), CENTS, st.sampled_from([D(50), D(60), D("33.33"), D(100), D(0)])),
    st.tuples(st.just("pay"), st.integers(min_value=0, max_value=20), CENTS),
)


@settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(acts=st.lists(ACTS, min_size=1, max_size=6))
def test_any_sequence_of_advances_and_payments_keeps_the_account_true(factory, session, acts):
    """Advances split any way and paid in any parts (short, exact, beyond): every invoice is
    what was applied to it plus what is still due; each side's account on the ledger is what
    its invoices still want less its credit; the advance held is what was asked; every
    transaction sums to zero; the advance's deadline runs exactly while something is due."""
    nested = session.begin_nested()  # each example a mediation of its own, rolled back
    try:
        clerk, officer = factory.user(Role.CLERK), factory.user(Role.FINANCE)
        case = factory.case(CaseState.MEDIATION, clerk=clerk)
        for act in acts:
            if act[0] == "advance":
                advances.request_advance(
                    case, amount=act[1], currency=Currency.USD, claimant_percent=act[2],
                    reason="Reasons.", by=clerk,
                )  # fmt: skip
            elif shares := _invoices(session, case):
                billing.record_payment(
                    shares[act[1] % len(shares)], amount=act[2], received_on=today(),
                    payer="Payer", by=officer,
                )  # fmt: skip
        shares = _invoices(session, case)
        found = standings(session, shares)
        for standing in found:
            assert standing.applied + standing.due == standing.invoice.amount
            assert standing.applied >= 0 and standing.due >= 0 and standing.waived == 0
        account = case_account(session, case)
        payments = account.payments
        for side in Side:
            owed = sum((s.due for s in account.standings if s.invoice.side is side), D(0))
            credit = sum((p.amount - p.applied for p in payments if p.side is side), D(0))
            party = ledger.account(session, Holder.PARTY, Currency.USD, case=case, side=side)
            assert ledger.balance(session, party) == owed - credit, side
        held = ledger.account(session, Holder.ADVANCE, Currency.USD, case=case)
        assert ledger.balance(session, held) == -sum((i.amount for i in shares), D(0))
        for total in ledger.balances(session, case).values():
            assert total == total.quantize(D("0.01"))
        for tx in session.scalars(
            select(LedgerTransaction).where(LedgerTransaction.case_id == case.id)
        ):
            assert sum(p.amount for p in tx.postings) == 0
        if shares:
            assert (open_deadline(case, "advance_payment") is not None) == any(
                s.due > 0 for s in found
            )
    finally:
        nested.rollback()
        session.expunge_all()  # SQLite gives the next example's rows the same ids again
