"""What each event of a case's trail sends, and to whom: when a transaction that wrote
events commits, each active subscription to their type gets a delivery of each event its
owner may read there, in the same transaction (the outbox). The owner is asked exactly as
the API asks: may they see the case (and, for an OAuth client, is it one of its cases), may
they read its trail, and may they read this event. A rollback sends nothing.

After the commit, the request's teardown (views.py, outbox.py) hands the sending to the job
queue."""

from __future__ import annotations

import datetime as dt
import json
import secrets
from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from .. import policy
from ..api import clients
from ..cases.models import Case
from ..db import db
from ..workflow import roles as wf
from ..workflow.models import CaseEvent
from ..workflow.states import EVENT_LABELS
from .models import Delivery, Subscription
from .operations import ALL, EVENT_TYPES, in_force
from .outbox import note_queued

NEW_EVENTS = "webhooks.new_events"


def fan_out(session: Session, events: list[CaseEvent]) -> int:
    """The deliveries of these events, added to the session; how many."""
    wanted = [  # a savepoint rolled back takes its events with it: they are not persistent
        e for e in events if inspect(e).persistent and f"case.{e.action}" in EVENT_TYPES
    ]
    if not wanted:
        return 0
    subscriptions = [
        s for s in session.scalars(select(Subscription).where(Subscription.active)) if in_force(s)
    ]
    readers: dict[tuple[int, int | None, int], frozenset[str] | None] = {}
    made = 0
    for subscription in subscriptions:
        for case_event in wanted:
            kind = f"case.{case_event.action}"
            if not ({kind, ALL} & set(subscription.event_types)):
                continue
            case = session.get(Case, case_event.case_id)
            if case is None:
                continue
            # Whether the owner reads this case's trail: asked once an owner and a case.
            key = (subscription.user_id, subscription.client_id, case.id)
            if key not in readers:
                readers[key] = _trail_roles(session, subscription, case)
            roles = readers[key]
            if roles is None or not policy.may_read_event(
                subscription.user, case, case_event, roles
            ):
                continue
            session.add(
                Delivery(
                    subscription_id=subscription.id,
                    message_id="msg_" + secrets.token_hex(12),
                    event_type=kind,
                    case_id=case.id,
                    payload=payload(session, case, case_event),
                    next_attempt_at=case_event.at,
                )
            )
            made += 1
    return made


def _trail_roles(session: Session, subscription: Subscription, case: Case) -> frozenset[str] | None:
    """The owner's roles on the case if they may see it (a client: one of its cases) and
    read its trail; None otherwise."""
    owner, client = subscription.user, subscription.client
    if not policy.sees(session, owner, case.id, clients.within(client) if client else None):
        return None
    roles = policy.case_roles(owner, case)
    return roles if policy.can(owner, policy.TRAIL, case, roles=roles) else None


def payload(session: Session, case: Case, event: CaseEvent) -> str:
    """The body of the delivery (Standard Webhooks' type, timestamp and data): the case and
    the event as the API's trail gives it. The rest is read through the API, as its owner
    may read it then."""
    base = str(session.info["config"]["PUBLIC_BASE_URL"]).rstrip("/")
    by_portal = event.actor_id is None and event.actor_role == wf.SYSTEM
    body: dict[str, Any] = {
        "type": f"case.{event.action}",
        "timestamp": _iso(event.at),
        "data": {
            "case": {
                "id": case.id,
                "number": case.number,
                "url": f"{base}/api/v1/cases/{case.id}",
            },
            "event": {
                "seq": event.seq,
                "at": _iso(event.at),
                "action": event.action,
                "label": EVENT_LABELS[event.action],
                "from_state": event.from_state,
                "to_state": event.to_state,
                "actor": None if by_portal else event.actor_name,
                "actor_role": event.actor_role,
                "hash": event.hash,
                "prev_hash": event.prev_hash,
            },
        },
    }
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False)


def _iso(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


# The events are noted as each flush writes them, and fanned out once, as the transaction
# commits (an act flushes several times); a rollback forgets them. A savepoint's end is not
# the transaction's (SQLAlchemy tells these hooks of both): its release fans out nothing, and
# its rollback takes only its own events, which are then no longer persistent (fan_out).
@event.listens_for(db.sessionmaker, "after_flush")
def _note_events(session: Session, _context: Any) -> None:
    new = [obj for obj in session.new if isinstance(obj, CaseEvent)]
    if new:
        session.info.setdefault(NEW_EVENTS, []).extend(new)


@event.listens_for(db.sessionmaker, "before_commit")
def _fan_out_before_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return
    session.flush()
    events = session.info.pop(NEW_EVENTS, None)
    if events and fan_out(session, events):
        note_queued(session)


@event.listens_for(db.sessionmaker, "after_rollback")
def _forget(session: Session) -> None:
    if not session.in_nested_transaction():
        session.info.pop(NEW_EVENTS, None)


def forget_new_events(session: Session) -> None:
    """Send nothing of what this transaction wrote so far (the demo's backdated history)."""
    session.info.pop(NEW_EVENTS, None)
