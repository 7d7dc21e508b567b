"""App CPU per request of the main pages, in this process (no server, no load).

    M="--meta $BENCH_DIR/build.json"
    .venv/bin/python bench/page_cpu.py DB_URL $M [--requests 50] [--only docket,case]
    .venv/bin/python bench/page_cpu.py DB_URL $M --save before/     # the pages' HTML
    .venv/bin/python bench/page_cpu.py DB_URL $M --diff before/     # the same HTML still?
    .venv/bin/python bench/page_cpu.py DB_URL $M --profile docket   # cProfile, SQL of one page

DB_URL is a copy of the bench database (bench/build_data.py): the logins write their session
rows into it (and its accounts need `email_confirmed_at` set to log in). Each page is drawn
afresh (PAGE_CACHE off) and asked through the test client, logged in as the bench's clerk,
busiest mediator or most litigious investor, after a warm-up; printed: the median of
time.process_time() per request (CPU of this process: the app and the database driver, and
on SQLite the database itself), the 10th and 90th percentile, the queries per request and
the Python function calls of one request (cProfile: the same on any machine at any load).
--save/--diff write or compare each page's HTML with the CSRF tokens and request ids blanked
out. The process's resident memory and its peak (VmRSS, VmHWM) are printed after creating
the app, after the logins (Argon2: 19 MiB each) and after each page's first renders, as a
gunicorn worker sees them.
"""

from __future__ import annotations

import argparse
import cProfile
import difflib
import gc
import io
import json
import os
import pstats
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, event, text

ROOT = Path(__file__).resolve().parent.parent
VOLATILE = [
    (re.compile(r'(name="csrf_token"[^>]*value=")[^"]+'), r"\1-"),
    (re.compile(r'(<meta name="csrf-token" content=")[^"]+'), r"\1-"),
    (re.compile(r"[0-9a-f]{32}"), "-"),  # request ids
    (re.compile(r'(name="client_token"[^>]*value=")[^"]+'), r"\1-"),
]


def pages(url: str) -> list[tuple[str, str, str]]:
    engine = create_engine(url)
    with engine.connect() as conn:
        cursor = conn.scalar(
            text(
                "SELECT id FROM cases WHERE state <> 'draft' ORDER BY docket_order, id "
                "LIMIT 1 OFFSET 98449"
            )
        )
        mediator1 = conn.scalar(text("SELECT id FROM users WHERE email = :e"), {"e": MEDIATOR})
        showcase_claimant = conn.scalar(
            text("SELECT u.email FROM users u JOIN cases c ON c.claimant_user_id = u.id "
                 "WHERE c.id = 81725")
        )  # fmt: skip
        # The showcase case's former mediator and presiding arbitrator read it too.
        neutral = (
            "SELECT u.email FROM users u JOIN appointments a ON a.user_id = u.id "
            "WHERE a.case_id = 81725 AND a.capacity = :capacity"
        )
        showcase_mediator = conn.scalar(text(neutral), {"capacity": "mediator"})
        showcase_chair = conn.scalar(text(neutral), {"capacity": "presiding"})
    engine.dispose()
    return [
        ("docket", "/registry/docket", CLERK),
        ("docket-deep", f"/registry/docket?after={cursor}", CLERK),
        ("docket-filtered", f"/registry/docket?state=mediation&neutral={mediator1}", CLERK),
        ("docket-overdue", "/registry/docket?overdue=y", CLERK),
        ("caseload", "/caseload", MEDIATOR),
        ("caseload-activity", "/caseload?sort=activity&state=closed", MEDIATOR),
        ("case", "/cases/81725", CLERK),
        ("case-claimant", "/cases/81725", showcase_claimant),
        ("case-mediator", "/cases/81725", showcase_mediator),
        ("case-chair", "/cases/81725", showcase_chair),
        ("my-cases", "/cases/", INVESTOR),
        ("my-cases-clerk", "/cases/", CLERK),
        ("search", "/search?q=solar", CLERK),
        ("search-investor", "/search?q=solar", INVESTOR),
        ("search-ru", "/search?q=%D1%81%D0%BE%D0%BB%D0%BD%D0%B5%D1%87%D0%BD%D0%B0%D1%8F", CLERK),
    ]


CLERK = "clerk1@bench.adr.kz"
MEDIATOR = "mediator1@bench.adr.kz"
INVESTOR = "investor1@bench.adr.kz"


