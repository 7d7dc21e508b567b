"""The case account of one case on the web: its page (each party its own side's invoices,
the registry and the finance officer all of them), its documents (invoices and receipts, to
whom they concern), the finance officer's record of a payment, and the registry's waiver of
a lodging fee. ACCOUNT makes the account exist for the reader: a stranger or a neutral gets
404, as for a case that does not exist."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import Blueprint, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from ... import policy
from ...cases.forms import CaseActionForm
from ...cases.loading import load_case
from ...cases.models import Case, Currency
from ...core.actions import redirect_with, run_form_action
from ...core.templating import money
from ...core.typed import login_required
from ...core.web import number, of_case_or_404, writes
from ...db import db
from ...deadlines.queries import today
from ...parties.models import SIDE_LABELS
from ...rulings.delivery import send_ruling
from ...rulings.models import Ruling
from ...workflow import engine
from .. import advances, billing
from ..forms import AdvanceForm, PaidForm, PaymentForm, WaiverForm
from ..models import ADVANCE_STAGE_LABELS, INVOICE_PURPOSE_LABELS, Invoice
from ..queries import STATUS_LABELS, advance_requests, case_account
from ..settlement import account_statements, refunds_of

account_bp = Blueprint("account", __name__)


def render_account(
    case: Case,
    status: int,
    *,
    form: PaymentForm | None = None,
    advance_form: AdvanceForm | None = None,
    statement_form: CaseActionForm | None = None,
    refund_form: PaidForm | None = None,
    sent: int | None = None,
) -> ResponseReturnValue:
    """The account page, with the form that was sent (and refused) when there is one."""
    side = policy.account_side(current_user, case)
    may_record = policy.can(current_user, "record_payment", case)
    if may_record and form is None:
        form = PaymentForm(formdata=None)
    may_request = policy.can(current_user, "request_advance", case)
    suggested = advances.proposal(case) if may_request else None
    if suggested is not None and advance_form is None:
        advance_form = _advance_form(case, formdata=None)
        advance_form.amount.data = suggested.amount
        advance_form.currency.data = suggested.currency.value
    statement_form = statement_form or CaseActionForm(formdata=None, prefix="statement")
    refund_form = refund_form or PaidForm(formdata=None, prefix="refund")
    for shown in (form, advance_form, statement_form, refund_form):
        if shown is not None:
            shown.version.data = case.version
    session = db.session()
    offered = dict(
        (t.action, blocked)
        for t, blocked in engine.offered(current_user, case)
        if t.action in ("issue_account_statement", "issue_final_statement")
    )
    return render_template(
        "accounts/case_account.html",
        case=case,
        account=case_account(session, case, side),
        requests=advance_requests(session, case),
        statements=account_statements(session, case),
        refunds=refunds_of(session, case, side),
        side=side,
        form=form if may_record else None,
        advance_form=advance_form if may_request else None,
        statement_form=statement_form,
        refund_form=refund_form,
        offered=offered,
        may_pay_refunds=policy.can(current_user, "pay_refund", case),
        sent=sent,
        suggested=suggested,
        sent_for=form.invoice.data if form is not None else None,
        today=today(),
        status_labels=STATUS_LABELS,
        purpose_labels=INVOICE_PURPOSE_LABELS,
        stage_labels=ADVANCE_STAGE_LABELS,
        side_labels=SIDE_LABELS,
        may_see_file=policy.can(current_user, policy.VIEW, case),
    ), status


def _advance_form(case: Case, **kw: Any) -> AdvanceForm:
    return AdvanceForm(prefix="advance", currencies=advances.offered_currencies(case), **kw)


@account_bp.get("/cases/<int:case_id>/account")
@login_required
def show(case_id: int) -> ResponseReturnValue:
    case = load_case(case_id, policy.ACCOUNT, seen_by=policy.ACCOUNT)
    return render_account(case, 200)


def _invoice_of(case: Case, invoice_id: str | None) -> Invoice:
    return of_case_or_404(Invoice, number(invoice_id), case.id)


@account_bp.post("/cases/<int:case_id>/account/payments")
@login_required
def record_payment(case_id: int) -> ResponseReturnValue:
    case = load_case(case_id, "record_payment", lock=True, seen_by=policy.ACCOUNT)
    form = PaymentForm()
    invoice = _invoice_of(case, form.invoice.data)
    return run_form_action(
        form,
        lambda: billing.record_payment(
            invoice,
            amount=form.amount.data or Decimal(0),
            received_on=form.received_on.data,
            payer=form.payer.data or "",
            by=current_user,
            expected_version=form.version.data,
            paid_by=invoice.side.other if form.substitution.data else None,
        ),
        done=lambda _: redirect_with(
            gettext("Payment recorded on invoice %(number)s.", number=invoice.number),
            url_for("account.show", case_id=case.id),
        ),
        page=lambda status: render_account(case, status, form=form),
    )


@account_bp.post("/cases/<int:case_id>/account/advances")
@login_required
def request_advance(case_id: int) -> ResponseReturnValue:
    """The registry asks the sides for an advance on costs (accounts/advances.py)."""
    case = load_case(case_id, "request_advance", lock=True, seen_by=policy.ACCOUNT)
    form = _advance_form(case)
    return run_form_action(
        form,
        lambda: advances.request_advance(
            case,
            amount=form.amount.data or Decimal(0),
            currency=Currency(form.currency.data),
            claimant_percent=form.claimant_percent.data
            if form.claimant_percent.data is not None
            else advances.EQUAL,
            reason=form.reason.data or "",
            by=current_user,
            expected_version=form.version.data,
        ),
        done=lambda request: redirect_with(
            gettext(
                "An advance on costs of %(amount)s was requested.",
                amount=money(request.amount, request.currency),
            ),
            url_for("account.show", case_id=case.id),
        ),
        page=lambda status: render_account(case, status, advance_form=form),
    )


@account_bp.post("/cases/<int:case_id>/account/waiver")
@login_required
def waive(case_id: int) -> ResponseReturnValue:
    """The registry waives the claim's lodging fee (from the claim's review page)."""
    case = load_case(case_id, "waive_fee", lock=True)
    form = WaiverForm(prefix="waive")
    invoice = _invoice_of(case, request.form.get("invoice"))

    def page(status: int) -> ResponseReturnValue:
        form.version.data = case.version
        return render_template("accounts/waive.html", case=case, form=form, invoice=invoice), status

    return run_form_action(
        form,
        lambda: billing.waive(
            invoice,
            reason=form.reason.data or "",
            by=current_user,
            expected_version=form.version.data,
        ),  # fmt: skip
        done=lambda _: redirect_with(
            gettext("The lodging fee of %(reference)s is waived.", reference=case.reference),
            url_for("registry.review", case_id=case.id),
        ),
        page=page,
    )


@account_bp.get("/cases/<int:case_id>/account/documents/<int:ruling_id>")
@login_required
@writes  # the download's audit event
def document(case_id: int, ruling_id: int) -> ResponseReturnValue:
    """An invoice or a receipt of the account, to whom it concerns (a party: its side's)."""
    case = load_case(case_id, policy.ACCOUNT, seen_by=policy.ACCOUNT)
    side = policy.account_side(current_user, case)
    account = case_account(db.session(), case, side)
    mine = {s.invoice.ruling_id for s in account.standings}
    mine |= {p.receipt_id for p in account.payments}
    mine |= {r.id for r in account_statements(db.session(), case)}
    ruling = db.session.get(Ruling, ruling_id)
    if ruling is None or ruling.id not in mine:
        abort(404)
    return send_ruling(case, ruling)
