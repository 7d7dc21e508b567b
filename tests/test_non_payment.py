"""When an advance on costs is not paid (issue 16): the scheduler tells both sides once the
advance's day has passed and starts the time to pay in substitution; the other side may pay
the unpaid share in its place; once that time has passed too, the proceeding is suspended
for non-payment (its deadlines pause), and resumes by itself when the advance is paid; a
suspension that lasts the rule set's 90 days lets the registry discontinue the case."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from sqlalchemy import select

from dispute_portal.accounts import advances, billing, ledger
from dispute_portal.accounts.models import (
    Holder,
    Invoice,
    InvoicePurpose,
    LedgerTransaction,
    TransactionKind,
)
from dispute_portal.accounts.queries import lodging_invoice, outstanding
from dispute_portal.auth.models import Role
from dispute_portal.cases.models import Currency, Side
from dispute_portal.db import frozen_time
from dispute_portal.deadlines.models import DeadlineStatus
from dispute_portal.deadlines.queries import open_deadline
from dispute_portal.discontinuance import operations as ending
from dispute_portal.errors import TransitionRefused
from dispute_portal.notices.models import Notification
from dispute_portal.rulings.models import Ruling
from dispute_portal.suspensions.models import Cause, Suspension
from dispute_portal.workflow.states import CaseState

from .conftest import browser_for, hidden
from .test_reminders import at, remind

D = Decimal
ASKED_ON = dt.date(2026, 3, 4)


@pytest.fixture
def people(factory):
    return factory.user(Role.CLERK), factory.user(Role.FINANCE)


@pytest.fixture
def asked(factory, session, people):
    """A mediation whose advance of USD 2,000 was asked on 4 March 2026 (due 30 days on) and
    whose claimant paid its share; the respondent's share is unpaid."""
    clerk, officer = people
    with frozen_time(at(ASKED_ON)):
        case = factory.case(CaseState.MEDIATION, clerk=clerk)
        advances.request_advance(case, amount=D("2000.00"), currency=Currency.USD, by=clerk)
        claimant_share, respondent_share = _shares(session, case)
        billing.record_payment(
            claimant_share, amount=D("1000.00"), received_on=ASKED_ON, payer="Investor", by=officer
        )
    session.flush()
    return case, respondent_share


def _shares(session, case) -> list[Invoice]:
    return list(
        session.scalars(
            select(Invoice)
            .where(Invoice.case_id == case.id, Invoice.purpose == InvoicePurpose.ADVANCE)
            .order_by(Invoice.id)
        )
    )


def _day_after(case, key) -> dt.date:
    return open_deadline(case, key).due_on + dt.timedelta(days=1)


def _suspended(app, session, case) -> dt.date:
    """Run the scheduler past both days: notice of default, then the suspension."""
    remind(app, session, _day_after(case, "advance_payment"))
    day = _day_after(case, "advance_substitution")
    output = remind(app, session, day)
    assert f"suspended for non-payment: 1 ({case.reference})" in output
    return day


def test_the_parties_are_told_once_when_the_advance_is_overdue(app, session, asked):
    case, _share = asked
    due = open_deadline(case, "advance_payment").due_on
    assert "advances overdue, parties told: 0" in remind(app, session, due)
    output = remind(app, session, due + dt.timedelta(days=1))
    assert "advances overdue, parties told: 1" in output
    substitution = open_deadline(case, "advance_substitution")
    assert substitution is not None
    assert substitution.due_on >= due + dt.timedelta(days=16)  # 15 days from the notice
    told = session.scalars(
        select(Notification).where(
            Notification.case_id == case.id, Notification.message.like("%in the other's place%")
        )
    ).all()
    people = {n.user_id for n in told}
    assert {case.claimant_user.id} | {p.user_id for p in case.participants} <= people
    assert "advances overdue, parties told: 0" in remind(app, session, due + dt.timedelta(days=2))
    assert [e.action for e in case.events].count("notify_advance_default") == 1
    assert case.suspended_since is None


def test_the_other_side_pays_in_substitution_and_the_deadlines_are_met(app, session, asked, people):
    case, share = asked
    _clerk, officer = people
    with frozen_time(at(ASKED_ON)), pytest.raises(billing.PaymentRefused, match="once it is"):
        billing.record_payment(
            share, amount=D(1000), received_on=ASKED_ON, payer="Investor", by=officer,
            paid_by=Side.CLAIMANT,
        )  # fmt: skip
    day = _day_after(case, "advance_payment")
    remind(app, session, day)
    with frozen_time(at(day)):
        payment = billing.record_payment(
            share, amount=D("1010.00"), received_on=day, payer="Investor", by=officer,
            paid_by=Side.CLAIMANT,
        )  # fmt: skip
    assert payment.side is Side.CLAIMANT and payment.applied == D(1000)
    assert outstanding(session, share) == 0
    claimant = ledger.account(session, Holder.PARTY, Currency.USD, case=case, side=Side.CLAIMANT)
    respondent = ledger.account(
        session, Holder.PARTY, Currency.USD, case=case, side=Side.RESPONDENT
    )
    assert ledger.balance(session, respondent) == 0  # its share is settled
    assert ledger.balance(session, claimant) == D("-10.00")  # what it paid beyond: a credit
    kinds = session.scalars(
        select(LedgerTransaction.kind).where(LedgerTransaction.case_id == case.id)
    ).all()
    assert kinds.count(TransactionKind.SUBSTITUTION) == 1
    for key in ("advance_payment", "advance_substitution"):
        assert [d.status for d in case.deadlines if d.key == key] == [DeadlineStatus.MET]
    receipt = session.get(Ruling, payment.receipt_id)
    assert receipt.values["extra"]["substitution"] == "Respondent"
    assert "suspended for non-payment: 0" in remind(app, session, day + dt.timedelta(days=40))


