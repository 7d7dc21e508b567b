"""Password reset requests: does the answer take longer for an address that has an account?

    .venv/bin/python bench/reset_timing_bench.py             # 160 requests of each kind
    .venv/bin/python bench/reset_timing_bench.py --requests 400 --inline

The portal in this process (Flask's test client, no network), a SQLite file migrated to the
head in a temporary directory, one investor account, the rate limits off. Requests for the
account's address and for an address nobody has alternate (so a noisy moment hits both),
after a warm-up; each is timed from the POST to its answer. Jobs are queued, not run, as
RQ does in production (a worker makes and mails the link later); --inline runs them in the
request instead (the tests' runner), which shows the work the request no longer does.
Prints the median and the 10th and 90th percentiles of each kind, and asserts nothing.
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dispute_portal import create_app  # noqa: E402
from dispute_portal.auth.models import Role  # noqa: E402
from dispute_portal.auth.operations import create_user  # noqa: E402
from dispute_portal.config import TestingConfig  # noqa: E402
from dispute_portal.db import db  # noqa: E402
from tests.conftest import JobRecorder, reset_database  # noqa: E402

KNOWN = "known.investor@bench.example"
UNKNOWN = "nobody@bench.example"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=160, help="of each kind (160)")
    parser.add_argument("--inline", action="store_true", help="run the jobs in the request")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        reset_database(url)

        class Bench(TestingConfig):
            DATABASE_URL = url
            WTF_CSRF_ENABLED = False
            JOB_RUNNER = "inline"

        app = create_app(Bench)
        recorder = JobRecorder(app)
        if not options.inline:
            app.extensions["jobs"] = recorder
        with app.app_context():
            create_user(
                db.session(),
                email=KNOWN,
                name="Bench Investor",
                password=secrets.token_urlsafe(24),
                role=Role.INVESTOR,
            )
            db.session.commit()
        client = app.test_client()
        timings: dict[str, list[float]] = {KNOWN: [], UNKNOWN: []}
        for n in range(10 + options.requests):
            for email in (KNOWN, UNKNOWN) if n % 2 else (UNKNOWN, KNOWN):
                started = time.perf_counter()
                response = client.post("/password/forgot", data={"email": email})
                took = time.perf_counter() - started
                assert response.status_code == 302, response.status_code
                if n >= 10:  # the first ten of each warm up
                    timings[email].append(took * 1000)
            recorder.jobs.clear()
        db.engine_for(app).dispose()
    mode = "jobs run in the request" if options.inline else "jobs queued (as with RQ)"
    print(f"POST /password/forgot, {options.requests} of each, {mode}")
    print(f"{'address':<22}{'median ms':>10}{'p10 ms':>9}{'p90 ms':>9}")
    for label, email in (("with an account", KNOWN), ("without an account", UNKNOWN)):
        values = timings[email]
        deciles = statistics.quantiles(values, n=10)
        median = statistics.median(values)
        print(f"{label:<22}{median:>10.2f}{deciles[0]:>9.2f}{deciles[-1]:>9.2f}")
    difference = statistics.median(timings[KNOWN]) - statistics.median(timings[UNKNOWN])
    print(f"difference of the medians: {difference:+.2f} ms")


if __name__ == "__main__":
    main()
