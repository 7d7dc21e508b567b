"""Extending a running deadline, with reasons (the clerk)."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from ...cases.loading import load_case
from ...core.actions import redirect_with, run_form_action
from ...core.i18n import translate
from ...core.typed import login_required
from ...deadlines.rules import DEADLINE_LABELS
from ...workflow import transitions as wf
from .. import operations as ops
from ..forms import ExtendDeadlineForm
from ..presenter import event_label, show_day
from .blueprint import bp


@bp.route("/deadlines/extend", methods=["GET", "POST"])
@login_required
def extend_deadline(case_id: int) -> ResponseReturnValue:
    case = load_case(case_id, "extend_deadline", lock=request.method == "POST")
    t = wf.transition("extend_deadline")
    form = ExtendDeadlineForm(reason_label=translate(t.reason_label), required=True)
    running = ops.running_deadlines(case)
    form.deadline.choices = [
        (
            d.id,
            gettext(
                "%(label)s (due %(day)s)",
                label=translate(DEADLINE_LABELS.get(d.key, d.key)),
                day=show_day(d.due_on),
            ),
        )
        for d in running
    ]
    if request.method == "GET" and (chosen := request.args.get("deadline", type=int)):
        form.deadline.data = chosen

    def page(status: int) -> ResponseReturnValue:
        form.version.data = case.version
        return render_template(
            "proceedings/extend_deadline.html",
            case=case,
            form=form,
            t=t,
            running=running,
            blocked=t.blocked(case),
            deadline_labels=DEADLINE_LABELS,
        ), status

    return run_form_action(
        form,
        lambda: ops.extend_deadline(
            case,
            clerk=current_user,
            deadline_id=form.deadline.data,
            new_due=form.new_due.data,
            reason=(form.reason.data or "").strip(),
            expected_version=form.version.data,
        ),
        done=lambda _: redirect_with(
            translate(event_label("extend_deadline")),
            url_for("cases.show", case_id=case.id) + "#deadlines",
        ),
        page=page,
    )
