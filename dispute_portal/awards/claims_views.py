"""The pages of costs (the order for statements, a side's statement, the decision on costs),
of a counterclaim and of a grace period. Each is thin (pages.act_page)."""

from __future__ import annotations

from flask import current_app
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ..cases.models import Currency
from ..core.typed import login_required
from ..core.web import takes_uploads
from ..db import db
from ..proceedings.forms import ActForm
from ..texts import N_
from . import claims, queries
from . import operations as ops
from .forms import (
    FILE_SLOTS,
    CostsDecisionForm,
    CostsOrderForm,
    CostsStatementForm,
    CounterclaimForm,
    GraceForm,
)
from .pages import act_page, bp


@bp.route("/costs/order", methods=["GET", "POST"])
@login_required
def costs_order(case_id: int) -> ResponseReturnValue:
    return act_page(
        case_id,
        "order_costs_statements",
        CostsOrderForm,
        lambda case, form, reason: claims.order_costs_statements(
            case,
            chair=current_user,
            due=form.due.data,
            reason=reason,
            expected_version=form.version.data,
        ),
    )


@bp.route("/costs/statement", methods=["GET", "POST"])
@login_required
def costs_statement(case_id: int) -> ResponseReturnValue:
    return act_page(
        case_id,
        "file_costs_statement",
        CostsStatementForm,
        lambda case, form, reason: claims.file_costs_statement(
            case,
            user=current_user,
            items=form.items(),
            note=reason,
            expected_version=form.version.data,
        ),
        required=False,
        reason_label=N_("A note on the statement (optional)"),
    )


@bp.route("/costs/decision", methods=["GET", "POST"])
@login_required
def costs_decision(case_id: int) -> ResponseReturnValue:
    """A sole arbitrator decides on costs here; a tribunal of three issues the draft of the
    decision that its majority approved."""
    return act_page(
        case_id,
        "decide_costs",
        CostsDecisionForm,
        lambda case, form, reason: ops.decide_costs(
            case,
            chair=current_user,
            costs=None if queries.collegial(case) else form.costs(),
            reason=reason,
            expected_version=form.version.data,
        ),
    )


@bp.route("/counterclaim", methods=["GET", "POST"])
@login_required
@takes_uploads(len(FILE_SLOTS))
def counterclaim(case_id: int) -> ResponseReturnValue:
    return act_page(
        case_id,
        "file_counterclaim",
        CounterclaimForm,
        lambda case, form, reason: claims.file_counterclaim(
            db.session(),
            case,
            user=current_user,
            amount=form.amount.data,
            currency=Currency(form.currency.data),
            description=reason,
            files=form.uploads(),
            upload_dir=current_app.config["UPLOAD_DIR"],
            max_bytes=current_app.config["MAX_UPLOAD_BYTES"],
            expected_version=form.version.data,
        ),
        uploads=True,
    )


@bp.route("/counterclaim/allow", methods=["GET", "POST"])
@login_required
def allow_counterclaim(case_id: int) -> ResponseReturnValue:
    return act_page(
        case_id,
        "allow_counterclaim",
        ActForm,
        lambda case, form, reason: claims.allow_counterclaim(
            case, chair=current_user, reason=reason, expected_version=form.version.data
        ),
    )


@bp.route("/grace", methods=["GET", "POST"])
@login_required
def grace(case_id: int) -> ResponseReturnValue:
    return act_page(
        case_id,
        "grant_grace",
        GraceForm,
        lambda case, form, reason: claims.grant_grace(
            case,
            chair=current_user,
            until=form.until.data,
            reason=reason,
            expected_version=form.version.data,
        ),
    )
