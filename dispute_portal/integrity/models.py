"""The transparency log's tables: its leaves, its stored subtrees and its signed checkpoints.

Every audit event (each case's trail and the security log) and every issued ruling is a leaf,
appended in the transaction that writes the record. None of these rows is ever updated or
deleted (on PostgreSQL, triggers refuse it); the log's head is the `chain_heads` row "log".
"""

from __future__ import annotations

import datetime as dt
import enum
import json

from sqlalchemy import BigInteger, Index, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, UTCDateTime, utcnow
from .merkle import leaf_hash

LOG_HEAD = "log"  # the chain_heads row holding the log's size and root


class LeafKind(enum.StrEnum):
    EVENT = "event"  # a case's audit event: case_id, ref = its seq
    SECURITY = "security"  # an entry of the security log: ref = its seq
    RULING = "ruling"  # an issued ruling: case_id, ref = its id


class LogLeaf(Base):
    """One record in the log: which record, and the hash it had when it was written.

    `case_id` is deliberately no foreign key: a deleted case leaves its leaves behind, and
    they say what is missing. `label` is the case's number (or filing reference) at the time,
    so that a report can name a case that no longer exists.
    """

    __tablename__ = "log_leaves"
    __table_args__ = (Index("ix_log_leaves_record", "kind", "case_id", "ref"),)

    idx: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(10))
    case_id: Mapped[int | None] = mapped_column(Integer)
    ref: Mapped[int] = mapped_column(BigInteger)
    label: Mapped[str] = mapped_column(String(40))
    record_hash: Mapped[str] = mapped_column(String(64))
    leaf_hash: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


def leaf_data(kind: str, case_id: int | None, ref: int, label: str, record_hash: str) -> bytes:
    """The bytes a leaf stands for (canonical JSON), hashed as RFC 9162 hashes a leaf."""
    payload = {"v": 1, "kind": kind, "case": case_id, "ref": ref, "label": label}
    payload["hash"] = record_hash
    return json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()


def hash_leaf(kind: str, case_id: int | None, ref: int, label: str, record_hash: str) -> str:
    return leaf_hash(leaf_data(kind, case_id, ref, label, record_hash)).hex()


class LogNode(Base):
    """The hash of a complete subtree of 2**level leaves (level 0: a leaf's hash)."""

    __tablename__ = "log_nodes"

    level: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    idx: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    hash: Mapped[str] = mapped_column(String(64))


class LogCheckpoint(Base):
    """A signed checkpoint the portal wrote (its copies outside the database are what count)."""

    __tablename__ = "log_checkpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger, index=True)
    root: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
