"""Rulings on the web: downloading an issued one, public verification (/verify), and the
clerk's print queue and print batches."""

from __future__ import annotations

import threading
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from .. import policy
from ..auth.models import Role
from ..cases.loading import load_case
from ..clock import ALMATY
from ..core.actions import redirect_with, run_form_action
from ..core.typed import login_required
from ..core.web import get_or_404, number, of_case_or_404, takes_uploads, writes
from ..db import db, short_write, utcnow
from ..integrity import proofs
from ..integrity.checkpoints import published
from ..jobs import runner
from . import operations as ops
from . import printing
from .delivery import send_ruling
from .forms import PrintActionForm, QueueFilterForm, VerifyForm
from .kinds import KINDS
from .models import BatchStatus, PrintBatch, Ruling, display_code
from .verification import verdict

bp = Blueprint("rulings", __name__)


@bp.get("/cases/<int:case_id>/rulings/<int:ruling_id>")
@login_required
@writes  # the download's audit event
def download(case_id: int, ruling_id: int) -> ResponseReturnValue:
    case = load_case(case_id)  # the ruling is seen by whoever may see its case
    ruling = of_case_or_404(Ruling, ruling_id, case.id)
    if KINDS[ruling.kind].account:
        abort(404)  # the account's documents: from the account page, to whom they concern
    return send_ruling(case, ruling)


@bp.route("/verify", methods=["GET", "POST"])
@takes_uploads(1)
def verify() -> ResponseReturnValue:
    """Public: is this an authentic ruling of the centre? Says nothing confidential."""
    form = VerifyForm()
    ruling, checked, how, status = None, False, None, 200
    if request.method == "GET" and request.args.get("code"):
        form.code.data = request.args["code"]
        ruling, checked, how = ops.find_by_code(db.session(), form.code.data), True, "code"
    elif form.validate_on_submit():
        if form.has_file():
            data = form.file.data.stream.read(request.max_content_length or 50 * 2**20)
            ruling, checked, how = ops.find_by_pdf(db.session(), data), True, "file"
            form.code.data = ""  # the verdict is the file's: a code left in the box would mislead
        else:
            ruling, checked, how = ops.find_by_code(db.session(), form.code.data), True, "code"
    elif form.is_submitted():
        status = 400  # nothing to check, or an expired form: the errors say which
    checked_ruling = verdict(db.session(), ruling)
    return render_template(
        "rulings_ui/verify.html",
        form=form,
        ruling=checked_ruling.ruling,
        checked=checked,
        how=how,
        kinds=KINDS,
        corrections=checked_ruling.corrections,
        tampered=checked_ruling.tampered,
        inclusion=checked_ruling.inclusion,
        log=published(db.session(), current_app.config),
        display_code=display_code,
        sealed=checked_ruling.sealed,
    ), status


@bp.get("/verify/checkpoint")
def checkpoint() -> ResponseReturnValue:
    """Public: the latest signed checkpoint of the transparency log, as plain text to keep."""
    latest = proofs.latest_checkpoint(db.session())
    if latest is None:
        abort(404)
    return latest.note, 200, {"Content-Type": "text/plain; charset=utf-8"}


# The print queue (clerks) ---------------------------------------------------------------

_recovery_lock = threading.Lock()


@bp.before_app_request
def _recover_print_jobs() -> None:
    """Once per process: batches a restart interrupted are resumed or marked failed."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.extensions.get("print_jobs_recovered") or app.testing:
        return
    with _recovery_lock:
        if not app.extensions.get("print_jobs_recovered"):
            app.extensions["print_jobs_recovered"] = True
            with short_write(db.session()) as session:  # whatever this request is
                printing.recover(session, runner())


def _clerk_only() -> None:
    if not policy.is_staff(current_user, Role.CLERK):
        abort(403)


@bp.route("/registry/print", methods=["GET", "POST"])
@login_required
def print_queue() -> ResponseReturnValue:
    _clerk_only()
    filters = QueueFilterForm(request.args)
    # A filter refused (a date outside the window) is said beside it, and the queue is
    # filtered by the others.
    filtered = filters.validate()
    form = PrintActionForm()

    def page(status: int) -> ResponseReturnValue:
        rulings = printing.queue(
            db.session(),
            kind=filters.kind.data or None,
            issued_from=filters.issued_from.valid_data(),
            issued_to=filters.issued_to.valid_data(),
        )
        batches = db.session.scalars(
            select(PrintBatch).order_by(PrintBatch.created_at.desc()).limit(10)
        ).all()
        return render_template(
            "rulings_ui/print_queue.html",
            filters=filters,
            form=form,
            rulings=rulings,
            batches=batches,
            kinds=KINDS,
            display_code=display_code,
        ), status

    if request.method == "GET" and not filtered:
        return page(400)
    ids = [n for x in request.form.getlist("ruling_ids") if (n := number(x))]
    query: dict[str, Any] = request.args.to_dict()  # back to the queue as it was filtered
    if request.form.get("action") == "served":
        return run_form_action(
            form,
            lambda: printing.mark_served(
                db.session(),
                clerk=current_user,
                ruling_ids=ids,
                served_on=form.served_on.data or utcnow().astimezone(ALMATY).date(),
            ),
            done=lambda served: redirect_with(
                ngettext(
                    "%(num)d ruling marked as served.",
                    "%(num)d rulings marked as served.",
                    served,
                ),
                url_for("rulings.print_queue", **query),
            ),
            page=page,
        )
    return run_form_action(
        form,
        lambda: printing.create_batch(db.session(), clerk=current_user, ruling_ids=ids),
        done=_start_batch,
        page=page,
    )


def _start_batch(batch: PrintBatch) -> ResponseReturnValue:
    db.session.commit()  # the job must find the batch, whichever engine runs it
    printing.start(db.session(), batch, runner())
    return redirect(url_for("rulings.batch", batch_id=batch.id))


@bp.get("/registry/print/batches/<int:batch_id>")
@login_required
def batch(batch_id: int) -> ResponseReturnValue:
    _clerk_only()
    batch = get_or_404(PrintBatch, batch_id)
    if request.args.get("format") == "json":
        return {
            "status": batch.status.value,
            "done": batch.done_count,
            "total": batch.total,
            "percent": batch.percent,
            "error": batch.error,
        }
    return render_template(
        "rulings_ui/batch.html",
        batch=batch,
        rulings=printing.batch_rulings(db.session(), batch),
        kinds=KINDS,
    )


@bp.get("/registry/print/batches/<int:batch_id>/pdf")
@login_required
def batch_pdf(batch_id: int) -> ResponseReturnValue:
    _clerk_only()
    batch = get_or_404(PrintBatch, batch_id)
    path = printing.batch_file(db.session(), batch)
    if batch.status is not BatchStatus.DONE or not path.is_file():
        abort(404)
    return send_file(
        path,
        mimetype="application/pdf",
        as_attachment=True,
        download_name=f"print-batch-{batch.id}.pdf",
        max_age=0,
    )
