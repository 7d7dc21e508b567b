"""`integrity verify`: the database against its transparency log, and the log against the
signed checkpoints kept outside.

1. The log: every leaf still hashes to its contents, the stored subtrees and the head agree
   with the leaves, and for each checkpoint (signature checked) the log of its size has its
   root and the consistency proof to the log's present size holds.
2. The records: every case event, security event and ruling in the database is in the log
   as it is now, and every leaf of the log is in the database.
3. The rulings: each one's file, row and issue event agree.

Rows are streamed in order and compared side by side, so memory holds one level of the tree
(the leaves' hashes), never the records.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from ..audit.models import ChainHead, SecurityEvent
from ..audit.operations import plain_rows
from ..cases.models import Case
from ..rulings.models import Ruling, display_code
from ..workflow.models import CaseEvent
from . import merkle
from .models import LOG_HEAD, LeafKind, LogLeaf, LogNode, hash_leaf
from .note import NoteError, Verifier, read_checkpoint
from .proofs import ruling_disagreement, with_nodes


@dataclass(frozen=True)
class Finding:
    subject: str  # "case ADR-2026-0001", "ruling K37J-…", "the log", "checkpoint FILE"
    detail: str

    def __str__(self) -> str:
        return f"{self.subject}: {self.detail}"


@dataclass
class Report:
    findings: list[Finding]
    leaves: int
    checkpoints: int


def verify(
    session: Session,
    verifier: Verifier | None,
    checkpoints: Iterable[tuple[str, str]],
    rulings_dir: str | Path,
) -> Report:
    """Everything wrong with the database and its log; no finding: intact."""
    notes = list(checkpoints)
    findings: list[Finding] = []
    read = [_read_checkpoint(name, note, verifier, findings) for name, note in notes]
    sizes = {cp.size for cp in read if cp is not None}
    size, roots, leaf_hashes = _replay(session, sizes, findings)
    findings += _check_stored_tree(session, size, roots, leaf_hashes)
    for name, cp in zip((name for name, _ in notes), read, strict=True):
        if cp is not None:
            findings += _check_checkpoint(session, name, cp, size, roots)
    findings += _check_records(session)
    findings += _check_rulings(session, Path(rulings_dir))
    return Report(findings, size, sum(cp is not None for cp in read))


def _read_checkpoint(
    name: str, note: str, verifier: Verifier | None, findings: list[Finding]
) -> Any:
    if verifier is None:
        findings.append(Finding(f"checkpoint {name}", "no verifier key is configured"))
        return None
    try:
        return read_checkpoint(note, verifier)
    except NoteError as exc:
        findings.append(Finding(f"checkpoint {name}", f"not a valid signed checkpoint: {exc}"))
        return None


def _replay(
    session: Session, sizes: set[int], findings: list[Finding]
) -> tuple[int, dict[int, bytes], list[bytes]]:
    """Rebuild the tree from the leaves' contents: (size, root at each size asked for and
    at the end, the leaves' hashes)."""
    tree = merkle.Frontier()
    roots: dict[int, bytes] = {0: merkle.EMPTY_ROOT} if 0 in sizes else {}
    hashes: list[bytes] = []
    altered = []
    rows = session.execute(
        select(
            LogLeaf.idx,
            LogLeaf.kind,
            LogLeaf.case_id,
            LogLeaf.ref,
            LogLeaf.label,
            LogLeaf.record_hash,
            LogLeaf.leaf_hash,
        ).order_by(LogLeaf.idx),
        execution_options={"yield_per": 2000},
    )
    for idx, kind, case_id, ref, label, record_hash, stored in rows:
        if idx != tree.size:
            findings.append(
                Finding("the log", f"leaf {tree.size} is missing (the next one is {idx})")
            )
            break
        computed = hash_leaf(kind, case_id, ref, label, record_hash)
        if computed != stored:
            altered.append(idx)
        leaf = bytes.fromhex(computed)
        hashes.append(leaf)
        tree.append(leaf)
        if tree.size in sizes:
            roots[tree.size] = tree.root()
    rows.close()
    if altered:
        findings.append(
            Finding("the log", f"{len(altered)} leaves were altered (first: leaf {altered[0]})")
        )
    roots[tree.size] = tree.root()
    return tree.size, roots, hashes


