"""Backup and restore of the whole installation, and the check of the stored files.

A backup is a directory that needs nothing but Python to read, and restores into SQLite or
PostgreSQL alike (no pg_dump):

    manifest.json            what was written: the SHA-256 and size of every other file, the
                             schema's Alembic revision, the app version, rows per table, when
    db/<table>.jsonl         every row of every table, one JSON object a line, by primary key
    uploads/<stored name>    the documents (UPLOAD_DIR)
    rulings/<stored name>    the issued rulings (RULINGS_DIR); rulings/batches/ the print batches

Values keep their types: timestamps as ISO 8601 with their offset, dates as ISO dates,
decimals as strings (never floats), JSON columns as JSON, bytes as base64. A JSON column
holds either SQL NULL (written null) or the JSON document `null` (written null and named in
the row's "$json_null" list), so the difference survives the round trip.

A restore goes only into an empty installation built by the migrations at the backup's
revision. Every file is checked against the manifest before anything is written; the rows
go in, in dependency order, in one transaction; the files are copied under temporary names
and renamed into place just before the commit, and removed again if anything fails.

"Empty" allows the rows the migrations themselves write: the tables in SEEDED_BY_MIGRATIONS
(rule set 1) may already hold rows, if each of them is in the backup with the same primary
key and exactly the same values; such rows are kept, not inserted again. Any row in any
other table (a user made with create-user, a case) means the database is in use, and the
restore is refused. So a restore that succeeds leaves exactly what the backup holds.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import re
import secrets
import stat
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator

from ..db import Base, utcnow

FORMAT = "dispute-portal-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
JSON_NULL = "$json_null"  # a row's JSON columns that hold the JSON document null
CHUNK = 1024 * 1024
BATCH = 500  # rows fetched (yield_per) and inserted at a time
# The tables that the migrations fill (a new migration that writes rows adds its table
# here; tests/test_backup.py checks that a fresh database has rows in no other table).
SEEDED_BY_MIGRATIONS = frozenset({"rule_sets"})
# A seeded table of a fresh installation holds a few rows; more than this and the database
# is plainly in use (and its rows are not all read into memory to say so).
MAX_PRESENT_ROWS = 1000
# A stored name is one plain file name: never a path, never hidden, never "..".
SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}\Z")


class BackupError(Exception):
    """The backup or restore is refused; the message says why."""


@dataclass
class BackupReport:
    directory: Path
    rows: dict[str, int]
    files: int
    bytes: int
    manifest_sha256: str
    problems: list[str] = field(default_factory=list)


@dataclass
class RestoreReport:
    rows: dict[str, int]  # inserted, per table
    kept: dict[str, int]  # rows already present and identical (written by the migrations)
    files: int  # copied into UPLOAD_DIR / RULINGS_DIR
    files_present: int  # already there with the same content
    backup_problems: list[str] = field(default_factory=list)


@dataclass
class VerifyReport:
    documents: int
    rulings: int
    problems: list[str] = field(default_factory=list)


def tables() -> list[sa.Table]:
    """Every table of the schema, each after the tables it refers to."""
    from ..models import import_all

    import_all()
    return list(Base.metadata.sorted_tables)


def app_version() -> str:
    try:
        return importlib_metadata.version("dispute-portal")
    except importlib_metadata.PackageNotFoundError:
        return "unknown"


def schema_revision(conn: Connection) -> str | None:
    """The Alembic revision the database is at (None if Alembic never ran on it)."""
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    versions = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all()
    return ",".join(sorted(versions)) or None


# Values ---------------------------------------------------------------------------------------


def column_kind(column: sa.Column) -> str:
    """How a column's values are written: one of the kinds ENCODERS and DECODERS know."""
    t = column.type
    if isinstance(t, sa.Interval):
        raise BackupError(f"{column.table.name}.{column.name}: intervals have no backup format")
    if isinstance(t, TypeDecorator):
        t = t.impl_instance
    checks: list[tuple[type, str]] = [
        (sa.JSON, "json"),
        (sa.Enum, "enum"),  # before String: an Enum is one
        (sa.Boolean, "bool"),
        (sa.DateTime, "datetime"),
        (sa.Date, "date"),
        (sa.Time, "time"),
        (sa.LargeBinary, "bytes"),
        (sa.Float, "float"),  # before Numeric: a Float is one
        (sa.Numeric, "decimal"),
        (sa.Integer, "int"),
        (sa.Uuid, "uuid"),
        (sa.String, "str"),
    ]
    for cls, kind in checks:
        if isinstance(t, cls):
            if kind == "decimal" and not t.asdecimal:
                return "float"
            return kind
    raise BackupError(f"{column.table.name}.{column.name}: no backup format for {t!r}")


