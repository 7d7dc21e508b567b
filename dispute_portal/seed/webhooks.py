"""The demo's webhooks: counsel's matter-management system follows her cases' submissions
and rulings, and the admin's page shows a delivery of each kind (delivered, failing and
retried, failed). The demo's history happened before the subscription, so none of it is
queued; the receiver's host (`.example`) resolves nowhere, so the rows are made as they
would stand, not sent."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..auth.models import User
from ..cases.models import Case
from ..core import keys
from ..db import utcnow
from ..parties.models import Participant
from ..webhooks import signing
from ..webhooks.delivery import BACKOFF, MAX_ATTEMPTS
from ..webhooks.fanout import forget_new_events, payload
from ..webhooks.models import Delivery, DeliveryStatus, Subscription
from ..webhooks.operations import SECRET_PURPOSE
from ..workflow.models import CaseEvent

URL = "https://matters.bekova.example/hooks/dispute-portal"
TYPES = ["case.file_submission", "case.issue_ruling", "case.issue_award"]


def add_webhooks(session: Session, config: Any, people: dict[str, User], now: dt.datetime) -> None:
    session.flush()
    forget_new_events(session)
    counsel = people["counsel"]
    subscription = Subscription(
        user_id=counsel.id,
        url=URL,
        event_types=TYPES,
        description="Bekova & Partners: matter management",
        secret=keys.encrypt(config, SECRET_PURPOSE, signing.new_secret()),
        created_at=now - dt.timedelta(days=30),
    )
    session.add(subscription)
    session.flush()
    events = session.scalars(
        select(CaseEvent)
        .where(CaseEvent.action.in_([t.removeprefix("case.") for t in TYPES]))
        .where(CaseEvent.case_id.in_(_cases_of(session, counsel)))
        .order_by(CaseEvent.at.desc())
        .limit(3)
    ).all()
    outcomes = (_delivered, _failing, _failed)
    for event, outcome in zip(events, outcomes, strict=False):
        case = session.get(Case, event.case_id)
        assert case is not None
        delivery = Delivery(
            subscription_id=subscription.id,
            message_id="msg_" + secrets.token_hex(12),
            event_type=f"case.{event.action}",
            case_id=case.id,
            payload=payload(session, case, event),
            created_at=event.at,
        )
        outcome(delivery, event.at)
        session.add(delivery)


def _cases_of(session: Session, user: User) -> list[int]:
    return list(session.scalars(select(Participant.case_id).where(Participant.user_id == user.id)))


def _delivered(delivery: Delivery, at: dt.datetime) -> None:
    delivery.status, delivery.attempts, delivery.response_status = DeliveryStatus.DELIVERED, 1, 200
    delivery.last_attempt_at = delivery.delivered_at = delivery.next_attempt_at = at


def _failing(delivery: Delivery, at: dt.datetime) -> None:
    delivery.attempts, delivery.response_status = 2, 503
    delivery.last_attempt_at = at + BACKOFF[0]
    delivery.next_attempt_at = utcnow() + BACKOFF[1]
    delivery.last_error = "The receiver answered 503."


def _failed(delivery: Delivery, at: dt.datetime) -> None:
    delivery.status, delivery.attempts = DeliveryStatus.FAILED, MAX_ATTEMPTS
    delivery.last_attempt_at = delivery.next_attempt_at = at + sum(BACKOFF, dt.timedelta())
    delivery.last_error = "ConnectionRefusedError: [Errno 111] Connection refused"
