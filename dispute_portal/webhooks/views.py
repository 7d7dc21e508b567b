"""The admin's page of the webhooks: every subscription (stopped or let go on from here)
and every delivery with its status; and the hand-over to the job queue of what a request
committed to the outbox."""

from __future__ import annotations

import logging

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..auth.models import Role
from ..core.actions import redirect_with
from ..core.forms import BaseForm
from ..core.i18n import translate
from ..core.typed import gettext, login_required
from ..core.web import get_or_404, page_arg
from ..db import db
from ..policy import is_staff
from . import operations as ops
from .delivery import SEND_DUE_JOB
from .models import Delivery, DeliveryStatus, Subscription
from .outbox import committed_deliveries

log = logging.getLogger(__name__)
bp = Blueprint("webhooks", __name__)
PAGE_SIZE = 50
SHOWN = ("all", *DeliveryStatus)


class ConfirmForm(BaseForm):
    """A button and its CSRF token."""


def _admin_only() -> None:
    if not is_staff(current_user, Role.ADMIN):
        abort(403)


@bp.get("/admin/webhooks")
@login_required
def index() -> ResponseReturnValue:
    _admin_only()
    show = request.args.get("show", "all")
    if show not in SHOWN:
        abort(404)
    page = page_arg()
    query = ops.deliveries_of().options(
        selectinload(Delivery.subscription), selectinload(Delivery.case)
    )
    if show != "all":
        query = query.where(Delivery.status == DeliveryStatus(show))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    deliveries = list(db.session.scalars(query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)))
    if page > 1 and not deliveries:
        abort(404)
    return render_template(
        "webhooks/admin.html",
        subscriptions=list(db.session.scalars(select(Subscription).order_by(Subscription.id))),
        deliveries=deliveries,
        counts=ops.counts(db.session()),
        show=show,
        page=page,
        page_size=PAGE_SIZE,
        total=total,
        statuses=DeliveryStatus,
    )


@bp.post("/admin/webhooks/<int:subscription_id>/stop")
@login_required
def stop(subscription_id: int) -> ResponseReturnValue:
    return _set_active(subscription_id, False)


@bp.post("/admin/webhooks/<int:subscription_id>/resume")
@login_required
def resume(subscription_id: int) -> ResponseReturnValue:
    return _set_active(subscription_id, True)


def _set_active(subscription_id: int, active: bool) -> ResponseReturnValue:
    _admin_only()
    subscription = get_or_404(Subscription, subscription_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        ops.set_active(db.session(), current_user._get_current_object(), subscription, active)
    except ops.WebhookRefused as refused:  # done already (in another tab): say so
        return redirect_with(translate(refused.message, refused.params), url_for(".index"))
    if active:
        said = gettext("Deliveries to %(url)s go on.", url=subscription.url)
    else:
        said = gettext("Nothing more is sent to %(url)s.", url=subscription.url)
    return redirect_with(said, url_for(".index"))


@bp.post("/admin/webhooks/deliveries/<int:delivery_id>/retry")
@login_required
def retry(delivery_id: int) -> ResponseReturnValue:
    _admin_only()
    found = get_or_404(Delivery, delivery_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    back = url_for(".index", show=request.args.get("show", "all"))
    try:
        ops.send_again(db.session(), found)
    except ops.WebhookRefused as refused:  # sent again already, or stopped: say so
        return redirect_with(translate(refused.message, refused.params), back)
    return redirect_with(gettext("The delivery is sent again shortly."), back)


@bp.teardown_app_request
def _send_committed(exc: BaseException | None) -> None:
    """Once a request's transaction committed deliveries, a background job sends them, so
    the request never waits for a receiver (cron's `webhooks send` catches up otherwise)."""
    if not db.session.registry.has():
        return
    if not committed_deliveries(db.session()) or exc is not None:
        return
    try:
        current_app.extensions["jobs"].enqueue(SEND_DUE_JOB)
    except Exception:  # the answer has gone out; cron delivers it later
        log.exception("could not start the webhook delivery job")
