"""The speed bench's table: one per database, every page on a line with /healthz, its drawn
CPU against the minimal page, and its numbers under load cold, cached, as the minimal page and
with one worker; then the goals of issue 14 each page missed."""

from __future__ import annotations

from typing import Any

GOALS = {
    "drawn_ratio": 1.3,  # the portal's CPU (app + database) over the minimal page's, at most
    "cached_share": 0.40,  # cached req/s over /healthz req/s, at least
    "p99_ms": 100.0,  # cached p99 at 16 connections, below
    "workers_ratio": 1.8,  # SQLite: 2 workers' req/s over 1 worker's, at least
    "rss_mb": 150.0,
    "search_median_ms": 50.0,
}


def missed(row: dict[str, Any], kind: str) -> list[str]:
    """The goals this page missed (the ones that apply to it and were measured)."""
    out = []
    ratio = row.get("drawn", {}).get("ratio")
    if ratio is not None and ratio > GOALS["drawn_ratio"]:
        out.append(f"drawn {ratio:.2f}x > {GOALS['drawn_ratio']}x")
    cached = row.get("cached")
    if cached:
        if cached.get("share") is not None and cached["share"] < GOALS["cached_share"]:
            out.append(f"cached {cached['share']:.0%} < {GOALS['cached_share']:.0%}")
        if cached["p99_ms"] >= GOALS["p99_ms"]:
            out.append(f"cached p99 >= {GOALS['p99_ms']:.0f} ms")
    workers = row.get("workers_ratio")
    if kind == "sqlite" and workers is not None and workers < GOALS["workers_ratio"]:
        out.append(f"2w/1w {workers:.2f} < {GOALS['workers_ratio']}")
    return out


def _cpu(side: dict[str, Any] | None) -> str:
    if not side:
        return "—"
    if side.get("db_ms") is None:
        return f"{side['app_ms']:.1f} ({side['queries']:g})"
    return f"{side['app_ms']:.1f}+{side['db_ms']:.1f} ({side['queries']:g})"


def _num(value: float | None, fmt: str = ".1f") -> str:
    return "—" if value is None else format(value, fmt)


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"


HEAD = (
    f"{'':<14}{'drawn CPU ms/request (queries)':^33}|{'cold, 2 workers':^27}|"
    f"{'cached, 2 workers':^30}|{'minimal':^14}|{'1 worker':^13}|\n"
    f"{'page':<14}{'portal':>14}{'minimal':>13}{'x':>6}|{'req/s':>8}{'p99':>7}{'err':>5}"
    f"{'vs hz':>7}|{'req/s':>8}{'p99':>7}{'err':>4}{'hit':>5}{'vs hz':>6}|{'req/s':>7}"
    f"{'p99':>7}|{'req/s':>7}{'2w/1w':>6}|  goals"
)


def table(run: dict[str, Any]) -> list[str]:
    lines = HEAD.split("\n")
    for row in run["pages"]:
        drawn = row.get("drawn", {})
        cold = row.get("cold") or {}
        cached = row.get("cached") or {}
        floor = row.get("minimal_load") or {}
        one = row.get("one_worker") or {}
        goals = row.get("missed")
        goal = "" if goals is None else ("met" if not goals else "MISSED: " + "; ".join(goals))
        lines.append(
            f"{row['name']:<14}{_cpu(drawn.get('portal')):>14}{_cpu(drawn.get('minimal')):>13}"
            f"{_num(drawn.get('ratio'), '.2f'):>6}|{_num(cold.get('rps')):>8}"
            f"{_num(cold.get('p99_ms'), '.0f'):>7}{_errors(cold):>5}{_pct(cold.get('share')):>7}|"
            f"{_num(cached.get('rps')):>8}{_num(cached.get('p99_ms'), '.0f'):>7}"
            f"{_errors(cached):>4}{_pct(cached.get('hit_rate')) if cached else '—':>5}"
            f"{_pct(cached.get('share')) if cached else '—':>6}|{_num(floor.get('rps')):>7}"
            f"{_num(floor.get('p99_ms'), '.0f'):>7}|{_num(one.get('rps')):>7}"
            f"{_num(row.get('workers_ratio'), '.2f'):>6}|  {goal}"
        )
    return lines


def _errors(result: dict[str, Any]) -> str:
    if not result:
        return "—"
    return str(result["non_2xx"] + result["socket_errors"])


def report(run: dict[str, Any]) -> list[str]:
    counts = run["counts"]
    sqlite = run["kind"] == "sqlite"
    lines = [
        f"Dispute Portal speed bench, {run['database']} ({run['kind']}), {run['date']}",
        f"{run['machine']}; load average {run['load_before']:.2f} before, "
        f"{run['load_after']:.2f} after (1 min; other work on these cores slows everything)",
        f"data: {counts['cases']} cases, {counts['case_events']} events, "
        f"{counts['documents']} documents, {counts['users']} users "
        f"({'reused' if run['reused'] else 'built in ' + str(run['build_seconds']) + ' s'})",
        f"drawn: in-process, {run['drawn_requests']} requests x {run['drawn_rounds']} rounds a "
        f"page (median round), portal with PAGE_CACHE=off; "
        + (
            "SQLite runs inside the app's process: its CPU is in the app figure"
            if sqlite
            else "app+db: the app's CPU + its PostgreSQL backends' (/proc)"
        ),
        f"load: gunicorn sync workers, wrk -t{run['threads']} -c{run['connections']} "
        f"-d{run['seconds']:g}s after {run['warmup']:g} s of warm-up; cached: PAGE_CACHE="
        f"{run['cache_backend']}; 'vs hz' is req/s over /healthz's (mean of first and last, "
        f"{run['baseline_rps']:.1f} req/s); hit = X-Page-Cache hits of the answers that had it",
        "",
        *table(run),
        "",
    ]
    for row in run["pages"]:
        lines.append(f"  {row['name']}: GET {row['path']} ({row['note']})")
    lines.append("")
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

    if not peaks:
        lines.append("portal workers' memory: not measured (no cold run)")
    else:
        lines.append(
            f"portal workers' peak RSS (VmHWM, cold run): {mb(peaks)} (goal < "
            f"{GOALS['rss_mb']:.0f} MB: {ok}); largest RSS while the pages were loaded "
            f"{mb(run['workers_pages_peak_rss_mb'])}; after start-up "
            f"{mb(run['workers_start_rss_mb'])}"
        )
    if run.get("cached_peak_rss_mb"):
        lines.append(
            f"portal workers' peak RSS with the page cache: {mb(run['cached_peak_rss_mb'])}"
        )
    for note in run.get("notes", []):
        lines.append(f"note: {note}")
    return lines
