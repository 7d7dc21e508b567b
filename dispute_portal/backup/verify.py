"""The check of the stored files of a running installation (`flask documents verify`).

Every document file is compared with its row's SHA-256 and size, every ruling PDF with the
ruling's: a file that is missing, altered, not a regular file or stored under a name that
is not a plain file name is reported, one line each. Nothing is written.
"""

from __future__ import annotations

import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..cases.models import Case, Document
from ..rulings.models import Ruling
from .codec import BATCH, SAFE_NAME, file_hash


@dataclass
class VerifyReport:
    documents: int
    rulings: int
    problems: list[str] = field(default_factory=list)


def verify_documents(session: Session, config: Mapping[str, Any]) -> VerifyReport:
    """Every document file against its row's sha256 and size, every ruling PDF against the
    ruling's; the problems found, one line each (none: the archive is intact)."""
    problems: list[str] = []
    counts = {"document": 0, "ruling": 0}
    queries = [
        (
            "document",
            Path(config["UPLOAD_DIR"]),
            sa.select(
                Document.id,
                Document.stored_name,
                Document.sha256,
                Document.size,
                Case.number,
                Case.id,
                Document.original_name,
            )
            .join(Case, Case.id == Document.case_id)
            .order_by(Document.id),
        ),
        (
            "ruling",
            Path(config["RULINGS_DIR"]),
            sa.select(
                Ruling.id,
                Ruling.stored_name,
                Ruling.sha256,
                Ruling.size,
                Case.number,
                Case.id,
                Ruling.kind,
            )
            .join(Case, Case.id == Ruling.case_id)
            .order_by(Ruling.id),
        ),
    ]
    for what, folder, query in queries:
        result = session.execute(query, execution_options={"yield_per": BATCH})
        try:
            for row_id, name, sha256, size, number, case_id, label in result:
                counts[what] += 1
                problem = _check_file(folder, name, sha256, size)
                if problem:
                    reference = number or f"F-{case_id:06d}"
                    problems.append(
                        f"{what} {row_id} ({reference}, {label}, file {name}): {problem}"
                    )
        finally:
            result.close()
    return VerifyReport(counts["document"], counts["ruling"], problems)


def _check_file(folder: Path, name: str, sha256: str, size: int) -> str | None:
    if not SAFE_NAME.match(name or ""):
        return "the stored name is not a plain file name"
    path = folder / name
    try:
        info = path.lstat()
    except FileNotFoundError:
        return "missing"
    except OSError as exc:
        return f"unreadable ({exc.strerror})"
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file"
    if info.st_size != size:
        return f"altered (size {info.st_size}, recorded {size})"
    try:
        digest, _ = file_hash(path)
    except OSError as exc:
        return f"unreadable ({exc.strerror})"
    if digest != sha256:
        return "altered (its SHA-256 differs from the recorded one)"
    return None
