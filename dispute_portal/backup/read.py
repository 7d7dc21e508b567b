"""Reading a backup before it is restored: the manifest, every file it lists, the plan.

Nothing is written until all of a backup has been checked: the manifest is the one the
backup printed (when its SHA-256 is given), every file it lists is there with its size and
hash, every path it names lands inside the two file folders, and its tables and columns are
exactly this schema's. The table dumps are hashed again as they are read, so a backup that
changes between the check and the restore is caught.
"""

from __future__ import annotations

import hashlib
import json
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .codec import (
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    SAFE_NAME,
    BackupError,
    Plan,
    TableCodec,
    file_hash,
    tables,
)


@dataclass
class Target:
    """A backed-up file and where it goes back to, with what the manifest says of it."""

    relative: str
    source: Path
    final: Path
    sha256: str
    size: int


def read_manifest(src: Path, expected_sha256: str | None) -> dict[str, Any]:
    """The backup's manifest, if it is one of this format (and has the SHA-256 given)."""
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


def verify_backup(src: Path, manifest: dict[str, Any], config: Mapping[str, Any]) -> list[Target]:
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
        if (info.st_size != entry["size"]) or file_hash(path)[0] != entry["sha256"]:
            raise BackupError(
                f"{relative} in the backup differs from its manifest entry (damaged or altered)"
            )
        if final is not None:
            targets.append(Target(relative, path, final, entry["sha256"], entry["size"]))
    return targets


def plan_tables(manifest: dict[str, Any]) -> Plan:
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
        codec = TableCodec(table)
        entry = entries[table.name]
        if entry.get("columns") != codec.kinds:
            raise BackupError(f"the columns of table {table.name} differ from this schema's")
        if entry.get("file") != f"db/{table.name}.jsonl" or entry["file"] not in manifest["files"]:
            raise BackupError(f"the dump of table {table.name} is not in the manifest")
        if not isinstance(entry.get("rows"), int):
            raise BackupError(f"{MANIFEST}: the row count of table {table.name} is malformed")
        plan.append((codec, entry))
    return plan


def dump_lines(
    src: Path, entry: dict[str, Any], manifest: dict[str, Any]
) -> Iterator[tuple[int, bytes]]:
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
