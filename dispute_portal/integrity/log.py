"""Appending to the transparency log: every new audit event and ruling becomes a leaf.

The session collects the records each flush inserts (case events, security events,
rulings); just before the transaction commits, it appends them to the log in one go: it
locks the log's head row, writes one leaf per record and the subtrees they complete, and
moves the head. Taking the head last keeps the lock short and after every case-row lock, so
two transactions cannot deadlock on it; a record rolled back with a savepoint is left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import and_, event, insert, inspect, or_, select
from sqlalchemy.orm import Session, UOWTransaction

from ..audit.models import SecurityEvent, locked_head
from ..cases.models import Case
from ..rulings.models import Ruling, display_code
from ..workflow.models import CaseEvent
from .merkle import Frontier
from .models import LOG_HEAD, LeafKind, LogLeaf, LogNode, hash_leaf

_PENDING = "transparency_log_pending"
LOGGED = (CaseEvent, SecurityEvent, Ruling)


def install() -> None:
    """Hook the log into every session (idempotent; the app factory calls it)."""
    if not event.contains(Session, "after_flush", _collect):
        event.listen(Session, "after_flush", _collect)
        event.listen(Session, "before_commit", _append_pending)


def _collect(session: Session, _flush: UOWTransaction) -> None:
    new = [obj for obj in session.new if isinstance(obj, LOGGED)]
    if new:
        session.info.setdefault(_PENDING, []).extend(new)


def _append_pending(session: Session) -> None:
    # A savepoint's release is no commit: the head is taken when the whole transaction
    # commits, after every lock it takes, or two transactions could wait on each other.
    if session.in_nested_transaction() or not session.info.get(_PENDING):
        return
    session.flush()  # what is still pending is collected too
    pending = session.info.pop(_PENDING, [])
    records = [obj for obj in pending if inspect(obj).persistent]
    if records:
        append(session, records)


def _order(obj: Any) -> tuple[int, int]:
    return (LOGGED.index(type(obj)), obj.id)


def describe(session: Session, records: Iterable[Any]) -> list[dict[str, Any]]:
    """Each record as the leaf that stands for it (without its index)."""
    records = sorted(records, key=_order)
    case_ids = {r.case_id for r in records if not isinstance(r, SecurityEvent)}
    numbers: dict[int, str | None] = {}
    if case_ids:
        query = select(Case.id, Case.number).where(Case.id.in_(case_ids))
        numbers = {id_: number for id_, number in session.execute(query)}
    leaves = []
    for record in records:
        if isinstance(record, CaseEvent):
            kind, case_id, ref = LeafKind.EVENT, record.case_id, record.seq
            label = numbers.get(case_id) or f"F-{case_id:06d}"
            record_hash = record.compute_hash()
        elif isinstance(record, SecurityEvent):
            kind, case_id, ref, label = LeafKind.SECURITY, None, record.seq, "security log"
            record_hash = record.compute_hash()
        else:
            kind, case_id, ref = LeafKind.RULING, record.case_id, record.id
            label = display_code(record.verification_code)
            record_hash = record.record_hash()
        leaves.append(
            {
                "kind": kind.value,
                "case_id": case_id,
                "ref": ref,
                "label": label,
                "record_hash": record_hash,
                "leaf_hash": hash_leaf(kind.value, case_id, ref, label, record_hash),
            }
        )
    return leaves


def read_nodes(session: Session, keys: Iterable[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
    """The stored hashes of these complete subtrees ((level, index); level 0 is a leaf)."""
    keys = set(keys)
    found: dict[tuple[int, int], bytes] = {}
    by_level: dict[int, list[int]] = {}
    for level, index in sorted(keys):
        by_level.setdefault(level, []).append(index)
    # One condition per level (level = ? AND idx IN (…)): both databases walk the primary
    # key for it, where a row-value IN made SQLite read the whole table.
    conditions = [
        and_(LogNode.level == level, LogNode.idx.in_(indexes))
        for level, indexes in by_level.items()
    ]
    if conditions:
        query = select(LogNode.level, LogNode.idx, LogNode.hash).where(or_(*conditions))
        for level, index, value in session.execute(query):
            found[(level, index)] = bytes.fromhex(value)
    missing = keys - found.keys()
    if missing:
        raise LookupError(f"the log lacks stored subtrees {sorted(missing)[:5]}")
    return found


def append(session: Session, records: Iterable[Any]) -> None:
    """Append the records to the log, in this transaction, under the log head's lock.

    The same statements whatever the log's size (its head row carries the tree's right
    edge), so the work of a request never depends on how many came before it.
    """
    leaves = describe(session, records)
    if not leaves:
        return
    head = locked_head(session, LOG_HEAD)
    edge = [bytes.fromhex(h) for h in (head.frontier or "").split()]
    tree = Frontier(head.seq, edge)
    nodes = []
    for leaf in leaves:
        leaf["idx"] = tree.size
        leaf_hash = bytes.fromhex(leaf["leaf_hash"])
        nodes.append({"level": 0, "idx": tree.size, "hash": leaf["leaf_hash"]})
        made = tree.append(leaf_hash)
        nodes += [{"level": level, "idx": index, "hash": h.hex()} for level, index, h in made]
    session.execute(insert(LogLeaf), leaves)
    session.execute(insert(LogNode), nodes)
    head.seq, head.hash = tree.size, tree.root().hex()
    head.frontier = " ".join(h.hex() for h in tree.hashes)
    session.flush()
