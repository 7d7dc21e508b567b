"""The clerks' print queue: batches merged by a background job, service recorded."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest
from rq import SimpleWorker
from sqlalchemy import select
from sqlalchemy.engine import Connection

from dispute_portal.cases.models import Case
from dispute_portal.db import db, utcnow
from dispute_portal.jobs import InlineRunner, RQRunner
from dispute_portal.rulings import printing
from dispute_portal.rulings.kinds import ACCOUNT_KINDS
from dispute_portal.rulings.models import BatchStatus, PrintBatch, Ruling
from dispute_portal.workflow.states import CaseState

from .conftest import savepoint, shared_connection, worker_index, worker_redis_url
from .factories import Factory

pytestmark = pytest.mark.real_pdf  # these tests read the PDFs they make


def _pages(data: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(data)).pages)


@pytest.fixture(scope="module")
def world(app) -> Iterator[tuple[Connection, list[int], list[int]]]:
    """Three cases, built once for the module: a receipt each, one registered (a notice),
    one returned (a notice). Its rulings are rendered for real: the batches read them."""
    with shared_connection(app) as conn:
        session = db.sessionmaker(info={"config": app.config})
        factory = Factory(session, app.config)
        cases = [
            factory.case(CaseState.SUBMITTED),
            factory.case(CaseState.REGISTERED),
            factory.case(CaseState.RETURNED),
        ]
        session.commit()
        # The account's invoices and receipts go to the parties by e-mail, not by post.
        rulings = session.scalars(
            select(Ruling.id)
            .where(Ruling.kind.not_in(ACCOUNT_KINDS))
            .order_by(Ruling.issued_at, Ruling.id)
        )
        ids = ([case.id for case in cases], list(rulings))
        session.close()
        yield conn, *ids


@pytest.fixture
def connection(world) -> Iterator[Connection]:
    """Each test runs in a savepoint of the module's world."""
    with savepoint(world[0]) as conn:
        yield conn


@pytest.fixture
def issued(world, session) -> tuple[list[Case], list[Ruling]]:
    """The world's cases and rulings, in the test's session."""
    _, case_ids, ruling_ids = world
    return [session.get(Case, i) for i in case_ids], [session.get(Ruling, i) for i in ruling_ids]


def test_queue_lists_unserved_rulings_and_filters(issued, session):
    _, rulings = issued
    assert [r.id for r in printing.queue(session)] == [r.id for r in rulings]
    notices = printing.queue(session, kind="registration_notice")
    assert [r.kind for r in notices] == ["registration_notice"]
    today = utcnow().astimezone(printing.ALMATY).date()
    assert len(printing.queue(session, issued_from=today, issued_to=today)) == len(rulings)
    assert printing.queue(session, issued_to=today - dt.timedelta(days=1)) == []


def test_clerk_prints_a_batch_and_gets_one_merged_pdf(issued, login_as, session, app):
    _, rulings = issued
    browser, _clerk = login_as("clerk")
    assert "Print queue" in browser.get("/registry/print").get_data(as_text=True)
    chosen = [rulings[2].id, rulings[0].id]
    response = browser.post("/registry/print", {"ruling_ids": chosen, "action": "print"})
    batch_id = int(re.search(r"/batches/(\d+)", response.location).group(1))
    session.expire_all()
    batch = session.get(PrintBatch, batch_id)
    assert batch.status is BatchStatus.DONE and batch.done_count == batch.total == 2
    page = browser.get(response.location).get_data(as_text=True)
    assert "Download the PDF for the printer" in page
    assert browser.get(f"{response.location}?format=json").json == {
        "status": "done",
        "done": 2,
        "total": 2,
        "percent": 100,
        "error": None,
    }
    merged = browser.get(f"/registry/print/batches/{batch_id}/pdf").data
    stored = [Path(app.config["RULINGS_DIR"], r.stored_name) for r in (rulings[2], rulings[0])]
    expected_pages = 1 + sum(_pages(path.read_bytes()) for path in stored)  # cover + rulings
    assert _pages(merged) == expected_pages
    cover = pypdf.PdfReader(io.BytesIO(merged)).pages[0].extract_text()
    assert f"Print batch {batch_id}" in cover
    assert cover.index(rulings[2].values["reference"]) < cover.index(rulings[0].values["reference"])
    assert all(session.get(Ruling, rid).printed_at is not None for rid in chosen)
    assert session.get(Ruling, rulings[1].id).printed_at is None


def _batch_page(browser, ruling_ids: list[int]) -> str:
    response = browser.post("/registry/print", {"ruling_ids": ruling_ids, "action": "print"})
    return browser.get(response.location).get_data(as_text=True)


