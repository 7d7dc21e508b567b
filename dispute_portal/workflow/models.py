"""The audit trail: one row per event, each hash-chained to the one before it in its case."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import (
    JSON,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    column,
    select,
    table,
    text,
    update,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..db import Base, UTCDateTime, session_of, utcnow

if TYPE_CHECKING:  # the case model imports this module for its events: a real import circles
    from ..cases.models import Case

GENESIS = "0" * 64

# Where the current request comes from (set per request by the app; None from the CLI).
origin: ContextVar[str | None] = ContextVar("origin", default=None)


def chain_hash(payload: dict[str, Any]) -> str:
    """SHA-256 of a canonical JSON of the payload (datetimes as UTC ISO strings)."""

    def plain(value: Any) -> Any:
        if isinstance(value, dt.datetime):
            return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
        return value

    canonical = {key: plain(value) for key, value in payload.items()}
    blob = json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()


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
    ip: Mapped[str | None] = mapped_column(String(45))
    # Who may read this event besides the clerk: None is everyone on the case; otherwise a
    # document visibility (cases.models.Visibility) that the event inherits.
    visibility: Mapped[str | None] = mapped_column(String(10))
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
            "at": self.at,
            "note": self.note,
            "data": self.data,
            "prev": self.prev_hash,
        }
        # Added later: hashed only when set, so the chains written before them still verify.
        if self.ip is not None:
            payload["ip"] = self.ip
        if self.visibility is not None:
            payload["visibility"] = self.visibility
        return chain_hash(payload)


def append_event(
    case: Case,
    *,
    action: str,
    actor: User | None,
    at: dt.datetime,
    from_state: str,
    to_state: str,
    note: str | None,
    data: dict[str, Any] | None,
    visibility: str | None = None,
) -> CaseEvent:
    session = session_of(case)
    session.flush()  # the case needs its id, and its version check runs now
    if session.get_bind().dialect.name == "postgresql":
        # Appends to one chain queue on the case row (a transition already holds it; a
        # download or an upload may not), so two writers cannot both take the next seq.
        session.execute(text("SELECT id FROM cases WHERE id = :id FOR UPDATE"), {"id": case.id})
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
        ip=origin.get(),
        visibility=visibility,
        prev_hash=last.hash if last else GENESIS,
    )
    event.hash = event.compute_hash()
    case.events.append(event)
    session.flush()
    # The case remembers its chain's last link, so events cut off the end are seen too.
    # A plain UPDATE: reading a document must not make everyone's open forms stale.
    session.execute(update(_CASES).where(_CASES.c.id == case.id).values(audit_head=event.hash))
    return event


_CASES = table("cases", column("id"), column("audit_head"))


def record(
    user: User | None,
    case: Case,
    action: str,
    *,
    note: str | None = None,
    data: dict[str, Any] | None = None,
    visibility: str | None = None,
) -> CaseEvent:
    """Audit something that does not change the state (a document added, a download)."""
    return append_event(
        case,
        action=action,
        actor=user,
        at=utcnow(),
        from_state=case.state,
        to_state=case.state,
        note=note,
        data=data,
        visibility=visibility,
    )


class Chained(Protocol):
    """A link of a hash chain: a case event, or an entry of the security log."""

    @property
    def seq(self) -> int: ...
    @property
    def prev_hash(self) -> str: ...
    @property
    def hash(self) -> str: ...
    def compute_hash(self) -> str: ...


def verify_chain(events: Iterable[Chained]) -> int | None:
    """The seq of the first event that breaks the chain, or None if it is intact.

    Works for any chained rows with seq, prev_hash, hash and compute_hash() (case events,
    the security log).
    """
    prev = GENESIS
    for expected_seq, event in enumerate(events, start=1):
        if event.seq != expected_seq or event.prev_hash != prev:
            return event.seq
        if event.compute_hash() != event.hash:
            return event.seq
        prev = event.hash
    return None
