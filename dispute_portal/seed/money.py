"""The demo's case accounts: each filed claim's lodging fee paid, partly paid, unpaid or
waived, as a real intake queue holds them (payments recorded by the finance officer,
waivers by the registry); the bank statements of the last days: one pays an invoice by
its reference, the other leaves two credits in the queue of unmatched credits (both files
are kept in DEMO_STATEMENTS_DIR, with a next day's statement to import by hand); and the
advances on costs of a mediation (both shares paid, the mediator's fee notes charged to
it) and of an arbitration (shared 60/40 with reasons, the respondent's share not yet
paid)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..accounts import advances, billing, fee_notes
from ..accounts.banking import CentreBank, centre_bank
from ..accounts.matching import import_statement
from ..accounts.models import AdvanceRequest, Invoice, InvoicePurpose
from ..accounts.outgoings import TimeUnit
from ..accounts.queries import lodging_invoice, outstanding
from ..auth.models import User
from ..cases.models import Case, Currency
from ..db import frozen_time
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
# The arbitration whose advance the demo shows partly paid (no browser test works on it).
ADVANCE_ARBITRATION = "Zhetysu Fruit Processing LLP"


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
    """The registry's requests for advances, three days ago: of the mediation running (the
    schedule's amount in equal shares, both paid since), and of an arbitration before a
    constituted tribunal (ADVANCE_ARBITRATION: shared 60/40 for a counterclaim; the claimant
    paid its share, the respondent's is still due)."""
    running = [
        c for c in session.scalars(select(Case).order_by(Case.id)) if c.suspended_since is None
    ]
    mediation = next((c for c in running if c.state is CaseState.MEDIATION), None)
    arbitration = next(
        (c for c in running if c.claimant is not None and c.claimant.name == ADVANCE_ARBITRATION),
        None,
    )
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
    if arbitration is not None and arbitration.tribunal_constituted_at is not None:
        with frozen_time(requested):
            suggested = advances.proposal(arbitration)
            request = advances.request_advance(
                arbitration,
                amount=suggested.amount,
                currency=suggested.currency,
                claimant_percent=Decimal(40),
                reason="The respondent's counterclaim is larger than the claim: the respondent "
                "bears the larger share of the advance.",
                by=clerk,
            )
        _pay_shares(session, request, (Side.CLAIMANT,), people["finance"], paid)


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