def memory(stage: str) -> None:
    """This process's resident memory now and at its peak (the kernel's VmRSS, VmHWM)."""
    found = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(("VmRSS:", "VmHWM:")):
            name, value = line.split(":")
            found[name] = int(value.split()[0]) / 1024
    print(f"memory {stage:22} RSS {found['VmRSS']:6.1f} MB, peak {found['VmHWM']:6.1f} MB")


def normalise(html: str) -> str:
    for pattern, replacement in VOLATILE:
        html = pattern.sub(replacement, html)
    return html


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--only", default="")
    parser.add_argument("--save", type=Path)
    parser.add_argument("--diff", type=Path)
    parser.add_argument("--profile", default="")
    parser.add_argument("--lang", default="en")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--meta", type=Path, required=True, help="the bench's build.json")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="page-cpu-"))
    os.environ.update(
        DATABASE_URL=args.url,
        INSTANCE_PATH=str(folder),
        UPLOAD_DIR=str(folder / "uploads"),
        RULINGS_DIR=str(folder / "rulings"),
        PORTAL_ENV="development",
        JOB_RUNNER="thread",
    )
    sys.path.insert(0, str(ROOT))
    from dispute_portal import create_app
    from dispute_portal.db import db

    # The drawing is measured: every request draws its page (the page cache stays off).
    app = create_app({"RATELIMIT_ENABLED": False, "PAGE_CACHE": "off"})
    memory("app created")
    engine = db.engine_for(app)
    statements: list[str] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _count(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE")):
            statements.append(statement)

    # The bench's one password, written where the database was built (build.json).
    password = json.loads(args.meta.read_text())["password"]
    chosen = [p for p in pages(args.url) if not args.only or p[0] in args.only.split(",")]
    clients = {}
    headers = {"Accept-Language": args.lang}
    for _name, _path, who in chosen:
        if who in clients:
            continue
        client = app.test_client()
        page = client.get("/login", headers=headers).get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
        answer = client.post(
            "/login",
            data={"email": who, "password": password, "next": "",
                  "csrf_token": token.group(1) if token else ""},
            headers={**headers, "Origin": "http://localhost", "Referer": "http://localhost/login"},
        )  # fmt: skip
        assert answer.status_code == 302, f"logging in as {who}: {answer.status_code}"
        clients[who] = client

    memory("logged in")
    results = {}
    for name, path, who in chosen:
        client = clients[who]
        for _ in range(3):
            answer = client.get(path, headers=headers)
            assert answer.status_code == 200, (name, answer.status_code)
        html = normalise(answer.get_data(as_text=True))
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
            (args.save / f"{name}-{args.lang}.html").write_text(html)
        if args.diff:
            before = (args.diff / f"{name}-{args.lang}.html").read_text()
            if before != html:
                print(f"!! {name}: HTML differs")
                sys.stdout.writelines(
                    list(
                        difflib.unified_diff(
                            before.splitlines(True), html.splitlines(True), "before", "after", n=1
                        )
                    )[:60]
                )
        memory(f"{name} drawn")
        statements.clear()
        client.get(path, headers=headers)
        queries = len(statements)
        seen = list(statements)
        profile = cProfile.Profile()
        profile.runcall(client.get, path, headers=headers)
        stats = pstats.Stats(profile)
        calls = stats.total_calls  # type: ignore[attr-defined]
        if args.profile == name:
            for statement in seen:
                print("   ", " ".join(statement.split())[:300])
            out = io.StringIO()
            stats.stream = out  # type: ignore[attr-defined]
            stats.sort_stats("tottime").print_stats(40)
            stats.sort_stats("cumulative").print_stats(60)
            print(out.getvalue())
        cpu = []
        gc.collect()
        for _ in range(args.requests):
            started = time.process_time()
            client.get(path, headers=headers)
            cpu.append((time.process_time() - started) * 1000)
        cpu.sort()
        results[name] = {
            "cpu_ms": statistics.median(cpu),
            "p10": cpu[len(cpu) // 10],
            "p90": cpu[len(cpu) * 9 // 10],
            "queries": queries,
            "calls": calls,
        }
        r = results[name]
        print(f"{name:18} {r['cpu_ms']:7.2f} ms CPU (p10 {r['p10']:6.2f}, p90 {r['p90']:6.2f})"
              f"  {queries:3d} queries  {calls:7d} calls", flush=True)  # fmt: skip
    memory("end")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
