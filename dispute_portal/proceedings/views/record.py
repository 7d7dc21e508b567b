"""What is kept beside the case's acts: a neutral's private notes, and the audit trail."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from ... import policy
from ...cases.loading import load_case
from ...core.actions import redirect_with, run_form_action
from ...core.typed import login_required
from ...db import db
from ...workflow import roles
from ...workflow.models import verify_chain
from .. import operations as ops
from ..forms import NoteForm
from .blueprint import bp


@bp.route("/notes", methods=["GET", "POST"])
@login_required
def notes(case_id: int) -> ResponseReturnValue:
    # Once the mediation has ended, the former mediator reads its notes and writes no more.
    case = load_case(case_id, policy.READ_NOTES if request.method == "GET" else policy.NOTE)
    form = NoteForm()

    def page(status: int) -> ResponseReturnValue:
        return render_template(
            "proceedings/notes.html",
            case=case,
            form=form,
            may_write=policy.can(current_user, policy.NOTE, case),
            notes=ops.notes(db.session(), case, current_user),
        ), status

    return run_form_action(
        form,
        lambda: ops.add_note(db.session(), case, author=current_user, body=form.body.data),
        done=lambda _: redirect_with(
            gettext("Your note was saved."), url_for("proceedings.notes", case_id=case.id)
        ),
        page=page,
    )


@bp.get("/trail")
@login_required
def trail(case_id: int) -> ResponseReturnValue:
    case = load_case(case_id, policy.TRAIL)
    # The chain is checked over every event; the page lists only those the reader may read.
    broken_at = verify_chain(case.events)
    return render_template(
        "proceedings/trail.html",
        case=case,
        events=ops.visible_events(case, current_user),
        broken_at=broken_at,
        total=len(case.events),
        show_ip=roles.CLERK in policy.case_roles(current_user, case),
    )
