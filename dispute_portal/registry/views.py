"""The clerk's registry: the intake queue, reviewing a claim (register, return, reject,
with a live preview of the ruling), and the docket of all cases."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext
from flask_login import current_user, login_required

from .. import policy
from ..auth.models import Role
from ..cases.forms import CaseActionForm
from ..cases.loading import load_case
from ..core.web import framed_preview, number, perform
from ..db import db
from ..neutrals.forms import DocketFilterForm
from ..rulings.operations import preview_html
from ..workflow.states import CaseState
from . import operations as ops
from .forms import ReasonForm

bp = Blueprint("registry", __name__, url_prefix="/registry")


@bp.get("/intake")
@login_required
def intake():
    if not policy.is_staff(current_user, Role.CLERK):
        abort(403)
    page = ops.intake_queue(
        db.session,
        after=number(request.args.get("after")),
        before=number(request.args.get("before")),
        per_page=ops.INTAKE_PAGE_SIZE,
    )
    return render_template("registry/intake.html", page=page, age_in_days=ops.age_in_days)


@bp.get("/cases/<int:case_id>")
@login_required
def review(case_id: int):
    case = load_case(case_id)
    if not policy.is_staff(current_user, Role.CLERK):
        abort(403)
    version = case.version
    return render_template(
        "registry/review.html",
        case=case,
        register_form=CaseActionForm(version=version),
        return_form=ReasonForm(prefix="return", version=version),
        reject_form=ReasonForm(prefix="reject", version=version),
    )


def _locked_case(case_id: int):
    case = load_case(case_id, lock=True)
    if not policy.is_staff(current_user, Role.CLERK):
        abort(403)
    return case


@bp.post("/cases/<int:case_id>/register")
@login_required
def register(case_id: int):
    case = _locked_case(case_id)
    form = CaseActionForm()
    if not form.validate_on_submit():
        abort(400)
    outcome = perform(
        ops.register_case,
        db.session,
        case,
        clerk=current_user,
        expected_version=form.version.data,
        prefix=current_app.config["CASE_NUMBER_PREFIX"],
    )
    if outcome.ok:
        flash(gettext("Registered as %(number)s.", number=case.number), "success")
        return redirect(url_for("registry.intake"))
    return redirect(url_for("registry.review", case_id=case_id))


def _with_reasons(case_id: int, operation, prefix: str, success: str):
    case = _locked_case(case_id)
    form = ReasonForm(prefix=prefix)
    if not form.validate_on_submit():
        flash(gettext("Give the reasons."), "error")
    elif perform(
        operation,
        case,
        clerk=current_user,
        reason=form.reason.data,
        expected_version=form.version.data,
    ).ok:
        flash(success, "success")
        return redirect(url_for("registry.intake"))
    return redirect(url_for("registry.review", case_id=case_id))


@bp.post("/cases/<int:case_id>/return")
@login_required
def return_case(case_id: int):
    return _with_reasons(
        case_id,
        ops.return_case,
        "return",
        gettext("The claim was returned to the claimant for amendment."),
    )


@bp.post("/cases/<int:case_id>/reject")
@login_required
def reject(case_id: int):
    return _with_reasons(
        case_id, ops.reject_case, "reject", gettext("The claim was rejected as inadmissible.")
    )


PREVIEW_KINDS = {"return": "return_notice", "reject": "inadmissibility_decision"}


@bp.post("/cases/<int:case_id>/preview/<action>")
@login_required
def preview(case_id: int, action: str):
    """The notice or decision as it would be issued, in a frame beside the form."""
    if action not in PREVIEW_KINDS:
        abort(404)
    case = load_case(case_id)
    if not policy.is_staff(current_user, Role.CLERK):
        abort(403)
    form = ReasonForm(prefix=action)
    form.validate_on_submit()  # the CSRF check; empty reasons preview as empty
    html = preview_html(
        case, PREVIEW_KINDS[action], issuer=current_user, reasons=form.reason.data or ""
    )
    return framed_preview(html)


@bp.get("/docket")
@login_required
def docket():
    if not policy.is_staff(current_user, Role.CLERK):
        abort(403)
    form = DocketFilterForm(formdata=request.args, neutrals=ops.docket_neutrals(db.session))
    form.validate()  # a value not on offer is shown as an error and ignored
    state = CaseState.named(form.state.data) if not form.state.errors else None
    neutral_id = number(form.neutral.data) if not form.neutral.errors else None
    page = ops.docket(
        db.session,
        state=state,
        neutral_id=neutral_id,
        overdue_only=bool(form.overdue.data),
        after=number(request.args.get("after")),
        before=number(request.args.get("before")),
        per_page=ops.DOCKET_PAGE_SIZE,
    )
    filters = {
        "state": state.value if state else None,
        "neutral": neutral_id,
        "overdue": "y" if form.overdue.data else None,
    }
    return render_template(
        "registry/docket.html",
        form=form,
        page=page,
        filters=filters,
    )
