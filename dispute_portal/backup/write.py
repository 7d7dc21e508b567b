"""Writing a backup: every table, document, ruling and print batch, then the manifest.

The backup reads one consistent snapshot of the database (`reading_session`) and writes
only new files into a new or empty directory, hashing each as it goes; the manifest is
renamed into place last, so a directory with a manifest holds a complete backup. If
anything fails, everything written is removed again. The format is described in `codec`.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa
from sqlalchemy.orm import InstrumentedAttribute, Session

from ..cases.models import Document
from ..db import utcnow
from ..rulings.models import PrintBatch, Ruling
from .codec import (
    BATCH,
    CHUNK,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    SAFE_NAME,
    BackupError,
    TableCodec,
    schema_revision,
    stream_rows,
    tables,
)


@dataclass
class BackupReport:
    directory: Path
    rows: dict[str, int]
    files: int
    bytes: int
    manifest_sha256: str
    problems: list[str] = field(default_factory=list)


def app_version() -> str:
    try:
        return importlib_metadata.version("dispute-portal")
    except importlib_metadata.PackageNotFoundError:
        return "unknown"


@contextmanager
def reading_session(session: Session) -> Iterator[Session]:
    """A session that sees one consistent snapshot of the database for the whole backup.

    On PostgreSQL a REPEATABLE READ, READ ONLY transaction of its own (a session already
    bound to a connection, as in the tests, is used as it is). SQLite's transactions are
    serializable already.
    """
    bind = session.get_bind()
    if not isinstance(bind, sa.Engine) or bind.dialect.name != "postgresql":
        yield session
        return
    snapshot = Session(
        bind=bind.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True),
        info=dict(session.info),
    )
    try:
        yield snapshot
    finally:
        snapshot.rollback()
        snapshot.close()


class _Writer:
    """Writes new files under the backup directory, hashing them as they go."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files: dict[str, dict[str, Any]] = {}
        self.written: list[Path] = []
        self.dirs: list[Path] = []

    @contextmanager
    def create(self, relative: str) -> Iterator[_Hashing]:
        path = self.root / relative
        for parent in reversed(path.relative_to(self.root).parents):
            directory = self.root / parent
            if not directory.exists():
                directory.mkdir(mode=0o700)
                self.dirs.append(directory)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self.written.append(path)
        with os.fdopen(fd, "wb") as fh:
            out = _Hashing(fh)
            yield out
            fh.flush()
            os.fsync(fh.fileno())
        self.files[relative] = {"sha256": out.sha256.hexdigest(), "size": out.size}

    def copy(self, source: Path, relative: str) -> tuple[str, int]:
        """Copy a file in; (sha256, size) of what was copied. FileNotFoundError if absent."""
        with source.open("rb") as src, self.create(relative) as out:
            while chunk := src.read(CHUNK):
                out.write(chunk)
        entry = self.files[relative]
        return entry["sha256"], entry["size"]

    def remove_all(self) -> None:
        for path in reversed(self.written):
            path.unlink(missing_ok=True)
        for directory in reversed(self.dirs):
            with suppress(OSError):
                directory.rmdir()


class _Hashing:
    def __init__(self, fh: IO[bytes]) -> None:
        self.fh = fh
        self.sha256 = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> None:
        self.fh.write(data)
        self.sha256.update(data)
        self.size += len(data)


def _prepare_destination(dest: Path) -> bool:
    """Make sure dest is a new or empty directory; True if it was created here."""
    if dest.is_symlink() or (dest.exists() and not dest.is_dir()):
        raise BackupError(f"{dest} is not a directory")
    if dest.exists():
        if any(dest.iterdir()):
            raise BackupError(
                f"{dest} is not empty: a backup is written only into a new or empty directory"
            )
        return False
    dest.mkdir(parents=True, mode=0o700)
    return True


