"""The clerk's registry: the intake queue, reviewing a claim (register, return, reject,
with a live preview of the ruling), and the docket of all cases."""

from __future__ import annotations

from collections.abc import Callable

from flask import (
    Blueprint,
    abort,
    current_app,
    get_template_attribute,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import get_locale, gettext
from flask_login import current_user
from markupsafe import Markup
from wtforms import Field

from .. import policy
from ..accounts.forms import WaiverForm
from ..accounts.queries import STATUS_LABELS, lodging_invoice, lodging_status, standings
from ..auth.models import Role
from ..cases.forms import CaseActionForm
from ..cases.loading import load_case
from ..cases.models import Case
from ..core.actions import Page, redirect_with, run_form_action
from ..core.i18n import translate
from ..core.typed import login_required
from ..core.web import framed_preview, number
from ..db import db
from ..deadlines.queries import today
from ..neutrals.forms import DocketFilterForm
from ..pagecache.page import cached_page, kept_value
from ..rulings.operations import preview_html
from ..texts import N_
from ..workflow.states import CaseState
from . import operations as ops
from .forms import ReasonForm

bp = Blueprint("registry", __name__, url_prefix="/registry")


@bp.get("/intake")
@login_required
def intake() -> ResponseReturnValue:
    if not policy.is_staff(current_user, Role.CLERK):
        abort(403)
    page = ops.intake_queue(
        db.session(),
        after=number(request.args.get("after")),
        before=number(request.args.get("before")),
        per_page=ops.INTAKE_PAGE_SIZE,
    )
    return render_template(
        "registry/intake.html",
        page=page,
        age_in_days=ops.age_in_days,
        fee_status=lodging_status(db.session(), page.rows),
        status_labels=STATUS_LABELS,
    )


@bp.get("/cases/<int:case_id>")
@login_required
def review(case_id: int) -> ResponseReturnValue:
    case = load_case(case_id)
    if not policy.is_staff(current_user, Role.CLERK):
        abort(403)
    return _review_page(case, {})(200)


def _review_page(case: Case, sent: dict[str, CaseActionForm]) -> Page:
    """The review page, with the form that was sent (its errors, what was typed) in place of
    a fresh one, and the case's version as it now is in every form."""

    def page(status: int) -> ResponseReturnValue:
        forms = {
            "register_form": sent.get("register") or CaseActionForm(),
            "return_form": sent.get("return") or ReasonForm(prefix="return"),
            "reject_form": sent.get("reject") or ReasonForm(prefix="reject"),
        }
        waive_form = sent.get("waive") or WaiverForm(prefix="waive")
        for form in (*forms.values(), waive_form):
            form.version.data = case.version
        session = db.session()
        invoice = lodging_invoice(session, case)
        return render_template(
            "registry/review.html",
            case=case,
            fee=standings(session, [invoice])[0] if invoice is not None else None,
            status_labels=STATUS_LABELS,
            waive_form=waive_form,
            **forms,
        ), status

    return page


def _locked_case(case_id: int) -> Case:
    case = load_case(case_id, lock=True)
    if not policy.is_staff(current_user, Role.CLERK):
        abort(403)
    return case


@bp.post("/cases/<int:case_id>/register")
@login_required
def register(case_id: int) -> ResponseReturnValue:
    case = _locked_case(case_id)
    form = CaseActionForm()
    return run_form_action(
        form,
        lambda: ops.register_case(
            db.session(),
            case,
            clerk=current_user,
            expected_version=form.version.data,
            prefix=current_app.config["CASE_NUMBER_PREFIX"],
        ),
        done=lambda _: redirect_with(
            # The case page: what comes next (a mediator, the respondent) is offered there.
            gettext("Registered as %(number)s.", number=case.number),
            url_for("cases.show", case_id=case.id),
        ),
        page=_review_page(case, {"register": form}),
    )


def _with_reasons(
    case_id: int, operation: Callable[..., object], prefix: str, success: str
) -> ResponseReturnValue:
    """Return or reject: the claim leaves the registry's hands, so the clerk goes back to
    the intake queue for the next one, told which claim was decided (`success` names it:
    %(reference)s)."""
    case = _locked_case(case_id)
    form = ReasonForm(prefix=prefix)
    return run_form_action(
        form,
        lambda: operation(
            case,
            clerk=current_user,
            reason=form.reason.data,
            expected_version=form.version.data,
        ),
        done=lambda _: redirect_with(
            translate(success, {"reference": case.reference}), url_for("registry.intake")
        ),
        page=_review_page(case, {prefix: form}),
    )


@bp.post("/cases/<int:case_id>/return")
@login_required
def return_case(case_id: int) -> ResponseReturnValue:
    return _with_reasons(
        case_id,
        ops.return_case,
        "return",
        N_("Claim %(reference)s was returned to the claimant for amendment."),
    )


@bp.post("/cases/<int:case_id>/reject")
@login_required
def reject(case_id: int) -> ResponseReturnValue:
    return _with_reasons(
        case_id, ops.reject_case, "reject", N_("Claim %(reference)s was rejected as inadmissible.")
    )


PREVIEW_KINDS = {"return": "return_notice", "reject": "inadmissibility_decision"}


@bp.post("/cases/<int:case_id>/preview/<action>")
@login_required
def preview(case_id: int, action: str) -> ResponseReturnValue:
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
def docket() -> ResponseReturnValue:
    if not policy.is_staff(current_user, Role.CLERK):
        abort(403)
    return cached_page(_draw_docket)


def _draw_docket() -> str:
    # The neutrals and the count are the same for every clerk: kept while the data is.
    neutrals = kept_value("docket-neutrals", None, lambda: ops.docket_neutrals(db.session()))
    form = DocketFilterForm(formdata=request.args, neutrals=neutrals)
    form.validate()  # a value not on offer is shown as an error and ignored
    state = CaseState.named(form.state.data) if not form.state.errors else None
    neutral_id = number(form.neutral.data) if not form.neutral.errors else None
    overdue = bool(form.overdue.data)
    count_key = (state, neutral_id, overdue, today(), ops.DOCKET_COUNT_UP_TO)
    page = ops.docket(
        db.session(),
        state=state,
        neutral_id=neutral_id,
        overdue_only=overdue,
        after=number(request.args.get("after")),
        before=number(request.args.get("before")),
        per_page=ops.DOCKET_PAGE_SIZE,
        counter=lambda count: kept_value("docket-count", count_key, count),
    )
    filters = {
        "state": state.value if state else None,
        "neutral": neutral_id,
        "overdue": "y" if form.overdue.data else None,
    }
    # The neutrals' <select> (a hundred options) is the same for every clerk who chose the
    # same one, in the same language: drawn once while the data is the same.
    choice = (str(get_locale()), form.neutral.data, tuple(map(str, form.neutral.errors)))
    neutral_field = kept_value("docket-neutral-field", choice, lambda: _field(form.neutral))
    return render_template(
        "registry/docket.html",
        form=form,
        page=page,
        filters=filters,
        neutral_field=neutral_field,
    )


def _field(field: Field) -> Markup:
    """A form field as the templates' `field` macro draws it."""
    draw = get_template_attribute("macros/forms.html", "field")
    return Markup(draw(field))  # noqa: S704 - the macro's output, escaped by Jinja
