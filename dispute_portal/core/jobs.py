"""What a background job runner offers, for the code that hands work to one.

The engines themselves (inline, thread, RQ) live in `dispute_portal.jobs`, which builds an
app for a worker process and so sits above every feature; a feature that starts or checks a
job (the print queue, the outbox) depends on this interface only.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol


class Runner(Protocol):
    """Runs a job, named by the dotted path of a function taking plain arguments."""

    name: str

    def enqueue(self, path: str, *args: object) -> str | None:
        """Hand the job over; the engine's id for it, if it keeps one."""

    def enqueue_in(self, delay: dt.timedelta, path: str, *args: object) -> str | None:
        """Hand the job over to run once `delay` has passed (a retry's wait)."""

    def status(self, job_id: str | None) -> str | None:
        """The engine's word on a job (queued, started, finished, failed…), or None when
        the engine keeps none or the job is gone."""