def backup(
    session: Session, config: Mapping[str, Any], dest: str | os.PathLike[str]
) -> BackupReport:
    """Write every table, document, ruling and print batch into dest, with the manifest.

    Reads only. A file that a row refers to but that is missing (or differs from the hash
    its row records) does not stop the backup: it is listed in the report and the manifest
    (`problems`), and a differing file is kept as it is.
    """
    dest = Path(dest)
    created = _prepare_destination(dest)
    writer = _Writer(dest)
    try:
        conn = session.connection()
        revision = schema_revision(conn)
        table_entries: list[dict[str, Any]] = []
        for table in tables():
            codec = TableCodec(table)
            relative = f"db/{table.name}.jsonl"
            count = 0
            with writer.create(relative) as out:
                for row in stream_rows(session, codec):
                    out.write(codec.line(*codec.values(row)))
                    count += 1
            table_entries.append(
                {
                    "name": table.name,
                    "file": relative,
                    "rows": count,
                    "columns": codec.kinds,
                }
            )
        problems = _copy_files(session, config, writer)
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": utcnow().isoformat(),
            "app_version": app_version(),
            "alembic_revision": revision,
            "database": conn.dialect.name,
            "tables": table_entries,
            "files": dict(sorted(writer.files.items())),
            "problems": problems,
        }
        data = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
        with writer.create(MANIFEST + ".partial") as out:
            out.write(data)
        # Renamed last: a manifest is there only when everything it lists is complete.
        os.replace(dest / (MANIFEST + ".partial"), dest / MANIFEST)
        writer.written.append(dest / MANIFEST)
    except BaseException:
        writer.remove_all()
        if created:
            with suppress(OSError):
                dest.rmdir()
        raise
    files = {k: v for k, v in manifest["files"].items() if not k.startswith("db/")}
    return BackupReport(
        directory=dest,
        rows={t["name"]: t["rows"] for t in table_entries},
        files=len(files),
        bytes=sum(v["size"] for v in manifest["files"].values()),
        manifest_sha256=hashlib.sha256(data).hexdigest(),
        problems=problems,
    )


def _stored_files(
    session: Session, config: Mapping[str, Any]
) -> Iterator[tuple[str, Path, str | None, str, str | None, int | None]]:
    """(what, folder, stored name, backup path, recorded sha256, recorded size) of every
    file a row refers to; what names the row for messages."""
    uploads = Path(config["UPLOAD_DIR"])
    rulings = Path(config["RULINGS_DIR"])
    queries: list[
        tuple[
            str,
            Path,
            str,
            type[Document | Ruling | PrintBatch],
            InstrumentedAttribute[str] | None,
            InstrumentedAttribute[int] | None,
        ]
    ] = [
        ("document", uploads, "uploads", Document, Document.sha256, Document.size),
        ("ruling", rulings, "rulings", Ruling, Ruling.sha256, Ruling.size),
        ("print batch", rulings / "batches", "rulings/batches", PrintBatch, None, None),
    ]
    for what, folder, prefix, model, sha256_column, size_column in queries:
        query = (
            sa.select(
                model.id,
                model.stored_name,
                sha256_column if sha256_column is not None else sa.null(),
                size_column if size_column is not None else sa.null(),
            )
            .where(model.stored_name.is_not(None))
            .order_by(model.id)
        )
        result = session.execute(query, execution_options={"yield_per": BATCH})
        try:
            for row_id, name, sha256, size in result:
                yield f"{what} {row_id}", folder, name, f"{prefix}/{name}", sha256, size
        finally:
            result.close()


def _copy_files(session: Session, config: Mapping[str, Any], writer: _Writer) -> list[str]:
    problems = []
    for what, folder, name, relative, sha256, size in _stored_files(session, config):
        if name is None or not SAFE_NAME.match(name):
            problems.append(f"{what}: stored name {name!r} is not a plain file name; not copied")
            continue
        if relative in writer.files:
            continue
        try:
            got = writer.copy(folder / name, relative)
        except FileNotFoundError:  # raised before anything is created in the backup
            problems.append(f"{what}: file {name} is missing from {folder}")
            continue
        if sha256 is not None and got != (sha256, size):
            problems.append(
                f"{what}: file {name} differs from the hash its row records (copied as it is)"
            )
    return problems
