"""The statements and refunds of a case account on the web (accounts/closing.py), on the
account page's blueprint: a statement of account (the registry or the finance officer), the
final statement (the registry, once the proceeding has ended), a refund's payment (the
registry or the finance officer)."""

from __future__ import annotations

from collections.abc import Callable

from flask import url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from ... import policy
from ...cases.forms import CaseActionForm
from ...cases.loading import load_case
from ...core.actions import redirect_with, run_form_action
from ...core.typed import login_required
from ...core.web import of_case_or_404
from ...rulings.models import Ruling
from .. import closing
from ..forms import PaidForm
from ..outgoings import Refund
from .account import account_bp, render_account


def _statement(
    case_id: int, action: str, issue: Callable[..., Ruling], done: str
) -> ResponseReturnValue:
    case = load_case(case_id, action, lock=True, seen_by=policy.ACCOUNT)
    form = CaseActionForm(prefix="statement")
    return run_form_action(
        form,
        lambda: issue(case, by=current_user, expected_version=form.version.data),
        done=lambda _: redirect_with(done, url_for("account.show", case_id=case.id)),
        page=lambda status: render_account(case, status, statement_form=form),
    )


@account_bp.post("/cases/<int:case_id>/account/statement")
@login_required
def issue_statement(case_id: int) -> ResponseReturnValue:
    return _statement(
        case_id,
        "issue_account_statement",
        closing.issue_account_statement,
        gettext("A statement of account was issued."),
    )


@account_bp.post("/cases/<int:case_id>/account/final-statement")
@login_required
def final_statement(case_id: int) -> ResponseReturnValue:
    return _statement(
        case_id,
        "issue_final_statement",
        closing.issue_final_statement,
        gettext("The final financial statement was issued; its refunds are due."),
    )


@account_bp.post("/cases/<int:case_id>/account/refunds/<int:refund_id>/payment")
@login_required
def pay_refund(case_id: int, refund_id: int) -> ResponseReturnValue:
    case = load_case(case_id, "pay_refund", lock=True, seen_by=policy.ACCOUNT)
    refund = of_case_or_404(Refund, refund_id, case.id)
    form = PaidForm(prefix="refund")
    return run_form_action(
        form,
        lambda: closing.pay_refund(
            refund, by=current_user, paid_on=form.paid_on.data, expected_version=form.version.data
        ),
        done=lambda _: redirect_with(
            gettext("The payment of the refund was recorded."),
            url_for("account.show", case_id=case.id),
        ),
        page=lambda status: render_account(case, status, refund_form=form, sent=refund.id),
    )
