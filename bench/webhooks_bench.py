"""Webhooks (issue 18): what the fan-out adds to a commit that writes an event, and how fast
the outbox is sent to a receiver on this machine. Prints numbers, asserts nothing; needs
nothing but the repository (a throw-away SQLite demo in a temp dir).

    .venv/bin/python bench/webhooks_bench.py

a) The demo is seeded; then, for 0, 10 and 100 active subscriptions to `case.*` (spread over
   the demo's accounts, a tenth of them on the case), BENCH_EVENTS (200) commits that each
   write one event on one of counsel's cases. Printed: the median and 95th percentile of a
   commit, and the deliveries made (the subscriptions whose owner may read the event).
b) BENCH_DELIVERIES (300) deliveries waiting, sent by `send_due` to a receiver on 127.0.0.1
   that answers 204 at once: deliveries a second, each signed and its target checked.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# Before the portal's settings are read (Alembic reads DATABASE_URL from them).
PLACE = Path(tempfile.mkdtemp(prefix="webhooks-bench-"))
os.environ["DATABASE_URL"] = f"sqlite:///{PLACE / 'portal.db'}"

from sqlalchemy import delete, func, select  # noqa: E402

from dispute_portal import create_app  # noqa: E402
from dispute_portal.auth.models import User  # noqa: E402
from dispute_portal.cases.models import Case  # noqa: E402
from dispute_portal.config import DevelopmentConfig  # noqa: E402
from dispute_portal.core import keys  # noqa: E402
from dispute_portal.db import db  # noqa: E402
from dispute_portal.jobs import InlineRunner  # noqa: E402
from dispute_portal.parties.models import Participant  # noqa: E402
from dispute_portal.webhooks import delivery, signing  # noqa: E402
from dispute_portal.webhooks.models import Delivery, Subscription  # noqa: E402
from dispute_portal.webhooks.operations import ALL, SECRET_PURPOSE  # noqa: E402
from dispute_portal.workflow.models import record  # noqa: E402

EVENTS = int(os.environ.get("BENCH_EVENTS", "200"))
DELIVERIES = int(os.environ.get("BENCH_DELIVERIES", "300"))


class Quiet(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 - the http.server's name
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *_args: object) -> None:
        pass


def main() -> None:
    class Config(DevelopmentConfig):
        DATABASE_URL = os.environ["DATABASE_URL"]
        UPLOAD_DIR = str(PLACE / "uploads")
        RULINGS_DIR = str(PLACE / "rulings")
        JOB_RUNNER = "inline"
        WEBHOOK_ALLOWED_NETWORKS = ("127.0.0.0/8",)

    app = create_app(Config)
    cli = app.test_cli_runner()
    start = time.perf_counter()
    for command in ("init-db", "seed-demo"):
        result = cli.invoke(args=[command])
        assert result.exit_code == 0, (result.output, result.exception)
    print(f"demo made in {time.perf_counter() - start:.1f} s")
    server = ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    with app.app_context():
        session = db.session()
        counsel = session.scalar(select(User).where(User.email == "counsel@demo.adr.kz"))
        assert counsel is not None
        case_id = session.scalar(
            select(Participant.case_id).where(Participant.user_id == counsel.id).limit(1)
        )
        people = list(session.scalars(select(User).order_by(User.id)))
        on_case = set(
            session.scalars(select(Participant.user_id).where(Participant.case_id == case_id))
        )
        readers = [p for p in people if p.id in on_case]
        others = [p for p in people if p.id not in on_case]
        print(f"\na) a commit that writes one event ({EVENTS} commits each)")
        print(f"{'subscriptions':>14} {'median ms':>10} {'p95 ms':>8} {'deliveries':>11}")
        for count in (0, 10, 100):
            session.execute(delete(Delivery))
            session.execute(delete(Subscription))
            for i in range(count):
                owner = readers[i % len(readers)] if i % 10 == 0 else others[i % len(others)]
                secret = keys.encrypt(app.config, SECRET_PURPOSE, signing.new_secret())
                session.add(
                    Subscription(user_id=owner.id, url=url, event_types=[ALL], secret=secret)
                )
            session.commit()
            times = []
            for _ in range(EVENTS):
                case = session.get(Case, case_id)
                assert case is not None
                start = time.perf_counter()
                record(counsel, case, "join")
                session.commit()
                times.append((time.perf_counter() - start) * 1000)
            made = session.scalar(select(func.count(Delivery.id))) or 0
            p95 = statistics.quantiles(times, n=20)[-1]
            print(f"{count:>14} {statistics.median(times):>10.2f} {p95:>8.2f} {made:>11}")

        print(f"\nb) sending {DELIVERIES} deliveries to a receiver on 127.0.0.1")
        waiting = session.scalars(select(Delivery).limit(DELIVERIES)).all()
        print(f"{len(waiting)} waiting (made in a above)")
        session.execute(delete(Delivery).where(Delivery.id.not_in([d.id for d in waiting])))
        session.commit()
        start = time.perf_counter()
        sent, failed = delivery.send_due(session, app.config, InlineRunner(), limit=DELIVERIES)
        took = time.perf_counter() - start
        print(f"delivered {sent}, failed {failed}: {sent / took:.0f} a second ({took:.2f} s)")
    server.shutdown()


if __name__ == "__main__":
    main()
