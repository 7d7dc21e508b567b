"""Whether a transaction queued deliveries, and committed them: the request's teardown
(views.py) then hands the sending to the job queue. A rollback forgets. Only the whole
transaction's end counts, not a savepoint's (SQLAlchemy tells these hooks of both)."""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session

from ..db import db

QUEUED = "webhooks.queued"
COMMITTED = "webhooks.committed"


def note_queued(session: Session) -> None:
    """This transaction queued deliveries (a fan-out, a delivery sent again)."""
    session.info[QUEUED] = True


def committed_deliveries(session: Session) -> bool:
    """Whether this session committed deliveries since it was last asked."""
    return bool(session.info.pop(COMMITTED, False))


@event.listens_for(db.sessionmaker, "after_commit")
def _committed(session: Session) -> None:
    if not session.in_nested_transaction() and session.info.pop(QUEUED, False):
        session.info[COMMITTED] = True


@event.listens_for(db.sessionmaker, "after_rollback")
def _forget(session: Session) -> None:
    if not session.in_nested_transaction():
        session.info.pop(QUEUED, None)
