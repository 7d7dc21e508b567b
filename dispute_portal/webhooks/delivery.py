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
import logging
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
log = logging.getLogger(__name__)


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
    session.expire_all()  # what another session changed (a subscription stopped) is read anew
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
    lease = delivery.next_attempt_at  # as _claim set it: the delivery is ours while it holds
    now = utcnow()
    status, error = _send(config, delivery, now)
    # If the lease ran out and another sender took the delivery over, or it was removed
    # meanwhile, the outcome is not this attempt's to write.
    current = session.scalar(
        select(Delivery)
        .where(Delivery.id == delivery.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if (
        current is None
        or current.status is not DeliveryStatus.PENDING
        or (current.next_attempt_at != lease)
    ):
        session.rollback()
        log.warning("webhook delivery %s: taken over during its attempt", delivery.id)
        return False
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.response_status = status
    retry: dt.timedelta | None = None
    if status is not None and 200 <= status < 300:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.delivered_at = utcnow()
        delivery.last_error = None
    elif delivery.attempts >= MAX_ATTEMPTS or not in_force(delivery.subscription):
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


def _send(
    config: Mapping[str, Any], delivery: Delivery, now: dt.datetime
) -> tuple[int | None, str]:
    """POST the delivery, signed for this attempt: the receiver's status (None when there
    was none) and what to record if it is not a 2xx."""
    subscription = delivery.subscription
    if not subscription.active:
        return None, "The subscription is stopped."
    if not in_force(subscription):
        return None, "The subscriber's access has ended (account deactivated or client revoked)."
    try:
        body = delivery.payload.encode()
        secret = secret_of(config, subscription)
        headers = signing.headers(secret, delivery.message_id, int(now.timestamp()), body)
        target = targets.check(subscription.url, config)
        status = targets.post(target, headers, body, float(config["WEBHOOK_TIMEOUT"]))
    except targets.TargetRefused as exc:
        return None, str(exc)
    except (OSError, ValueError, http.client.HTTPException) as exc:
        return None, f"{type(exc).__name__}: {exc}"
    except Exception as exc:  # a fault of the portal's (a secret that no longer decrypts):
        log.exception("webhook delivery %s failed", delivery.id)  # logged, and it counts
        return None, f"{type(exc).__name__}: {exc}"
    return status, f"The receiver answered {status}."


def send_due_job() -> tuple[int, int]:
    """The background job (dispute_portal.jobs) that sends right after a request."""
    return send_due(db.session(), current_app.config, current_app.extensions["jobs"])


def send_one_job(delivery_id: int) -> bool | None:
    """The background job of a retry, run when its wait is over."""
    return send_one(db.session(), current_app.config, current_app.extensions["jobs"], delivery_id)
