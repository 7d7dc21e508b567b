"""Webhooks: the caller subscribes a URL to event types of the cases it may see, reads the
secret that signs each delivery (Standard Webhooks), and lists the deliveries with their
status. A person's subscriptions are theirs, whichever of their tokens calls; an OAuth
client's are the client's. Another's subscription answers 404."""

from __future__ import annotations

import json
from typing import Any

from flask import current_app, g, request
from flask_login import current_user
from marshmallow import fields, validate

from ...core.i18n import translate
from ...db import db
from ...webhooks import operations as ops
from ...webhooks.models import Delivery, DeliveryStatus, Subscription
from ...webhooks.targets import TargetRefused
from ..models import TokenScope
from . import schemas as s
from .blueprint import Blueprint
from .caller import caller, identify, refuse_scope
from .common import address, keyset_page, links
from .problems import MEDIA_TYPE, fail
from .replay import idempotent

bp = Blueprint(
    "api_webhooks",
    __name__,
    url_prefix="/api/v1/webhooks",
    description="Webhooks: the events of the cases the caller may see, sent to its URL.",
)
bp.before_request(identify)


@bp.before_request
def _hook_seen() -> None:
    """The caller's subscription the address names, found once for the request; another's
    answers 404 before anything the request sent is read (its input's errors would tell
    that the subscription exists), as a case does."""
    hook_id = (request.view_args or {}).get("hook_id")
    if isinstance(hook_id, int):
        who = caller()
        found = db.session.scalar(ops.owned(who.user, who.client).where(Subscription.id == hook_id))
        if found is None:
            fail(404)
        g.api_subscription = found


def _mine() -> Subscription:
    """The subscription of this request's address (found by _hook_seen)."""
    found: Subscription = g.api_subscription
    return found


STATUSES = [status.value for status in DeliveryStatus]


class SubscriptionIn(s.Strict):
    url = fields.String(
        required=True,
        validate=[validate.Length(min=1, max=2000), s.NO_NUL],
        metadata={"example": "https://matters.example.com/hooks/portal"},
    )
    event_types = fields.List(
        fields.String(validate=validate.OneOf([ops.ALL, *ops.EVENT_TYPES])),
        required=True,
        validate=validate.Length(min=1, max=len(ops.EVENT_TYPES) + 1),
        metadata={"example": ["case.file_submission", "case.issue_award"]},
    )
    description = fields.String(load_default="", validate=[validate.Length(max=200), s.NO_NUL])


class SubscriptionOut(s.Out):
    id = fields.Integer(required=True)
    url = fields.String(required=True)
    event_types = fields.List(fields.String(), required=True)
    description = fields.String(required=True)
    active = fields.Boolean(
        required=True, metadata={"description": "False: the Centre stopped it."}
    )
    created_at = fields.DateTime(required=True)
    deliveries_url = fields.String(required=True)


class SecretOut(s.Out):
    secret = fields.String(required=True, metadata={"description": "`whsec_` and base64."})


class EventTypeOut(s.Out):
    type = fields.String(required=True)
    description = fields.String(required=True)


class DeliveryArgs(s.PageArgs):
    status = fields.String(validate=validate.OneOf(STATUSES))


class DeliveryOut(s.Out):
    id = fields.Integer(required=True)
    message_id = fields.String(required=True, metadata={"description": "Its `webhook-id`."})
    event_type = fields.String(required=True)
    case_id = fields.Integer(required=True)
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    attempts = fields.Integer(required=True)
    created_at = fields.DateTime(required=True)
    last_attempt_at = fields.DateTime(allow_none=True, required=True)
    next_attempt_at = fields.DateTime(allow_none=True, required=True)
    delivered_at = fields.DateTime(allow_none=True, required=True)
    response_status = fields.Integer(allow_none=True, required=True)
    last_error = fields.String(allow_none=True, required=True)
    payload = fields.Dict(required=True, metadata={"description": "The body, as it was sent."})


@bp.route("/event-types")
@bp.response(200, EventTypeOut(many=True))
def event_types() -> Any:
    """What a subscription may name: `case.*`, or the events of a case's trail one by one."""
    return [{"type": ops.ALL, "description": "Every event below."}] + [
        {"type": kind, "description": label} for kind, label in ops.EVENT_TYPES.items()
    ]


@bp.route("")
@bp.response(200, SubscriptionOut(many=True))
def subscriptions() -> Any:
    """The caller's subscriptions."""
    who = caller()
    return [_out(sub) for sub in db.session.scalars(ops.owned(who.user, who.client))]


