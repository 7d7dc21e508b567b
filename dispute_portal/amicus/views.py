"""Non-disputing parties on the web: the registry records an application with its document,
the parties file observations, the tribunal decides. Each page loads the case (404), asks
the policy for its act (403), and runs its form with `core.actions.run_form_action`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, current_app
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ..cases.act_page import form_act_page
from ..cases.forms import CaseActionForm
from ..cases.models import Case
from ..core.typed import login_required
from ..core.web import takes_uploads
from ..db import db
from . import operations as ops
from .forms import ApplicationForm, DecisionForm, ObservationsForm
from .models import APPLICANT_KIND_LABELS, DECISION_LABELS
from .queries import applications, pending_application

bp = Blueprint("amicus", __name__, url_prefix="/cases/<int:case_id>/non-disputing")


@bp.app_context_processor
def _amicus_helpers() -> dict[str, Any]:
    return {
        "applicant_kind_labels": APPLICANT_KIND_LABELS,
        "ndp_decision_labels": DECISION_LABELS,
        "ndp_applications": applications,
    }


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
        template="amicus/act.html",
        anchor="#non-disputing",
        context=lambda case: {"pending": pending_application(case)},
    )


def _record(case: Case, form: ApplicationForm) -> object:
    upload = form.document.data
    if not upload or not getattr(upload, "filename", ""):
        raise ops.ApplicationRefused("document", ops.NO_DOCUMENT)
    return ops.record_application(
        db.session(),
        case,
        clerk=current_user,
        applicant_name=form.applicant_name.data or "",
        applicant_kind=form.applicant_kind.data or "",
        description=form.description.data or "",
        interest=form.interest.data or "",
        received_by=form.received_by.data or "",
        received_on=form.received_on.data,
        stream=upload.stream,
        filename=upload.filename,
        upload_dir=current_app.config["UPLOAD_DIR"],
        max_bytes=current_app.config["MAX_UPLOAD_BYTES"],
        expected_version=form.version.data,
    )


@bp.route("/application", methods=["GET", "POST"])
@login_required
@takes_uploads(1)
def record(case_id: int) -> ResponseReturnValue:
    return _page("record_non_disputing_application", case_id, ApplicationForm, _record)


@bp.route("/observations", methods=["GET", "POST"])
@login_required
def observe(case_id: int) -> ResponseReturnValue:
    return _page(
        "observe_non_disputing_application",
        case_id,
        ObservationsForm,
        lambda case, form: ops.observe(
            case,
            user=current_user,
            observations=form.observations.data or "",
            expected_version=form.version.data,
        ),
    )


@bp.route("/decision", methods=["GET", "POST"])
@login_required
def decide(case_id: int) -> ResponseReturnValue:
    return _page(
        "decide_non_disputing_application",
        case_id,
        DecisionForm,
        lambda case, form: ops.decide(
            case,
            chair=current_user,
            decision=form.decision.data or "",
            reason=form.reason.data or "",
            expected_version=form.version.data,
        ),
    )