def _listed(page: str) -> list[list[str]]:
    """The rows of the batch page's table of rulings, as the text of their cells."""
    body = re.search(r"<tbody>(.*?)</tbody>", page, re.S).group(1)
    return [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def test_the_batch_page_lists_its_rulings_in_order(issued, login_as, session, factory):
    _, rulings = issued
    browser, _ = login_as("clerk")
    page = _batch_page(browser, [rulings[2].id, rulings[0].id])
    assert "2 of 2 rulings merged" in page
    rows = _listed(page)
    assert [row[0] for row in rows] == [
        rulings[2].values["reference"],
        rulings[0].values["reference"],
    ]
    assert rows[1][1] == "Filing receipt"
    issued_at = rulings[0].issued_at.astimezone(printing.ALMATY)
    assert f"{issued_at:%H:%M}" in rows[1][2] and str(issued_at.year) in rows[1][2]
    assert f'href="/cases/{rulings[0].case_id}"' in page


@pytest.mark.parametrize(
    ("locale", "count"),
    [
        ("en", "1 of 1 ruling merged"),
        ("ru", "Объединено: 1 из 1 решения"),
        ("kk", "Біріктірілген шешімдер: 1 ішінен 1"),
    ],
)
def test_the_batch_count_has_its_plural_form(issued, login_as, factory, locale, count):
    _, rulings = issued
    browser, _ = login_as("clerk", factory.user("clerk", locale=locale))
    page = _batch_page(browser, [rulings[0].id])
    assert count in page


def test_nothing_selected_is_refused(issued, login_as, session):
    browser, _ = login_as("clerk")
    response = browser.post("/registry/print", {"action": "print"})
    assert response.status_code == 409 and "Select at least one ruling." in response.text
    assert session.scalar(select(PrintBatch.id)) is None


def test_marking_served_takes_rulings_off_the_queue(issued, login_as, session):
    _, rulings = issued
    browser, _ = login_as("clerk")
    today = utcnow().astimezone(printing.ALMATY).date()
    response = browser.post(
        "/registry/print",
        {"ruling_ids": [rulings[0].id], "action": "served", "served_on": today.isoformat()},
    )
    assert response.status_code == 302
    session.expire_all()
    assert session.get(Ruling, rulings[0].id).served_on == today
    assert rulings[0].id not in [r.id for r in printing.queue(session)]


def test_service_date_cannot_be_in_the_future(issued, login_as, session):
    _, rulings = issued
    browser, _ = login_as("clerk")
    tomorrow = utcnow().astimezone(printing.ALMATY).date() + dt.timedelta(days=2)
    response = browser.post(
        "/registry/print",
        {"ruling_ids": [rulings[0].id], "action": "served", "served_on": str(tomorrow)},
    )
    assert "cannot be in the future" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(Ruling, rulings[0].id).served_on is None


@pytest.mark.parametrize("role", ["investor", "mediator", "admin"])
def test_print_queue_is_for_clerks(issued, login_as, session, role):
    _, rulings = issued
    batch = printing.create_batch(
        session, clerk=issued[0][0].claimant_user, ruling_ids=[rulings[0].id]
    )
    session.commit()
    browser, _ = login_as(role)
    assert browser.get("/registry/print").status_code == 403
    assert (
        browser.post(
            "/registry/print", {"ruling_ids": [rulings[0].id], "action": "print"}
        ).status_code
        == 403
    )
    assert browser.get(f"/registry/print/batches/{batch.id}").status_code == 403
    assert browser.get(f"/registry/print/batches/{batch.id}/pdf").status_code == 403


def test_a_failing_batch_is_marked_failed_with_the_reason(
    issued, factory, session, app, jobs_use_test_session
):
    _, rulings = issued
    Path(app.config["RULINGS_DIR"], rulings[1].stored_name).rename(
        Path(app.config["RULINGS_DIR"], "moved-away.pdf")
    )
    try:
        batch = printing.create_batch(
            session, clerk=factory.user("clerk"), ruling_ids=[r.id for r in rulings]
        )
        session.commit()
        with app.app_context(), pytest.raises(FileNotFoundError):
            printing.run_batch(batch.id)
    finally:
        Path(app.config["RULINGS_DIR"], "moved-away.pdf").rename(
            Path(app.config["RULINGS_DIR"], rulings[1].stored_name)
        )
    session.expire_all()
    failed = session.get(PrintBatch, batch.id)
    assert failed.status is BatchStatus.FAILED and "FileNotFoundError" in failed.error


@pytest.fixture
def jobs_use_test_session(session, monkeypatch):
    """Jobs call db.session; here it is the test's session (and its rollback)."""

    class Scoped:
        def __getattr__(self, name):
            return getattr(session, name)

        def __call__(self):
            return session

        def remove(self):
            pass

    monkeypatch.setattr(db, "session", Scoped())


def test_recovery_resumes_interrupted_batches_and_gives_up_after_three(
    issued, factory, session, app, jobs_use_test_session
):
    _, rulings = issued
    clerk = factory.user("clerk")
    stale = printing.create_batch(session, clerk=clerk, ruling_ids=[rulings[0].id])
    stale.status, stale.heartbeat_at = BatchStatus.RUNNING, utcnow() - dt.timedelta(hours=1)
    fresh = printing.create_batch(session, clerk=clerk, ruling_ids=[rulings[0].id])
    fresh.status, fresh.heartbeat_at = BatchStatus.RUNNING, utcnow()
    hopeless = printing.create_batch(session, clerk=clerk, ruling_ids=[rulings[0].id])
    hopeless.status, hopeless.attempts = BatchStatus.QUEUED, 3
    session.commit()
    with app.app_context():
        touched = printing.recover(session, InlineRunner())
    session.expire_all()
    assert sorted(touched) == sorted([stale.id, hopeless.id])
    assert session.get(PrintBatch, stale.id).status is BatchStatus.DONE
    assert session.get(PrintBatch, fresh.id).status is BatchStatus.RUNNING  # still alive
    gave_up = session.get(PrintBatch, hopeless.id)
    assert gave_up.status is BatchStatus.FAILED and "3 attempts" in gave_up.error


class BurstWorker(SimpleWorker):
    """RQ's worker without its command channel. The channel lets an operator stop a
    long-lived worker; on teardown its pubsub thread could sleep up to 60 s before joining,
    which made this test take a minute now and then. A burst worker in a test needs none."""

    def subscribe(self) -> None:
        pass

    def unsubscribe(self) -> None:
        pass


def test_rq_engine_runs_the_batch_on_a_worker(issued, factory, session, app, jobs_use_test_session):
    """Production's engine, against the real Redis: enqueue, then a worker runs the job."""
    _, rulings = issued
    runner = RQRunner(worker_redis_url(), queue=f"portal-test-{worker_index()}")
    runner.queue.empty()
    batch = printing.create_batch(
        session, clerk=factory.user("clerk"), ruling_ids=[r.id for r in rulings]
    )
    session.commit()
    job_id = runner.enqueue("dispute_portal.rulings.printing.run_batch", batch.id)
    assert runner.status(job_id) == "queued"
    with app.app_context():
        BurstWorker([runner.queue], connection=runner.connection).work(burst=True)
    session.expire_all()
    assert runner.status(job_id) == "finished"
    done = session.get(PrintBatch, batch.id)
    assert done.status is BatchStatus.DONE and done.done_count == len(rulings)
    runner.queue.empty()
    runner.connection.close()


def test_service_is_recorded_once_audited_and_not_before_issue(issued, login_as, session):
    _, rulings = issued
    browser, clerk = login_as("clerk")
    today = utcnow().astimezone(printing.ALMATY).date()
    early = browser.post(
        "/registry/print",
        {
            "ruling_ids": [rulings[0].id],
            "action": "served",
            "served_on": str(today - dt.timedelta(days=30)),
        },
    )
    assert "cannot be served before the day it was issued" in early.get_data(as_text=True)
    browser.post(
        "/registry/print",
        {"ruling_ids": [rulings[0].id], "action": "served", "served_on": str(today)},
    )
    again = browser.post(
        "/registry/print",
        {"ruling_ids": [rulings[0].id], "action": "served", "served_on": str(today)},
    )
    assert "already marked as served" in again.get_data(as_text=True)
    session.expire_all()
    ruling = session.get(Ruling, rulings[0].id)
    assert ruling.served_on == today
    from dispute_portal.cases.models import Case

    event = session.get(Case, ruling.case_id).last_event("serve_ruling")
    assert event.actor_id == clerk.id and event.data["served_on"] == today.isoformat()
    ruling.served_on = today - dt.timedelta(days=1)
    with pytest.raises(ValueError, match="never changes"):
        session.flush()
    session.rollback()


def test_a_thread_runner_restarts_every_open_batch(issued, factory, session):
    """In the demo a batch 'running' at start-up died with the old process, however fresh."""
    _, rulings = issued
    batch = printing.create_batch(session, clerk=factory.user("clerk"), ruling_ids=[rulings[0].id])
    batch.status, batch.heartbeat_at = BatchStatus.RUNNING, utcnow()
    session.commit()
    started = []

    class ThreadLike:
        name = "thread"

        def enqueue(self, path, *args):
            started.append(args)

    assert printing.recover(session, ThreadLike()) == [batch.id]
    assert (
        started == [(batch.id,)] and session.get(PrintBatch, batch.id).status is BatchStatus.QUEUED
    )


def test_an_engine_that_cannot_start_the_job_fails_the_batch_with_the_reason(
    issued, factory, session
):
    _, rulings = issued
    batch = printing.create_batch(session, clerk=factory.user("clerk"), ruling_ids=[rulings[0].id])
    session.commit()

    class Down:
        name = "rq"

        def enqueue(self, path, *args):
            raise ConnectionError("Redis is unreachable")

    printing.start(session, batch, Down())
    assert batch.status is BatchStatus.FAILED and "Redis is unreachable" in batch.error


def test_a_batch_runs_once_even_if_handed_out_twice(
    issued, factory, session, jobs_use_test_session, app
):
    _, rulings = issued
    batch = printing.create_batch(session, clerk=factory.user("clerk"), ruling_ids=[rulings[0].id])
    session.commit()
    with app.app_context():
        printing.run_batch(batch.id)
        printing.run_batch(batch.id)  # a duplicate job finds the batch already claimed
    session.expire_all()
    done = session.get(PrintBatch, batch.id)
    assert done.status is BatchStatus.DONE and done.attempts == 1
