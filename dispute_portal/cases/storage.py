"""Document files: streamed to disk under a server-made name, checked by content, hashed.

A file is written before its row is committed. The session remembers it, and a rollback
deletes it, so a failed request leaves no orphan file; a deleted document's file goes only
after the commit that deleted its row.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from sqlalchemy import event
from sqlalchemy.orm import Session

from ..texts import Refusal

CHUNK = 64 * 1024

# Accepted types, by what the bytes are, never by the file's name.
PDF, DOCX, PNG, JPEG = (
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "image/png",
    "image/jpeg",
)
EXTENSIONS = {PDF: ".pdf", DOCX: ".docx", PNG: ".png", JPEG: ".jpg"}


class UploadRejected(Refusal):
    """The upload is refused; nothing of it was kept."""


@dataclass(frozen=True)
class StoredFile:
    stored_name: str
    content_type: str
    size: int
    sha256: str


def sniff(path: Path) -> str | None:
    """The accepted type these bytes are, or None."""
    with path.open("rb") as fh:
        head = fh.read(16)
    if head.startswith(b"%PDF-"):
        with path.open("rb") as fh:
            fh.seek(max(0, path.stat().st_size - 2048))
            return PDF if b"%%EOF" in fh.read() else None
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as zf:
                names = set(zf.namelist())
        except (zipfile.BadZipFile, OSError):
            return None
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return DOCX
    return None


def save_upload(session: Session, stream: IO[bytes], upload_dir: str, max_bytes: int) -> StoredFile:
    """Stream to a temporary file, check size and content, then give it its final name."""
    from ..texts import N_

    directory = Path(upload_dir)
    directory.mkdir(parents=True, exist_ok=True)
    tmp = directory / f".incoming-{secrets.token_hex(16)}"
    digest = hashlib.sha256()
    size = 0
    try:
        with tmp.open("xb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise UploadRejected(
                        N_("The file is larger than %(limit)s MB."), limit=max_bytes // 2**20
                    )
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise UploadRejected(N_("The file is empty."))
        content_type = sniff(tmp)
        if content_type is None:
            raise UploadRejected(
                N_("This file is not a PDF, DOCX, PNG or JPEG document (its content was checked).")
            )
        name = secrets.token_hex(16) + EXTENSIONS[content_type]
        os.replace(tmp, directory / name)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    delete_on_rollback(session, directory / name)
    return StoredFile(name, content_type, size, digest.hexdigest())


def delete_on_rollback(session: Session, path: Path) -> None:
    """A file written for this transaction: it goes if the transaction rolls back."""
    session.info.setdefault("written_files", []).append(path)


def delete_after_commit(session: Session, path: Path) -> None:
    session.info.setdefault("doomed_files", []).append(path)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    session.info.pop("written_files", None)
    for path in session.info.pop("doomed_files", []):
        path.unlink(missing_ok=True)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    for path in session.info.pop("written_files", []):
        path.unlink(missing_ok=True)
    session.info.pop("doomed_files", None)