def _encode(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind in ("datetime", "date", "time"):
        return value.isoformat()
    if kind == "decimal":
        return str(value)
    if kind == "bytes":
        return base64.b64encode(bytes(value)).decode("ascii")
    if kind == "uuid":
        return str(value)
    return value  # json, enum (the stored string), bool, int, float, str


def _decode(kind: str, value: Any) -> Any:
    """The Python value of a dumped one; ValueError if it is not of the column's kind."""
    if value is None:
        return None
    wrong = ValueError(f"not a valid {kind} value: {value!r:.80}")
    if kind == "json":
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise wrong
        return value
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise wrong
        return value
    if kind == "float":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise wrong
        return float(value)
    if not isinstance(value, str):
        raise wrong
    try:
        if kind == "datetime":
            return dt.datetime.fromisoformat(value)
        if kind == "date":
            return dt.date.fromisoformat(value)
        if kind == "time":
            return dt.time.fromisoformat(value)
        if kind == "decimal":
            number = Decimal(value)
            if not number.is_finite():
                raise wrong
            return number
        if kind == "bytes":
            return base64.b64decode(value, validate=True)
        if kind == "uuid":
            return uuid.UUID(value)
    except (ValueError, InvalidOperation, TypeError):
        raise wrong from None
    return value  # enum, str


@dataclass
class _TableCodec:
    """Reads a table's rows as plain values and writes / reads its dump lines."""

    table: sa.Table

    def __post_init__(self) -> None:
        self.columns = list(self.table.columns)
        self.names = [c.name for c in self.columns]
        self.kinds = {c.name: column_kind(c) for c in self.columns}
        self.json_columns = [c for c in self.columns if self.kinds[c.name] == "json"]
        self.key = [c.name for c in self.table.primary_key.columns]
        # Columns that refer to this same table (a correction points at the ruling it
        # corrects): set after the table's rows are in, so their order never matters.
        self.self_refs = [
            fk.parent.name
            for fk in self.table.foreign_keys
            if fk.column.table is self.table and fk.parent.nullable
        ]

    def select(self) -> sa.Select:
        # An Enum column is read as the string it stores, which is also what it accepts.
        exprs: list[Any] = [
            sa.type_coerce(c, sa.String()).label(c.name) if self.kinds[c.name] == "enum" else c
            for c in self.columns
        ]
        exprs += [c.is_(None) for c in self.json_columns]
        return sa.select(*exprs).order_by(*self.table.primary_key.columns)

    def values(self, row: Any) -> tuple[dict[str, Any], frozenset[str]]:
        """(column values, the JSON columns that hold the JSON document null)."""
        values = {name: row[i] for i, name in enumerate(self.names)}
        json_null = frozenset(
            c.name
            for j, c in enumerate(self.json_columns)
            if values[c.name] is None and not row[len(self.names) + j]
        )
        return values, json_null

    def line(self, values: dict[str, Any], json_null: frozenset[str]) -> bytes:
        record = {name: _encode(self.kinds[name], values[name]) for name in self.names}
        if json_null:
            record[JSON_NULL] = sorted(json_null)
        text = json.dumps(
            record, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
        )
        return text.encode("utf-8") + b"\n"

    def parse(self, line: bytes, where: str) -> tuple[dict[str, Any], frozenset[str]]:
        try:
            record = json.loads(line)
        except ValueError:
            raise BackupError(f"{where}: not a JSON object") from None
        if not isinstance(record, dict):
            raise BackupError(f"{where}: not a JSON object")
        json_null = record.pop(JSON_NULL, [])
        if set(record) != set(self.names):
            missing = sorted(set(self.names) - set(record))
            extra = sorted(set(record) - set(self.names))
            raise BackupError(f"{where}: columns differ (missing {missing}, unknown {extra})")
        if not isinstance(json_null, list) or not set(json_null) <= {
            c.name for c in self.json_columns
        }:
            raise BackupError(f"{where}: {JSON_NULL} names a column that is not JSON")
        values = {}
        for name in self.names:
            try:
                values[name] = _decode(self.kinds[name], record[name])
            except ValueError as exc:
                raise BackupError(f"{where}, column {name}: {exc}") from None
        if any(values[name] is not None for name in json_null):
            raise BackupError(f"{where}: {JSON_NULL} names a column that has a value")
        return values, frozenset(json_null)

    def key_of(self, values: dict[str, Any]) -> tuple:
        return tuple(values[name] for name in self.key)


def _rows(conn: Connection | Session, codec: _TableCodec) -> Iterator[Any]:
    """The table's rows, streamed: memory stays bounded however large the table is."""
    result = conn.execute(codec.select(), execution_options={"yield_per": BATCH})
    try:
        yield from result
    finally:
        result.close()


# Backup ---------------------------------------------------------------------------------------


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
        table_entries = []
        for table in tables():
            codec = _TableCodec(table)
            relative = f"db/{table.name}.jsonl"
            count = 0
            with writer.create(relative) as out:
                for row in _rows(session, codec):
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
        manifest = {
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


def _stored_files(session: Session, config: Mapping[str, Any]) -> Iterator[tuple]:
    """(what, folder, stored name, backup path, recorded sha256, recorded size) of every
    file a row refers to; what names the row for messages."""
    from ..cases.models import Document
    from ..rulings.models import PrintBatch, Ruling

    uploads = Path(config["UPLOAD_DIR"])
    rulings = Path(config["RULINGS_DIR"])
    queries = [
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
        if not SAFE_NAME.match(name or ""):
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


# Restore --------------------------------------------------------------------------------------


@dataclass
class _Target:
    relative: str
    source: Path
    final: Path
    sha256: str
    size: int


def _file_hash(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _read_manifest(src: Path, expected_sha256: str | None) -> dict[str, Any]:
    path = src / MANIFEST
    try:
        data = path.read_bytes()
    except OSError:
        raise BackupError(
            f"{src} has no readable {MANIFEST}: it is not a complete backup"
        ) from None
    if expected_sha256 and hashlib.sha256(data).hexdigest() != expected_sha256.strip().lower():
        raise BackupError(f"{MANIFEST} does not have the SHA-256 you gave: it was altered")
    try:
        manifest = json.loads(data)
    except ValueError:
        raise BackupError(f"{MANIFEST} is not valid JSON") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{MANIFEST} is not the manifest of a Dispute Portal backup")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"backup format version {manifest.get('format_version')!r} is not supported "
            f"(this version reads {FORMAT_VERSION})"
        )
    files = manifest.get("files")
    entries = manifest.get("tables")
    if not isinstance(files, dict) or not isinstance(entries, list):
        raise BackupError(f"{MANIFEST} lists no files or no tables")
    for relative, entry in files.items():
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("sha256"), str)
            and isinstance(entry.get("size"), int)
        ):
            raise BackupError(f"{MANIFEST}: the entry of {relative!r} is malformed")
    return manifest


def _destination(relative: str, config: Mapping[str, Any]) -> Path | None:
    """Where a backed-up file goes back to (None for a table dump); BackupError if the
    manifest names anything else: it never makes restore write outside the two folders."""
    parts = relative.split("/")
    if not all(SAFE_NAME.match(p) for p in parts):
        raise BackupError(f"{MANIFEST} names an unsafe path {relative!r}")
    if len(parts) == 2 and parts[0] == "db" and parts[1].endswith(".jsonl"):
        return None
    if len(parts) == 2 and parts[0] == "uploads":
        return Path(config["UPLOAD_DIR"]) / parts[1]
    if len(parts) == 2 and parts[0] == "rulings":
        return Path(config["RULINGS_DIR"]) / parts[1]
    if len(parts) == 3 and parts[:2] == ["rulings", "batches"]:
        return Path(config["RULINGS_DIR"]) / "batches" / parts[2]
    raise BackupError(f"{MANIFEST} names an unexpected file {relative!r}")


def _verify_backup(src: Path, manifest: dict[str, Any], config: Mapping[str, Any]) -> list[_Target]:
    """Every file the manifest lists is there, a regular file, with its size and hash."""
    targets = []
    for relative, entry in manifest["files"].items():
        final = _destination(relative, config)
        path = src / relative
        try:
            info = path.lstat()
        except OSError:
            raise BackupError(f"{relative} is missing from the backup") from None
        if not stat.S_ISREG(info.st_mode):
            raise BackupError(f"{relative} in the backup is not a regular file")
        if (info.st_size != entry["size"]) or _file_hash(path)[0] != entry["sha256"]:
            raise BackupError(
                f"{relative} in the backup differs from its manifest entry (damaged or altered)"
            )
        if final is not None:
            targets.append(_Target(relative, path, final, entry["sha256"], entry["size"]))
    return targets


def _plan(manifest: dict[str, Any]) -> list[tuple[_TableCodec, dict[str, Any]]]:
    """Each table of this schema with its manifest entry, in dependency order."""
    entries = {}
    for entry in manifest["tables"]:
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise BackupError(f"{MANIFEST}: a table entry is malformed")
        entries[entry["name"]] = entry
    ours = tables()
    names = {t.name for t in ours}
    if set(entries) != names:
        raise BackupError(
            "the backup's tables are not this schema's: missing "
            f"{sorted(names - set(entries))}, unknown {sorted(set(entries) - names)}"
        )
    plan = []
    for table in ours:
        codec = _TableCodec(table)
        entry = entries[table.name]
        if entry.get("columns") != codec.kinds:
            raise BackupError(f"the columns of table {table.name} differ from this schema's")
        if entry.get("file") != f"db/{table.name}.jsonl" or entry["file"] not in manifest["files"]:
            raise BackupError(f"the dump of table {table.name} is not in the manifest")
        if not isinstance(entry.get("rows"), int):
            raise BackupError(f"{MANIFEST}: the row count of table {table.name} is malformed")
        plan.append((codec, entry))
    return plan


def _dump_lines(src: Path, entry: dict[str, Any], manifest: dict[str, Any]) -> Iterator[tuple]:
    """(line number, line) of a table dump; at the end, the dump must still be the one the
    manifest describes (it may not change between the check and the read)."""
    expected = manifest["files"][entry["file"]]
    digest, count = hashlib.sha256(), 0
    with (src / entry["file"]).open("rb") as fh:
        for count, line in enumerate(fh, start=1):
            digest.update(line)
            yield count, line
    if digest.hexdigest() != expected["sha256"]:
        raise BackupError(f"{entry['file']} changed while it was being restored")
    if count != entry["rows"]:
        raise BackupError(f"{entry['file']} has {count} rows, the manifest says {entry['rows']}")


def restore(
    session: Session,
    config: Mapping[str, Any],
    src: str | os.PathLike[str],
    *,
    manifest_sha256: str | None = None,
) -> RestoreReport:
    """Bring a backup back into an empty installation, and commit. BackupError if refused,
    with nothing written (no row, no file)."""
    src = Path(src)
    manifest = _read_manifest(src, manifest_sha256)
    targets = _verify_backup(src, manifest, config)
    plan = _plan(manifest)
    placed: list[Path] = []
    try:
        conn = session.connection()
        revision = schema_revision(conn)
        if revision != manifest.get("alembic_revision"):
            raise BackupError(
                f"the backup is of schema revision {manifest.get('alembic_revision')}, this "
                f"database is at {revision}: build an empty database at the backup's revision "
                "(alembic upgrade <revision>), restore, then upgrade"
            )
        pending, present = _files_to_place(targets)
        if conn.dialect.name == "postgresql":
            _lock_tables(conn, [codec.table for codec, _ in plan])
        keep = _present_rows(conn, src, manifest, plan)
        rows = {}
        for codec, entry in plan:
            rows[codec.table.name] = _insert_table(conn, src, manifest, codec, entry, keep)
        if conn.dialect.name == "postgresql":
            _reset_sequences(conn, [codec.table for codec, _ in plan])
        from ..search.operations import rebuild_if_present

        rebuild_if_present(conn)  # the search index is not in the backup: made from the rows
        placed = _place_files(pending)
        session.commit()
    except BaseException:
        session.rollback()
        for path in placed:
            path.unlink(missing_ok=True)
        raise
    return RestoreReport(
        rows=rows,
        kept={name: len(keys) for name, keys in keep.items() if keys},
        files=len(placed),
        files_present=present,
        backup_problems=[str(p) for p in manifest.get("problems") or []],
    )


def _files_to_place(targets: list[_Target]) -> tuple[list[_Target], int]:
    """The files to copy; a file already in place with the same content stays. A different
    file under the same name is never overwritten: the restore is refused."""
    pending, present = [], 0
    for target in targets:
        if not target.final.exists():
            pending.append(target)
        elif target.final.is_file() and _file_hash(target.final) == (target.sha256, target.size):
            present += 1
        else:
            raise BackupError(
                f"{target.final} already exists with other content: restore only into an "
                "empty installation"
            )
    return pending, present


def _lock_tables(conn: Connection, all_tables: list[sa.Table]) -> None:
    """Nobody writes while the emptiness is checked and the rows go in."""
    prep = conn.dialect.identifier_preparer
    names = ", ".join(prep.format_table(t) for t in all_tables)
    conn.execute(sa.text(f"LOCK TABLE {names} IN EXCLUSIVE MODE"))


def _present_rows(
    conn: Connection, src: Path, manifest: dict[str, Any], plan: list
) -> dict[str, set[tuple]]:
    """The keys of the rows already in the database, per table; BackupError unless the
    only rows are the migrations' own and each is in the backup with the same values."""
    keep: dict[str, set[tuple]] = {}
    for codec, entry in plan:
        table = codec.table
        count = conn.scalar(sa.select(sa.func.count()).select_from(table))
        if not count:
            continue
        if table.name not in SEEDED_BY_MIGRATIONS or count > MAX_PRESENT_ROWS:
            raise BackupError(
                f"the database is not empty: table {table.name} has {_n_rows(count)}. Restore "
                "only into a new installation (an empty database brought up to date with "
                "`flask --app wsgi init-db`, nothing else)"
            )
        present = {}
        for row in _rows(conn, codec):
            values, json_null = codec.values(row)
            present[codec.key_of(values)] = (values, json_null)
        matched = set()
        for number, line in _dump_lines(src, entry, manifest):
            values, json_null = codec.parse(line, f"{entry['file']} line {number}")
            key = codec.key_of(values)
            if key in present:
                if present[key] != (values, json_null):
                    raise BackupError(
                        f"the database is not empty: table {table.name} already has a row "
                        f"{dict(zip(codec.key, key, strict=True))} that differs from the backup's"
                    )
                matched.add(key)
        if len(matched) != len(present):
            raise BackupError(
                f"the database is not empty: table {table.name} has "
                f"{_n_rows(len(present) - len(matched))} not in the backup"
            )
        keep[table.name] = matched
    return keep


def _n_rows(count: int) -> str:
    return f"{count} row" if count == 1 else f"{count} rows"


def _insert_table(
    conn: Connection,
    src: Path,
    manifest: dict[str, Any],
    codec: _TableCodec,
    entry: dict[str, Any],
    keep: dict[str, set[tuple]],
) -> int:
    table, kept = codec.table, keep.get(codec.table.name, set())
    batch: list[tuple[dict[str, Any], frozenset[str]]] = []
    later: list[tuple[tuple, dict[str, Any]]] = []  # self references, set once all are in
    inserted = 0
    for number, line in _dump_lines(src, entry, manifest):
        values, json_null = codec.parse(line, f"{entry['file']} line {number}")
        key = codec.key_of(values)
        if key in kept:
            continue
        refs = {name: values[name] for name in codec.self_refs if values[name] is not None}
        if refs:
            later.append((key, refs))
            values |= dict.fromkeys(refs)
        batch.append((values, json_null))
        if len(batch) >= BATCH:
            inserted += _insert_batch(conn, codec, batch)
            batch = []
    inserted += _insert_batch(conn, codec, batch)
    for key, refs in later:
        conn.execute(
            sa.update(table)
            .where(*(table.c[name] == value for name, value in zip(codec.key, key, strict=True)))
            .values(refs)
        )
    return inserted


def _insert_batch(conn: Connection, codec: _TableCodec, batch: list) -> int:
    """Insert rows; a JSON column's SQL NULL goes in as NULL, its JSON null as JSON null."""
    groups: dict[frozenset[str], list[dict[str, Any]]] = {}
    for values, json_null in batch:
        sql_null = frozenset(
            c.name for c in codec.json_columns if values[c.name] is None and c.name not in json_null
        )
        params = {k: v for k, v in values.items() if k not in sql_null}
        for name in json_null:
            params[name] = sa.JSON.NULL
        groups.setdefault(sql_null, []).append(params)
    for sql_null, rows in groups.items():
        statement = codec.table.insert()
        if sql_null:
            statement = statement.values(dict.fromkeys(sql_null, sa.null()))
        conn.execute(statement, rows)
    return len(batch)


def _reset_sequences(conn: Connection, all_tables: list[sa.Table]) -> None:
    """Rows went in with their ids: each id sequence moves past the largest, so the next
    row the portal adds does not collide with a restored one."""
    prep = conn.dialect.identifier_preparer
    for table in all_tables:
        for column in table.primary_key.columns:
            if column_kind(column) != "int":
                continue
            sequence = conn.scalar(
                sa.select(sa.func.pg_get_serial_sequence(prep.format_table(table), column.name))
            )
            if sequence is None:
                continue
            next_id = sa.select(sa.func.coalesce(sa.func.max(column), 0) + 1).scalar_subquery()
            conn.execute(sa.select(sa.func.setval(sequence, next_id, False)))


def _place_files(pending: list[_Target]) -> list[Path]:
    """Copy each file under a temporary name, check it, then rename them all into place.
    On any failure nothing copied stays."""
    temps: list[tuple[Path, _Target]] = []
    placed: list[Path] = []
    try:
        for target in pending:
            target.final.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.final.parent / f".restoring-{secrets.token_hex(8)}"
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            temps.append((tmp, target))
            digest, size = hashlib.sha256(), 0
            with os.fdopen(fd, "wb") as out, target.source.open("rb") as src:
                while chunk := src.read(CHUNK):
                    out.write(chunk)
                    digest.update(chunk)
                    size += len(chunk)
                out.flush()
                os.fsync(out.fileno())
            if (digest.hexdigest(), size) != (target.sha256, target.size):
                raise BackupError(f"{target.relative} changed while it was being restored")
        for tmp, target in temps:
            os.replace(tmp, target.final)
            placed.append(target.final)
    except BaseException:
        for tmp, _ in temps:
            tmp.unlink(missing_ok=True)
        for path in placed:
            path.unlink(missing_ok=True)
        raise
    return placed


# Verification of the stored files -------------------------------------------------------------


def verify_documents(session: Session, config: Mapping[str, Any]) -> VerifyReport:
    """Every document file against its row's sha256 and size, every ruling PDF against the
    ruling's; the problems found, one line each (none: the archive is intact)."""
    from ..cases.models import Case, Document
    from ..rulings.models import Ruling

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
        digest, _ = _file_hash(path)
    except OSError as exc:
        return f"unreadable ({exc.strerror})"
    if digest != sha256:
        return "altered (its SHA-256 differs from the recorded one)"
    return None
