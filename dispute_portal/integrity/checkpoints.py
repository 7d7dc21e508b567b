"""Signed checkpoints of the log, and the witnesses that keep them outside the database.

The signer key never enters the database: it comes from INTEGRITY_KEY (the key itself, from
a secret store) or INTEGRITY_KEY_FILE. The web portal needs only the verifier key
(INTEGRITY_VERIFIER_KEY, or derived from the signer key where one is configured); the cron
command that writes checkpoints needs the signer key.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit.models import locked_head
from ..notices.models import OutboxMessage
from .models import LOG_HEAD, LogCheckpoint
from .note import Checkpoint, NoteError, Signer, Verifier, read_checkpoint
from .proofs import latest_checkpoint, tree_root


@dataclass(frozen=True)
class PublishedLog:
    """What /verify shows of the log: the latest checkpoint and the key that checks it."""

    checkpoint: LogCheckpoint | None
    verifier_key: str | None


def published(session: Session, config: Mapping[str, Any]) -> PublishedLog:
    try:
        verifier = verifier_from(config)
    except (OSError, ValueError):
        verifier = None  # a broken key is refused at start in production; the page still works
    return PublishedLog(latest_checkpoint(session), verifier.encode() if verifier else None)


class CheckpointRefused(Exception):
    """The log cannot be signed as it stands (it no longer extends the last checkpoint)."""


def default_key_name(config: Mapping[str, Any]) -> str:
    """The log's name (a checkpoint's origin): the portal's public host and /log."""
    host = urlsplit(str(config.get("PUBLIC_BASE_URL") or "")).hostname or "localhost"
    return f"{host}/transparency-log"


def signer_from(config: Mapping[str, Any]) -> Signer | None:
    """The signer key from INTEGRITY_KEY or INTEGRITY_KEY_FILE, if either is set."""
    text = config.get("INTEGRITY_KEY")
    path = config.get("INTEGRITY_KEY_FILE")
    if not text and path and Path(path).is_file():
        text = Path(path).read_text(encoding="ascii")
    return Signer.decode(text) if text else None


def verifier_from(config: Mapping[str, Any]) -> Verifier | None:
    """The key that checks checkpoints: INTEGRITY_VERIFIER_KEY, else the signer key's."""
    if text := config.get("INTEGRITY_VERIFIER_KEY"):
        return Verifier.decode(text)
    signer = signer_from(config)
    return signer.verifier if signer else None


def write_key(path: Path, signer: Signer) -> None:
    """Write the signer key to a new file only its owner can read."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(signer.encode() + "\n")


def sign_checkpoint(session: Session, signer: Signer) -> tuple[LogCheckpoint, bool]:
    """Sign the log as it stands now; (the checkpoint, whether it is new).

    Refused when the stored tree no longer extends the last checkpoint (someone rewrote
    it): a signer must never vouch for a forked log. Nothing new since the last one: that
    one is returned.
    """
    head = locked_head(session, LOG_HEAD)  # the size cannot move while we sign it
    size = head.seq
    last = latest_checkpoint(session)
    if last is not None:
        if last.size > size:
            raise CheckpointRefused(
                f"the log holds {size} leaves, fewer than the {last.size} of its last checkpoint"
            )
        try:
            last_cp = read_checkpoint(last.note, signer.verifier)
        except NoteError as exc:
            raise CheckpointRefused(
                f"the last checkpoint does not open with this key: {exc}"
            ) from exc
        if tree_root(session, last_cp.size) != last_cp.root:
            raise CheckpointRefused(
                f"the stored log no longer matches its checkpoint of size {last_cp.size}"
            )
        if last.size == size:
            return last, False
    root = tree_root(session, size)
    if size and root.hex() != head.hash:
        raise CheckpointRefused("the log's head does not match its stored tree")
    note = signer.sign(Checkpoint(signer.name, size, root).text())
    checkpoint = LogCheckpoint(size=size, root=root.hex(), note=note)
    session.add(checkpoint)
    session.flush()
    return checkpoint, True


def witness_dir_notes(directory: str | Path | None) -> list[tuple[str, str]]:
    """The checkpoints kept in a witness directory: (file name, note)."""
    if not directory or not Path(directory).is_dir():
        return []
    return [
        (str(path), path.read_text(encoding="utf-8"))
        for path in sorted(Path(directory).glob("*.checkpoint"))
    ]


def hand_to_witnesses(
    session: Session, config: Mapping[str, Any], checkpoint: LogCheckpoint
) -> list[str]:
    """Give the checkpoint to every configured witness; what was done, for the log line."""
    done = []
    directory = config.get("INTEGRITY_WITNESS_DIR")
    if directory:
        folder = Path(directory)
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{checkpoint.size:012d}.checkpoint"
        if not target.exists():
            partial = target.with_suffix(".partial")
            partial.write_text(checkpoint.note, encoding="utf-8")
            partial.replace(target)  # a reader never sees half a checkpoint
        done.append(f"written to {target}")
    for address in _addresses(config.get("INTEGRITY_WITNESS_EMAIL")):
        session.add(
            OutboxMessage(
                to_email=address,
                subject=f"Transparency log checkpoint {checkpoint.size}",
                body="Keep this signed checkpoint of the Dispute Portal's transparency log.\n"
                "`flask --app wsgi integrity verify --checkpoint FILE` checks the log "
                "against it.\n\n" + checkpoint.note,
            )
        )
        done.append(f"e-mailed to {address}")
    return done


def _addresses(value: Any) -> list[str]:
    return [a.strip() for a in str(value or "").split(",") if a.strip()]


def checkpoint_notes(session: Session) -> list[tuple[str, str]]:
    """The checkpoints the database keeps: (name, note). They count only as far as their
    signatures hold; the copies outside are what an insider cannot remove."""
    rows = session.execute(select(LogCheckpoint.size, LogCheckpoint.note)).all()
    return [(f"stored checkpoint {size}", note) for size, note in rows]
