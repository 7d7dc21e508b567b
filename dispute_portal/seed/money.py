"""The demo's case accounts: each filed claim's lodging fee paid, partly paid, unpaid or
waived, as a real intake queue holds them (payments recorded by the finance officer,
waivers by the registry); the bank statements of the last days: one pays an invoice by
its reference, the other leaves two credits in the queue of unmatched credits (both files
are kept in DEMO_STATEMENTS_DIR, with a next day's statement to import by hand); and the
advances on costs: of the mediation running (both shares paid, the mediator's fee notes
charged to it), of a settled mediation (its final statement refunded what was not spent),
of the awarded arbitration (the respondent's share paid by the claimant in substitution)
and of an arbitration whose respondent never paid (suspended for non-payment)."""

from __future__ import annotations

import datetime as dt
from contextlib import AbstractContextManager
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..accounts import advances, billing, closing, fee_notes, nonpayment
from ..accounts.banking import CentreBank, centre_bank
from ..accounts.matching import import_statement
from ..accounts.models import AdvanceRequest, Invoice, InvoicePurpose
from ..accounts.outgoings import TimeUnit
from ..accounts.queries import lodging_invoice, outstanding
from ..accounts.settlement import refunds_of
from ..auth.models import User
from ..cases.models import Case, Currency
from ..db import frozen_time, session_of
from ..deadlines.queries import open_deadline
from ..parties.models import Side
from ..workflow.states import CaseState
from .statements import Transfer, camt053, mt940

# The submitted claims (by how many days ago they were filed) whose fee is not (all) in yet:
# the intake queue shows them unpaid or partly paid; the others were paid the next day.
UNPAID_SUBMITTED = frozenset({0, 1, 3})
PARTLY_PAID_SUBMITTED = frozenset({6})
# A registered claim whose fee the registry waived (a small investor's hardship).
WAIVED = frozenset({21})
# The statement the demo leaves in DEMO_STATEMENTS_DIR, not imported (its file's name).
NEXT_STATEMENT = "halyk-next-day"


def settle_lodging_fee(
    session: Session, case: Case, people: dict[str, User], *, filed_at: dt.datetime,
    days_ago: int, submitted: bool,
) -> None:  # fmt: skip
    """What became of the claim's lodging fee, a day after it was filed (or on that day,
    for a claim filed today)."""
    invoice = lodging_invoice(session, case)
    if invoice is None or (submitted and days_ago in UNPAID_SUBMITTED):
        return
    paid_at = min(filed_at + dt.timedelta(days=1), filed_at + dt.timedelta(days=days_ago))
    with frozen_time(paid_at):
        if not submitted and days_ago in WAIVED:
            billing.waive(
                invoice,
                reason="The claimant is a small enterprise; the registry waives the lodging fee "
                "under the Centre's hardship policy.",
                by=people["clerk"],
            )
            return
        due = outstanding(session, invoice)
        amount = (due / 2).quantize(Decimal("0.01")) if days_ago in PARTLY_PAID_SUBMITTED else due
        payer = case.claimant.name if case.claimant is not None else ""
        billing.record_payment(
            invoice,
            amount=amount,
            received_on=paid_at.date(),
            payer=payer or "—",
            by=people["finance"],
        )


def add_statements(
    session: Session, config: Any, people: dict[str, User], now: dt.datetime
) -> None:
    """The Centre's bank statements of the last days, imported by the finance officer: a
    camt.053 of the tenge account whose credit carries the reference of the claim filed three
    days ago (it pays its invoice), and an MT940 of the dollar account with two credits no
    reference matches (the queue): one from the claimant of the claim filed yesterday, who
    wrote its claim's reference instead of the invoice's (the suggestions find its invoice
    by the amount and the payer's name), and one from a payer the Centre does not know."""
    bank = centre_bank(config)
    on = now.date()
    pending = {
        invoice.currency: invoice
        for invoice in session.scalars(
            select(Invoice).where(Invoice.purpose == InvoicePurpose.LODGING).order_by(Invoice.id)
        )
        if outstanding(session, invoice) == invoice.amount
    }
    tenge, dollars = pending.get(Currency.KZT), pending.get(Currency.USD)
    officer = people["finance"]
    kept = Path(config["DEMO_STATEMENTS_DIR"])
    kept.mkdir(parents=True, exist_ok=True)
    if tenge is not None:
        payer = tenge.case.claimant.name if tenge.case.claimant else "—"
        credit = Transfer("KZ26120400017", on, tenge.amount, payer or "—", tenge.reference)
        data = camt053(bank.accounts[Currency.KZT], "KZT", [credit], number="DP-KZT-0001", on=on)
        (kept / "halyk-kzt.xml").write_bytes(data)
        with frozen_time(now):
            import_statement(session, data, filename="halyk-kzt.xml", bank=bank, by=officer)
    credits = [
        Transfer(
            "USD2612050002", on, Decimal("2750.00"), "Caspian Trading GmbH", "Payment for services"
        )
    ]
    if dollars is not None:
        payer = dollars.case.claimant.name if dollars.case.claimant else "—"
        details = f"Lodging fee, claim {dollars.case.reference}"
        credits.insert(0, Transfer("USD2612050001", on, dollars.amount, payer or "—", details))
    data = mt940(bank.accounts[Currency.USD], "USD", credits, number="DP-USD-0001", on=on)
    (kept / "halyk-usd.sta").write_bytes(data)
    with frozen_time(now):
        import_statement(session, data, filename="halyk-usd.sta", bank=bank, by=officer)
    _next_statement(session, bank, kept, on)


