"""The end of a case account (issue 16): the final statement writes off what was never paid,
charges the Centre's administrative fee to the advance and refunds the rest in proportion to
what each side paid of the advances (with what a side paid beyond its invoices); the finance
officer pays the refunds; a case whose account is not settled cannot be closed. Interim
statements show the account as it stands."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from sqlalchemy import select

from dispute_portal.accounts import advances, billing, closing, fee_notes, ledger
from dispute_portal.accounts.models import FeeWaiver, Invoice, InvoicePurpose
from dispute_portal.accounts.outgoings import Refund, TimeUnit
from dispute_portal.accounts.queries import paid_toward_advances
from dispute_portal.accounts.sheets import sheets, sheets_extra
from dispute_portal.cases.models import Currency, Side
from dispute_portal.db import frozen_time
from dispute_portal.deadlines.queries import today
from dispute_portal.errors import TransitionRefused
from dispute_portal.proceedings import operations as proceedings
from dispute_portal.texts import Refusal
from dispute_portal.workflow.states import CaseState

from .conftest import browser_for, hidden

D = Decimal
USD = Currency.USD


def _shares(session, case) -> dict[Side, Invoice]:
    found = session.scalars(
        select(Invoice).where(Invoice.case_id == case.id, Invoice.purpose == InvoicePurpose.ADVANCE)
    )
    return {i.side: i for i in found}


def _pay(invoice, amount, officer, paid_by=None):
    billing.record_payment(
        invoice, amount=amount, received_on=today(), payer="Payer", by=officer, paid_by=paid_by
    )


def _settle(case, mediator):
    proceedings.act(
        case, user=mediator, action="settle", reason="The parties settled.", expected_version=None
    )


def _note(case, mediator, clerk, officer, amount):
    note = fee_notes.submit(
        case, by=mediator, time_spent=D(0), unit=TimeUnit.HOURS, expenses=amount,
        description="Hearing room and interpretation.",
    )  # fmt: skip
    fee_notes.approve(note, by=clerk)
    fee_notes.pay(note, by=officer, paid_on=today())


def test_the_final_statement_refunds_in_proportion_and_the_case_then_closes(
    mediation_cast, session
):
    case, clerk, officer, mediator = mediation_cast
    fee = closing.administrative_fee(case, USD)
    assert fee > 0
    advances.request_advance(
        case, amount=fee + D("5000.00"), currency=USD, claimant_percent=D(60),
        reason="The claimant asked for more hearings.", by=clerk,
    )  # fmt: skip
    shares = _shares(session, case)
    _pay(shares[Side.CLAIMANT], shares[Side.CLAIMANT].amount, officer)
    _pay(shares[Side.RESPONDENT], shares[Side.RESPONDENT].amount + D("50.00"), officer)
    _note(case, mediator, clerk, officer, D("1000.00"))
    interim = closing.issue_account_statement(case, by=officer)
    assert interim.kind == "account_statement"
    _settle(case, mediator)
    with pytest.raises(TransitionRefused, match="not settled"):
        proceedings.act(case, user=clerk, action="close", reason=None, expected_version=None)

    statement = closing.issue_final_statement(case, by=clerk)
    assert statement.kind == "final_statement"
    (sheet,) = sheets(case)
    assert sheet.administrative == fee and sheet.held == 0
    assert sheet.neutrals == [(mediator.name, D("1000.00"))]
    refunds = {r.side: r for r in session.scalars(select(Refund).where(Refund.case_id == case.id))}
    # 4,000.00 left, 60/40 as the sides paid; the respondent's 50.00 beyond its share too.
    paid = {side: shares[side].amount for side in Side}
    claimant_part = (D("4000.00") * paid[Side.CLAIMANT] / (fee + D("5000.00"))).quantize(D("0.01"))
    assert refunds[Side.CLAIMANT].amount == claimant_part
    assert refunds[Side.RESPONDENT].amount == D("4000.00") - claimant_part + D("50.00")
    with pytest.raises(TransitionRefused, match="was issued"):
        closing.issue_final_statement(case, by=clerk)
    with pytest.raises(TransitionRefused, match="not settled"):
        proceedings.act(case, user=clerk, action="close", reason=None, expected_version=None)
    # The registry records one refund's payment, the finance officer the other's.
    with pytest.raises(TransitionRefused):
        closing.pay_refund(refunds[Side.RESPONDENT], by=case.claimant_user, paid_on=today())
    closing.pay_refund(refunds[Side.CLAIMANT], by=clerk, paid_on=today())
    closing.pay_refund(refunds[Side.RESPONDENT], by=officer, paid_on=today())
    with pytest.raises(Refusal, match="already paid"):
        closing.pay_refund(refunds[Side.CLAIMANT], by=officer, paid_on=today())
    assert all(b == 0 for b in ledger.balances(session, case).values())
    proceedings.act(case, user=clerk, action="close", reason=None, expected_version=None)
    assert case.state is CaseState.CLOSED
    values = statement.values["extra"]
    assert values["sheets"][0]["currency"] == "USD" and values["sheets"][0]["held"] == "$0.00"


def test_what_was_never_paid_is_written_off(mediation_cast, session):
    case, clerk, officer, mediator = mediation_cast
    fee = closing.administrative_fee(case, USD)
    advances.request_advance(case, amount=2 * fee + D("4000.00"), currency=USD, by=clerk)
    shares = _shares(session, case)
    _pay(shares[Side.CLAIMANT], shares[Side.CLAIMANT].amount, officer)
    half = (shares[Side.RESPONDENT].amount / 2).quantize(D("0.01"))
    _pay(shares[Side.RESPONDENT], half, officer)  # the respondent pays half of its share
    _settle(case, mediator)
    closing.issue_final_statement(case, by=clerk)
    waiver = session.scalars(
        select(FeeWaiver).where(FeeWaiver.invoice_id == shares[Side.RESPONDENT].id)
    ).one()
    assert waiver.amount == shares[Side.RESPONDENT].amount - half
    assert waiver.reason == closing.WRITTEN_OFF
    (sheet,) = sheets(case)
    assert sheet.due == {Side.CLAIMANT: 0, Side.RESPONDENT: 0}
    received = shares[Side.CLAIMANT].amount + half
    refunded = sum(r.amount for r in session.scalars(select(Refund)))
    assert refunded == received - fee


def test_a_share_paid_in_substitution_is_refunded_to_the_side_that_paid_it(mediation_cast, session):
    case, clerk, officer, mediator = mediation_cast
    fee = closing.administrative_fee(case, USD)
    asked = today() - dt.timedelta(days=60)
    with frozen_time(dt.datetime.combine(asked, dt.time(6), tzinfo=dt.UTC)):
        advances.request_advance(case, amount=2 * fee + D("4000.00"), currency=USD, by=clerk)
    shares = _shares(session, case)
    _pay(shares[Side.CLAIMANT], shares[Side.CLAIMANT].amount, officer)
    _pay(shares[Side.RESPONDENT], shares[Side.RESPONDENT].amount, officer, paid_by=Side.CLAIMANT)
    assert paid_toward_advances(session, case, USD)[Side.RESPONDENT] == 0
    _settle(case, mediator)
    closing.issue_final_statement(case, by=clerk)
    (refund,) = session.scalars(select(Refund).where(Refund.case_id == case.id))
    assert refund.side is Side.CLAIMANT and refund.amount == D("4000.00") + fee


def test_a_fee_note_waiting_holds_the_final_statement(mediation_cast, session):
    case, clerk, _officer, mediator = mediation_cast
    fee_notes.submit(
        case, by=mediator, time_spent=D(1), unit=TimeUnit.HOURS, expenses=D(0),
        description="Reading the settlement.",
    )  # fmt: skip
    _settle(case, mediator)
    with pytest.raises(TransitionRefused, match="fee note waits"):
        closing.issue_final_statement(case, by=clerk)
    assert session.scalars(select(Refund)).all() == []


def test_only_a_case_that_ended_gets_its_final_statement_and_only_from_the_registry(
    mediation_cast, session
):
    case, clerk, officer, mediator = mediation_cast
    with pytest.raises(TransitionRefused):
        closing.issue_final_statement(case, by=clerk)  # still in mediation
    _settle(case, mediator)
    for other in (officer, mediator, case.claimant_user):
        with pytest.raises(TransitionRefused):
            closing.issue_final_statement(case, by=other)


def test_the_registry_and_the_officer_on_the_account_page(app, mediation_cast, session):
    case, clerk, officer, mediator = mediation_cast
    fee = closing.administrative_fee(case, USD)
    advances.request_advance(case, amount=fee + D("9000.00"), currency=USD, by=clerk)
    for invoice in _shares(session, case).values():
        _pay(invoice, invoice.amount, officer)
    _settle(case, mediator)
    session.commit()
    url = f"/cases/{case.id}/account"
    registry = browser_for(app, clerk)
    page = registry.get(url).get_data(as_text=True)
    assert "Issue the final financial statement" in page
    issued = registry.post(
        f"{url}/final-statement", {"statement-version": hidden(page, "statement-version")}
    )
    assert issued.status_code == 302
    session.expire_all()
    refunds = session.scalars(select(Refund).where(Refund.case_id == case.id)).all()
    assert {r.side for r in refunds} == {Side.CLAIMANT, Side.RESPONDENT}
    claimant = browser_for(app, case.claimant_user)
    mine = claimant.get(url).get_data(as_text=True)
    assert "Final financial statement" in mine and "Refunds" in mine
    statement = closing_statement_link(mine)
    assert claimant.get(statement).status_code == 200
    finance = browser_for(app, officer)
    shown = finance.get(url).get_data(as_text=True)
    (mine_first, *_rest) = refunds
    refused = finance.post(
        f"{url}/refunds/{mine_first.id}/payment",
        {"refund-version": hidden(shown, "refund-version"), "refund-paid_on": "2999-01-01"},
    )
    assert refused.status_code in (400, 409)
    due = list(csv.DictReader(io.StringIO(finance.get("/finance/refunds.csv").text)))
    assert {(r["case"], r["side"]) for r in due} == {
        (case.reference, r.side.value) for r in refunds
    }
    assert "Refunds due" in finance.get("/finance").get_data(as_text=True)
    done = finance.post(
        f"{url}/refunds/{mine_first.id}/payment",
        {"refund-version": hidden(shown, "refund-version"), "refund-paid_on": today().isoformat()},
    )
    assert done.status_code == 302
    session.expire_all()
    assert mine_first.paid_on == today()


def closing_statement_link(page: str) -> str:
    marker = "/account/documents/"
    start = page.index(marker)
    return page[page.rindex('"', 0, start) + 1 : page.index('"', start)]


@pytest.mark.parametrize(
    ("language", "paid", "fee"),
    [
        ("ru", "Уплачено Центру", "Административный сбор Центра"),
        ("kk", "Орталыққа төленді", "Орталықтың әкімшілік алымы"),
    ],
)
def test_the_statement_speaks_the_rulings_language(mediation_cast, session, language, paid, fee):
    case, clerk, officer, _mediator = mediation_cast
    advances.request_advance(case, amount=D("100.00"), currency=USD, by=clerk)
    extra = sheets_extra(sheets(case), language)
    (sheet,) = extra["sheets"]
    labels = [row[0] for row in sheet["rows"]] + [label for label, _amount in sheet["spent"]]
    assert paid in labels and fee in labels
    assert "\u00a0" in sheet["rows"][0][1] or " " in sheet["rows"][0][1]  # 50,00 $ grouped
