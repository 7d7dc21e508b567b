"""The tribunal's order on the timetable of the written phase (the chair)."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ...cases.loading import load_case
from ...core.actions import redirect_with, run_form_action
from ...core.i18n import translate
from ...core.typed import login_required
from ...workflow import transitions as wf
from .. import pleadings
from ..forms import TimetableForm
from ..models import PLEADINGS
from ..presenter import event_label
from .blueprint import bp


@bp.route("/timetable", methods=["GET", "POST"])
@login_required
def timetable(case_id: int) -> ResponseReturnValue:
    case = load_case(case_id, "set_timetable", lock=request.method == "POST")
    t = wf.transition("set_timetable")
    form = TimetableForm(reason_label=translate(t.reason_label), required=True)

    def page(status: int) -> ResponseReturnValue:
        form.version.data = case.version
        first, last = pleadings.timetable_window()
        return render_template(
            "proceedings/timetable.html",
            case=case,
            form=form,
            t=t,
            blocked=t.blocked(case),
            current=pleadings.current_timetable(case),
            filed={key for key in PLEADINGS if pleadings.filed(case, key)},
            pleadings=PLEADINGS,
            first=first,
            last=last,
        ), status

    return run_form_action(
        form,
        lambda: pleadings.set_timetable(
            case,
            chair=current_user,
            dates=form.dates(),
            reason=(form.reason.data or "").strip(),
            expected_version=form.version.data,
        ),
        done=lambda _: redirect_with(
            translate(event_label("set_timetable")),
            url_for("cases.show", case_id=case.id) + "#deadlines",
        ),
        page=page,
    )
