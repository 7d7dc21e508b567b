"""Filing a submission, the respondent's response or a pleading of the written phase, with
its documents."""

from __future__ import annotations

from flask import abort, current_app, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ...cases.contents import UploadRejected
from ...cases.loading import load_case
from ...core.actions import redirect_with, run_form_action
from ...core.i18n import translate
from ...core.typed import login_required
from ...core.web import takes_uploads
from ...db import db
from ...workflow import transitions as wf
from .. import operations as ops
from ..filing import filing_act
from ..forms import FILE_SLOTS, SubmissionForm
from ..models import PLEADINGS, Submission
from ..presenter import event_label
from .blueprint import bp


@bp.route("/submissions/new", methods=["GET", "POST"])
@login_required
@takes_uploads(len(FILE_SLOTS))
def submission(case_id: int) -> ResponseReturnValue:
    is_response = request.args.get("response") == "1"
    pleading = request.args.get("pleading") or None  # a pleading of the written phase
    if pleading is not None and (is_response or pleading not in PLEADINGS):
        abort(404)
    action = filing_act(is_response, pleading)
    case = load_case(case_id, action, lock=request.method == "POST")
    form = SubmissionForm(state=case.state)

    def page(status: int) -> ResponseReturnValue:
        form.version.data = case.version
        return render_template(
            "proceedings/submission.html",
            case=case,
            form=form,
            is_response=is_response,
            pleading=pleading,
            # A pleading is filed by its deadline: the page says when none is running.
            blocked=wf.transition(action).blocked(case) if pleading else None,
            t=wf.transition(action),
        ), status

    def file() -> Submission:
        try:
            return ops.file_submission(
                db.session(),
                case,
                author=current_user,
                title=form.title.data or "",
                body=(form.body.data or "").strip() or None,
                files=form.uploads(),
                is_response=is_response,
                pleading=pleading,
                upload_dir=current_app.config["UPLOAD_DIR"],
                max_bytes=current_app.config["MAX_UPLOAD_BYTES"],
                expected_version=form.version.data,
            )
        except UploadRejected as exc:
            if exc.position is not None:  # the reason goes beside the file it is about
                exc.field = form.upload_field(exc.position)
            raise

    return run_form_action(
        form,
        file,
        done=lambda _: redirect_with(
            translate(event_label(action)),
            url_for("cases.show", case_id=case.id) + "#submissions",
        ),
        page=page,
    )
