"""Subscribing to webhooks, and the admin's hold on them (no Flask here).

An event type is `case.<action>`, one for each kind of event of a case's trail
(workflow.states.EVENT_LABELS) but the downloads, or `case.*` for all of them. A
subscription belongs to the person whose token made it, or to the OAuth client that made it
(and then sees what the client sees). Whether each event reaches it is decided when the
event happens (fanout.py), by the one access policy.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from ..api.models import OAuthClient
from ..audit.operations import log_security
from ..auth.models import User
from ..core import keys
from ..db import utcnow
from ..texts import N_, Refusal
from ..workflow.states import EVENT_LABELS
from . import signing, targets
from .models import Delivery, DeliveryStatus, Subscription
from .outbox import note_queued

ALL = "case.*"
# What a subscriber may ask for, with what each means (in English: a program reads it).
EVENT_TYPES = {f"case.{action}": label for action, label in EVENT_LABELS.items()}
EVENT_TYPES.pop("case.download")  # a read, not an event of the proceeding
MAX_SUBSCRIPTIONS = 10  # per person or client
SECRET_PURPOSE = b"webhook secret v1"


class WebhookRefused(Refusal):
    """A subscription that cannot be made or changed; the message says why."""


def subscribe(
    session: Session,
    config: Mapping[str, Any],
    *,
    user: User,
    client: OAuthClient | None,
    url: str,
    event_types: list[str],
    description: str = "",
) -> Subscription:
    """A new subscription, its URL checked (targets.check) and its secret made."""
    types = list(dict.fromkeys(t.strip() for t in event_types))
    if not types:
        raise WebhookRefused(N_("Name at least one event type."))
    unknown = [t for t in types if t != ALL and t not in EVENT_TYPES]
    if unknown:
        raise WebhookRefused(N_("Unknown event type: %(types)s."), types=", ".join(unknown[:5]))
    if ALL in types:
        types = [ALL]
    if len(description) > 200:
        raise WebhookRefused(N_("The description may be at most 200 characters long."))
    held = session.scalar(select(func.count(Subscription.id)).where(_owner(user, client))) or 0
    if held >= MAX_SUBSCRIPTIONS:
        raise WebhookRefused(
            N_("You hold %(count)s subscriptions already: remove one first."),
            count=MAX_SUBSCRIPTIONS,
        )
    targets.check(url, config)
    subscription = Subscription(
        user_id=user.id,
        client_id=client.id if client is not None else None,
        url=url,
        event_types=types,
        description=description.strip(),
        secret=keys.encrypt(config, SECRET_PURPOSE, signing.new_secret()),
        active=True,
        created_at=utcnow(),
    )
    session.add(subscription)
    session.flush()
    log_security(
        session,
        "webhook_subscribed",
        user=user,
        data={"subscription": subscription.id, "client": subscription.client_id, "url": url},
    )
    return subscription


def unsubscribe(session: Session, user: User, subscription: Subscription) -> None:
    """Remove the subscription and its deliveries (what it was sent goes with it)."""
    log_security(
        session,
        "webhook_removed",
        user=user,
        data={"subscription": subscription.id, "url": subscription.url},
    )
    session.delete(subscription)
    session.flush()


def secret_of(config: Mapping[str, Any], subscription: Subscription) -> str:
    secret = keys.decrypt(config, SECRET_PURPOSE, subscription.secret)
    if secret is None:
        raise RuntimeError("a webhook secret does not decrypt: MFA_KEY or SECRET_KEY changed")
    return secret


def set_active(session: Session, admin: User, subscription: Subscription, active: bool) -> None:
    """The admin stops a subscription (nothing more is queued for it, and what waits is not
    sent) or lets it go on."""
    if subscription.active == active:
        raise WebhookRefused(
            N_("This subscription is active already.")
            if active
            else N_("This subscription is stopped already.")
        )
    subscription.active = active
    subscription.disabled_at = None if active else utcnow()
    subscription.disabled_by_id = None if active else admin.id
    log_security(
        session,
        "webhook_resumed" if active else "webhook_stopped",
        user=admin,
        data={"subscription": subscription.id},
    )


def send_again(session: Session, delivery: Delivery) -> None:
    """A failed delivery back in the outbox, due now, with its attempts afresh (its id and
    body unchanged: a receiver that took it after all drops it as seen)."""
    if delivery.status is not DeliveryStatus.FAILED:
        raise WebhookRefused(N_("Only a failed delivery can be sent again."))
    if not in_force(delivery.subscription):
        raise WebhookRefused(
            N_("This subscription is stopped, or its owner's access has ended: nothing is sent.")
        )
    delivery.status = DeliveryStatus.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = utcnow()
    note_queued(session)


def in_force(subscription: Subscription) -> bool:
    """Whether anything may be sent for it: active, its account active, its client (if a
    client's) not revoked. Asked when an event is fanned out and again at each attempt."""
    client = subscription.client
    return (
        subscription.active
        and subscription.user.is_active
        and (client is None or client.revoked_at is None)
    )


def _owner(user: User, client: OAuthClient | None) -> ColumnElement[bool]:
    if client is not None:
        return Subscription.client_id == client.id
    return (Subscription.user_id == user.id) & Subscription.client_id.is_(None)


def owned(user: User, client: OAuthClient | None) -> Select[Subscription]:
    """The caller's subscriptions, oldest first: a person's own, or a client's."""
    return select(Subscription).where(_owner(user, client)).order_by(Subscription.id)


def deliveries_of(subscription_id: int | None = None) -> Select[Delivery]:
    """Deliveries, newest first: of one subscription, or of all (the admin)."""
    query = select(Delivery).order_by(Delivery.id.desc())
    if subscription_id is not None:
        query = query.where(Delivery.subscription_id == subscription_id)
    return query


def counts(session: Session) -> dict[DeliveryStatus, int]:
    """How many deliveries are in each state (the admin's summary)."""
    rows = session.execute(select(Delivery.status, func.count()).group_by(Delivery.status))
    found = {status: count for status, count in rows}
    return {status: found.get(status, 0) for status in DeliveryStatus}
