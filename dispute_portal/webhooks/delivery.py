"""Sending what the outbox holds: each delivery is claimed, signed afresh for the attempt
(its webhook-id stays), POSTed to its checked target, and marked delivered on a 2xx. A
failed attempt waits longer each time (BACKOFF) and is handed to the job queue for then;
after the last one it is marked failed, and stays listed for the subscriber and the admin.

A delivery is claimed (its next attempt moved a lease ahead) and committed before it is
sent, then its outcome is committed: two senders (the queue and cron) never send it at once,
no lock is held while the receiver answers, and a crash mid-send leaves it to be retried
when the lease runs out. These functions commit: call them with nothing else pending."""

from __future__ import annotations

import datetime as dt
import http.client
from collections.abc import Mapping
from typing import Any

from flask import current_app
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from ..core.jobs import Runner
from ..db import db, utcnow
from . import signing, targets
from .models import Delivery, DeliveryStatus
from .operations import in_force, secret_of

# The waits after the 1st, 2nd … failed attempt; after one more, the delivery has failed.
BACKOFF = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=5),
    dt.timedelta(hours=10),
    dt.timedelta(hours=10),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
LEASE = dt.timedelta(minutes=2)  # longer than WEBHOOK_TIMEOUT
SEND_DUE_JOB = "dispute_portal.webhooks.delivery.send_due_job"
SEND_ONE_JOB = "dispute_portal.webhooks.delivery.send_one_job"


def send_due(
    session: Session, config: Mapping[str, Any], runner: Runner, *, limit: int = 100
) -> tuple[int, int]:
    """Attempt what is due, oldest first; (delivered, failed attempts)."""
    delivered = failed = 0
    for _ in range(limit):
        delivery = _claim(session, select(Delivery))
        if delivery is None:
            break
        if attempt(session, config, runner, delivery):
            delivered += 1
        else:
            failed += 1
    return delivered, failed


def send_one(
    session: Session, config: Mapping[str, Any], runner: Runner, delivery_id: int
) -> bool | None:
    """Attempt this delivery if it is due (a retry the queue kept for its time): whether
    it went, or None when it was not due (sent already, or not yet)."""
    delivery = _claim(session, select(Delivery).where(Delivery.id == delivery_id))
    return None if delivery is None else attempt(session, config, runner, delivery)


def _claim(session: Session, query: Select[Delivery]) -> Delivery | None:
    now = utcnow()
    delivery = session.scalar(
        query.where(Delivery.status == DeliveryStatus.PENDING, Delivery.next_attempt_at <= now)
        .order_by(Delivery.next_attempt_at, Delivery.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    if delivery is not None:
        delivery.next_attempt_at = now + LEASE
    session.commit()
    return delivery


def attempt(
    session: Session, config: Mapping[str, Any], runner: Runner, delivery: Delivery
) -> bool:
    """One attempt of a claimed delivery, committed; whether the receiver took it."""
    subscription = delivery.subscription
    now = utcnow()
    status: int | None = None
    if not subscription.active:
        error = "The subscription is stopped."
    elif not in_force(subscription):
        error = "The subscriber's access has ended (account deactivated or client revoked)."
    else:
        body = delivery.payload.encode()
        secret = secret_of(config, subscription)
        headers = signing.headers(secret, delivery.message_id, int(now.timestamp()), body)
        try:
            target = targets.check(subscription.url, config)
            status = targets.post(target, headers, body, float(config["WEBHOOK_TIMEOUT"]))
        except targets.TargetRefused as exc:
            error = str(exc)
        except (OSError, ValueError, http.client.HTTPException) as exc:
            error = f"{type(exc).__name__}: {exc}"
        else:
            error = f"The receiver answered {status}."
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.response_status = status
    retry: dt.timedelta | None = None
    if status is not None and 200 <= status < 300:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.delivered_at = utcnow()
        delivery.last_error = None
    elif delivery.attempts >= MAX_ATTEMPTS or not in_force(subscription):
        delivery.status = DeliveryStatus.FAILED
        delivery.last_error = error[:2000]
    else:
        retry = BACKOFF[delivery.attempts - 1]
        delivery.next_attempt_at = now + retry
        delivery.last_error = error[:2000]
    session.commit()
    if retry is not None:
        runner.enqueue_in(retry, SEND_ONE_JOB, delivery.id)
    return delivery.status is DeliveryStatus.DELIVERED


def send_due_job() -> tuple[int, int]:
    """The background job (dispute_portal.jobs) that sends right after a request."""
    return send_due(db.session(), current_app.config, current_app.extensions["jobs"])


def send_one_job(delivery_id: int) -> bool | None:
    """The background job of a retry, run when its wait is over."""
    return send_one(db.session(), current_app.config, current_app.extensions["jobs"], delivery_id)
