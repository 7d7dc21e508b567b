"""Speed at the scale of a real centre (issues 6 and 14): the main pages over 100,000 cases,
drawn in-process against a minimal comparison page, then served by gunicorn and loaded by
wrk, cold and from the page cache, each against /healthz measured in the same run.

    make bench                                               # SQLite
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test make bench   # PostgreSQL
    .venv/bin/python bench/speed_bench.py --seconds 10 --json bench.json
    .venv/bin/python bench/speed_bench.py --explain          # queries and plans, no load

First the database (bench/build_data.py: built, or reused when it matches). Then the phases
(--phases; bench/README.md says how to read the table):

  drawn    each page's CPU per request in this process, the portal (PAGE_CACHE=off) against
           the minimal page of bench/minimal (bench/drawn_cpu.py)
  cold     gunicorn, 2 sync workers, the portal's page cache off: every page checked once
           (what it must show), then wrk; /healthz first and last; the workers' memory; the
           searches one request after another
  cached   the same with PAGE_CACHE=memory (SQLite: each worker its own cache) or redis
           (PostgreSQL; a Redis database of its own, flushed first), with the hit rate
  minimal  the minimal app under gunicorn, 2 workers, for the docket, caseload, case page
  workers  SQLite only: the GET pages cold with 1 worker, against the 2 workers' rate

A table is printed and the numbers are written as JSON. Exit status 1 if a page failed its
check or answered anything but 2xx under load; goals missed are reported, not failed
(--strict fails them too).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path
from typing import Any

import build_data
import drawn_cpu
import redis
import wrk_runs
from explain import explain
from pages import Endpoint, check_pages, endpoints, facts, sequential
from report import GOALS, missed, report
from support import BIN, ROOT, percentile
from wrk_runs import Load, Server, serving

PORTAL_APP = "dispute_portal:create_app({{'RATELIMIT_ENABLED': False, 'PAGE_CACHE': '{}'}})"
MINIMAL_APP = "minimal:from_env()"
PHASES = ("drawn", "cold", "cached", "minimal", "workers")
MINIMAL_PAGES = ("docket p1", "caseload", "case page")


class Interrupted(Exception):
    """The hard time limit or a signal: stop and clean up."""


def flush_redis(url: str) -> str | None:
    """Empty the bench's own Redis database; why not, if it cannot be reached."""
    try:
        redis.Redis.from_url(url, socket_timeout=5).flushdb()
    except redis.RedisError as exc:
        return f"Redis at {url}: {exc}"
    return None


# Main --------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10, help="wrk's time per page")
    parser.add_argument("--warmup", type=float, default=2, help="wrk's warm-up per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk's threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--phases", default=",".join(PHASES), help="which of " + ",".join(PHASES))
    parser.add_argument("--drawn-requests", type=int, default=20, help="requests a drawn round")
    parser.add_argument("--drawn-rounds", type=int, default=7, help="drawn rounds (median)")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/9", help="cached, PG")
    parser.add_argument("--sequential", type=int, default=50, help="search requests, one by one")
    parser.add_argument("--search-word", default="solar", help="the typical word searched")
    parser.add_argument("--deep-page", type=int, default=2000, help="the docket's deep page")
    parser.add_argument("--json", type=Path, default=None, help="where to write the numbers")
    parser.add_argument("--rebuild", action="store_true", help="build the database anew")
    parser.add_argument("--scale", type=float, default=1.0, help="data sizes times this")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a goal is missed")
    parser.add_argument("--explain", action="store_true", help="queries and plans, no load")
    parser.add_argument("--only", default="", help="comma-separated pages (/healthz always)")
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


