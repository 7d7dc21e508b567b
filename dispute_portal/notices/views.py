"""The portal inbox, and the admin's view of the e-mail outbox."""

from __future__ import annotations

import logging
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.orm import Session

from ..auth.models import Role
from ..core.forms import BaseForm
from ..core.typed import login_required
from ..core.web import number
from ..db import db
from ..jobs import runner
from ..policy import is_staff
from . import operations as ops
from .models import OutboxMessage

bp = Blueprint("notices", __name__)
log = logging.getLogger(__name__)

INBOX_PAGE_SIZE = 50
OUTBOX_PAGE_SIZE = 50
SEND_JOB = "dispute_portal.notices.operations.send_pending_job"
_MAIL_QUEUED = "notices.mail_queued"  # an outbox row was flushed in this transaction
_MAIL_COMMITTED = "notices.mail_committed"  # … and the transaction was committed


class ConfirmForm(BaseForm):
    """A button and its CSRF token; nothing else to fill in."""


def _page() -> int:
    page = number(request.args.get("page", "1"))
    if not page:
        abort(404)
    return page


@bp.route("/notifications", methods=["GET", "POST"])
@login_required
def inbox() -> ResponseReturnValue:
    form = ConfirmForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        ops.mark_all_read(db.session(), current_user)
        flash(gettext("All notifications are marked as read."), "success")
        return redirect(url_for("notices.inbox"))
    page = _page()
    notices, total = ops.inbox_page(db.session(), current_user, page=page, per_page=INBOX_PAGE_SIZE)
    if page > 1 and not notices:
        abort(404)
    return render_template(
        "notices/inbox.html",
        notices=notices,
        total=total,
        page=page,
        page_size=INBOX_PAGE_SIZE,
        unread=ops.unread_count(db.session(), current_user),
        form=form,
    )


@bp.route("/admin/outbox", methods=["GET", "POST"])
@login_required
def outbox() -> ResponseReturnValue:
    if not is_staff(current_user, Role.ADMIN):
        abort(403)
    form = ConfirmForm()
    configured = bool(current_app.config.get("MAIL_SERVER"))
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        if not configured:
            flash(gettext("No mail server is configured (MAIL_SERVER): nothing was sent."), "error")
        else:
            sent, failed = ops.send_pending(db.session(), current_app.config)
            flash(
                gettext("Sent: %(sent)d. Failed: %(failed)d.", sent=sent, failed=failed),
                "error" if failed else "success",
            )
        return redirect(url_for("notices.outbox", show=request.args.get("show", "pending")))
    show = request.args.get("show", "pending")
    if show not in ("pending", "all"):
        abort(404)
    page = _page()
    messages, total = ops.outbox_page(
        db.session(), pending_only=show == "pending", page=page, per_page=OUTBOX_PAGE_SIZE
    )
    if page > 1 and not messages:
        abort(404)
    pending, failing = ops.outbox_counts(db.session())
    return render_template(
        "notices/outbox.html",
        messages=messages,
        total=total,
        page=page,
        page_size=OUTBOX_PAGE_SIZE,
        show=show,
        pending=pending,
        failing=failing,
        configured=configured,
        form=form,
    )


# Delivery right after a request ------------------------------------------------------------
# Whatever writes to the outbox (a notice, an invitation), once its transaction is committed
# (the request wrapper commits after the view) a background job delivers it, so people do
# not wait for cron. Without MAIL_SERVER nothing happens: the outbox keeps the message.


@event.listens_for(db.sessionmaker, "before_flush")
def _note_queued_mail(session: Session, _context: Any, _instances: Any) -> None:
    if any(isinstance(obj, OutboxMessage) for obj in session.new):
        session.info[_MAIL_QUEUED] = True


@event.listens_for(db.sessionmaker, "after_commit")
def _mail_committed(session: Session) -> None:
    if session.info.pop(_MAIL_QUEUED, False):
        session.info[_MAIL_COMMITTED] = True


@event.listens_for(db.sessionmaker, "after_rollback")
def _mail_rolled_back(session: Session) -> None:
    session.info.pop(_MAIL_QUEUED, None)


@bp.teardown_app_request
def _send_queued_mail(exc: BaseException | None) -> None:
    if not db.session.registry.has():
        return
    committed = db.session.info.pop(_MAIL_COMMITTED, False)
    if exc is not None or not committed or not current_app.config.get("MAIL_SERVER"):
        return
    try:
        runner().enqueue(SEND_JOB)
    except Exception:  # the answer has gone out; cron (`mail send`) delivers it later
        log.exception("could not start the mail delivery job")
