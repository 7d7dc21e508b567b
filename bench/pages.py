"""The speed bench's pages: what the checks expect (read from the database before the run),
the pages with the account each is asked as and what it must show, a GET, and a run of
requests one after the other."""

from __future__ import annotations

import http.client
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any

import build_data
from sqlalchemy import create_engine, text
from wrk_runs import HEADERS

ROW_LINK = re.compile(r'<th scope="row"><a href="/cases/(\d+)"')


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


def check_pages(base: str, pages: list[Endpoint]) -> list[str]:
    """Each page once: what it must show (an error page is never measured)."""
    problems = []
    for page in pages:
        status, body = get(base, page.path, page.cookie)
        if problem := page.check(status, body):
            problems.append(f"{page.name}: GET {base}{page.path}: {problem}")
    return problems
