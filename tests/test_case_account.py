"""The case account (issue 16), its first part: filing asks the lodging fee by an invoice
(numbered, with an ISO 11649 reference and the Centre's bank details, a ruling that
verifies); registration waits until it is paid or waived; the finance officer records what
was paid (partly, in full, beyond: a credit), the registry waives with reasons; each party
reads its own side's account, the registry and the finance officer all of it; the finance
officer's dashboard ages what is owed and exports it."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from dispute_portal.accounts import billing, fees, ledger
from dispute_portal.accounts.banking import reference_valid
from dispute_portal.accounts.models import Holder, Invoice, InvoicePurpose, Payment
from dispute_portal.accounts.queries import (
    InvoiceStatus,
    ageing,
    case_account,
    lodging_invoice,
    outstanding,
    standings,
)
from dispute_portal.auth.models import Role
from dispute_portal.cases import operations as cases
from dispute_portal.cases.models import Currency, Side
from dispute_portal.deadlines.queries import today
from dispute_portal.errors import TransitionRefused
from dispute_portal.registry import operations as registry
from dispute_portal.rulings.models import Ruling
from dispute_portal.workflow.states import CaseState

from .conftest import hidden

D = Decimal


@pytest.fixture
def filed(factory, session):
    """A claim just filed (in USD, as the schedule has dollars): its fee not yet paid."""
    case = factory.case(CaseState.SUBMITTED, fee_settled=False)
    return case, lodging_invoice(session, case)


def test_filing_asks_the_lodging_fee_of_the_schedule_by_a_numbered_invoice(filed, session):
    case, invoice = filed
    schedule = fees.current_schedule(session)
    assert case.fee_schedule_version == schedule.version
    assert invoice.purpose is InvoicePurpose.LODGING and invoice.side is Side.CLAIMANT
    assert invoice.currency is Currency.USD  # the claim's currency, which the schedule has
    assert invoice.amount == fees.quote(schedule.fees, D(0), Currency.USD).lodging_fee > 0
    assert invoice.number.startswith(f"INV-{today().year}-")
    assert reference_valid(invoice.reference) and invoice.reference.startswith("RF")
    assert invoice.due_on == today() + dt.timedelta(days=30)
    # Its PDF is a ruling of the case, numbered and verifiable, with the payment details.
    ruling = session.get(Ruling, invoice.ruling_id)
    assert ruling.kind == "invoice" and ruling.case_id == case.id
    assert ruling.values["extra"]["invoice_number"] == invoice.number
    assert ruling.values["extra"]["payment"]["iban"].replace(" ", "") == "KZ54601USD0000123456"
    assert ruling.values["extra"]["payment"]["reference"].replace(" ", "") == invoice.reference
    # The side owes it: the ledger says so.
    account = ledger.account(session, Holder.PARTY, Currency.USD, case=case, side=Side.CLAIMANT)
    assert ledger.balance(session, account) == invoice.amount
    assert [e.action for e in case.events].count("issue_invoice") == 1


def test_a_claim_filed_again_after_its_return_is_not_asked_twice(factory, filed, session):
    case, invoice = filed
    clerk = factory.user(Role.CLERK)
    registry.return_case(case, clerk=clerk, reason="Attach the agreement.")
    cases.submit_claim(case, claimant=case.claimant_user)
    assert session.scalar(select(func.count()).where(Invoice.case_id == case.id)) == 1


def test_registration_waits_for_the_fee_and_a_refusal_changes_nothing(factory, filed, session):
    case, _ = filed
    clerk = factory.user(Role.CLERK)
    version = case.version
    with pytest.raises(TransitionRefused, match="lodging fee is not paid"):
        registry.register_case(session, case, clerk=clerk)
    assert case.state is CaseState.SUBMITTED and case.number is None
    assert case.version == version


def test_partial_then_full_then_over_payment(factory, filed, session):
    case, invoice = filed
    officer = factory.user(Role.FINANCE)
    fee = invoice.amount
    billing.record_payment(
        invoice, amount=D("100.00"), received_on=today(), payer="Steppe Solar", by=officer
    )
    (standing,) = standings(session, [invoice])
    assert standing.status is InvoiceStatus.PARTLY_PAID and standing.due == fee - D("100.00")
    with pytest.raises(TransitionRefused, match="lodging fee is not paid"):
        registry.register_case(session, case, clerk=factory.user(Role.CLERK))
    # The rest and 50.00 more: the invoice is paid, the 50.00 stays to the side's credit.
    payment = billing.record_payment(
        invoice, amount=fee - D("50.00"), received_on=today(), payer="Steppe Solar", by=officer
    )
    assert payment.applied == fee - D("100.00") and payment.amount - payment.applied == D("50")
    (standing,) = standings(session, [invoice])
    assert standing.status is InvoiceStatus.PAID and standing.due == 0
    account = ledger.account(session, Holder.PARTY, Currency.USD, case=case, side=Side.CLAIMANT)
    assert ledger.balance(session, account) == D("-50.00")  # the Centre owes it back
    totals = case_account(session, case).totals["USD"]
    assert (totals.asked, totals.paid, totals.due, totals.credit) == (fee, fee, 0, D("50.00"))
    # Each payment has its receipt, a ruling of the case.
    receipts = session.scalars(select(Ruling).filter_by(case_id=case.id, kind="payment_receipt"))
    assert len(receipts.all()) == 2
    registry.register_case(session, case, clerk=factory.user(Role.CLERK))
    assert case.state is CaseState.REGISTERED


@pytest.mark.parametrize(
    ("amount", "received", "message"),
    [
        (D("10.005"), None, "exact to the cent"),
        (D("0"), None, "exact to the cent"),
        (D("-5.00"), None, "exact to the cent"),
        (D("10.00"), dt.timedelta(days=1), "cannot be in the future"),
    ],
)
def test_a_payment_that_cannot_be_is_refused_and_records_nothing(
    factory, filed, session, amount, received, message
):
    case, invoice = filed
    version = case.version
    with pytest.raises(billing.PaymentRefused, match=message):
        billing.record_payment(
            invoice, amount=amount, received_on=today() + (received or dt.timedelta(0)),
            payer="X", by=factory.user(Role.FINANCE),
        )  # fmt: skip
    assert session.scalar(select(func.count(Payment.id))) == 0 and case.version == version


def test_the_registry_waives_with_reasons_and_only_the_registry(factory, filed, session):
    case, invoice = filed
    clerk = factory.user(Role.CLERK)
    with pytest.raises(TransitionRefused, match="Give the reasons"):
        billing.waive(invoice, reason=" ", by=clerk)
    with pytest.raises(TransitionRefused, match="may not"):
        billing.waive(invoice, reason="Hardship.", by=factory.user(Role.FINANCE))
    with pytest.raises(TransitionRefused, match="may not"):
        billing.record_payment(invoice, amount=D("1.00"), received_on=today(), payer="X", by=clerk)
    waiver = billing.waive(invoice, reason="Hardship.", by=clerk)
    assert waiver.amount == invoice.amount
    assert standings(session, [invoice])[0].status is InvoiceStatus.WAIVED
    assert case.last_event("waive_fee").note == "Hardship."
    with pytest.raises(billing.PaymentRefused, match="Nothing is due"):
        billing.waive(invoice, reason="Again.", by=clerk)
    registry.register_case(session, case, clerk=clerk)
    assert case.state is CaseState.REGISTERED
    advance = billing.issue_invoice(
        case, side=Side.RESPONDENT, purpose=InvoicePurpose.ADVANCE, amount=D("500.00"),
        currency=Currency.USD, by=clerk,
    )  # fmt: skip
    with pytest.raises(billing.PaymentRefused, match="Only a lodging fee"):
        billing.waive(advance, reason="No.", by=clerk)


# On the web -----------------------------------------------------------------------------


def test_each_reads_the_account_it_may_and_no_more(factory, login_as, session):
    case = factory.case(CaseState.REGISTERED)  # the fee waived by the registry
    clerk = factory.user(Role.CLERK)
    respondent = factory.join(case, clerk)
    invoice = lodging_invoice(session, case)
    session.commit()
    url = f"/cases/{case.id}/account"
    document = f"{url}/documents/{invoice.ruling_id}"
    claimant, _ = login_as("investor", case.claimant_user)
    page = claimant.get(url).get_data(as_text=True)
    assert invoice.number in page and invoice.reference in page and "Waived" in page
    assert claimant.get(document).status_code == 200
    # The respondent's side has no invoice of its own: it reads none of the claimant's.
    other, _ = login_as("respondent", respondent)
    page = other.get(url).get_data(as_text=True)
    assert other.get(url).status_code == 200 and invoice.number not in page
    assert other.get(document).status_code == 404
    # The finance officer reads the account, not the file.
    officer, _ = login_as("finance")
    assert officer.get(url).status_code == 200 and officer.get(document).status_code == 200
    assert officer.get(f"/cases/{case.id}").status_code == 404
    # The filing receipt is no document of the account.
    receipt = session.scalar(select(Ruling.id).filter_by(case_id=case.id, kind="filing_receipt"))
    assert claimant.get(f"{url}/documents/{receipt}").status_code == 404
    # An invoice is not among the case's rulings for anyone.
    assert claimant.get(f"/cases/{case.id}/rulings/{invoice.ruling_id}").status_code == 404


def test_the_officer_records_a_payment_on_the_page(factory, login_as, session):
    case = factory.case(CaseState.SUBMITTED, fee_settled=False)
    invoice = lodging_invoice(session, case)
    session.commit()
    officer, user = login_as("finance")
    url = f"/cases/{case.id}/account"
    page = officer.get(url).get_data(as_text=True)
    form = {
        "version": hidden(page),
        "invoice": str(invoice.id),
        "amount": "10,000.005",
        "received_on": today().isoformat(),
        "payer": "Steppe Solar Energy LLP",
    }
    refused = officer.post(f"{url}/payments", form)
    assert refused.status_code == 400 and "at most two decimal places" in refused.get_data(
        as_text=True
    )
    assert session.scalar(select(func.count(Payment.id))) == 0
    stale = officer.post(f"{url}/payments", form | {"amount": "10.00", "version": "1"})
    assert stale.status_code == 409
    done = officer.post(f"{url}/payments", form | {"amount": f"{invoice.amount:.2f}"})
    assert done.status_code == 302
    session.expire_all()
    assert outstanding(session, invoice) == 0
    assert case.last_event("record_payment").actor_id == user.id


def test_the_clerk_waives_on_the_review_page_then_registers(factory, login_as, session):
    case = factory.case(CaseState.SUBMITTED, fee_settled=False)
    invoice = lodging_invoice(session, case)
    session.commit()
    clerk, _ = login_as("clerk")
    review = clerk.get(f"/registry/cases/{case.id}").get_data(as_text=True)
    assert "Registration waits for the lodging fee" in review and "Register the case" not in review
    intake = clerk.get("/registry/intake").get_data(as_text=True)
    assert "Unpaid" in intake
    form = {"version": hidden(review), "invoice": str(invoice.id), "waive-version": "x"}
    empty = clerk.post(f"/cases/{case.id}/account/waiver", form | {"waive-reason": ""})
    assert empty.status_code == 400
    response = clerk.post(
        f"/cases/{case.id}/account/waiver",
        {"waive-version": hidden(review, "waive-version"), "invoice": str(invoice.id),
         "waive-reason": "A small enterprise."},
    )  # fmt: skip
    assert response.status_code == 302
    review = clerk.get(f"/registry/cases/{case.id}").get_data(as_text=True)
    assert "Register the case" in review and "Waived" in review


def test_the_dashboard_ages_what_is_owed_and_exports_it(factory, login_as, session):
    old = factory.case(CaseState.SUBMITTED, fee_settled=False)
    new = factory.case(CaseState.SUBMITTED, fee_settled=False)
    factory.case(CaseState.SUBMITTED)  # waived: owes nothing
    late = lodging_invoice(session, old)
    fresh = lodging_invoice(session, new)
    later = today() + dt.timedelta(days=75)  # 45 days after both fell due
    bands = ageing(session, later)["USD"]
    assert bands == [0, 0, late.amount + fresh.amount, 0, 0]
    assert ageing(session, today())["USD"][0] == late.amount + fresh.amount  # not yet due
    session.commit()
    officer, _ = login_as("finance")
    page = officer.get("/finance").get_data(as_text=True)
    assert late.number in page and fresh.number in page
    rows = list(csv.DictReader(io.StringIO(officer.get("/finance/outstanding.csv").text)))
    assert {r["invoice"] for r in rows} == {late.number, fresh.number}
    assert rows[0]["due"] == f"{late.amount:.2f}" and rows[0]["currency"] == "USD"
    clerk, _ = login_as("clerk")
    assert clerk.get("/finance").status_code == 403
