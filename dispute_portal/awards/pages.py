"""The machinery the award's and the claims' pages share: the blueprint, what the case page
shows of the award (`panel`), and one act's page (`act_page`): load the case (404 if the
user may not see it, 403 if they may not act), build the form, run it with
`core.actions.run_form_action`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from .. import policy
from ..cases.contents import UploadRejected
from ..cases.loading import load_case
from ..cases.models import Case
from ..core.actions import redirect_with, run_form_action
from ..core.i18n import translate
from ..deadlines.rules import DEADLINE_LABELS
from ..proceedings.forms import ActForm
from ..proceedings.presenter import event_label
from ..texts import N_
from ..workflow import transitions as wf
from ..workflow.roles import ARBITRATOR
from . import queries
from .models import COSTS_MODE_LABELS, DRAFT_KIND_LABELS, OPINION_LABELS, DraftKind

bp = Blueprint("awards", __name__, url_prefix="/cases/<int:case_id>")

AWARD_TEXT = N_("The award: the decision and its reasons")
Run = Callable[[Case, Any, str], object]
# The acts whose text is previewed as the ruling it becomes, and where.
PREVIEWS = {
    "issue_award": "awards.preview",
    "submit_award_draft": "awards.preview",
    "consent_award": "awards.consent_preview",
}
# The kind of draft each decision of a tribunal of three is issued from.
DECIDED_FROM = {
    "issue_award": DraftKind.AWARD,
    "consent_award": DraftKind.CONSENT_AWARD,
    "decide_costs": DraftKind.COSTS_DECISION,
}


def panel(case: Case, user: Any = None) -> dict[str, Any]:
    """What the case page and these pages show of the award, the costs and counterclaims:
    the counterclaims and statements of costs to everyone on the case, the deliberation on a
    draft to the tribunal's members only."""
    user = user if user is not None else current_user
    member = ARBITRATOR in policy.case_roles(user, case)
    draft = queries.current_draft(case) if member else None
    names = {a.user_id: a.user.name for a in queries.members(case)}
    return {
        "counterclaims": queries.counterclaims(case),
        "costs_statements": queries.costs_statements(case),
        "draft": draft,
        "draft_approvers": [names.get(i, "") for i in queries.approvers(draft, case)]
        if draft
        else [],
        "majority": queries.majority(case),
        "opinions": queries.opinions(case) if member else [],
        "costs_mode_labels": COSTS_MODE_LABELS,
        "opinion_labels": OPINION_LABELS,
        "draft_kind_labels": DRAFT_KIND_LABELS,
    }


@bp.app_context_processor
def _award_helpers() -> dict[str, Any]:
    return {"award_panel": panel}


def act_page(
    case_id: int,
    action: str,
    form_class: type[ActForm],
    run: Run,
    *,
    required: bool | None = None,
    reason_label: str | None = None,
    prefill: Callable[[Any, Case], None] | None = None,
    refused_on: str | None = None,
    uploads: bool = False,
    previewable: bool = True,
    draft_kind: DraftKind | None = None,
) -> ResponseReturnValue:
    """`form_class`: a sole arbitrator's form. A decision of a tribunal of three (DECIDED_FROM)
    issues the draft its majority approved, so its page asks for nothing but the act.
    `previewable`: whether the text may be previewed as an award (drafts of another kind are
    not awards); `draft_kind`: the kind of the draft this page puts to the tribunal."""
    t = wf.transition(action)
    case = load_case(case_id, action, lock=request.method == "POST")
    takes_reason = t.needs_reason if required is None else required
    if action in DECIDED_FROM and queries.collegial(case):
        form_class, takes_reason = ActForm, False
    form = form_class(
        reason_label=translate(reason_label or t.reason_label), required=takes_reason, prefix="act"
    )
    if request.method == "GET" and prefill is not None:
        prefill(form, case)

    def page(status: int) -> ResponseReturnValue:
        form.version.data = case.version
        return render_template(
            "awards/act.html",
            case=case,
            t=t,
            action=action,
            form=form,
            blocked=t.blocked(case),
            takes_reason=takes_reason,
            uploads=uploads,
            deadline_labels=DEADLINE_LABELS,
            previewable=previewable and action in PREVIEWS and takes_reason,
            preview_url=url_for(PREVIEWS[action], case_id=case.id) if action in PREVIEWS else None,
            draft_kind=draft_kind,
            decided_from=DECIDED_FROM.get(action),
            no_draft=queries.NO_DRAFT.get(DECIDED_FROM[action]) if action in DECIDED_FROM else None,
            **panel(case),
        ), status

    def perform() -> object:
        try:
            return run(case, form, (form.reason.data or "").strip())
        except UploadRejected as exc:
            if exc.position is not None and hasattr(form, "upload_field"):
                exc.field = form.upload_field(exc.position)
            raise

    return run_form_action(
        form,
        perform,
        done=lambda _: redirect_with(
            translate(event_label(action)), url_for("cases.show", case_id=case.id)
        ),
        page=page,
        refused_on=refused_on,
    )
