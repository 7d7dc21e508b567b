"""The finance officer's pages: the dashboard of what is owed (by age in each currency, the
invoices still unpaid, the credits waiting for a match), the import of the Centre's bank
statements, the queue of unmatched credits with its suggestions and the match by hand, and
the CSV exports for the accounting system. The finance officer's alone (403 for others)."""

from __future__ import annotations

import datetime as dt

from flask import abort, current_app, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import func, select

from ...auth.models import Role
from ...core.actions import redirect_with, run_form_action
from ...core.exports import csv_response
from ...core.typed import login_required
from ...core.web import get_or_404, takes_uploads
from ...db import db
from ...deadlines.calendar import local_date
from ...deadlines.queries import today
from ...parties.models import SIDE_LABELS
from ...policy import is_staff
from ...texts import N_
from ..banking import centre_bank
from ..defaults import discontinuable_on
from ..forms import MatchForm, StatementForm
from ..matching import Imported, MatchRefused, import_statement, match, suggestions, unmatched
from ..models import INVOICE_PURPOSE_LABELS, BankLine, BankStatement, Invoice
from ..queries import AGE_BANDS, ageing, outstanding_invoices
from ..settlement import refunds_due, suspended_for_non_payment
from .account import account_bp

DASHBOARD_ROWS = 200  # the outstanding invoices the dashboard lists (all of them: the CSV)
QUEUE_ROWS = 100


def _finance_only() -> None:
    if not is_staff(current_user, Role.FINANCE):
        abort(403)


@account_bp.get("/finance")
@login_required
def dashboard() -> ResponseReturnValue:
    """What is owed, by age in each currency; the invoices still unpaid, the longest overdue
    first; how many credits wait for a match."""
    _finance_only()
    session = db.session()
    return render_template(
        "accounts/dashboard.html",
        bands=[label for label, _, _ in AGE_BANDS],
        ageing=ageing(session, today()),
        rows=outstanding_invoices(session, limit=DASHBOARD_ROWS),
        limit=DASHBOARD_ROWS,
        waiting=session.scalar(select(func.count()).where(BankLine.matched_at.is_(None))),
        suspended=[
            (case, suspension, discontinuable_on(case))
            for case, suspension in suspended_for_non_payment(session, limit=DASHBOARD_ROWS)
        ],
        refunds=refunds_due(session, limit=DASHBOARD_ROWS),
        today=today(),
        purpose_labels=INVOICE_PURPOSE_LABELS,
        side_labels=SIDE_LABELS,
    )


@account_bp.get("/finance/outstanding.csv")
@login_required
def outstanding_csv() -> ResponseReturnValue:
    _finance_only()
    on = today()
    return csv_response(
        "outstanding-invoices.csv",
        ["invoice", "reference", "case", "side", "purpose", "currency", "amount", "due",
         "due_on", "days_overdue"],
        (
            [invoice.number, invoice.reference, invoice.case.reference, invoice.side.value,
             invoice.purpose.value, invoice.currency.value, f"{invoice.amount:.2f}",
             f"{due:.2f}", invoice.due_on.isoformat(), max(0, (on - invoice.due_on).days)]
            for invoice, due in outstanding_invoices(db.session())
        ),
    )  # fmt: skip


@account_bp.get("/finance/unmatched.csv")
@login_required
def unmatched_csv() -> ResponseReturnValue:
    _finance_only()
    lines = db.session.scalars(
        select(BankLine).where(BankLine.matched_at.is_(None)).order_by(BankLine.booked_on)
    )
    return csv_response(
        "unmatched-credits.csv",
        ["bank_reference", "booked_on", "currency", "amount", "payer", "details"],
        ([line.bank_ref, line.booked_on.isoformat(), line.currency, f"{line.amount:.2f}",
          line.payer, line.details] for line in lines),
    )  # fmt: skip


