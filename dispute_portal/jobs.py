"""Background jobs: one small interface, three engines.

- "rq": production. Jobs go to Redis; `rq worker portal` processes (on any number of
  machines) run them. A restarted web process loses nothing: the job waits in Redis.
- "thread": the SQLite demo. A worker thread in the web process; no extra service.
  Unfinished jobs are picked up again when the process starts (see recover hooks).
- "inline": tests. The job runs at once, in the caller's thread and session; a job for
  later is only kept in `scheduled`, for the test to run when it moves the clock.

A job is a dotted path to a function taking plain arguments; it runs inside an app context.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from flask import Flask, current_app, has_app_context

from . import create_app
from .core.jobs import Runner

log = logging.getLogger(__name__)
QUEUE_NAME = "portal"


def _resolve(path: str) -> Callable[..., Any]:
    module, _, name = path.rpartition(".")
    job: Callable[..., Any] = getattr(importlib.import_module(module), name)
    return job


def run_job(path: str, *args: object) -> object:
    """The entry point every engine calls; RQ workers import and call it by name."""
    if has_app_context():
        return _resolve(path)(*args)
    with create_app().app_context():
        return _resolve(path)(*args)


class InlineRunner:
    name = "inline"

    def __init__(self) -> None:
        self.scheduled: list[tuple[dt.timedelta, str, tuple[object, ...]]] = []

    def enqueue(self, path: str, *args: object) -> str | None:
        run_job(path, *args)
        return None

    def enqueue_in(self, delay: dt.timedelta, path: str, *args: object) -> str | None:
        self.scheduled.append((delay, path, args))
        return None

    def status(self, job_id: str | None) -> str | None:
        return None


class ThreadRunner:
    name = "thread"

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="portal-job")

    def enqueue(self, path: str, *args: object) -> str | None:
        self.pool.submit(self._run, path, args)
        return None

    def enqueue_in(self, delay: dt.timedelta, path: str, *args: object) -> str | None:
        """A timer in this process: lost if it stops first (cron's commands catch up)."""
        timer = threading.Timer(delay.total_seconds(), self.enqueue, (path, *args))
        timer.daemon = True
        timer.start()
        return None

    def _run(self, path: str, args: tuple[object, ...]) -> None:
        with self.app.app_context():
            try:
                run_job(path, *args)
            except Exception:  # the job records its own failure; this is the last resort
                log.exception("background job %s%r failed", path, args)

    def status(self, job_id: str | None) -> str | None:
        return None


class RQRunner:
    name = "rq"

    def __init__(self, redis_url: str, queue: str = QUEUE_NAME) -> None:
        # Only the rq engine needs Redis and RQ: the demo and the tests never load them.
        from redis import Redis
        from rq import Queue

        self.connection = Redis.from_url(redis_url)
        self.queue = Queue(queue, connection=self.connection)

    def enqueue(self, path: str, *args: object) -> str | None:
        job = self.queue.enqueue(
            run_job, path, *args, job_timeout=3600, result_ttl=86400, failure_ttl=7 * 86400
        )
        return job.id

    def enqueue_in(self, delay: dt.timedelta, path: str, *args: object) -> str | None:
        """Kept in Redis until it is due: the workers run with `--with-scheduler`."""
        job = self.queue.enqueue_in(
            delay, run_job, path, *args, job_timeout=3600, result_ttl=86400, failure_ttl=7 * 86400
        )
        return job.id

    def status(self, job_id: str | None) -> str | None:
        """RQ's word on a job: queued, started, finished, failed, … or None if it is gone."""
        # RQ again, as in __init__: loaded by the rq engine only.
        from rq.exceptions import NoSuchJobError
        from rq.job import Job

        if not job_id:
            return None
        try:
            return Job.fetch(job_id, connection=self.connection).get_status(refresh=True)
        except NoSuchJobError:
            return None


def init_jobs(app: Flask) -> None:
    engine = app.config.get("JOB_RUNNER", "thread")
    if engine == "rq":
        runner: Runner = RQRunner(app.config["REDIS_URL"])
    elif engine == "inline":
        runner = InlineRunner()
    elif engine == "thread":
        runner = ThreadRunner(app)
    else:
        raise SystemExit(f"JOB_RUNNER must be rq, thread or inline, not {engine!r}")
    app.extensions["jobs"] = runner


def runner() -> Runner:
    """The app's job runner (`JOB_RUNNER`: rq, thread or inline)."""
    engine: Runner = current_app.extensions["jobs"]
    return engine