def _next_statement(session: Session, bank: CentreBank, kept: Path, on: dt.date) -> None:
    """A statement the demo leaves for the officer to import (NEXT_STATEMENT): the rest of
    the partly paid lodging fee, paid by its reference, which the import matches."""
    for invoice in session.scalars(
        select(Invoice).where(Invoice.purpose == InvoicePurpose.LODGING).order_by(Invoice.id)
    ):
        due = outstanding(session, invoice)
        if 0 < due < invoice.amount:
            payer = invoice.case.claimant.name if invoice.case.claimant else ""
            credit = Transfer("NEXT0001", on, due, payer or "—", invoice.reference)
            account, code = bank.accounts[invoice.currency], invoice.currency.value
            if invoice.currency is Currency.KZT:
                data = camt053(account, code, [credit], number="DP-KZT-0002", on=on)
            else:
                data = mt940(account, code, [credit], number="DP-USD-0002", on=on)
            suffix = "xml" if invoice.currency is Currency.KZT else "sta"
            (kept / f"{NEXT_STATEMENT}.{suffix}").write_bytes(data)
            return


def add_advances(session: Session, people: dict[str, User], now: dt.datetime) -> None:
    """The registry's request for the advance of the mediation running, three days ago (the
    schedule's amount in equal shares, both paid since, the mediator's fee notes charged to
    it). The advances told with the cases' stories are below (`fund`)."""
    running = [
        c for c in session.scalars(select(Case).order_by(Case.id)) if c.suspended_since is None
    ]
    mediation = next((c for c in running if c.state is CaseState.MEDIATION), None)
    clerk = people["clerk"]
    requested, paid = now - dt.timedelta(days=3), now - dt.timedelta(days=1)
    if mediation is not None:
        with frozen_time(requested):
            suggested = advances.proposal(mediation)
            request = advances.request_advance(
                mediation, amount=suggested.amount, currency=suggested.currency, by=clerk
            )
        _pay_shares(session, request, (Side.CLAIMANT, Side.RESPONDENT), people["finance"], paid)
        add_fee_notes(mediation, people, now)


def _pay_shares(
    session: Session, request: AdvanceRequest, sides: tuple[Side, ...], officer: User,
    at: dt.datetime,
) -> None:  # fmt: skip
    """The finance officer records these sides' shares paid in full on `at`."""
    shares = session.scalars(
        select(Invoice).where(Invoice.advance_id == request.id, Invoice.side.in_(sides))
    )
    with frozen_time(at):
        for invoice in shares:
            case = invoice.case
            party = case.claimant if invoice.side is Side.CLAIMANT else case.respondent
            billing.record_payment(
                invoice,
                amount=invoice.amount,
                received_on=at.date(),
                payer=(party.name if party is not None else "") or "—",
                by=officer,
            )


