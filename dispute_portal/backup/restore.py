"""Restoring a backup into an empty installation, all or nothing.

A restore goes only into an empty installation built by the migrations at the backup's
revision. Every file is checked against the manifest before anything is written (`read`);
the rows go in, in dependency order, in one transaction; the files are copied under
temporary names and renamed into place just before the commit, and removed again if
anything fails.

"Empty" allows the rows the migrations themselves write: the tables in SEEDED_BY_MIGRATIONS
(rule set 1) may already hold rows, if each of them is in the backup with the same primary
key and exactly the same values; such rows are kept, not inserted again. Any row in any
other table (a user made with create-user, a case) means the database is in use, and the
restore is refused. So a restore that succeeds leaves exactly what the backup holds.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from ..search.operations import rebuild_if_present
from .codec import (
    BATCH,
    CHUNK,
    BackupError,
    Key,
    Plan,
    TableCodec,
    column_kind,
    file_hash,
    schema_revision,
    stream_rows,
)
from .read import Target, dump_lines, plan_tables, read_manifest, verify_backup

# The tables that the migrations fill (a new migration that writes rows adds its table
# here; tests/test_backup.py checks that a fresh database has rows in no other table).
SEEDED_BY_MIGRATIONS = frozenset({"rule_sets", "fee_schedules"})
# A seeded table of a fresh installation holds a few rows; more than this and the database
# is plainly in use (and its rows are not all read into memory to say so).
MAX_PRESENT_ROWS = 1000


@dataclass
class RestoreReport:
    rows: dict[str, int]  # inserted, per table
    kept: dict[str, int]  # rows already present and identical (written by the migrations)
    files: int  # copied into UPLOAD_DIR / RULINGS_DIR
    files_present: int  # already there with the same content
    backup_problems: list[str] = field(default_factory=list)


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
    manifest = read_manifest(src, manifest_sha256)
    targets = verify_backup(src, manifest, config)
    plan = plan_tables(manifest)
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


def _files_to_place(targets: list[Target]) -> tuple[list[Target], int]:
    """The files to copy; a file already in place with the same content stays. A different
    file under the same name is never overwritten: the restore is refused."""
    pending, present = [], 0
    for target in targets:
        if not target.final.exists():
            pending.append(target)
        elif target.final.is_file() and file_hash(target.final) == (target.sha256, target.size):
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
    conn: Connection, src: Path, manifest: dict[str, Any], plan: Plan
) -> dict[str, set[Key]]:
    """The keys of the rows already in the database, per table; BackupError unless the
    only rows are the migrations' own and each is in the backup with the same values."""
    keep: dict[str, set[Key]] = {}
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
        for row in stream_rows(conn, codec):
            values, json_null = codec.values(row)
            present[codec.key_of(values)] = (values, json_null)
        matched = set()
        for number, line in dump_lines(src, entry, manifest):
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
    codec: TableCodec,
    entry: dict[str, Any],
    keep: dict[str, set[Key]],
) -> int:
    """Insert a table's rows. A row that refers to a row of the same table not yet in (a
    correction dumped before the ruling it corrects) waits for it: an issued ruling is
    never updated (on PostgreSQL a trigger refuses it), so it goes in whole. Only a cycle,
    which no act makes, is closed by an update at the end."""
    table, kept = codec.table, keep.get(codec.table.name, set())
    batch: list[tuple[dict[str, Any], frozenset[str]]] = []
    waiting: list[tuple[Key, dict[str, Any], frozenset[str]]] = []
    present: set[Any] = {key[0] for key in kept} if len(codec.key) == 1 else set()
    inserted = 0
    for number, line in dump_lines(src, entry, manifest):
        values, json_null = codec.parse(line, f"{entry['file']} line {number}")
        key = codec.key_of(values)
        if key in kept:
            continue
        if _refers_ahead(codec, values, present):
            waiting.append((key, values, json_null))
            continue
        batch.append((values, json_null))
        if codec.self_refs and len(codec.key) == 1:
            present.add(key[0])
        if len(batch) >= BATCH:
            inserted += _insert_batch(conn, codec, batch)
            batch = []
    inserted += _insert_batch(conn, codec, batch)
    while waiting:
        ready = [w for w in waiting if not _refers_ahead(codec, w[1], present)]
        if not ready:
            break
        inserted += _insert_batch(conn, codec, [(values, nulls) for _, values, nulls in ready])
        present.update(key[0] for key, _, _ in ready)
        waiting = [w for w in waiting if w not in ready]
    later = [(key, _self_refs(codec, values)) for key, values, _ in waiting]
    inserted += _insert_batch(
        conn, codec, [(values | dict.fromkeys(codec.self_refs), n) for _, values, n in waiting]
    )
    for key, refs in later:
        conn.execute(
            sa.update(table)
            .where(*(table.c[name] == value for name, value in zip(codec.key, key, strict=True)))
            .values(refs)
        )
    return inserted


def _self_refs(codec: TableCodec, values: dict[str, Any]) -> dict[str, Any]:
    return {name: values[name] for name in codec.self_refs if values[name] is not None}


def _refers_ahead(codec: TableCodec, values: dict[str, Any], present: set[Any]) -> bool:
    """Whether the row refers to a row of its own table that is not in yet."""
    refs = _self_refs(codec, values)
    if not refs:
        return False
    if len(codec.key) != 1:
        return True
    return any(value not in present for value in refs.values())


def _insert_batch(
    conn: Connection, codec: TableCodec, batch: list[tuple[dict[str, Any], frozenset[str]]]
) -> int:
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


def _place_files(pending: list[Target]) -> list[Path]:
    """Copy each file under a temporary name, check it, then rename them all into place.
    On any failure nothing copied stays."""
    temps: list[tuple[Path, Target]] = []
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
