"""Rendering many rulings on every core, and the audit of the archive of issued rulings.

A ruling renders from plain values (render.py), so a batch splits cleanly across processes:
each worker gets (template name, values, language) and hands back bytes (or a digest). No
Flask app, no ORM object and no database connection ever crosses into a worker.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from . import render
from .kinds import KINDS

if TYPE_CHECKING:  # the render workers import this module, and they load no ORM
    from sqlalchemy.orm import Session

    from .models import Ruling

Item = tuple[str, dict[str, Any], str]  # (template name, values, language)
R = TypeVar("R")

# What audit_rulings reports, one reason per problem (a ruling may have two).
MISSING = "stored file missing"
UNREADABLE = "stored file unreadable"
ALTERED = "stored file differs from the recorded hash"
DRIFT = "re-render differs from the recorded hash (renderer drift)"
FAILED = "re-render failed"  # followed by ": <the error>"

# A render takes 0.05-1 s; a task's round trip through the pool is ~0.1 ms. So chunks are
# only there to save round trips, and stay small: a big last chunk keeps one core busy
# while the others idle.
MAX_CHUNK = 4
# WeasyPrint 70 keeps ~0.25 MB of native memory per render (fontconfig and Pango; plain
# WeasyPrint does the same, and Python's heap stays flat), so a worker renders about this
# many rulings before a fresh one takes over: an audit of 20,000 rulings would otherwise
# grow each worker by gigabytes. Not max_tasks_per_child: on Python 3.11 it hangs a pool
# whose tasks were all queued at once (CPython gh-115634).
RECYCLE = 250


def render_one(item: Item) -> bytes:
    template, values, language = item
    return render.render_pdf(render.render_html(template, values, language))


def render_many(items: Sequence[Item], workers: int | None = None) -> list[bytes]:
    """The PDFs of these (template name, values, language) items, in their order.

    The same bytes as rendering them one by one (rendering is reproducible). `workers`
    defaults to the CPUs this process may run on; 1 renders here, one after the other.
    The first item that fails to render raises here, and the rest of the batch is dropped.
    """
    return _map(render_one, list(items), workers)


def audit_rulings(
    session: Session, rulings_dir: str | os.PathLike[str], workers: int | None = None
) -> list[tuple[Ruling, str]]:
    """Every problem in the archive of issued rulings, as (ruling, reason), in ruling order.

    For each ruling: its stored file must exist and hash to the recorded sha256, and its
    values must still render to the issued document. The recorded hash is the authority, so
    an altered file whose values re-render cleanly is reported as altered only (an unsigned
    ruling's issued bytes can then be rebuilt from its values); drift means the renderer
    (templates, fonts, WeasyPrint) no longer makes what was issued, whatever the stored file
    says. A ruling whose values no longer render at all is reported as a failed re-render.

    A signed ruling is the rendered PDF plus the signature appended as an incremental
    update, and a signature is never the same twice. So its re-render is compared with the
    part of the intact stored file that precedes the signature; with no intact file there is
    nothing to compare with, and only the file's problem is reported.
    """
    # Here, not at the top: render workers import this module, and they load no ORM.
    from sqlalchemy import select

    from .models import Ruling

    # What the database holds now, not what this session may remember from earlier.
    rulings = list(
        session.scalars(
            select(Ruling).order_by(Ruling.id).execution_options(populate_existing=True)
        )
    )
    renderable = [r for r in rulings if r.kind in KINDS]
    items = [(KINDS[r.kind].template(r.language), r.values, r.language) for r in renderable]
    rerendered = dict(
        zip((r.id for r in renderable), _map(_render_digest, items, workers), strict=True)
    )
    directory = Path(rulings_dir)
    problems = []
    for ruling in rulings:
        stored, reason = _stored_file(ruling, directory)
        if reason:
            problems.append((ruling, reason))
        if ruling.id not in rerendered:
            problems.append((ruling, f"{FAILED}: unknown kind {ruling.kind!r}"))
            continue
        digest, size, error = rerendered[ruling.id]
        if error is not None:
            problems.append((ruling, f"{FAILED}: {error}"))
        elif not ruling.signed:
            if digest != ruling.sha256:
                problems.append((ruling, DRIFT))
        elif stored is not None and hashlib.sha256(stored[:size]).hexdigest() != digest:
            problems.append((ruling, DRIFT))
    return problems


def _stored_file(ruling: Ruling, directory: Path) -> tuple[bytes | None, str | None]:
    """(the stored bytes if they are the ones issued, the problem with them if any)."""
    try:
        data = (directory / ruling.stored_name).read_bytes()
    except FileNotFoundError:
        return None, MISSING
    except OSError as exc:
        return None, f"{UNREADABLE}: {exc}"
    if hashlib.sha256(data).hexdigest() != ruling.sha256:
        return None, ALTERED
    return data, None


def _render_digest(item: Item) -> tuple[str | None, int, str | None]:
    """(sha256 of the re-render, its size, None) or (None, 0, the error). Only the digest
    travels back: an audit of thousands of rulings need not ship every PDF between processes."""
    try:
        pdf = render_one(item)
    except Exception as exc:  # one unrenderable ruling must not stop the audit of the rest
        return None, 0, f"{type(exc).__name__}: {exc}"
    return hashlib.sha256(pdf).hexdigest(), len(pdf), None


def _map(fn: Callable[[Item], R], items: list[Item], workers: int | None) -> list[R]:
    workers = min(workers or _usable_cpus(), len(items))
    if workers <= 1:  # a pool for one item (or one worker) only adds a process start
        return [fn(item) for item in items]
    results: list[R] = []
    step = workers * RECYCLE
    for start in range(0, len(items), step):  # a fresh pool, so fresh workers, per segment
        segment = items[start : start + step]
        chunksize = max(1, min(MAX_CHUNK, len(segment) // (workers * 8)))
        with ProcessPoolExecutor(max_workers=workers, mp_context=_context()) as pool:
            try:
                results.extend(pool.map(fn, segment, chunksize=chunksize))
            except BaseException:
                pool.shutdown(cancel_futures=True)  # don't go on rendering a batch that failed
                raise
    return results


def _usable_cpus() -> int:
    # The CPUs this process may run on (taskset, cpusets), which os.cpu_count() ignores.
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _context() -> multiprocessing.context.BaseContext:
    """Workers come from a forkserver, never from forking the caller.

    The caller is a web or job worker: it may have threads (a lock another thread holds at
    fork time stays locked forever in the child: logging, fontconfig, the DB driver) and it
    holds pooled database connections whose sockets a forked child would share. 'spawn' is
    safe too, but every worker then re-imports Flask, WeasyPrint and the app (~1-2 s each).
    The forkserver is a fresh single-threaded interpreter that imports this module (so the
    renderer) once; each worker is forked from it, starting in milliseconds with WeasyPrint
    loaded and sharing those pages copy-on-write. The server lives as long as this process,
    so later batches skip the imports altogether.
    """
    if "forkserver" not in multiprocessing.get_all_start_methods():  # e.g. Windows
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    # Process-wide, and only heeded when the server starts; it replaces the default
    # ['__main__'], which each worker still imports for itself as it starts. Python 3.11's
    # server ignores the caller's sys.path: it finds the app through the working directory
    # or PYTHONPATH (as `flask` does), else its workers import the renderer themselves.
    context.set_forkserver_preload([__name__])
    return context
