"""Provisional measures on the web: a party's request, the other party's observations (whose
time the tribunal may shorten for an urgent request), the tribunal's order. Each page loads
the case (404), asks the policy for its act (403), and runs its form with
`core.actions.run_form_action`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ..cases.act_page import form_act_page
from ..cases.forms import CaseActionForm
from ..cases.models import Case
from ..core.typed import login_required
from ..db import db
from ..deadlines.queries import open_deadline
from . import operations as ops
from .forms import ObservationsForm, OrderForm, RequestForm, ShortenForm
from .models import OUTCOME_LABELS, ProvisionalRequest
from .queries import pending_request, requests_of

bp = Blueprint("measures", __name__, url_prefix="/cases/<int:case_id>/provisional-measures")


def _requests(case: Case) -> list[ProvisionalRequest]:
    return requests_of(db.session(), case)


@bp.app_context_processor
def _measures_helpers() -> dict[str, Any]:
    """What the case page and the caseload read of provisional measures."""
    return {"outcome_labels": OUTCOME_LABELS, "provisional_requests": _requests}


def _page(
    action: str,
    case_id: int,
    form_class: type[CaseActionForm],
    run: Callable[[Case, Any], object],
) -> ResponseReturnValue:
    return form_act_page(
        action,
        case_id,
        form_class,
        run,
        template="measures/act.html",
        anchor="#provisional-measures",
        context=lambda case: {
            "pending": pending_request(case),
            "observations_due": open_deadline(case, "provisional_observations"),
        },
    )


@bp.route("/request", methods=["GET", "POST"])
@login_required
def request_measures(case_id: int) -> ResponseReturnValue:
    return _page(
        "request_provisional_measures",
        case_id,
        RequestForm,
        lambda case, form: ops.request_measures(
            db.session(),
            case,
            user=current_user,
            measures=form.measures.data or "",
            grounds=form.grounds.data or "",
            urgent=bool(form.urgent.data),
            expected_version=form.version.data,
        ),
    )


@bp.route("/observations", methods=["GET", "POST"])
@login_required
def observe(case_id: int) -> ResponseReturnValue:
    return _page(
        "observe_provisional_measures",
        case_id,
        ObservationsForm,
        lambda case, form: ops.observe(
            case,
            user=current_user,
            observations=form.observations.data or "",
            expected_version=form.version.data,
        ),
    )


@bp.route("/shorten-time", methods=["GET", "POST"])
@login_required
def shorten(case_id: int) -> ResponseReturnValue:
    return _page(
        "shorten_provisional_observations",
        case_id,
        ShortenForm,
        lambda case, form: ops.shorten_observations(
            case,
            chair=current_user,
            until=form.until.data,
            reason=form.reason.data or "",
            expected_version=form.version.data,
        ),
    )


@bp.route("/order", methods=["GET", "POST"])
@login_required
def order(case_id: int) -> ResponseReturnValue:
    return _page(
        "decide_provisional_measures",
        case_id,
        OrderForm,
        lambda case, form: ops.decide(
            case,
            chair=current_user,
            outcome=form.outcome.data or "",
            reason=form.reason.data or "",
            expected_version=form.version.data,
        ),
    )
