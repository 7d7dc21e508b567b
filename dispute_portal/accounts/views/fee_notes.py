"""The neutrals' fee notes of one case on the web (accounts/fee_notes.py): a neutral reads
and submits its own, the registry reads all and decides each, the finance officer records
their payment. FEE_NOTES makes the page exist for the reader: a party or a stranger gets
404, as for a case that does not exist."""

from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from ... import policy
from ...cases.loading import load_case
from ...cases.models import Case
from ...core.actions import redirect_with, run_form_action
from ...core.typed import login_required
from ...core.web import of_case_or_404
from ...deadlines.queries import today
from .. import fee_notes
from ..forms import FeeNoteForm, NoteDecisionForm, PaidForm
from ..outgoings import NOTE_STATUS_LABELS, TIME_UNIT_LABELS, FeeNote, TimeUnit

bp = Blueprint("fee_notes", __name__)


def _page(
    case: Case,
    status: int,
    *,
    form: FeeNoteForm | None = None,
    decision: NoteDecisionForm | None = None,
    paid: PaidForm | None = None,
    sent: int | None = None,
) -> ResponseReturnValue:
    # The registry and the finance officer read every note (the parties never reach here).
    centre = policy.can(current_user, policy.ACCOUNT, case)
    may_submit = policy.can(current_user, "submit_fee_note", case)
    if may_submit and form is None:
        form = FeeNoteForm(formdata=None, prefix="note")
    forms = [f for f in (form, decision, paid) if f is not None]
    for shown in forms:
        shown.version.data = case.version
    notes = fee_notes.notes_of(case, None if centre else current_user)
    currency = fee_notes.note_currency(case)
    return render_template(
        "accounts/fee_notes.html",
        case=case,
        notes=notes,
        centre=centre,
        form=form if may_submit else None,
        may_decide=policy.can(current_user, "approve_fee_note", case),
        may_pay=policy.can(current_user, "pay_fee_note", case),
        decision=decision or NoteDecisionForm(formdata=None, prefix="decide"),
        paid=paid or PaidForm(formdata=None, prefix="paid"),
        sent=sent,
        rates={unit: fee_notes.rate_for(case, unit) for unit in TimeUnit} if may_submit else {},
        currency=currency,
        held=fee_notes.held(case, currency) if centre else None,
        status_labels=NOTE_STATUS_LABELS,
        unit_labels=TIME_UNIT_LABELS,
        today=today(),
        may_see_file=policy.can(current_user, policy.VIEW, case),
    ), status


@bp.get("/cases/<int:case_id>/fee-notes")
@login_required
def index(case_id: int) -> ResponseReturnValue:
    case = load_case(case_id, policy.FEE_NOTES, seen_by=policy.FEE_NOTES)
    return _page(case, 200)


@bp.post("/cases/<int:case_id>/fee-notes")
@login_required
def submit(case_id: int) -> ResponseReturnValue:
    case = load_case(case_id, "submit_fee_note", lock=True, seen_by=policy.FEE_NOTES)
    form = FeeNoteForm(prefix="note")
    return run_form_action(
        form,
        lambda: fee_notes.submit(
            case,
            by=current_user,
            time_spent=form.time_spent.data or Decimal(0),
            unit=TimeUnit(form.unit.data),
            expenses=form.expenses.data or Decimal(0),
            description=form.description.data or "",
            expected_version=form.version.data,
        ),
        done=lambda note: redirect_with(
            gettext("Your fee note was sent to the registry."),
            url_for("fee_notes.index", case_id=case.id),
        ),
        page=lambda status: _page(case, status, form=form),
    )


def _note_of(case: Case, note_id: int) -> FeeNote:
    return of_case_or_404(FeeNote, note_id, case.id)


@bp.post("/cases/<int:case_id>/fee-notes/<int:note_id>/decision")
@login_required
def decide(case_id: int, note_id: int) -> ResponseReturnValue:
    """The registry approves a note (charged to the advance) or rejects it with reasons."""
    case = load_case(case_id, "approve_fee_note", lock=True, seen_by=policy.FEE_NOTES)
    note = _note_of(case, note_id)
    form = NoteDecisionForm(prefix="decide")

    def decide_it() -> FeeNote:
        if form.decision.data == "approve":
            return fee_notes.approve(note, by=current_user, expected_version=form.version.data)
        return fee_notes.reject(
            note, by=current_user, reason=form.reason.data or "", expected_version=form.version.data
        )

    return run_form_action(
        form,
        decide_it,
        done=lambda decided: redirect_with(
            gettext("The fee note was approved and charged to the advance.")
            if decided.status.value == "approved"
            else gettext("The fee note was rejected."),
            url_for("fee_notes.index", case_id=case.id),
        ),
        page=lambda status: _page(case, status, decision=form, sent=note.id),
    )


@bp.post("/cases/<int:case_id>/fee-notes/<int:note_id>/payment")
@login_required
def pay(case_id: int, note_id: int) -> ResponseReturnValue:
    """The finance officer records that the Centre paid the neutral."""
    case = load_case(case_id, "pay_fee_note", lock=True, seen_by=policy.FEE_NOTES)
    note = _note_of(case, note_id)
    form = PaidForm(prefix="paid")
    return run_form_action(
        form,
        lambda: fee_notes.pay(
            note, by=current_user, paid_on=form.paid_on.data, expected_version=form.version.data
        ),
        done=lambda _: redirect_with(
            gettext("The payment of the fee note was recorded."),
            url_for("fee_notes.index", case_id=case.id),
        ),
        page=lambda status: _page(case, status, paid=form, sent=note.id),
    )
