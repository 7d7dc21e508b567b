"""Speed at the scale of a real centre (issue 6): the main pages over 100,000 cases, served
by gunicorn (2 sync workers) and loaded by wrk at 16 connections, each against /healthz
measured in the same run.

    make bench                                               # SQLite
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test make bench   # PostgreSQL
    .venv/bin/python bench/speed_bench.py --seconds 15 --json bench.json
    .venv/bin/python bench/speed_bench.py --explain          # queries and plans, no load

First the database (bench/build_data.py: built, or reused when it matches), then gunicorn on
a free port of 127.0.0.1 (the development settings with the login limits off: one login per
user; no access log), one real login each for the clerk and the busiest mediator. Each page
is fetched once and checked (status 200 and what it must show: 50 rows, the case's 200 events
and 50 documents...) so that no error page is ever measured; then wrk warms it up and loads
it for --seconds. /healthz (the stack's own limit) is loaded first and last, and each page's
throughput is given as a share of their mean. The workers' peak RSS (VmHWM) is sampled
through the run; the search's median latency is measured apart, --sequential requests one
after the other. A table is printed and the numbers are written as JSON. Exit status 1 if a
page failed its check or answered anything but 2xx under load; goals missed are reported,
not failed (--strict fails them too).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import http.client
import io
import json
import os
import platform
import pstats
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import build_data
from support import (
    BIN,
    ROOT,
    Sampler,
    free_port,
    login_cookie,
    percentile,
    start_gunicorn,
    stop_gunicorn,
    wait_ready,
)

USER_AGENT = "portal-speed-bench"
HEADERS = {"User-Agent": USER_AGENT, "Accept-Language": "en"}
APP = "dispute_portal:create_app({'RATELIMIT_ENABLED': False})"
ROW_LINK = re.compile(r'<th scope="row"><a href="/cases/(\d+)"')
GOALS = {"ratio": 0.40, "p99_ms": 100.0, "rss_mb": 150.0, "search_median_ms": 50.0}

# wrk: statuses counted per thread, summed at the end, everything out as one JSON line.
WRK_SCRIPT = r"""
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) statuses = {} end
function response(status, headers, body) statuses[status] = (statuses[status] or 0) + 1 end
function done(summary, latency, requests)
  local counts = {}
  for _, t in ipairs(threads) do
    for code, n in pairs(t:get("statuses")) do counts[code] = (counts[code] or 0) + n end
  end
  local parts = {}
  for code, n in pairs(counts) do table.insert(parts, string.format('"%d":%d', code, n)) end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"duration_us":%d,"requests":%d,"bytes":%d,"statuses":{%s},' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"p50":%d,"p90":%d,"p99":%d,"max":%d,"mean":%.1f}}\n',
    summary.duration, summary.requests, summary.bytes, table.concat(parts, ","),
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    latency.mean))
end
"""


class Interrupted(Exception):
    """The hard time limit or a signal: stop and clean up."""


@dataclass
class Endpoint:
    name: str
    path: str
    cookie: str | None
    check: Any  # (status, body) -> problem or None
    note: str = ""
    result: dict[str, Any] = field(default_factory=dict)


# Setting up --------------------------------------------------------------------------------


def facts(place: build_data.Place, meta: dict[str, Any], per_page: int, deep_page: int):
    """What the checks expect, read from the database before the run."""
    from sqlalchemy import create_engine, text

    engine = create_engine(place.url)
    showcase = meta["showcase_case_id"]
    try:
        with engine.connect() as conn:
            filed = conn.scalar(text("SELECT count(*) FROM cases WHERE state <> 'draft'"))
            full_pages = filed // per_page
            page = max(2, min(deep_page, full_pages))
            # The docket's order (cases.docket_order, cases.id): the last row of the page
            # before is the cursor, and the page's first row is the one after it.
            cursor, first = (
                conn.execute(
                    text(
                        "SELECT id FROM cases WHERE state <> 'draft' "
                        "ORDER BY docket_order, id LIMIT 2 OFFSET :skip"
                    ),
                    {"skip": (page - 1) * per_page - 1},
                )
                .scalars()
                .all()
            )
            # A company that filed a few dozen claims: what a clerk looks up by name.
            party = conn.scalar(
                text(
                    "SELECT name FROM parties WHERE side = 'claimant' AND kind = 'company' "
                    "GROUP BY name HAVING count(*) BETWEEN 10 AND 40 "
                    "ORDER BY count(*) DESC, name LIMIT 1"
                )
            ) or conn.scalar(
                text("SELECT name FROM parties WHERE case_id = :id AND side = 'claimant'"),
                {"id": showcase},
            )
            reference = conn.scalar(
                text("SELECT number FROM cases WHERE id = :id"), {"id": showcase}
            )
            events = conn.scalar(
                text("SELECT count(*) FROM case_events WHERE case_id = :id"), {"id": showcase}
            )
            documents = conn.scalar(
                text("SELECT count(*) FROM documents WHERE case_id = :id"), {"id": showcase}
            )
    finally:
        engine.dispose()
    return {
        "filed": filed,
        "deep_page": page,
        "deep_page_asked": deep_page,
        "cursor": cursor,
        "deep_first": first,
        "party": party,
        "showcase": showcase,
        "reference": reference,
        "events": events,
        "documents": documents,
    }


def get(base: str, path: str, cookie: str | None) -> tuple[int, str]:
    request = urllib.request.Request(base + path, headers=HEADERS)  # noqa: S310 - loopback
    if cookie:
        request.add_header("Cookie", cookie)
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310
            return answer.status, answer.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, exc.read().decode("utf-8", "replace")


def endpoints(f: dict[str, Any], meta: dict[str, Any], clerk: str, mediator: str, word: str):
    held = meta["mediator_cases"]

    def healthz(status, body):
        return None if status == 200 and body.strip() == "ok" else f"{status} {body[:60]!r}"

    def rows(expected: int, first: int | None = None, total: int | None = None):
        def check(status, body):
            if status != 200:
                return f"status {status}"
            ids = ROW_LINK.findall(body)
            if len(ids) != expected:
                return f"{len(ids)} rows, not {expected}"
            if first is not None and int(ids[0]) != first:
                return f"first row is case {ids[0]}, not {first} (is ?after= supported?)"
            # The docket counts up to 10,000 ("More than 10,000 cases"), in any digit grouping.
            shown = re.search(r'role="status">([^<]*)<', body)
            digits = re.sub(r"\D", "", shown.group(1)) if shown else ""
            if total is not None and not (
                digits == str(total) or (total > 10_000 and digits == "10000")
            ):
                return f"the count {total} is not shown"
            return None

        return check

    def case_page(status, body):
        if status != 200:
            return f"status {status}"
        documents = set(re.findall(rf'href="/cases/{f["showcase"]}/documents/(\d+)"', body))
        events = body.count('<p class="when">')  # the latest 30 (all on the trail page)
        if len(documents) != f["documents"] or events != min(f["events"], 30):
            return f"{len(documents)} documents and {events} events shown"
        if f"/cases/{f['showcase']}/trail" not in body:  # the rest of the events are there
            return "no link to the full trail"
        if f["reference"] and f["reference"] not in body:
            return "the case number is not shown"
        return None

    def search(status, body):
        if status != 200:
            return f"status {status}"
        return None if ROW_LINK.search(body) else "no result"

    quote = urllib.parse.quote
    deep = f"page {f['deep_page']}" + (
        f" (the last full page: {f['filed']} filed cases, fewer than page "
        f"{f['deep_page_asked']} needs)"
        if f["deep_page"] < f["deep_page_asked"]
        else ""
    )
    return [
        Endpoint("healthz", "/healthz", None, healthz, "no session, no database"),
        Endpoint("caseload", "/caseload", mediator, rows(min(50, held)), f"{held} cases"),
        Endpoint("docket p1", "/registry/docket", clerk, rows(50, total=f["filed"]), "50 rows"),
        Endpoint(
            f"docket p{f['deep_page']}",
            f"/registry/docket?after={f['cursor']}",
            clerk,
            rows(50, first=f["deep_first"]),
            deep,
        ),
        Endpoint(
            "case page",
            f"/cases/{f['showcase']}",
            clerk,
            case_page,
            f"{f['events']} events, {f['documents']} documents",
        ),
        Endpoint("search word", f"/search?q={quote(word)}", clerk, search, f"q={word}"),
        Endpoint(
            "search party", f"/search?q={quote(f['party'])}", clerk, search, f"q={f['party']}"
        ),
        Endpoint("healthz again", "/healthz", None, healthz, "no session, no database"),
    ]


# Loading -----------------------------------------------------------------------------------


def wrk(args, script: Path, base: str, endpoint: Endpoint, seconds: float) -> dict[str, Any]:
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{max(1, round(seconds))}s",
        "--latency",
        "--timeout",
        "10s",
        "-s",
        str(script),
    ]
    for name, value in HEADERS.items():
        command += ["-H", f"{name}: {value}"]
    if endpoint.cookie:
        command += ["-H", f"Cookie: {endpoint.cookie}"]
    command.append(base + endpoint.path)
    result = subprocess.run(  # noqa: S603 - wrk against our own loopback server
        command, capture_output=True, text=True, timeout=seconds + 60
    )
    line = next((x for x in result.stdout.splitlines() if x.startswith("WRKJSON ")), None)
    if result.returncode != 0 or line is None:
        raise SystemExit(f"wrk failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    data = json.loads(line.removeprefix("WRKJSON "))
    seconds_run = data["duration_us"] / 1e6
    statuses = {int(k): v for k, v in data["statuses"].items()}
    errors = data["errors"]
    return {
        "requests": data["requests"],
        "seconds": round(seconds_run, 2),
        "rps": round(data["requests"] / seconds_run, 1),
        "p50_ms": data["latency_us"]["p50"] / 1000,
        "p90_ms": data["latency_us"]["p90"] / 1000,
        "p99_ms": data["latency_us"]["p99"] / 1000,
        "max_ms": data["latency_us"]["max"] / 1000,
        "statuses": statuses,
        "non_2xx": sum(n for code, n in statuses.items() if not 200 <= code < 300),
        "socket_errors": sum(errors[k] for k in ("connect", "read", "write", "timeout")),
    }


def sequential(base: str, path: str, cookie: str, count: int) -> list[float]:
    """Wall time of `count` requests one after the other, each on a new connection (as
    gunicorn's sync workers close every connection)."""
    host, port = urllib.parse.urlsplit(base).netloc.split(":")
    times = []
    for _ in range(count):
        started = time.perf_counter()
        conn = http.client.HTTPConnection(host, int(port), timeout=60)
        try:
            conn.request("GET", path, headers={**HEADERS, "Cookie": cookie})
            answer = conn.getresponse()
            answer.read()
        finally:
            conn.close()
        if answer.status != 200:
            raise SystemExit(f"GET {path} answered {answer.status} in the sequential run")
        times.append((time.perf_counter() - started) * 1000)
    return times


# Reporting ---------------------------------------------------------------------------------


def verdicts(row: dict[str, Any], baseline: float) -> list[str]:
    missed = []
    if baseline and row["rps"] / baseline < GOALS["ratio"]:
        missed.append(f"ratio < {GOALS['ratio']:.0%}")
    if row["p99_ms"] >= GOALS["p99_ms"]:
        missed.append(f"p99 >= {GOALS['p99_ms']:.0f} ms")
    return missed


def report(run: dict[str, Any]) -> list[str]:
    lines = [
        f"Dispute Portal speed bench, {run['database']} ({run['kind']}), {run['date']}",
        f"{run['machine']}; load average {run['load_before']:.2f} before, "
        f"{run['load_after']:.2f} after (1 min; other work on these cores slows everything)",
        f"data: {run['counts']['cases']} cases, {run['counts']['case_events']} events, "
        f"{run['counts']['documents']} documents, {run['counts']['users']} users "
        f"({'reused' if run['reused'] else 'built in ' + str(run['build_seconds']) + ' s'})",
        f"gunicorn {run['workers']} sync workers, wrk -t{run['threads']} -c{run['connections']} "
        f"-d{run['seconds']:g}s (after {run['warmup']:g} s of warm-up) per page",
        "",
        f"{'page':<14}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'non-2xx':>9}{'vs healthz':>12}"
        "  goals",
    ]
    for row in run["pages"]:
        ratio = f"{row['ratio']:.0%}" if row.get("ratio") is not None else "—"
        missed = row.get("missed")
        goal = "—" if missed is None else ("met" if not missed else "MISSED: " + "; ".join(missed))
        lines.append(
            f"{row['name']:<14}{row['rps']:>8.1f}{row['p50_ms']:>9.1f}{row['p99_ms']:>9.1f}"
            f"{row['non_2xx'] + row['socket_errors']:>9}{ratio:>12}  {goal}"
        )
    lines.append("")
    for row in run["pages"]:
        lines.append(f"  {row['name']}: GET {row['path']} ({row['note']})")
    lines.append("")
    lines.append(f"/healthz baseline: {run['baseline_rps']:.1f} req/s (mean of the first and last)")
    for s in run["search_sequential"]:
        ok = "met" if s["median_ms"] < GOALS["search_median_ms"] else "MISSED"
        lines.append(
            f"search, {s['requests']} sequential requests, q={s['q']}: median "
            f"{s['median_ms']:.1f} ms, p90 {s['p90_ms']:.1f} ms "
            f"(goal < {GOALS['search_median_ms']:.0f} ms: {ok})"
        )
    peaks = run["workers_peak_rss_mb"]
    ok = "met" if peaks and max(peaks) < GOALS["rss_mb"] else "MISSED"

    def mb(values: list[float]) -> str:
        return ", ".join(f"{v:.0f}" for v in values) + " MB"

    lines.append(
        f"gunicorn workers' peak RSS (VmHWM, the whole run): {mb(peaks)} "
        f"(goal < {GOALS['rss_mb']:.0f} MB: {ok}); largest RSS sampled while the pages were "
        f"loaded {mb(run['workers_pages_peak_rss_mb'])}; after start-up "
        f"{mb(run['workers_start_rss_mb'])}"
    )
    return lines


# Explain: the queries of each page -----------------------------------------------------------


def explain(place: build_data.Place, meta: dict[str, Any], f: dict[str, Any], word: str) -> int:
    """Each page rendered in this process once (after a warm-up): its SQL statements with
    their time; on PostgreSQL EXPLAIN (ANALYZE, BUFFERS) of the slowest ones, on SQLite
    EXPLAIN QUERY PLAN."""
    os.environ.update(place.env({}))
    sys.path.insert(0, str(ROOT))
    from sqlalchemy import event

    from dispute_portal import create_app
    from dispute_portal.db import db

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

    pages = [e for e in endpoints(f, meta, "clerk", "mediator", word) if e.cookie]
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


# Main --------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=15, help="wrk's time per page")
    parser.add_argument("--warmup", type=float, default=2, help="wrk's warm-up per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk's threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--sequential", type=int, default=50, help="search requests, one by one")
    parser.add_argument("--search-word", default="solar", help="the typical word searched")
    parser.add_argument("--deep-page", type=int, default=2000, help="the docket's deep page")
    parser.add_argument("--json", type=Path, default=None, help="where to write the numbers")
    parser.add_argument("--rebuild", action="store_true", help="build the database anew")
    parser.add_argument("--scale", type=float, default=1.0, help="data sizes times this")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a goal is missed")
    parser.add_argument("--explain", action="store_true", help="queries and plans, no load")
    parser.add_argument(
        "--only", default="", help="comma-separated pages to load (/healthz always)"
    )
    parser.add_argument("--time-limit", type=float, default=2400, help="seconds, everything")
    args = parser.parse_args()
    if shutil.which("wrk") is None and not args.explain:
        raise SystemExit("wrk is not installed: scripts/apt-install wrk (or make bench)")

    def interrupt(signum, _frame):
        raise Interrupted(signal.Signals(signum).name)

    signal.signal(signal.SIGALRM, interrupt)
    signal.signal(signal.SIGTERM, interrupt)
    signal.alarm(int(args.time_limit))
    try:
        return measure(args)
    except Interrupted as exc:
        print(f"\nInterrupted ({exc}): stopped.", file=sys.stderr)
        return 1
    except subprocess.CalledProcessError as exc:
        print(f"\nBuilding the database failed (exit {exc.returncode}).", file=sys.stderr)
        return 1
    finally:
        signal.alarm(0)


def measure(args: argparse.Namespace) -> int:
    place = build_data.place_from_env()
    build = [str(BIN / "python"), str(ROOT / "bench" / "build_data.py"), "--scale", str(args.scale)]
    if args.rebuild:
        build.append("--rebuild")
    before = place.meta_path.read_text() if place.meta_path.exists() else None
    subprocess.run(build, cwd=ROOT, check=True, timeout=args.time_limit)  # noqa: S603
    meta = json.loads(place.meta_path.read_text())
    reused = before is not None and json.loads(before)["built_at"] == meta["built_at"]
    f = facts(place, meta, per_page=50, deep_page=args.deep_page)
    if args.explain:
        return explain(place, meta, f, args.search_word)

    tmp = Path(tempfile.mkdtemp(prefix="portal-speed-"))
    script = tmp / "report.lua"
    script.write_text(WRK_SCRIPT)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = place.env()
    env.update(SECRET_KEY=secrets.token_urlsafe(48), PUBLIC_BASE_URL=base)
    server = None
    failed = True
    try:
        server = start_gunicorn(env, port, tmp / "gunicorn.log", workers=args.workers, app=APP)
        wait_ready(server, base, path="/healthz", workers=args.workers, timeout=120)
        sampler = Sampler(server.pid, interval=0.5)
        sampler.sample()
        sampler.start()
        clerk = login_cookie(base, meta["clerk"], meta["password"], HEADERS)
        mediator = login_cookie(base, meta["mediator"], meta["password"], HEADERS)
        # A login's Argon2 hash takes 64 MB for a moment (VmHWM keeps it): the pages' own
        # peak is the largest RSS sampled from here on.
        sampler.reset_peak()
        pages = endpoints(f, meta, clerk, mediator, args.search_word)
        if args.only:
            wanted = {name.strip() for name in args.only.split(",")}
            pages = [p for p in pages if p.name in wanted or p.name.startswith("healthz")]
        problems = []
        for page in pages:
            status, body = get(base, page.path, page.cookie)
            problem = page.check(status, body)
            if problem:
                problems.append(f"{page.name}: GET {page.path}: {problem}")
        if problems:
            print("A page does not show what it should; nothing was measured:", file=sys.stderr)
            print("\n".join("  " + p for p in problems), file=sys.stderr)
            return 1
        load_before = os.getloadavg()[0]
        for page in pages:
            print(f"  {page.name}: {args.seconds:g} s ...", flush=True)
            if args.warmup > 0:
                wrk(args, script, base, page, args.warmup)
            page.result = wrk(args, script, base, page, args.seconds)
        searches = []
        for page in pages if args.sequential > 0 else []:
            if page.name.startswith("search"):
                q = urllib.parse.parse_qs(urllib.parse.urlsplit(page.path).query)["q"][0]
                times = sequential(base, page.path, page.cookie, args.sequential)
                searches.append(
                    {
                        "q": q,
                        "requests": len(times),
                        "median_ms": round(statistics.median(times), 2),
                        "p90_ms": round(percentile(times, 90), 2),
                    }
                )
        load_after = os.getloadavg()[0]
        sampler.stop()
        baseline = statistics.mean(p.result["rps"] for p in pages if p.name.startswith("healthz"))
        rows = []
        for page in pages:
            row = {"name": page.name, "path": page.path, "note": page.note, **page.result}
            if not page.name.startswith("healthz"):
                row["ratio"] = round(row["rps"] / baseline, 3) if baseline else None
                row["missed"] = verdicts(row, baseline)
            rows.append(row)
        run = {
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "machine": f"{platform.node()}, {os.cpu_count()} CPUs, {platform.platform()}",
            "database": place.shown,
            "kind": place.kind,
            "counts": meta["counts"],
            "reused": reused,
            "build_seconds": meta["build_seconds"],
            "workers": args.workers,
            "threads": args.threads,
            "connections": args.connections,
            "seconds": args.seconds,
            "warmup": args.warmup,
            "load_before": load_before,
            "load_after": load_after,
            "baseline_rps": baseline,
            "pages": rows,
            "search_sequential": searches,
            "workers_peak_rss_mb": sorted(
                (round(kb / 1024, 1) for kb in sampler.hwm.values()), reverse=True
            ),
            "workers_pages_peak_rss_mb": sorted(
                (round(kb / 1024, 1) for kb in sampler.peak_rss.values()), reverse=True
            ),
            "workers_start_rss_mb": sorted(
                (round(kb / 1024, 1) for kb in sampler.first_rss.values()), reverse=True
            ),
            "goals": GOALS,
        }
        print()
        print("\n".join(report(run)))
        out = args.json or place.folder / f"results-{time.strftime('%Y%m%d-%H%M%S')}.json"
        out.write_text(json.dumps(run, indent=2, ensure_ascii=False))
        print(f"\nnumbers written to {out}")
        errors = [r for r in rows if r["non_2xx"] or r["socket_errors"]]
        missed = [r["name"] for r in rows if r.get("missed")]
        missed += [s["q"] for s in searches if s["median_ms"] >= GOALS["search_median_ms"]]
        if max(run["workers_peak_rss_mb"], default=0) >= GOALS["rss_mb"]:
            missed.append("worker memory")
        failed = bool(errors) or (args.strict and bool(missed))
        return 1 if failed else 0
    finally:
        stop_gunicorn(server)
        log = tmp / "gunicorn.log"
        if failed and log.exists():
            print(f"\n--- last lines of {log} ---", file=sys.stderr)
            print("\n".join(log.read_text(errors="replace").splitlines()[-40:]), file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
