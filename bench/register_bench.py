"""The public register at scale (issue 17), on the speed benchmark's database of 100,000
cases (bench/build_data.py: built once, reused). Prints numbers, asserts nothing;
bench/README.md ("The public register") says how to read them.

    .venv/bin/python bench/register_bench.py                  # SQLite
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test \\
        .venv/bin/python bench/register_bench.py              # PostgreSQL

In one transaction rolled back at the end: the register is made from every case
(publication.entries.rebuild, timed), then each page is asked for as the public asks
(anonymous, the page cache off), median of BENCH_REPEAT runs after a warm-up: the first
page, a page deep in the list, each filter, a search for a common and for a rare name, an
entry, the exports and a sitemap part.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from bench.build_data import Sizes, ensure, place_from_env  # noqa: E402
from bench.support import median_ms, rolled_back_app  # noqa: E402


def main() -> None:
    place = place_from_env()
    os.environ["INSTANCE_PATH"] = str(place.folder / "instance")
    meta = ensure(place, Sizes(), seed=1)
    os.environ.update(place.env({}))
    from dispute_portal.db import db
    from dispute_portal.publication import entries
    from dispute_portal.publication.models import RegisterEntry

    with rolled_back_app(place) as (app, conn):
        with app.app_context():
            session = db.session()
            start = time.perf_counter()
            made = entries.rebuild(session)
            session.flush()
            took = time.perf_counter() - start
            print(f"register over {meta['counts']['cases']:,} cases ({place.kind}): "
                  f"{made:,} entries made in {took:.1f} s")  # fmt: skip
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql("ANALYZE register_entries")
            newest = session.execute(
                select(RegisterEntry.case_id, RegisterEntry.number, RegisterEntry.claimant)
                .order_by(RegisterEntry.registered_at.desc(), RegisterEntry.case_id.desc())
                .offset(made // 2)
                .limit(1)
            ).one()
            rare = newest.claimant.split()[0] if newest.claimant else "nothing"
            session.commit()
        client = app.test_client()
        pages = (
            ("first page", "/public-register"),
            ("a page half-way down", f"/public-register?after={newest.case_id}"),
            ("sector=energy", "/public-register?sector=energy"),
            ("year=2025", "/public-register?year=2025"),
            ("stage=concluded&outcome=settled", "/public-register?stage=concluded&outcome=settled"),
            ("basis=other&sector=water (rare)", "/public-register?basis=other&sector=water"),
            ("search: a common word (akimat)", "/public-register?q=akimat"),
            (f"search: a rarer name ({rare})", f"/public-register?q={rare}"),
            ("search: a number", f"/public-register?q={newest.number}"),
            ("search: no match", "/public-register?q=zzyzx"),
            ("one entry", f"/public-register/{newest.number}"),
            ("the Atom feed", "/public-register.atom"),
            ("a sitemap part (10,000 entries)", "/sitemap-1.xml"),
        )  # fmt: skip
        for label, path in pages:
            answer = client.get(path)
            assert answer.status_code == 200, (path, answer.status_code)
            med, low = median_ms(lambda path=path: client.get(path))
            print(f"   {label:38} median {med:8.1f} ms   min {low:8.1f} ms   "
                  f"({len(answer.data) / 1024:,.0f} KB)")  # fmt: skip
        for label, path in (("the whole register as CSV", "/public-register.csv"),
                            ("the whole register as JSON", "/public-register.json")):  # fmt: skip
            start = time.perf_counter()
            answer = client.get(path)
            took = time.perf_counter() - start
            assert answer.status_code == 200, (path, answer.status_code)
            print(f"   {label:38} {took * 1000:8.1f} ms once   "
                  f"({len(answer.data) / 1024 / 1024:,.1f} MB)")  # fmt: skip


if __name__ == "__main__":
    main()