@bp.route("", methods=["POST"])
@idempotent
@bp.arguments(SubscriptionIn)
@bp.response(201, SubscriptionOut, headers={"Location": {"schema": {"type": "string"}}})
@bp.alt_response(422, schema=s.Problem, content_type=MEDIA_TYPE)
def subscribe(data: dict[str, Any]) -> Any:
    """Subscribe a URL: it must be public (and https in production). Read the secret that
    signs the deliveries at `/webhooks/{id}/secret`."""
    who = caller()
    try:
        subscription = ops.subscribe(
            db.session(),
            current_app.config,
            user=who.user,
            client=who.client,
            url=data["url"],
            event_types=data["event_types"],
            description=data["description"],
        )
    except (ops.WebhookRefused, TargetRefused) as refused:
        fail(422, "invalid-input", translate(refused.message, refused.params))
    return _out(subscription), 201, {"Location": _url(subscription)}


@bp.route("/<int:hook_id>")
@bp.response(200, SubscriptionOut)
def subscription(hook_id: int) -> Any:
    """One of the caller's subscriptions."""
    return _out(_mine())


@bp.route("/<int:hook_id>", methods=["DELETE"])
@bp.response(204)
def unsubscribe(hook_id: int) -> Any:
    """Remove the subscription, and the list of its deliveries: nothing more is sent."""
    ops.unsubscribe(db.session(), current_user._get_current_object(), _mine())
    return ""


@bp.route("/<int:hook_id>/secret")
@bp.response(200, SecretOut)
@bp.alt_response(403, schema=s.Problem, content_type=MEDIA_TYPE)
def secret(hook_id: int) -> Any:
    """The secret that signs the subscription's deliveries (a read-and-write token's)."""
    subscription = _mine()
    if caller().scope is not TokenScope.READ_WRITE:  # it would let one forge deliveries
        refuse_scope()
    return {"secret": ops.secret_of(current_app.config, subscription)}


@bp.route("/<int:hook_id>/deliveries")
@bp.arguments(DeliveryArgs, location="query", as_kwargs=True)
@bp.response(200, DeliveryOut(many=True), headers={"Link": {"schema": {"type": "string"}}})
def deliveries(
    hook_id: int,
    limit: int,
    after: int | None = None,
    before: int | None = None,
    status: str | None = None,
) -> Any:
    """The subscription's deliveries, newest first, each with its status and last answer."""
    subscription = _mine()
    query = ops.deliveries_of(subscription.id)
    if status:
        query = query.where(Delivery.status == DeliveryStatus(status))
    page = keyset_page(query, (Delivery.id,), after, before, limit, descending=True)
    rows = [_delivery(row[0]) for row in page.rows]
    extra = {"status": status} if status else {}
    return rows, links(page, "api_webhooks.deliveries", limit, hook_id=hook_id, **extra)


@bp.route("/<int:hook_id>/deliveries/<int:delivery_id>/retry", methods=["POST"])
@idempotent
@bp.response(200, DeliveryOut)
@bp.alt_response(409, schema=s.Problem, content_type=MEDIA_TYPE)
def retry(hook_id: int, delivery_id: int) -> Any:
    """Send a failed delivery again: due at once, with its attempts afresh (the same
    `webhook-id` and body). The answer is the delivery as it now waits."""
    found = db.session.get(Delivery, delivery_id)
    if found is None or found.subscription_id != _mine().id:
        fail(404)
    try:
        ops.send_again(db.session(), found)
    except ops.WebhookRefused as refused:
        fail(409, "refused", translate(refused.message, refused.params))
    return _delivery(found)


def _url(subscription: Subscription) -> str:
    return address("api_webhooks.subscription", hook_id=subscription.id)


def _out(subscription: Subscription) -> dict[str, Any]:
    return {
        "id": subscription.id,
        "url": subscription.url,
        "event_types": subscription.event_types,
        "description": subscription.description,
        "active": subscription.active,
        "created_at": subscription.created_at,
        "deliveries_url": address("api_webhooks.deliveries", hook_id=subscription.id),
    }


def _delivery(delivery: Delivery) -> dict[str, Any]:
    pending = delivery.status is DeliveryStatus.PENDING
    return {
        "id": delivery.id,
        "message_id": delivery.message_id,
        "event_type": delivery.event_type,
        "case_id": delivery.case_id,
        "status": delivery.status.value,
        "attempts": delivery.attempts,
        "created_at": delivery.created_at,
        "last_attempt_at": delivery.last_attempt_at,
        "next_attempt_at": delivery.next_attempt_at if pending else None,
        "delivered_at": delivery.delivered_at,
        "response_status": delivery.response_status,
        "last_error": delivery.last_error,
        "payload": json.loads(delivery.payload),
    }
