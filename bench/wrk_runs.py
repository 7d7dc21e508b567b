"""Under load: gunicorn (sync workers) on a loopback port and wrk against each page.

A Lua script counts the answers' statuses and the values of their X-Page-Cache header
("hit", "miss", or none: the portal's page cache off, or a page it does not cache), summed
over wrk's threads and written out as one JSON line.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from support import Sampler, free_port, start_gunicorn, stop_gunicorn, wait_ready

HEADERS = {"User-Agent": "portal-speed-bench", "Accept-Language": "en"}

WRK_SCRIPT = r"""
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) statuses = {} caches = {} end
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  local seen = headers["X-Page-Cache"] or headers["x-page-cache"] or "none"
  caches[seen] = (caches[seen] or 0) + 1
end
local function tally(name)
  local counts = {}
  for _, t in ipairs(threads) do
    for key, n in pairs(t:get(name)) do counts[key] = (counts[key] or 0) + n end
  end
  return counts
end
function done(summary, latency, requests)
  local parts = {}
  for code, n in pairs(tally("statuses")) do
    table.insert(parts, string.format('"%d":%d', code, n))
  end
  local cached = {}
  for value, n in pairs(tally("caches")) do
    table.insert(cached, string.format('"%s":%d', (string.gsub(value, '[^%w]', '')), n))
  end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"duration_us":%d,"requests":%d,"bytes":%d,"statuses":{%s},"cache":{%s},' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"p50":%d,"p90":%d,"p99":%d,"max":%d,"mean":%.1f}}\n',
    summary.duration, summary.requests, summary.bytes, table.concat(parts, ","),
    table.concat(cached, ","), e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    latency.mean))
end
"""


@dataclass
class Load:
    threads: int
    connections: int
    seconds: float
    warmup: float
    script: Path


def wrk(load: Load, url: str, cookie: str | None, seconds: float) -> dict[str, Any]:
    command = [
        "wrk",
        f"-t{load.threads}",
        f"-c{load.connections}",
        f"-d{max(1, round(seconds))}s",
        "--latency",
        "--timeout",
        "10s",
        "-s",
        str(load.script),
    ]
    for name, value in HEADERS.items():
        command += ["-H", f"{name}: {value}"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    command.append(url)
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
    cache = data["cache"]
    told = cache.get("hit", 0) + cache.get("miss", 0)
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
        "cache": cache,
        # None when no answer said: no cache (off, or not landed yet), so "n/a".
        "hit_rate": round(cache.get("hit", 0) / told, 3) if told else None,
    }


@dataclass
class Server:
    base: str
    workers: int
    sampler: Sampler
    log: Path
    process: Any = field(repr=False, default=None)


@contextmanager
def serving(
    env: dict[str, str], app: str, workers: int, log: Path, extra: tuple[str, ...] = ()
) -> Iterator[Server]:
    """gunicorn running `app` on a free loopback port, its workers' memory sampled; stopped
    on the way out, whatever happened."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**env, "PUBLIC_BASE_URL": base}
    process = start_gunicorn(env, port, log, workers=workers, app=app, extra=extra)
    try:
        wait_ready(process, base, path="/healthz", workers=workers, timeout=120)
        sampler = Sampler(process.pid, interval=0.5)
        sampler.sample()
        sampler.start()
        try:
            yield Server(base, workers, sampler, log, process)
        finally:
            sampler.stop()
    finally:
        stop_gunicorn(process)


def load_pages(
    load: Load, server: Server, pages: list[Any], label: str
) -> dict[str, dict[str, Any]]:
    """Each page: warm-up (which also fills a page cache), then measured."""
    results = {}
    for page in pages:
        print(f"  {label}: {page.name}, {load.seconds:g} s ...", flush=True)
        url = server.base + page.path
        if load.warmup > 0:
            wrk(load, url, page.cookie, load.warmup)
        results[page.name] = wrk(load, url, page.cookie, load.seconds)
    return results
