"""The pages of preliminary objections: one page per act of the workflow table on them (an
objection, a request for bifurcation, the last submission on it, the tribunal's decisions).

Each view is thin: load the case (404 if the user may not see it, 403 if they may not take
the act), build the act's form, and run it with `core.actions.run_form_action`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ..cases.loading import load_case
from ..cases.models import Case
from ..core.actions import redirect_with, run_form_action
from ..core.i18n import translate
from ..core.typed import login_required
from ..db import db
from ..deadlines.rules import DEADLINE_LABELS
from ..proceedings.forms import ActForm
from ..rulings.kinds import KINDS
from ..workflow import transitions as wf
from ..workflow.states import EVENT_LABELS
from . import operations as ops
from . import queries
from .forms import BifurcationDecisionForm, JurisdictionObjectionForm
from .models import Ground

bp = Blueprint("objections", __name__, url_prefix="/cases/<int:case_id>/objections")

Run = Callable[[Case, Any, str], object]  # the case, the filled form, the typed reason


def _file(ground: Ground) -> Run:
    def run(case: Case, form: Any, reason: str) -> object:
        bifurcation = bool(getattr(form, "bifurcation", None) and form.bifurcation.data)
        extra = (form.bifurcation_reasons.data or "").strip() if bifurcation else None
        return ops.file_objection(
            db.session(),
            case,
            user=current_user,
            ground=ground,
            grounds=reason,
            bifurcation=bifurcation,
            bifurcation_reasons=extra or None,
            expected_version=form.version.data,
        )

    return run


def _close(action: str) -> Run:
    return lambda case, form, reason: ops.close_objection(
        case, chair=current_user, action=action, reason=reason, expected_version=form.version.data
    )


def _decide(action: str) -> Run:
    return lambda case, form, reason: ops.decide_objection(
        case, chair=current_user, action=action, reason=reason, expected_version=form.version.data
    )


# Each act of the pages: its form and how it runs.
ACTS: dict[str, tuple[type[ActForm], Run]] = {
    "object_merit": (ActForm, _file(Ground.MERIT)),
    "object_jurisdiction": (JurisdictionObjectionForm, _file(Ground.JURISDICTION)),
    "request_bifurcation": (
        ActForm,
        lambda case, form, reason: ops.request_bifurcation(
            case, user=current_user, reason=reason, expected_version=form.version.data
        ),
    ),
    "decide_bifurcation": (
        BifurcationDecisionForm,
        lambda case, form, reason: ops.decide_bifurcation(
            case,
            chair=current_user,
            granted=form.granted.data == "yes",
            reason=reason,
            expected_version=form.version.data,
        ),
    ),
    **{action: (ActForm, _close(action)) for action in ops.CLOSINGS},
    **{action: (ActForm, _decide(action)) for action in ops.DECISIONS},
}
assert set(ACTS) == set(ops.ACTS)


@bp.route("/<action>", methods=["GET", "POST"])
@login_required
def act(case_id: int, action: str) -> ResponseReturnValue:
    if action not in ACTS:
        abort(404)
    t = wf.transition(action)
    case = load_case(case_id, action, lock=request.method == "POST")
    form_class, run = ACTS[action]
    form = form_class(reason_label=translate(t.reason_label), required=t.needs_reason)

    def page(status: int) -> ResponseReturnValue:
        form.version.data = case.version
        return render_template(
            "objections/act.html",
            case=case,
            t=t,
            action=action,
            form=form,
            blocked=t.blocked(case),
            ruling_title=KINDS[t.ruling].title if t.ruling else None,
            deadline_labels=DEADLINE_LABELS,
            objections=queries.objections(case),
        ), status

    return run_form_action(
        form,
        lambda: run(case, form, (form.reason.data or "").strip()),
        done=lambda _: redirect_with(
            translate(EVENT_LABELS.get(action, t.label)),
            url_for("cases.show", case_id=case.id),
        ),
        page=page,
    )
