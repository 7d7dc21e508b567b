"""The backup format: its constants, the schema's tables, and how a row becomes a dump line.

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

`write` makes a backup, `read` checks one, `restore` brings one back, and `verify` checks
the stored files of a running installation; all of them share what is here.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeAlias, cast

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator

from ..db import Base
from ..models import import_all

FORMAT = "dispute-portal-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
JSON_NULL = "$json_null"  # a row's JSON columns that hold the JSON document null
CHUNK = 1024 * 1024
BATCH = 500  # rows fetched (yield_per) and inserted at a time
# A stored name is one plain file name: never a path, never hidden, never "..".
Key: TypeAlias = tuple[Any, ...]  # a row's primary key values, in the key's column order
SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}\Z")


class BackupError(Exception):
    """The backup or restore is refused; the message says why."""


# Not records: the page cache's data version (a restore's commit writes a new one).
NOT_BACKED_UP = frozenset({"page_versions"})


def tables() -> list[sa.Table]:
    """Every table of the schema but NOT_BACKED_UP, each after the tables it refers to."""
    import_all()
    return [t for t in Base.metadata.sorted_tables if t.name not in NOT_BACKED_UP]


def schema_revision(conn: Connection) -> str | None:
    """The Alembic revision the database is at (None if Alembic never ran on it)."""
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    versions: Sequence[str] = (
        conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all()
    )
    return ",".join(sorted(versions)) or None


def file_hash(path: Path) -> tuple[str, int]:
    """(SHA-256, size) of a file, read in chunks."""
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


# Values ---------------------------------------------------------------------------------------


def column_kind(column: sa.Column[Any]) -> str:
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
            if kind == "decimal" and not cast(sa.Numeric[Any], t).asdecimal:
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
class TableCodec:
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

    def select(self) -> sa.Select[*tuple[Any, ...]]:
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

    def key_of(self, values: dict[str, Any]) -> Key:
        return tuple(values[name] for name in self.key)


Plan: TypeAlias = list[tuple[TableCodec, dict[str, Any]]]  # each table with its manifest entry


def stream_rows(conn: Connection | Session, codec: TableCodec) -> Iterator[Any]:
    """The table's rows, streamed: memory stays bounded however large the table is."""
    result = conn.execute(codec.select(), execution_options={"yield_per": BATCH})
    try:
        yield from result
    finally:
        result.close()
