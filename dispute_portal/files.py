"""Files that follow the database transaction, and the sweep of half-written ones.

A file is written before its row is committed. The session remembers it with the transaction
(or savepoint) it belongs to: it goes when that transaction does not commit (rolled back,
failed, or closed), and is handed to the enclosing transaction when a savepoint is released.
A deleted row's file goes only after the outermost commit that deleted the row. Documents
(cases), rulings and print batches all store their files this way.

A file being written is first given a temporary `.incoming-*.part` name in its directory. A
worker killed mid-write can leave one behind: `sweep_stale_parts` removes those once they
are an hour old (at start-up and, at most hourly, before a new one is written).
"""

from __future__ import annotations

import logging
import os
import secrets
import time
from pathlib import Path
from typing import IO, Any

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction, scoped_session

log = logging.getLogger(__name__)

PART_PREFIX, PART_SUFFIX = ".incoming-", ".part"
STALE_AFTER = 3600  # seconds: a temporary file this old belongs to no living upload


# --- temporary files and their sweep -----------------------------------------------------


def part_path(directory: Path) -> Path:
    """A new temporary name in directory, one that the sweep recognises."""
    return directory / f"{PART_PREFIX}{secrets.token_hex(16)}{PART_SUFFIX}"


def sweep_stale_parts(upload_dir: str | Path, *, max_age: float = STALE_AFTER) -> list[str]:
    """Remove temporary upload files older than `max_age` seconds (left by a killed worker);
    younger ones may be uploads in progress in another worker. Returns the names removed."""
    directory = Path(upload_dir)
    removed: list[str] = []
    cutoff = time.time() - max_age
    try:
        entries = os.scandir(directory)
    except FileNotFoundError:
        return removed
    # One entry at a time: the directory holds every document (300,000 on the bench's
    # database); a list of them all cost each worker some 80 MB at start-up.
    with entries:
        for entry in entries:
            if not entry.name.startswith(PART_PREFIX) or not entry.is_file(follow_symlinks=False):
                continue
            try:
                if entry.stat(follow_symlinks=False).st_mtime < cutoff:
                    os.unlink(entry.path)
                    removed.append(entry.name)
            except FileNotFoundError:
                continue
    if removed:
        log.warning("removed %d stale temporary upload file(s) in %s", len(removed), directory)
    return removed


_last_sweep: dict[str, float] = {}


def sweep_if_due(directory: Path) -> None:
    """sweep_stale_parts, if this worker has not swept directory for STALE_AFTER seconds."""
    key = str(directory)
    now = time.monotonic()
    if key not in _last_sweep or now - _last_sweep[key] >= STALE_AFTER:
        _last_sweep[key] = now
        sweep_stale_parts(directory)


def init_app(app: Any) -> None:
    """At start-up (create_app calls it): clear what killed workers left in the upload
    directory, and have requests close the temporary files of an upload that broke off."""
    sweep_stale_parts(app.config["UPLOAD_DIR"])
    _last_sweep[str(Path(app.config["UPLOAD_DIR"]))] = time.monotonic()
    if not getattr(app.request_class, "closes_upload_streams", False):
        app.request_class = closing_request_class(app.request_class)


def closing_request_class(base: type) -> type:
    """A request class that closes every temporary file its form parser opened.

    Werkzeug closes the files of a parsed form when the request ends, but a body that
    breaks off mid-way (a client gone, a reset connection) leaves the half-spooled file
    unreferenced and open until the garbage collector finds it."""

    class UploadRequest(base):  # type: ignore[misc]  # a base class chosen at run time
        closes_upload_streams = True

        def _get_file_stream(self, *args: Any, **kwargs: Any) -> IO[bytes]:
            stream: IO[bytes] = super()._get_file_stream(*args, **kwargs)
            self.__dict__.setdefault("_upload_streams", []).append(stream)
            return stream

        def close(self) -> None:
            try:
                super().close()
            finally:
                for stream in self.__dict__.pop("_upload_streams", []):
                    stream.close()

    return UploadRequest


# --- files that follow the transaction ---------------------------------------------------


def _current(session: Session) -> SessionTransaction | None:
    return session.get_nested_transaction() or session.get_transaction()


def _remember(given: Session | scoped_session[Any], path: Path, kind: str) -> None:
    # The request's own session, which the events below receive.
    session = given() if isinstance(given, scoped_session) else given
    if (tx := _current(session)) is None:
        session.connection()  # a file belongs to a transaction: begin the one it joins
        tx = _current(session)
    session.info.setdefault("tracked_files", []).append([tx, path, kind])


def delete_on_rollback(session: Session | scoped_session[Any], path: Path) -> None:
    """A file written for this transaction: it goes unless the transaction commits."""
    _remember(session, path, "written")


def delete_after_commit(session: Session | scoped_session[Any], path: Path) -> None:
    """A file whose row this transaction deletes: it goes once the deletion is committed."""
    _remember(session, path, "doomed")


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    session.info["committed_tx"] = _current(session)


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    tracked = session.info.get("tracked_files")
    committed = session.info.get("committed_tx") is transaction
    if committed:
        session.info.pop("committed_tx", None)
    if not tracked:
        return
    outer = transaction.parent
    while outer is not None and not (outer.nested or outer.parent is None):
        outer = outer.parent  # skip the flushes' inner transactions
    keep = []
    for entry in tracked:
        tx, path, kind = entry
        if tx is not transaction:
            keep.append(entry)
        elif committed and outer is not None:
            entry[0] = outer  # a released savepoint: its files now follow the enclosing one
            keep.append(entry)
        elif (kind == "doomed") == committed:
            path.unlink(missing_ok=True)
    session.info["tracked_files"] = keep
