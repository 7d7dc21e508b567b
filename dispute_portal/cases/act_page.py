"""The page of one act of the workflow table that has a form of its own (a request, its
observations, the tribunal's decision): load the case (404/403 by the policy), show the form,
run the operation, and go back to the case's panel; a refused form comes back with the case
as it now is."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import render_template, request, url_for
from flask.typing import ResponseReturnValue

from ..core.actions import redirect_with, run_form_action
from ..core.i18n import translate
from ..workflow import transitions as wf
from ..workflow.states import EVENT_LABELS
from .forms import CaseActionForm
from .loading import load_case
from .models import Case


def form_act_page(
    action: str,
    case_id: int,
    form_class: type[CaseActionForm],
    run: Callable[[Case, Any], object],
    *,
    template: str,
    anchor: str,
    context: Callable[[Case], dict[str, Any]],
) -> ResponseReturnValue:
    """`context(case)`: what the template shows beyond the case, the form and the act."""
    case = load_case(case_id, action, lock=request.method == "POST")
    form = form_class()
    t = wf.transition(action)

    def page(status: int) -> ResponseReturnValue:
        form.version.data = case.version
        return render_template(
            template,
            case=case,
            form=form,
            t=t,
            action=action,
            blocked=t.blocked(case),
            **context(case),
        ), status

    return run_form_action(
        form,
        lambda: run(case, form),
        done=lambda _: redirect_with(
            translate(EVENT_LABELS[action]),
            url_for("cases.show", case_id=case.id) + anchor,
        ),
        page=page,
    )