class Bench:
    """One run: the servers it starts, the cookies of its one login per user, the rows."""

    def __init__(self, args: argparse.Namespace, place: build_data.Place, meta: dict[str, Any]):
        self.args, self.place, self.meta = args, place, meta
        self.sqlite = place.kind == "sqlite"
        self.tmp = Path(tempfile.mkdtemp(prefix="portal-speed-"))
        self.load = Load(
            args.threads, args.connections, args.seconds, args.warmup, self.tmp / "report.lua"
        )
        self.load.script.write_text(wrk_runs.WRK_SCRIPT)
        self.key = secrets.token_urlsafe(48)  # the portal's and the minimal app's: one cookie
        self.env = {**place.env(), "SECRET_KEY": self.key}
        # The portal in this process: the drawn phase's, and the one login per user of the
        # whole run (its cookie opens every server of the run: one database, one key).
        self.portal = drawn_cpu.portal(
            place, self.key, {"RATELIMIT_ENABLED": False, "PAGE_CACHE": "off"}
        )
        self.cookies = {
            who: drawn_cpu.login(self.portal, meta[who], meta["password"])
            for who in ("clerk", "mediator")
        }
        self.rss: dict[str, list[float]] = {}
        self.searches: list[dict[str, Any]] = []
        self.notes: list[str] = []

    def logged_in(self, pages: list[Endpoint]) -> list[Endpoint]:
        return [
            Endpoint(p.name, p.path, self.cookies.get(p.cookie or ""), p.check, p.note)
            for p in pages
        ]

    def serve(self, label: str, app: str, workers: int, pages: list[Endpoint], **kw: Any):
        """gunicorn with `app`; each page checked, then loaded; its results by name."""
        extra = kw.get("extra", ())
        env = {**self.env, **kw.get("env", {})}
        with serving(env, app, workers, self.tmp / f"{label}.log", extra) as server:
            chosen = self.logged_in(pages)
            if problems := check_pages(server.base, chosen):
                raise SystemExit("A page does not show what it should:\n  " + "\n  ".join(problems))
            server.sampler.reset_peak()
            results = wrk_runs.load_pages(self.load, server, chosen, label)
            if label == "cold":
                self.sequential_searches(server, chosen)
            hwm = server.sampler
        self.rss[label] = _mb(hwm.hwm.values())
        self.rss[label + " pages"] = _mb(hwm.peak_rss.values())
        self.rss[label + " start"] = _mb(hwm.first_rss.values())
        return results

    def sequential_searches(self, server: Server, pages: list[Endpoint]) -> None:
        for page in pages:
            if not page.name.startswith("search") or self.args.sequential <= 0:
                continue
            times = sequential(server.base, page.path, page.cookie or "", self.args.sequential)
            q = urllib.parse.parse_qs(urllib.parse.urlsplit(page.path).query)["q"][0]
            self.searches.append(
                {
                    "q": q,
                    "requests": len(times),
                    "median_ms": round(statistics.median(times), 2),
                    "p90_ms": round(percentile(times, 90), 2),
                }
            )

    def phases(self, phases: set[str], pages: list[Endpoint]) -> dict[str, dict[str, Any]]:
        rows = {p.name: {"name": p.name, "path": p.path, "note": p.note} for p in pages}
        gets = [p for p in pages if not p.name.startswith("healthz")]
        if "drawn" in phases:
            once = [(p.name, p.path, p.cookie) for p in pages if p.name != "healthz again"]
            for row in drawn_cpu.measure(
                self.place, self.portal, self.cookies, once, requests=self.args.drawn_requests,
                rounds=self.args.drawn_rounds, warmup=3,
            ):  # fmt: skip
                rows[row["name"]]["drawn"] = row
        if phases & {"cold", "cached", "workers"}:
            for name, result in self.serve(
                "cold", PORTAL_APP.format("off"), self.args.workers, pages
            ).items():
                rows[name]["cold"] = result
        if "cached" in phases:
            self.cached(rows, gets)
        if "minimal" in phases:
            floor = [p for p in gets if p.name in MINIMAL_PAGES]
            extra = ("--pythonpath", "bench")
            for name, result in self.serve(
                "minimal", MINIMAL_APP, self.args.workers, floor, extra=extra
            ).items():
                rows[name]["minimal_load"] = result
        if "workers" in phases and self.sqlite:
            for name, result in self.serve("one worker", PORTAL_APP.format("off"), 1, gets).items():
                rows[name]["one_worker"] = result
                two = rows[name].get("cold")
                if two and result["rps"]:
                    rows[name]["workers_ratio"] = round(two["rps"] / result["rps"], 2)
        return rows

    def cached(self, rows: dict[str, dict[str, Any]], gets: list[Endpoint]) -> None:
        env = {}
        if not self.sqlite:
            env = {"REDIS_URL": self.args.redis_url}
            if why := flush_redis(self.args.redis_url):
                self.notes.append(f"the cached run was skipped: {why}")
                return
        app = PORTAL_APP.format("memory" if self.sqlite else "redis")
        results = self.serve("cached", app, self.args.workers, gets, env=env)
        for name, result in results.items():
            rows[name]["cached"] = result
        if all(r["hit_rate"] is None for r in results.values()):
            self.notes.append(
                "no answer carried X-Page-Cache: the portal has no page cache yet (hit rate n/a)"
            )


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
    pages = endpoints(f, meta, "clerk", "mediator", args.search_word)  # cookies come later
    if args.explain:
        return explain(place, meta, [e for e in pages if e.cookie])
    phases = {p.strip() for p in args.phases.split(",") if p.strip()}
    if unknown := phases - set(PHASES):
        raise SystemExit(f"unknown phases: {', '.join(sorted(unknown))}")
    if args.only:
        wanted = {name.strip() for name in args.only.split(",")}
        pages = [p for p in pages if p.name in wanted or p.name.startswith("healthz")]
    bench = Bench(args, place, meta)
    failed = True
    try:
        load_before = os.getloadavg()[0]
        rows = list(bench.phases(phases, pages).values())
        hz = [r["cold"]["rps"] for r in rows if r["name"].startswith("healthz") and "cold" in r]
        baseline = statistics.mean(hz) if hz else 0.0
        for row in rows:
            if row["name"].startswith("healthz"):
                continue
            for phase in ("cold", "cached"):
                if row.get(phase) and baseline:
                    row[phase]["share"] = round(row[phase]["rps"] / baseline, 3)
            row["missed"] = missed(row, place.kind)
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
            "drawn_requests": args.drawn_requests,
            "drawn_rounds": args.drawn_rounds,
            "phases": sorted(phases),
            "cache_backend": "memory" if bench.sqlite else "redis",
            "load_before": load_before,
            "load_after": os.getloadavg()[0],
            "baseline_rps": baseline,
            "pages": rows,
            "search_sequential": bench.searches,
            "workers_peak_rss_mb": bench.rss.get("cold", []),
            "workers_pages_peak_rss_mb": bench.rss.get("cold pages", []),
            "workers_start_rss_mb": bench.rss.get("cold start", []),
            "cached_peak_rss_mb": bench.rss.get("cached", []),
            "goals": GOALS,
            "notes": bench.notes,
        }
        print()
        print("\n".join(report(run)))
        out = args.json or place.folder / f"results-{time.strftime('%Y%m%d-%H%M%S')}.json"
        out.write_text(json.dumps(run, indent=2, ensure_ascii=False))
        print(f"\nnumbers written to {out}")
        kinds = ("cold", "cached", "minimal_load", "one_worker")
        loads = [row[k] for row in rows for k in kinds if row.get(k)]
        errors = [r for r in loads if r["non_2xx"] or r["socket_errors"]]
        goals_missed = [r["name"] for r in rows if r.get("missed")]
        goals_missed += [
            s["q"] for s in bench.searches if s["median_ms"] >= GOALS["search_median_ms"]
        ]
        if max(run["workers_peak_rss_mb"], default=0) >= GOALS["rss_mb"]:
            goals_missed.append("worker memory")
        failed = bool(errors) or (args.strict and bool(goals_missed))
        return 1 if failed else 0
    finally:
        for log in sorted(bench.tmp.glob("*.log")) if failed else []:
            print(f"\n--- last lines of {log} ---", file=sys.stderr)
            lines = log.read_text(errors="replace").splitlines()
            print("\n".join(lines[-40:]), file=sys.stderr)
        if not failed:
            shutil.rmtree(bench.tmp, ignore_errors=True)


def _mb(kbs: Any) -> list[float]:
    return sorted((round(kb / 1024, 1) for kb in (kbs or [])), reverse=True)


if __name__ == "__main__":
    sys.exit(main())
