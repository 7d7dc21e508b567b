"""The neutrals' fee notes (issue 16): a neutral records time (at the schedule's rate) and
expenses; the registry approves a note, which is charged to the advance held for the case,
or rejects it with reasons; the finance officer records that the Centre paid it. A neutral
sees its own notes only; the parties do not reach the page."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from dispute_portal.accounts import advances, billing, fee_notes, ledger
from dispute_portal.accounts.models import Holder, Invoice, InvoicePurpose
from dispute_portal.accounts.outgoings import FeeNote, NoteStatus, TimeUnit
from dispute_portal.auth.models import Role
from dispute_portal.cases.models import Currency
from dispute_portal.deadlines.queries import today
from dispute_portal.errors import TransitionRefused
from dispute_portal.texts import Refusal

from .conftest import browser_for, hidden

D = Decimal


def _fund(session, case, clerk, officer):
    """An advance of USD 4,000 asked and paid in full by both sides."""
    advances.request_advance(case, amount=D("4000.00"), currency=Currency.USD, by=clerk)
    for invoice in session.scalars(
        select(Invoice).where(Invoice.case_id == case.id, Invoice.purpose == InvoicePurpose.ADVANCE)
    ):
        billing.record_payment(
            invoice, amount=invoice.amount, received_on=today(), payer="Side", by=officer
        )


def _note(case, mediator):
    """3.5 hours and USD 120 of expenses."""
    return fee_notes.submit(
        case, by=mediator, time_spent=D("3.50"), unit=TimeUnit.HOURS, expenses=D("120.00"),
        description="Preparatory meeting with both parties.",
    )  # fmt: skip


def test_a_note_is_priced_at_the_schedules_rate(mediation_cast, session):
    case, _clerk, _officer, mediator = mediation_cast
    note = _note(case, mediator)
    hourly = fee_notes.rate_for(case, TimeUnit.HOURS)
    assert hourly > 0 and note.rate == hourly
    assert note.fees == (D("3.50") * hourly).quantize(D("0.01"))
    assert note.total == note.fees + D("120.00") and note.status is NoteStatus.SUBMITTED
    assert note.currency is fee_notes.note_currency(case)
    event = case.last_event("submit_fee_note")
    assert event.visibility == "mediator" and event.data["fees"] == str(note.fees)


def test_approval_charges_the_advance_and_payment_pays_the_neutral(mediation_cast, session):
    case, clerk, officer, mediator = mediation_cast
    note = _note(case, mediator)
    with pytest.raises(Refusal, match="does not cover"):
        fee_notes.approve(note, by=clerk)  # nothing is held yet
    assert note.status is NoteStatus.SUBMITTED and note.charged_transaction_id is None
    _fund(session, case, clerk, officer)
    assert fee_notes.held(case, Currency.USD) == D("4000.00")
    with pytest.raises(Refusal, match="approved fee note"):
        fee_notes.pay(note, by=officer, paid_on=today())
    fee_notes.approve(note, by=clerk)
    assert note.status is NoteStatus.APPROVED
    assert fee_notes.held(case, Currency.USD) == D("4000.00") - note.total
    owed = ledger.account(session, Holder.NEUTRAL, Currency.USD, case=case, user_id=mediator.id)
    assert ledger.balance(session, owed) == -note.total
    with pytest.raises(Refusal, match="already decided"):
        fee_notes.approve(note, by=clerk)
    fee_notes.pay(note, by=officer, paid_on=today())
    assert ledger.balance(session, owed) == 0 and note.paid_on == today()
    with pytest.raises(Refusal, match="already paid"):
        fee_notes.pay(note, by=officer, paid_on=today())
    assert [e.action for e in case.events][-2:] == ["approve_fee_note", "pay_fee_note"]


def test_a_rejection_needs_reasons_and_charges_nothing(mediation_cast, session):
    case, clerk, officer, mediator = mediation_cast
    _fund(session, case, clerk, officer)
    note = _note(case, mediator)
    with pytest.raises(TransitionRefused, match="reasons"):
        fee_notes.reject(note, by=clerk, reason=" ")
    fee_notes.reject(note, by=clerk, reason="The meeting was not held.")
    assert note.status is NoteStatus.REJECTED and note.decision_reason
    assert fee_notes.held(case, Currency.USD) == D("4000.00")


@pytest.mark.parametrize(
    ("time", "unit", "expenses", "description", "message"),
    [
        (D("1.005"), TimeUnit.HOURS, D(0), "Work.", "time spent"),
        (D(-1), TimeUnit.HOURS, D(0), "Work.", "time spent"),
        (D(367), TimeUnit.DAYS, D(0), "Work.", "time spent"),
        (D("NaN"), TimeUnit.DAYS, D(0), "Work.", "time spent"),
        (D(1), TimeUnit.HOURS, D("0.001"), "Work.", "expenses"),
        (D(1), TimeUnit.HOURS, D(0), "  ", "Say what"),
        (D(0), TimeUnit.HOURS, D(0), "Work.", "claims nothing"),
    ],
)
def test_a_note_that_makes_no_sense_is_refused(
    mediation_cast, session, time, unit, expenses, description, message
):
    case, _clerk, _officer, mediator = mediation_cast
    version = case.version
    with pytest.raises(Refusal, match=message):
        fee_notes.submit(
            case, by=mediator, time_spent=time, unit=unit, expenses=expenses,
            description=description,
        )  # fmt: skip
    assert session.scalar(select(func.count()).select_from(FeeNote)) == 0
    assert case.version == version


def test_only_a_neutral_of_the_case_submits_and_only_the_registry_decides(
    factory, mediation_cast, session
):
    case, clerk, officer, mediator = mediation_cast
    for stranger in (case.claimant_user, clerk, officer, factory.user(Role.MEDIATOR)):
        with pytest.raises(TransitionRefused):
            _note(case, stranger)
    note = _note(case, mediator)
    for other in (mediator, officer, case.claimant_user):
        with pytest.raises(TransitionRefused):
            fee_notes.reject(note, by=other, reason="No.")
    assert note.status is NoteStatus.SUBMITTED


# --- on the web -------------------------------------------------------------------------------


def test_the_page_from_the_neutral_to_the_registry_to_the_officer(app, mediation_cast, session):
    case, clerk, officer, mediator = mediation_cast
    _fund(session, case, clerk, officer)
    other = _note(case, mediator)  # the mediator's own earlier note
    session.commit()
    url = f"/cases/{case.id}/fee-notes"
    for outsider in (case.claimant_user,):
        assert browser_for(app, outsider).get(url).status_code == 404
    neutral = browser_for(app, mediator)
    page = neutral.get(url).get_data(as_text=True)
    assert "Submit a fee note" in page and "an hour" in page
    form = {
        "note-version": hidden(page, "note-version"),
        "note-time_spent": "2,5",
        "note-unit": "hours",
        "note-expenses": "0",
        "note-description": "",
    }
    refused = neutral.post(url, form)
    assert refused.status_code == 400 and "Say what the time" in refused.get_data(as_text=True)
    done = neutral.post(url, form | {"note-description": "Drafting the settlement terms."})
    assert done.status_code == 302
    session.expire_all()
    (note,) = [n for n in fee_notes.notes_of(case) if n.id != other.id]
    assert note.time_spent == D("2.50") and note.user_id == mediator.id
    registry = browser_for(app, clerk)
    listed = registry.get(url).get_data(as_text=True)
    assert "Decide the note of" in listed and "The advance held for the case" in listed
    decided = registry.post(
        f"{url}/{note.id}/decision",
        {"decide-version": str(case.version), "decide-decision": "approve"},
    )
    assert decided.status_code == 302
    session.expire_all()
    assert (
        neutral.post(f"{url}/{note.id}/payment", {"paid-version": str(case.version)}).status_code
        == 403
    )
    finance = browser_for(app, officer)
    paid = finance.post(
        f"{url}/{note.id}/payment",
        {"paid-version": str(case.version), "paid-paid_on": today().isoformat()},
    )
    assert paid.status_code == 302
    session.expire_all()
    assert note.status is NoteStatus.APPROVED and note.paid_on == today()
    shown = neutral.get(url).get_data(as_text=True)
    assert "paid on" in shown
