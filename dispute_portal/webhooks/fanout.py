"""What each event of a case's trail sends, and to whom: when a transaction that wrote
events commits, each active subscription to their type gets a delivery of each event its
owner may read there, in the same transaction (the outbox). The owner is asked exactly as
the API asks: may they see the case (and, for an OAuth client, is it one of its cases), may
they read its trail, and may they read this event. A rollback sends nothing.

After the commit, the request's teardown (views.py) hands the sending to the job queue."""

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

NEW_EVENTS = "webhooks.new_events"
QUEUED = "webhooks.queued"
COMMITTED = "webhooks.committed"


def fan_out(session: Session, events: list[CaseEvent]) -> int:
    """The deliveries of these events, added to the session; how many."""
    wanted = [  # a savepoint rolled back takes its events with it: they are not persistent
        e for e in events if inspect(e).persistent and f"case.{e.action}" in EVENT_TYPES
    ]
    if not wanted:
        return 0
    subscriptions = list(session.scalars(select(Subscription).where(Subscription.active)))
    made = 0
    for subscription in subscriptions:
        for case_event in wanted:
            kind = f"case.{case_event.action}"
            if not ({kind, ALL} & set(subscription.event_types)):
                continue
            case = session.get(Case, case_event.case_id)
            if case is None or not _may_read(session, subscription, case, case_event):
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


def _may_read(session: Session, subscription: Subscription, case: Case, event: CaseEvent) -> bool:
    owner, client = subscription.user, subscription.client
    if not in_force(subscription):
        return False
    seen = policy.visible_cases(owner).with_only_columns(Case.id).where(Case.id == case.id)
    if client is not None and (narrowed := clients.within(client)) is not None:
        seen = seen.where(narrowed)
    if session.scalar(seen) is None:
        return False
    roles = policy.case_roles(owner, case)
    return policy.can(owner, policy.TRAIL, case, roles=roles) and policy.may_read_event(
        owner, case, event, roles
    )


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
# commits (an act flushes several times); a rollback forgets them.
@event.listens_for(db.sessionmaker, "after_flush")
def _note_events(session: Session, _context: Any) -> None:
    new = [obj for obj in session.new if isinstance(obj, CaseEvent)]
    if new:
        session.info.setdefault(NEW_EVENTS, []).extend(new)


@event.listens_for(db.sessionmaker, "before_commit")
def _fan_out_before_commit(session: Session) -> None:
    session.flush()
    events = session.info.pop(NEW_EVENTS, None)
    if events and fan_out(session, events):
        session.info[QUEUED] = True


@event.listens_for(db.sessionmaker, "after_commit")
def _committed(session: Session) -> None:
    if session.info.pop(QUEUED, False):
        session.info[COMMITTED] = True


@event.listens_for(db.sessionmaker, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(NEW_EVENTS, None)
    session.info.pop(QUEUED, None)


def forget_new_events(session: Session) -> None:
    """Send nothing of what this transaction wrote so far (the demo's backdated history)."""
    session.info.pop(NEW_EVENTS, None)


def committed_deliveries(session: Session) -> bool:
    """Whether this session committed deliveries since it was last asked."""
    return bool(session.info.pop(COMMITTED, False))