def add_fee_notes(case: Case, people: dict[str, User], now: dt.datetime) -> None:
    """The mediator's fee notes on the funded mediation: yesterday's preparatory meeting,
    approved (charged to the advance) and paid by the Centre this morning; and today's
    session, waiting for the registry."""
    mediator = next(a.user for a in case.appointments if a.status.value == "accepted")
    with frozen_time(now - dt.timedelta(hours=20)):
        first = fee_notes.submit(
            case, by=mediator, time_spent=Decimal("6.00"), unit=TimeUnit.HOURS,
            expenses=Decimal("0.00"),
            description="Preparatory meeting with both parties; reading the claim and response.",
        )  # fmt: skip
        fee_notes.approve(first, by=people["clerk"])
    with frozen_time(now - dt.timedelta(hours=2)):
        fee_notes.pay(first, by=people["finance"], paid_on=(now - dt.timedelta(hours=2)).date())
        fee_notes.submit(
            case, by=mediator, time_spent=Decimal("1.00"), unit=TimeUnit.DAYS,
            expenses=Decimal("85.00"),
            description="First joint session in Almaty; taxi to the hearing centre.",
        )  # fmt: skip


# The advances told with the cases' stories (seed/story.py, seed/ending.py): each act on its
# day in the past, counted back from the story's `now`.


def _ago(now: dt.datetime, days: float) -> AbstractContextManager[None]:
    return frozen_time(now - dt.timedelta(days=days))


def fund(
    case: Case, people: dict[str, User], now: dt.datetime, days_ago: float, *,
    paying: tuple[Side, ...] = (Side.CLAIMANT, Side.RESPONDENT),
    claimant_percent: Decimal = advances.EQUAL, reason: str = "",
) -> AdvanceRequest:  # fmt: skip
    """The registry asks the schedule's advance on `days_ago`; the `paying` sides pay their
    shares in full the next day."""
    with _ago(now, days_ago):
        suggested = advances.proposal(case)
        request = advances.request_advance(
            case, amount=suggested.amount, currency=suggested.currency,
            claimant_percent=claimant_percent, reason=reason, by=people["clerk"],
        )  # fmt: skip
    session = session_of(case)
    _pay_shares(session, request, paying, people["finance"], now - dt.timedelta(days=days_ago - 1))
    return request


def _day_after(case: Case, key: str) -> dt.datetime:
    """10:00 in Almaty the day after a running deadline's last day."""
    deadline = open_deadline(case, key)
    assert deadline is not None, key
    return dt.datetime.combine(deadline.due_on + dt.timedelta(days=1), dt.time(5), tzinfo=dt.UTC)


def give_notice_of_default(case: Case) -> None:
    """The scheduler tells both sides the advance is overdue, the day after its last day."""
    with frozen_time(_day_after(case, "advance_payment")):
        nonpayment.notify_default(case)


def pay_in_substitution(case: Case, people: dict[str, User]) -> None:
    """The claimant pays the respondent's overdue share in its place, two days after the
    notice of default."""
    share = (
        session_of(case)
        .scalars(
            select(Invoice).where(
                Invoice.case_id == case.id,
                Invoice.purpose == InvoicePurpose.ADVANCE,
                Invoice.side == Side.RESPONDENT,
            )
        )
        .one()
    )
    paid_at = _day_after(case, "advance_payment") + dt.timedelta(days=2)
    with frozen_time(paid_at):
        payer = (case.claimant.name if case.claimant is not None else "") or "—"
        billing.record_payment(
            share, amount=share.amount, received_on=paid_at.date(), payer=payer,
            by=people["finance"], paid_by=Side.CLAIMANT,
        )  # fmt: skip


def suspend_unpaid(case: Case) -> None:
    """The scheduler suspends the proceeding the day after the time to pay in substitution
    has run out with the advance still unpaid."""
    with frozen_time(_day_after(case, "advance_substitution")):
        nonpayment.suspend_for_non_payment(case)


def settle_account(case: Case, people: dict[str, User], now: dt.datetime, days_ago: float) -> None:
    """After the settlement: the mediator's note of the sessions (approved, paid), the final
    statement on `days_ago` and its refunds paid a week later."""
    mediator = next(a.user for a in case.appointments if a.status.value == "accepted")
    with _ago(now, days_ago + 1):
        note = fee_notes.submit(
            case, by=mediator, time_spent=Decimal("1.50"), unit=TimeUnit.DAYS,
            expenses=Decimal("0.00"), description="Two joint sessions and the settlement text.",
        )  # fmt: skip
        fee_notes.approve(note, by=people["clerk"])
    with _ago(now, days_ago):
        closing.issue_final_statement(case, by=people["clerk"])
    paid_at = now - dt.timedelta(days=days_ago - 7)
    with frozen_time(paid_at):
        fee_notes.pay(note, by=people["finance"], paid_on=paid_at.date())
        for refund in refunds_of(session_of(case), case):
            closing.pay_refund(refund, by=people["finance"], paid_on=paid_at.date())