@account_bp.get("/finance/suspensions.csv")
@login_required
def suspensions_csv() -> ResponseReturnValue:
    """The proceedings suspended for non-payment, with the day each may be discontinued."""
    _finance_only()
    return csv_response(
        "suspended-for-non-payment.csv",
        ["case", "state", "suspended_on", "discontinuable_on"],
        (
            [case.reference, case.state.value, local_date(suspension.started_at).isoformat(),
             _iso(discontinuable_on(case))]
            for case, suspension in suspended_for_non_payment(db.session())
        ),
    )  # fmt: skip


@account_bp.get("/finance/refunds.csv")
@login_required
def refunds_csv() -> ResponseReturnValue:
    """The refunds the final statements decided and the Centre has not paid yet."""
    _finance_only()
    return csv_response(
        "refunds-due.csv",
        ["case", "side", "currency", "amount", "decided_on"],
        (
            [r.case.reference, r.side.value, r.currency.value, f"{r.amount:.2f}",
             local_date(r.decided_at).isoformat()]
            for r in refunds_due(db.session())
        ),
    )  # fmt: skip


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day is not None else ""


@account_bp.route("/finance/statements", methods=["GET", "POST"])
@login_required
@takes_uploads(1)
def statements() -> ResponseReturnValue:
    """The statements imported, and the form that imports the next one."""
    _finance_only()
    form = StatementForm()

    def page(status: int) -> ResponseReturnValue:
        recent = db.session.scalars(
            select(BankStatement).order_by(BankStatement.id.desc()).limit(20)
        )
        return render_template("accounts/statements.html", form=form, recent=recent), status

    def run() -> Imported:
        upload = form.file.data
        limit = current_app.config["MAX_UPLOAD_BYTES"]
        data = upload.stream.read(limit + 1) if upload and upload.filename else b""
        if not data or len(data) > limit:
            raise MatchRefused(
                N_("Choose the statement file to import (at most the size of an upload).")
            )
        return import_statement(
            db.session(),
            data,
            filename=upload.filename,
            bank=centre_bank(current_app.config),
            by=current_user,
        )

    return run_form_action(
        form,
        run,
        done=lambda imported: redirect_with(
            gettext(
                "Statement imported: %(matched)d credits paid invoices, %(unmatched)d wait "
                "for a match.",
                matched=imported.matched,
                unmatched=imported.unmatched,
            ),
            url_for("account.statements"),
        ),
        page=page,
        refused_on="file",
    )


@account_bp.get("/finance/unmatched")
@login_required
def queue() -> ResponseReturnValue:
    """The credits no reference matched, oldest first, each with the invoices it may pay."""
    _finance_only()
    session = db.session()
    lines = unmatched(session, limit=QUEUE_ROWS)
    return render_template(
        "accounts/unmatched.html",
        lines=[(line, suggestions(session, line)) for line in lines],
        form=MatchForm(formdata=None),
        limit=QUEUE_ROWS,
    )


@account_bp.post("/finance/unmatched/<int:line_id>")
@login_required
def match_line(line_id: int) -> ResponseReturnValue:
    _finance_only()
    session = db.session()
    line = get_or_404(BankLine, line_id)
    form = MatchForm()

    def run() -> Invoice:
        number = (form.invoice.data or "").strip().upper()
        invoice = session.scalar(select(Invoice).where(Invoice.number == number))
        if invoice is None:
            raise MatchRefused(N_("No invoice has the number %(number)s."), number=number)
        paid_by = invoice.side.other if form.substitution.data else None
        match(session, line, invoice, by=current_user, paid_by=paid_by)
        return invoice

    def page(status: int) -> ResponseReturnValue:
        return render_template(
            "accounts/unmatched.html",
            lines=[(line, suggestions(session, line))],
            form=form,
            limit=QUEUE_ROWS,
            sent=line.id,
        ), status

    return run_form_action(
        form,
        run,
        done=lambda invoice: redirect_with(
            gettext("Payment recorded on invoice %(number)s.", number=invoice.number),
            url_for("account.queue"),
        ),
        page=page,
        refused_on="invoice",
    )
