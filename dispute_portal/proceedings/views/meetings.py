"""Scheduling a mediation session, or a hearing once the case is in arbitration."""

from __future__ import annotations

import datetime as dt
from typing import cast

from flask import render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ...cases.loading import load_case
from ...core.actions import redirect_with, run_form_action
from ...core.i18n import translate
from ...core.typed import login_required
from ...db import db
from ...workflow import transitions as wf
from ...workflow.states import CaseState
from .. import operations as ops
from ..forms import MeetingForm
from ..presenter import event_label
from .blueprint import bp


@bp.route("/meetings/new", methods=["GET", "POST"])
@login_required
def meeting(case_id: int) -> ResponseReturnValue:
    peek = load_case(case_id)
    hearing = peek.state is CaseState.ARBITRATION
    action = "schedule_hearing" if hearing else "schedule_session"
    case = load_case(case_id, action, lock=request.method == "POST")
    form = MeetingForm()
    t = wf.transition(action)

    def page(status: int) -> ResponseReturnValue:
        form.version.data = case.version
        return render_template(
            "proceedings/meeting.html",
            case=case,
            form=form,
            t=t,
            hearing=hearing,
            blocked=t.blocked(case),
        ), status

    return run_form_action(
        form,
        lambda: ops.schedule(
            db.session(),
            case,
            user=current_user,
            starts_at=cast(dt.datetime, form.starts_at()),  # both parts are required
            place=(form.place.data or "").strip() or None,
            video_link=(form.video_link.data or "").strip() or None,
            agenda=(form.agenda.data or "").strip() or None,
            expected_version=form.version.data,
        ),
        done=lambda _: redirect_with(
            translate(event_label(action)), url_for("cases.show", case_id=case.id) + "#meetings"
        ),
        page=page,
    )
