"""The print queue: issued rulings waiting to be printed and served, and print batches.

A batch merges the selected rulings' issued PDFs (never re-rendered: an issued ruling
never changes) behind a cover sheet that lists them, in a background job.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from babel.dates import format_datetime
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..auth.models import User
from ..cases.models import Case
from ..clock import ALMATY
from ..core.jobs import Runner
from ..db import db, rowcount, utcnow
from ..texts import N_, Refusal
from ..workflow.models import record
from .kinds import ACCOUNT_KINDS, KINDS
from .models import BatchStatus, PrintBatch, Ruling, display_code
from .operations import settings
from .render import environment, render_pdf

MAX_BATCH = 1000
STALE_AFTER = dt.timedelta(minutes=5)  # a running batch silent this long lost its worker


class PrintError(Refusal):
    """The print request is refused; nothing was queued or marked."""


def queue(
    session: Session,
    *,
    kind: str | None = None,
    issued_from: dt.date | None = None,
    issued_to: dt.date | None = None,
) -> list[Ruling]:
    """Issued rulings not yet served, oldest first, filtered by kind and issue date (the
    case account's documents reach the parties on the account page, not on paper)."""
    query = select(Ruling).where(Ruling.served_on.is_(None), Ruling.kind.not_in(ACCOUNT_KINDS))
    if kind:
        query = query.where(Ruling.kind == kind)
    if issued_from:
        start = dt.datetime.combine(issued_from, dt.time(), ALMATY)
        query = query.where(Ruling.issued_at >= start)
    if issued_to:
        end = dt.datetime.combine(issued_to + dt.timedelta(days=1), dt.time(), ALMATY)
        query = query.where(Ruling.issued_at < end)
    return list(session.scalars(query.order_by(Ruling.issued_at, Ruling.id)))


def _selected(session: Session, ruling_ids: list[int]) -> list[Ruling]:
    ids = list(dict.fromkeys(ruling_ids))
    if not ids:
        raise PrintError(N_("Select at least one ruling."))
    if len(ids) > MAX_BATCH:
        raise PrintError(N_("Select at most %(max)d rulings at a time."), max=MAX_BATCH)
    found = list(session.scalars(select(Ruling).where(Ruling.id.in_(ids))))
    if len(found) != len(ids):
        raise PrintError(N_("Some of the selected rulings do not exist."))
    order = {rid: i for i, rid in enumerate(ids)}
    return sorted(found, key=lambda r: order[r.id])


def batch_rulings(session: Session, batch: PrintBatch) -> list[Ruling]:
    """The batch's rulings in the order they are printed (the batch page lists them)."""
    found = {
        r.id: r for r in session.scalars(select(Ruling).where(Ruling.id.in_(batch.ruling_ids)))
    }
    return [found[rid] for rid in batch.ruling_ids if rid in found]


def create_batch(session: Session, *, clerk: User, ruling_ids: list[int]) -> PrintBatch:
    rulings = _selected(session, ruling_ids)
    batch = PrintBatch(
        ruling_ids=[r.id for r in rulings], total=len(rulings), created_by_id=clerk.id
    )
    session.add(batch)
    session.flush()
    return batch


def mark_served(session: Session, *, clerk: User, ruling_ids: list[int], served_on: dt.date) -> int:
    """Record the day the rulings were served; once recorded, it is not overwritten."""
    rulings = _selected(session, ruling_ids)
    if served_on > utcnow().astimezone(ALMATY).date():
        raise PrintError(N_("The service date cannot be in the future."))
    for ruling in rulings:
        if served_on < ruling.issued_at.astimezone(ALMATY).date():
            raise PrintError(N_("A ruling cannot be served before the day it was issued."))
        # Only an unserved ruling takes a date: a second clerk or a repeated form changes nothing.
        claimed = rowcount(
            session.execute(
                update(Ruling)
                .where(Ruling.id == ruling.id, Ruling.served_on.is_(None))
                .values(served_on=served_on)
                .execution_options(synchronize_session=False)
            )
        )
        if claimed != 1:
            raise PrintError(N_("Some of the selected rulings were already marked as served."))
        session.refresh(ruling)
        record(
            clerk,
            session.get_one(Case, ruling.case_id),
            "serve_ruling",
            data={
                "kind": ruling.kind,
                "code": display_code(ruling.verification_code),
                "served_on": served_on.isoformat(),
            },
        )
    session.flush()
    return len(rulings)


def _cover_sheet(batch: PrintBatch, rulings: list[Ruling], when: dt.datetime) -> bytes:
    """A first page listing the batch, in the language of the clerk who asked for it."""
    language = (batch.created_by.locale if batch.created_by else None) or "en"
    rows = [
        {
            "reference": r.values.get("reference"),
            "kind": KINDS[r.kind].title,
            "code": display_code(r.verification_code),
            "issued": format_datetime(
                r.issued_at, "d MMM y, HH:mm", tzinfo=ALMATY, locale=language
            ),
        }
        for r in rulings
    ]
    html = (
        environment(language)
        .get_template("rulings/_print_cover.html")
        .render(
            batch=batch,
            rows=rows,
            lang=language,
            made=format_datetime(when, "d MMMM y, HH:mm", tzinfo=ALMATY, locale=language),
        )
    )
    return render_pdf(html)


def run_batch(batch_id: int) -> None:
    """The job: merge the batch's PDFs, reporting progress; failures are recorded, not lost."""
    session = db.session()
    # Claim the batch: of two workers handed the same batch, only one runs it.
    claimed = rowcount(
        session.execute(
            update(PrintBatch)
            .where(PrintBatch.id == batch_id, PrintBatch.status == BatchStatus.QUEUED)
            .values(
                status=BatchStatus.RUNNING,
                attempts=PrintBatch.attempts + 1,
                done_count=0,
                heartbeat_at=utcnow(),
            )
            .execution_options(synchronize_session=False)
        )
    )
    session.commit()
    if claimed != 1:
        return
    batch = session.get_one(PrintBatch, batch_id)
    session.refresh(batch)
    try:
        directory = Path(settings(session)["RULINGS_DIR"])
        rulings = _selected(session, batch.ruling_ids)
        from pypdf import PdfWriter  # only when a batch is printed: not in every worker

        writer = PdfWriter()
        writer.append(io.BytesIO(_cover_sheet(batch, rulings, utcnow())))
        for ruling in rulings:
            writer.append(io.BytesIO((directory / ruling.stored_name).read_bytes()))
            batch.done_count += 1
            batch.heartbeat_at = utcnow()
            if batch.done_count % 10 == 0:
                session.commit()
        out_dir = directory / "batches"
        out_dir.mkdir(parents=True, exist_ok=True)
        name = f"batch-{batch.id}-{batch.attempts}.pdf"
        with (out_dir / name).open("wb") as fh:
            writer.write(fh)
        now = utcnow()
        for ruling in rulings:
            ruling.printed_at = ruling.printed_at or now
        batch.stored_name, batch.status, batch.finished_at = name, BatchStatus.DONE, now
        session.commit()
    except Exception as exc:
        session.rollback()
        batch = session.get_one(PrintBatch, batch_id)
        batch.status, batch.error = BatchStatus.FAILED, f"{type(exc).__name__}: {exc}"
        batch.finished_at = utcnow()
        session.commit()
        raise


def batch_file(session: Session, batch: PrintBatch) -> Path:
    return Path(settings(session)["RULINGS_DIR"]) / "batches" / (batch.stored_name or "")


def recover(session: Session, runner: Runner) -> list[int]:
    """After a restart: requeue what a thread runner lost; record what RQ says failed."""
    now = utcnow()
    requeue, touched = [], []
    open_batches = session.scalars(
        select(PrintBatch).where(PrintBatch.status.in_([BatchStatus.QUEUED, BatchStatus.RUNNING]))
    )
    for batch in open_batches:
        if runner.name == "rq":
            status = runner.status(batch.job_id)
            if status in ("queued", "started", "deferred", "scheduled"):
                continue
            if status == "failed":
                batch.status, batch.error = BatchStatus.FAILED, "the print job failed in the worker"
                batch.finished_at = now
                touched.append(batch.id)
                continue
        elif (
            runner.name != "thread"  # a thread runner's running jobs died with its process
            and batch.status is BatchStatus.RUNNING
            and batch.heartbeat_at
            and (now - batch.heartbeat_at < STALE_AFTER)
        ):
            continue  # another process may still be running it
        touched.append(batch.id)
        if batch.attempts >= 3:
            batch.status, batch.finished_at = BatchStatus.FAILED, now
            batch.error = "gave up after 3 attempts; the last one never finished"
        else:
            batch.status = BatchStatus.QUEUED
            requeue.append(batch)
    session.commit()  # before the jobs start, so nothing they write is overwritten
    for batch in requeue:
        start(session, batch, runner)
    return touched


def start(session: Session, batch: PrintBatch, runner: Runner) -> None:
    """Hand a committed, queued batch to the job engine; if it cannot take it, say why."""
    try:
        job_id = runner.enqueue("dispute_portal.rulings.printing.run_batch", batch.id)
    except Exception as exc:  # e.g. Redis unreachable: the batch must not wait forever
        session.rollback()
        session.refresh(batch)
        batch.status, batch.finished_at = BatchStatus.FAILED, utcnow()
        batch.error = f"could not start the print job: {type(exc).__name__}: {exc}"
        session.commit()
        return
    if job_id:
        session.refresh(batch)
        batch.job_id = job_id
        session.commit()
