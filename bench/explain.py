"""`speed_bench.py --explain`: each page rendered once in this process (after a warm-up), its
SQL statements with their times, where the time goes (cProfile) and the plans of the slowest
statements. Loads nothing."""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import re
import sys
import time
from typing import Any

import build_data
from sqlalchemy import event
from support import ROOT

sys.path.insert(0, str(ROOT))

from dispute_portal import create_app  # noqa: E402 - after the checkout is on the path
from dispute_portal.db import db  # noqa: E402

HEADERS = {"User-Agent": "portal-speed-bench", "Accept-Language": "en"}


def explain(place: build_data.Place, meta: dict[str, Any], pages: list[Any]) -> int:
    """Each page rendered in this process once (after a warm-up): its SQL statements with
    their time; on PostgreSQL EXPLAIN (ANALYZE, BUFFERS) of the slowest ones, on SQLite
    EXPLAIN QUERY PLAN."""
    os.environ.update(place.env({}))
    app = create_app({"RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False})
    engine = db.engine_for(app)
    seen: list[tuple[str, Any, float]] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _start(conn, cursor, statement, parameters, context, executemany):
        conn.info.setdefault("started", []).append(time.perf_counter())

    @event.listens_for(engine, "after_cursor_execute")
    def _end(conn, cursor, statement, parameters, context, executemany):
        started = conn.info["started"].pop()
        seen.append((statement, parameters, (time.perf_counter() - started) * 1000))

    users = {"clerk": meta["clerk"], "mediator": meta["mediator"]}
    for page in pages:
        client = app.test_client()
        client.post(
            "/login", data={"email": users[page.cookie], "password": meta["password"], "next": ""}
        )
        client.get(page.path)  # warm: templates compiled, caches filled
        seen.clear()
        started = time.perf_counter()
        answer = client.get(page.path, headers=HEADERS)
        wall = (time.perf_counter() - started) * 1000
        statements = list(seen)
        profile = cProfile.Profile()
        profile.runcall(client.get, page.path, headers=HEADERS)
        seen[:] = statements
        queries = [
            q for q in seen if not q[0].lstrip().upper().startswith(("SAVEPOINT", "RELEASE"))
        ]
        sql_ms = sum(q[2] for q in queries)
        print(f"\n== {page.name}: GET {page.path} -> {answer.status_code}, {wall:.1f} ms in all, "
              f"{len(queries)} queries, {sql_ms:.1f} ms in SQL")  # fmt: skip
        for statement, _params, ms in queries:
            print(f"  {ms:7.2f} ms  {' '.join(statement.split())[:150]}")
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(12)
        hot = [line for line in out.getvalue().splitlines() if re.match(r"\s+\d", line)]
        print("  where the time goes (cProfile, own time; ncalls tottime percall cumtime ...):")
        print("\n".join("    " + line.strip() for line in hot))
        selects = [q for q in queries if q[0].lstrip().upper().startswith(("SELECT", "WITH"))]
        for statement, params, ms in sorted(selects, key=lambda q: -q[2])[:2]:
            if ms < 2:
                break
            prefix = (
                "EXPLAIN (ANALYZE, BUFFERS) "
                if engine.dialect.name == "postgresql"
                else "EXPLAIN QUERY PLAN "
            )
            print(f"\n  plan of the {ms:.1f} ms statement:")
            with engine.connect() as conn:
                raw = conn.connection.driver_connection
                cur = raw.cursor()
                cur.execute(prefix + statement, params)
                for row in cur.fetchall():
                    print("   ", " ".join(str(v) for v in row))
                cur.close()
                conn.rollback()
    return 0
