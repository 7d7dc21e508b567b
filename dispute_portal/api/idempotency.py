"""Idempotency keys of the API's writes (IETF draft "The Idempotency-Key HTTP Header
Field"): a program that did not hear the answer to a POST sends it again with the same key,
and gets the first answer instead of a second submission. A key is the caller's own (two
callers' keys never meet) and is kept for KEEP; after that it may be used afresh."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..db import utcnow
from .models import IdempotentRequest

KEEP = dt.timedelta(hours=24)
RUNNING = 0  # the status of a request whose answer is not written yet


def find(session: Session, caller: str, key: str) -> IdempotentRequest | None:
    """The earlier request with this key, if it is still kept."""
    return session.scalar(
        select(IdempotentRequest).where(
            IdempotentRequest.caller == caller,
            IdempotentRequest.key == key,
            IdempotentRequest.created_at > utcnow() - KEEP,
        )
    )


def claim(session: Session, caller: str, key: str, fingerprint: str) -> IdempotentRequest | None:
    """Take the key for this request, in its transaction: the row, or None when another
    request with the key committed first (on PostgreSQL the insert waits for it to end;
    on SQLite writes are one at a time, so `find` saw it already). On None the session was
    rolled back: nothing of this request is left."""
    session.execute(  # the caller's keys past keeping (this one too, if it is): swept
        delete(IdempotentRequest).where(
            IdempotentRequest.caller == caller,
            IdempotentRequest.created_at <= utcnow() - KEEP,
        )
    )
    row = IdempotentRequest(
        caller=caller, key=key, fingerprint=fingerprint, status=RUNNING, body="", headers={}
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        session.rollback()
        return None
    return row


def complete(row: IdempotentRequest, status: int, body: str, headers: dict[str, str]) -> None:
    """The answer given, kept with the key (committed with what the request did)."""
    row.status, row.body, row.headers = status, body, headers
