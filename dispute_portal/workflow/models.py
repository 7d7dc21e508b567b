"""The audit trail: one row per event, each hash-chained to the one before it in its case."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, object_session, relationship

from ..auth.models import User
from ..db import Base, UTCDateTime

GENESIS = "0" * 64


class CaseEvent(Base):
    __tablename__ = "case_events"
    __table_args__ = (UniqueConstraint("case_id", "seq", name="case_seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(40))
    from_state: Mapped[str] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor_name: Mapped[str] = mapped_column(String(200))
    actor_role: Mapped[str] = mapped_column(String(20))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    note: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)

    actor: Mapped[User | None] = relationship()

    @property
    def changes_state(self) -> bool:
        return self.from_state != self.to_state

    def compute_hash(self) -> str:
        payload = {
            "case_id": self.case_id,
            "seq": self.seq,
            "action": self.action,
            "from": self.from_state,
            "to": self.to_state,
            "actor_id": self.actor_id,
            "actor_name": self.actor_name,
            "actor_role": self.actor_role,
            "at": self.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
            "note": self.note,
            "data": self.data,
            "prev": self.prev_hash,
        }
        blob = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(blob.encode()).hexdigest()


def append_event(
    case: Any,
    *,
    action: str,
    actor: User | None,
    at: dt.datetime,
    from_state: str,
    to_state: str,
    note: str | None,
    data: dict[str, Any] | None,
) -> CaseEvent:
    session = object_session(case)
    assert session is not None, "the case must belong to a session"
    session.flush()  # the case needs its id, and its version check runs now
    last = session.execute(
        select(CaseEvent.seq, CaseEvent.hash)
        .where(CaseEvent.case_id == case.id)
        .order_by(CaseEvent.seq.desc())
        .limit(1)
    ).first()
    event = CaseEvent(
        case_id=case.id,
        seq=(last.seq + 1) if last else 1,
        action=action,
        from_state=str(from_state),
        to_state=str(to_state),
        actor_id=actor.id if actor else None,
        actor_name=actor.name if actor else "system",
        actor_role=actor.role.value if actor else "system",
        at=at,
        note=note,
        data=data,
        prev_hash=last.hash if last else GENESIS,
    )
    event.hash = event.compute_hash()
    case.events.append(event)
    session.flush()
    return event


def verify_chain(events: list[CaseEvent]) -> int | None:
    """The seq of the first event that breaks the chain, or None if it is intact."""
    prev = GENESIS
    for expected_seq, event in enumerate(events, start=1):
        if event.seq != expected_seq or event.prev_hash != prev:
            return event.seq
        if event.compute_hash() != event.hash:
            return event.seq
        prev = event.hash
    return None
