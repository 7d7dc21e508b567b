"""What the log proves about one record: is it in the log as it is now, and where.

Read from the stored subtrees: a root, an inclusion proof or a consistency proof costs one
query for the subtrees it needs, whatever the size of the log.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit.models import ChainHead
from ..rulings.models import Ruling, display_code
from ..workflow.models import CaseEvent
from . import merkle
from .log import read_nodes
from .models import LOG_HEAD, LeafKind, LogCheckpoint, LogLeaf, hash_leaf

T = TypeVar("T")


def with_nodes(session: Session, compute: Callable[[merkle.NodeReader], T]) -> T:
    """Run a computation over the tree with the subtrees it needs read in one go: a first
    run notes which it asks for, the second gets them."""
    wanted: set[tuple[int, int]] = set()

    def note(level: int, index: int) -> bytes:
        wanted.add((level, index))
        return bytes(32)

    compute(note)
    found = read_nodes(session, wanted)
    return compute(lambda level, index: found[(level, index)])


def log_size(session: Session) -> int:
    return session.scalar(select(ChainHead.seq).where(ChainHead.name == LOG_HEAD)) or 0


def tree_root(session: Session, size: int) -> bytes:
    return with_nodes(session, lambda read: merkle.root(read, size))


def latest_checkpoint(session: Session) -> LogCheckpoint | None:
    return session.scalar(
        select(LogCheckpoint).order_by(LogCheckpoint.size.desc(), LogCheckpoint.id.desc())
    )


def find_leaf(session: Session, kind: LeafKind, case_id: int | None, ref: int) -> LogLeaf | None:
    query = select(LogLeaf).where(LogLeaf.kind == kind.value, LogLeaf.ref == ref)
    query = query.where(
        LogLeaf.case_id.is_(None) if case_id is None else LogLeaf.case_id == case_id
    )
    return session.scalars(query.order_by(LogLeaf.idx)).first()


def leaf_intact(leaf: LogLeaf) -> bool:
    """Whether the leaf row still hashes to what the tree holds for it."""
    expected = hash_leaf(leaf.kind, leaf.case_id, leaf.ref, leaf.label, leaf.record_hash)
    return expected == leaf.leaf_hash


def ruling_problem(session: Session, ruling: Ruling) -> str | None:
    """Why this ruling row cannot be trusted, or None: it must agree with the audit event
    that recorded its issue, and be in the log as it is now (as must that event)."""
    issued = issue_event(session, ruling)
    leaf = find_leaf(session, LeafKind.RULING, ruling.case_id, ruling.id)
    if problem := ruling_disagreement(ruling, leaf, issued.data if issued else None):
        return problem
    assert issued is not None
    event_leaf = find_leaf(session, LeafKind.EVENT, issued.case_id, issued.seq)
    if event_leaf is None or event_leaf.record_hash != issued.compute_hash():
        return "the ruling's issue event differs from the transparency log: tampered"
    return None


def ruling_disagreement(
    ruling: Ruling, leaf: LogLeaf | None, issued: dict[str, Any] | None
) -> str | None:
    """What is wrong between a ruling's row, its leaf and the data of its issue event."""
    if issued is None:
        return "no issue event in its case's trail names it"
    if issued.get("sha256") != ruling.sha256:
        return "row hash differs from its issue event: tampered"
    if leaf is None:
        return "not in the transparency log: inserted or rewritten"
    if not leaf_intact(leaf) or leaf.record_hash != ruling.record_hash():
        return "the row differs from the transparency log: tampered"
    return None


def issue_event(session: Session, ruling: Ruling) -> CaseEvent | None:
    """The audit event that recorded the ruling's issue (it names the ruling's code)."""
    code = display_code(ruling.verification_code)
    events = session.scalars(
        select(CaseEvent)
        .where(CaseEvent.case_id == ruling.case_id, CaseEvent.action == "issue_ruling")
        .order_by(CaseEvent.seq)
    )
    return next((e for e in events if (e.data or {}).get("code") == code), None)


@dataclass(frozen=True)
class Inclusion:
    """A leaf's place in a checkpoint's tree, with the proof anyone can check."""

    index: int
    leaf_hash: bytes
    checkpoint: LogCheckpoint
    proof: list[bytes]

    @property
    def holds(self) -> bool:
        return merkle.verify_inclusion(
            self.leaf_hash,
            self.index,
            self.checkpoint.size,
            self.proof,
            bytes.fromhex(self.checkpoint.root),
        )


def inclusion(session: Session, leaf: LogLeaf, checkpoint: LogCheckpoint) -> Inclusion | None:
    """The proof that `leaf` is in `checkpoint`'s tree; None if it came after it."""
    if leaf.idx >= checkpoint.size:
        return None
    proof = with_nodes(
        session, lambda read: merkle.inclusion_proof(read, leaf.idx, checkpoint.size)
    )
    return Inclusion(leaf.idx, bytes.fromhex(leaf.leaf_hash), checkpoint, proof)


@dataclass(frozen=True)
class RulingInLog:
    """Where an issued ruling stands in the log: its leaf, and its inclusion proof against
    the latest checkpoint (None while no checkpoint covers it yet)."""

    leaf: LogLeaf
    inclusion: Inclusion | None

    @property
    def holds(self) -> bool:
        return self.inclusion is None or self.inclusion.holds


def ruling_inclusion(session: Session, ruling: Ruling) -> RulingInLog | None:
    leaf = find_leaf(session, LeafKind.RULING, ruling.case_id, ruling.id)
    if leaf is None:
        return None
    latest = latest_checkpoint(session)
    return RulingInLog(leaf, inclusion(session, leaf, latest) if latest else None)


def tampered_rulings(session: Session) -> dict[int, tuple[Ruling, str]]:
    """Every ruling whose row fails its check against the log: {id: (ruling, why)}."""
    return {
        ruling.id: (ruling, problem)
        for ruling in session.scalars(
            select(Ruling).order_by(Ruling.id).execution_options(populate_existing=True)
        )
        if (problem := ruling_problem(session, ruling))
    }