def test_unpaid_after_the_substitution_time_suspends_and_payment_resumes(
    app, session, asked, people
):
    case, share = asked
    _clerk, officer = people
    day = _suspended(app, session, case)
    suspension = session.scalars(select(Suspension).where(Suspension.case_id == case.id)).one()
    assert suspension.cause is Cause.NON_PAYMENT and suspension.open
    assert case.suspended_since is not None
    assert all(d.paused_on is not None for d in case.deadlines if d.status.value == "open")
    assert "suspended for non-payment: 0" in remind(app, session, day)  # once
    later = day + dt.timedelta(days=10)
    with frozen_time(at(later)):
        billing.record_payment(
            share, amount=D("400.00"), received_on=later, payer="Ministry", by=officer
        )
        assert case.suspended_since is not None  # a part does not resume it
        billing.record_payment(
            share, amount=D("600.00"), received_on=later, payer="Ministry", by=officer
        )
    assert case.suspended_since is None and suspension.ended_at is not None
    assert case.last_event("resume_after_payment") is not None
    assert open_deadline(case, "mediation_conclusion").paused_on is None


def test_the_registry_discontinues_after_ninety_days_of_suspension(app, session, asked, people):
    case, _share = asked
    clerk, _officer = people
    day = _suspended(app, session, case)
    too_soon = day + dt.timedelta(days=89)
    with frozen_time(at(too_soon)), pytest.raises(TransitionRefused, match="cannot be"):
        ending.act(
            case, user=clerk, action="discontinue_non_payment", reason=None, expected_version=None
        )
    assert case.state is CaseState.MEDIATION
    with frozen_time(at(day + dt.timedelta(days=90))):
        ending.act(
            case, user=clerk, action="discontinue_non_payment", reason=None, expected_version=None
        )
    assert case.state is CaseState.DISCONTINUED and case.suspended_since is None
    session.flush()
    order = session.scalars(
        select(Ruling).where(Ruling.case_id == case.id).order_by(Ruling.id.desc())
    ).first()
    assert order.kind == "discontinuance_order"
    assert order.values["extra"]["ground"] == "non_payment"
    assert order.values["extra"]["suspended_on"]
    assert session.scalars(select(Suspension).where(Suspension.case_id == case.id)).one().ended_at


def test_only_the_registry_discontinues_for_non_payment(app, session, asked):
    case, _share = asked
    day = _suspended(app, session, case)
    with frozen_time(at(day + dt.timedelta(days=100))), pytest.raises(TransitionRefused):
        ending.act(
            case,
            user=case.claimant_user,
            action="discontinue_non_payment",
            reason=None,
            expected_version=None,
        )
    assert case.state is CaseState.MEDIATION


def test_the_officer_records_a_substitution_on_the_account_page(session, asked, login_as):
    case, share = asked  # its day passed long before today
    session.commit()
    officer, _user = login_as("finance")
    url = f"/cases/{case.id}/account"
    page = officer.get(url).get_data(as_text=True)
    assert "Paid by the other side, in substitution" in page
    form = {
        "version": hidden(page),
        "invoice": str(share.id),
        "amount": "1000.00",
        "received_on": ASKED_ON.isoformat(),
        "payer": "Investor LLP",
        "substitution": "y",
    }
    lodging = lodging_invoice(session, case)  # a lodging fee is never paid in substitution
    refused = officer.post(f"{url}/payments", form | {"invoice": str(lodging.id)})
    assert refused.status_code == 409
    assert "in substitution once it is overdue" in refused.get_data(as_text=True)
    done = officer.post(f"{url}/payments", form)
    assert done.status_code == 302
    session.expire_all()
    assert outstanding(session, share) == 0
    (payment,) = [p for p in share.payments]
    assert payment.side is Side.CLAIMANT
    shown = officer.get(url).get_data(as_text=True)
    assert "in substitution for the respondent" in shown


def test_the_officer_finds_the_suspension_on_the_dashboard_and_in_its_csv(
    app, session, asked, people
):
    case, _share = asked
    day = _suspended(app, session, case)
    _clerk, officer = people
    finance = browser_for(app, officer)
    page = finance.get("/finance").get_data(as_text=True)
    assert "Suspended for non-payment" in page and case.reference in page
    rows = list(csv.DictReader(io.StringIO(finance.get("/finance/suspensions.csv").text)))
    (row,) = [r for r in rows if r["case"] == case.reference]
    assert row["suspended_on"] == day.isoformat()
    assert row["discontinuable_on"] == (day + dt.timedelta(days=90)).isoformat()
