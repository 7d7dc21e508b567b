"""The security log (logins, account changes) as a hash chain, and the head rows that keep
appends in order (the security log's, the transparency log's)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from ..db import Base, UTCDateTime, upsert_insert
from ..workflow.models import GENESIS, chain_hash


class ChainHead(Base):
    """The last link of a chain that has no case row to lock (the security log).

    Appending locks this row, so two logins at the same moment cannot fork the chain.
    """

    __tablename__ = "chain_heads"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    hash: Mapped[str] = mapped_column(String(64))
    # The transparency log's head only: the right edge of its tree (the hashes of its
    # complete subtrees, largest first, hex, space-separated), so an append reads no node.
    frontier: Mapped[str | None] = mapped_column(Text)


class SecurityEvent(Base):
    """Logins, failed logins, logouts and account changes: who, what, when, from where."""

    __tablename__ = "security_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    action: Mapped[str] = mapped_column(String(40))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    email: Mapped[str | None] = mapped_column(String(254))
    ip: Mapped[str | None] = mapped_column(String(45))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)

    def compute_hash(self) -> str:
        return chain_hash(
            {
                "seq": self.seq,
                "action": self.action,
                "user_id": self.user_id,
                "email": self.email,
                "ip": self.ip,
                "at": self.at,
                "data": self.data,
                "prev": self.prev_hash,
            }
        )


def locked_head(session: Session, name: str) -> ChainHead:
    """The chain's head row, locked until the transaction ends; created on first use.

    Two first appenders may both find no row: the insert that loses the race does nothing,
    and both then queue on the one row.
    """
    query = (
        select(ChainHead)
        .where(ChainHead.name == name)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    head = session.scalar(query)
    if head is None:
        session.execute(
            upsert_insert(session)(ChainHead)
            .values(name=name, seq=0, hash=GENESIS)
            .on_conflict_do_nothing(index_elements=["name"])
        )
        head = session.scalar(query)
        assert head is not None
    return head