def _check_stored_tree(
    session: Session, size: int, roots: dict[int, bytes], hashes: list[bytes]
) -> list[Finding]:
    out = []
    head = session.execute(
        select(ChainHead.seq, ChainHead.hash).where(ChainHead.name == LOG_HEAD)
    ).first()
    head_size, head_root = (head.seq, head.hash) if head else (0, None)
    if head_size != size or (size and head_root != roots[size].hex()):
        out.append(
            Finding(
                "the log",
                f"its head records {head_size} leaves and another root than the "
                f"{size} leaves it holds",
            )
        )
    level, differ = hashes, 0
    for depth in range(size.bit_length()):
        if depth:
            level = [merkle.node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        stored = session.execute(
            select(LogNode.idx, LogNode.hash).where(LogNode.level == depth).order_by(LogNode.idx)
        ).all()
        differ += sum(
            idx >= len(level) or level[idx].hex() != value for idx, value in stored
        ) + max(0, len(level) - len(stored))
    if differ:
        out.append(Finding("the log", f"{differ} stored subtrees differ from what its leaves make"))
    return out


def _check_checkpoint(
    session: Session, name: str, cp: Any, size: int, roots: dict[int, bytes]
) -> list[Finding]:
    subject = f"checkpoint {name}"
    if cp.size > size:
        return [
            Finding(
                subject,
                f"it signed {cp.size} leaves but the log holds {size}: leaves were removed",
            )
        ]
    if roots[cp.size] != cp.root:
        return [
            Finding(
                subject,
                f"the log is not consistent with it: the first {cp.size} leaves were rewritten",
            )
        ]
    proof = with_nodes(session, lambda read: merkle.consistency_proof(read, cp.size, size))
    if not merkle.verify_consistency(cp.size, size, cp.root, roots[size], proof):
        return [Finding(subject, "the consistency proof from it fails: stored subtrees altered")]
    return []


# The records -------------------------------------------------------------------------------


def _leaves(session: Session, kind: LeafKind) -> Iterator[Any]:
    query = select(LogLeaf).where(LogLeaf.kind == kind.value)
    query = query.order_by(LogLeaf.case_id, LogLeaf.ref, LogLeaf.idx)
    yield from session.execute(query, execution_options={"yield_per": 2000}).scalars()


def _rows(session: Session, query: Select[Any], model: Any) -> Iterator[Any]:
    """The rows as plain values, each with the hash its columns make now (`computed`)."""
    for row in plain_rows(model, session.execute(query, execution_options={"yield_per": 2000})):
        row.computed = row.compute_hash()
        yield row


def _merge(
    leaves: Iterator[Any], rows: Iterator[Any], key_leaf: Any, key_row: Any
) -> Iterator[tuple[Any, Any]]:
    """Pairs (leaf, row) of two streams sorted by the same key; None where one lacks it."""
    leaf, row = next(leaves, None), next(rows, None)
    while leaf is not None or row is not None:
        if row is None or (leaf is not None and key_leaf(leaf) < key_row(row)):
            yield leaf, None
            leaf = next(leaves, None)
        elif leaf is None or key_row(row) < key_leaf(leaf):
            yield None, row
            row = next(rows, None)
        else:
            yield leaf, row
            leaf, row = next(leaves, None), next(rows, None)


def _check_records(session: Session) -> list[Finding]:
    names = {id_: number for id_, number in session.execute(select(Case.id, Case.number))}
    missing: Counter[int] = Counter()  # in the log, not in the database
    unlogged: Counter[int] = Counter()  # in the database, not in the log
    altered: defaultdict[int, list[int]] = defaultdict(list)
    labels: dict[int, str] = {}
    events = _rows(
        session,
        select(*CaseEvent.__table__.columns).order_by(CaseEvent.case_id, CaseEvent.seq),
        CaseEvent,
    )
    for leaf, row in _merge(
        _leaves(session, LeafKind.EVENT),
        events,
        lambda leaf: (leaf.case_id, leaf.ref),
        lambda row: (row.case_id, row.seq),
    ):
        if leaf is not None:
            labels[leaf.case_id] = leaf.label
        if row is None:
            missing[leaf.case_id] += 1
        elif leaf is None:
            unlogged[row.case_id] += 1
        elif leaf.record_hash != row.computed or row.hash != row.computed:
            altered[row.case_id].append(row.seq)
    out = []
    for case_id in sorted({*missing, *unlogged, *altered}):
        subject = f"case {names.get(case_id) or labels.get(case_id) or f'F-{case_id:06d}'}"
        if n := missing[case_id]:
            out.append(Finding(subject, f"{n} events in the log are missing from the database"))
        if n := unlogged[case_id]:
            out.append(Finding(subject, f"{n} events in the database are not in the log"))
        if seqs := altered[case_id]:
            out.append(Finding(subject, f"events altered since they were logged: seq {seqs}"))
    out += _check_security_log(session)
    return out


def _check_security_log(session: Session) -> list[Finding]:
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    rows = _rows(
        session, select(*SecurityEvent.__table__.columns).order_by(SecurityEvent.seq), SecurityEvent
    )
    for leaf, row in _merge(
        _leaves(session, LeafKind.SECURITY), rows, lambda leaf: leaf.ref, lambda row: row.seq
    ):
        problem = (
            "missing from the database"
            if row is None
            else "not in the log"
            if leaf is None
            else "altered since they were logged"
            if leaf.record_hash != row.computed or row.hash != row.computed
            else None
        )
        if problem:
            counts[problem] += 1
            first.setdefault(problem, leaf.ref if leaf is not None else row.seq)
    return [
        Finding("security log", f"{n} entries {problem} (first: seq {first[problem]})")
        for problem, n in counts.items()
    ]


def _check_rulings(session: Session, directory: Path) -> list[Finding]:
    issued: dict[tuple[int, str], Any] = {}
    for row in session.execute(
        select(CaseEvent.case_id, CaseEvent.data).where(CaseEvent.action == "issue_ruling")
    ):
        data: dict[str, Any] = row.data or {}
        if data.get("code"):
            issued[(row.case_id, data["code"])] = data
    out = []
    rulings = session.execute(select(Ruling).order_by(Ruling.id)).scalars()
    for leaf, ruling in _merge(
        _leaves_by_ref(session), iter(rulings), lambda leaf: leaf.ref, lambda r: r.id
    ):
        if ruling is None:
            out.append(Finding(f"ruling {leaf.label}", "in the log but missing from the database"))
            continue
        code = display_code(ruling.verification_code)
        problem = _ruling_problem(ruling, leaf, issued.get((ruling.case_id, code)), directory)
        if problem:
            out.append(Finding(f"ruling {code}", problem))
    return out


def _leaves_by_ref(session: Session) -> Iterator[Any]:
    query = select(LogLeaf).where(LogLeaf.kind == LeafKind.RULING.value)
    yield from session.execute(query.order_by(LogLeaf.ref, LogLeaf.idx)).scalars()


def _ruling_problem(ruling: Ruling, leaf: Any, issued: Any, directory: Path) -> str | None:
    if problem := ruling_disagreement(ruling, leaf, issued):
        return problem
    path = directory / ruling.stored_name
    if not path.is_file():
        return f"its file {ruling.stored_name} is missing"
    if hashlib.sha256(path.read_bytes()).hexdigest() != ruling.sha256:
        return "its file differs from the hash it was issued with: tampered"
    return None
