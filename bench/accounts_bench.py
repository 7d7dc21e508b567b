"""The case account at scale (issue 16): a bank statement of 10,000 lines imported, and the
finance officer's dashboard over the 100,000-case bench database. Prints numbers, asserts
nothing; bench/README.md ("The case account") says how to read them.

    .venv/bin/python bench/accounts_bench.py                  # SQLite
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test \\
        .venv/bin/python bench/accounts_bench.py              # PostgreSQL

a) The import, on a throw-away installation of the demo (a temp dir, or a database
   `acct_<pid>` dropped at the end): an MT940 statement of BENCH_LINES lines (10,000), of which
   BENCH_MATCHED (1,000) carry the payment reference of one of the demo's invoices (each is a
   payment, with its receipt: a PDF), the others a reference nobody issued (they wait in the
   queue). Timed: reading the file alone, the whole import (one commit), and importing the
   same file again (nothing new).
b) The dashboard, on the speed benchmark's database (bench/build_data.py: built once, reused):
   in one transaction rolled back at the end, each of its 100,000 cases gets a lodging-fee
   invoice (paid, partly paid, unpaid or waived), one in five an advance in two shares, one
   in two hundred a suspension for non-payment, one in a hundred a refund due. Timed
   (median of BENCH_REPEAT runs after a warm-up): each query of the page, the whole page as
   the officer gets it, and the CSV of every unpaid invoice.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, func, insert, select, text, update  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench.build_data import Sizes, ensure, place_from_env  # noqa: E402
from bench.support import median_ms, rolled_back_app  # noqa: E402

LINES = int(os.environ.get("BENCH_LINES", "10000"))
MATCHED = int(os.environ.get("BENCH_MATCHED", "1000"))


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


# a) The import ---------------------------------------------------------------------------------


def import_bench() -> None:
    folder = Path(tempfile.mkdtemp(prefix="accounts-bench-"))
    given = os.environ.get("DATABASE_URL", "")
    dbname = f"acct_{os.getpid()}"
    if given.startswith("postgresql"):
        _maintenance(given, f"CREATE DATABASE {dbname}")
        url = make_url(given).set(database=dbname).render_as_string(hide_password=False)
    else:
        url = f"sqlite:///{folder / 'portal.db'}"
    os.environ.update(
        DATABASE_URL=url,
        INSTANCE_PATH=str(folder / "instance"),
        UPLOAD_DIR=str(folder / "uploads"),
        RULINGS_DIR=str(folder / "rulings"),
        PORTAL_ENV="development",
        JOB_RUNNER="thread",
    )
    try:
        _import_bench(url)
    finally:
        if given.startswith("postgresql"):
            _maintenance(given, f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)")


def _maintenance(url: str, statement: str) -> None:
    """Run a statement on the server's `postgres` database, outside a transaction."""
    engine = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(statement))
    engine.dispose()


def _import_bench(url: str) -> None:
    from dispute_portal import create_app
    from dispute_portal.accounts.banking import centre_bank
    from dispute_portal.accounts.matching import import_statement
    from dispute_portal.accounts.models import BankLine, Invoice, Payment
    from dispute_portal.accounts.statements import read_statement
    from dispute_portal.auth.models import Role, User
    from dispute_portal.cases.models import Currency
    from dispute_portal.db import db
    from dispute_portal.seed.statements import Transfer, mt940

    app = create_app({"RATELIMIT_ENABLED": False, "PAGE_CACHE": "off", "DATABASE_URL": url})
    runner = app.test_cli_runner()
    for command in (["init-db"], ["seed-demo"]):
        result = runner.invoke(args=command)
        assert result.exit_code == 0, result.output
    with app.app_context():
        session = db.session()
        officer = session.scalar(select(User).where(User.role == Role.FINANCE))
        invoices = session.scalars(select(Invoice).where(Invoice.currency == "USD")).all()
        bank = centre_bank(app.config)
        iban = bank.accounts[Currency.USD]
        today = dt.date.today()
        r = random.Random(1)
        transfers = []
        for n in range(LINES):
            if n < MATCHED:
                invoice = invoices[n % len(invoices)]
                details = f"Payment {invoice.reference}"
            else:
                details = f"Transfer {r.randrange(10**9):09d} for the Centre"
            amount = Decimal(r.randrange(10_000, 5_000_000)) / 100
            transfers.append(Transfer(f"BENCH-{n:06d}", today, amount, f"Payer {n}", details))
        data = mt940(iban, "USD", transfers, number="BENCH-1", on=today)
        print(f"a) statement: {LINES} credit lines, {MATCHED} with an invoice's reference, "
              f"{len(data) / 1e6:.1f} MB of MT940; database {url.split(':')[0]}")  # fmt: skip
        parse = timed(lambda: read_statement(data, bank))
        payments_before = session.scalar(select(func.count()).select_from(Payment))

        def first() -> object:
            imported = import_statement(session, data, filename="bench.sta", bank=bank, by=officer)
            session.commit()
            return imported

        start = time.perf_counter()
        imported = first()
        whole = time.perf_counter() - start
        again = timed(first)
        payments = session.scalar(select(func.count()).select_from(Payment)) - payments_before
        waiting = session.scalar(select(func.count()).where(BankLine.matched_at.is_(None)))
        print(f"   reading the file alone        {parse:8.2f} s")
        print(
            f"   the whole import (one commit) {whole:8.2f} s   ({LINES / whole:,.0f} lines/s; "
            f"matched {imported.matched}, queue {imported.unmatched}; payments recorded "
            f"{payments}, queue now {waiting})"
        )
        if imported.matched:
            rest = whole - parse
            print(f"   per matched line (payment, receipt PDF, audit), upper bound "
                  f"{rest / imported.matched * 1000:7.1f} ms")  # fmt: skip
        print(
            f"   the same file again           {again:8.2f} s   (nothing new: the bank's "
            "references are known)"
        )


# b) The dashboard --------------------------------------------------------------------------------


def dashboard_bench() -> None:
    place = place_from_env()
    os.environ["INSTANCE_PATH"] = str(place.folder / "instance")
    meta = ensure(place, Sizes(), seed=1)
    os.environ.update(place.env({}))
    from dispute_portal.accounts import queries, settlement
    from dispute_portal.accounts.models import (
        FeeWaiver,
        Invoice,
        LedgerTransaction,
        Payment,
    )
    from dispute_portal.accounts.outgoings import Refund
    from dispute_portal.auth.models import Role, User
    from dispute_portal.cases.models import Case
    from dispute_portal.db import db
    from dispute_portal.rulings.models import Ruling
    from dispute_portal.suspensions.models import Suspension

    with rolled_back_app(place) as (app, conn):
        counts = _fill(conn, Case, Invoice, Payment, FeeWaiver, LedgerTransaction, Refund,
                       Suspension, Ruling, User, Role)  # fmt: skip
        print(f"b) dashboard over {meta['counts']['cases']:,} cases ({place.kind}): "
              + ", ".join(f"{v:,} {k}" for k, v in counts.items()))  # fmt: skip
        with app.app_context():
            session = db.session()
            on = dt.date.today()
            rows = [
                ("ageing by currency (SQL sums)", lambda: queries.ageing(session, on)),
                ("50 longest-overdue invoices",
                 lambda: queries.outstanding_invoices(session, limit=50)),
                ("suspended for non-payment (50)",
                 lambda: settlement.suspended_for_non_payment(session, limit=50)),
                ("refunds due (50)", lambda: settlement.refunds_due(session, limit=50)),
            ]  # fmt: skip
            for label, fn in rows:
                med, low = median_ms(lambda fn=fn: (fn(), session.expire_all()))
                print(f"   {label:34} median {med:8.1f} ms   min {low:8.1f} ms")
        client = app.test_client()
        login = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login)
        answer = client.post(
            "/login",
            data={"email": "bench-finance@example.com", "password": meta["password"],
                  "next": "", "csrf_token": token.group(1) if token else ""},
            headers={"Origin": "http://localhost", "Referer": "http://localhost/login"},
        )  # fmt: skip
        assert answer.status_code == 302, f"logging in: {answer.status_code}"
        for label, path in (("GET /finance (the whole page)", "/finance"),
                            ("GET /finance/outstanding.csv (all)", "/finance/outstanding.csv"),
                            ("GET /finance/suspensions.csv", "/finance/suspensions.csv"),
                            ("GET /finance/refunds.csv", "/finance/refunds.csv")):  # fmt: skip
            answer = client.get(path)
            assert answer.status_code == 200, (path, answer.status_code)
            med, low = median_ms(lambda path=path: client.get(path))
            print(f"   {label:34} median {med:8.1f} ms   min {low:8.1f} ms   "
                  f"({len(answer.data) / 1024:,.0f} KB)")  # fmt: skip


def _fill(conn, Case, Invoice, Payment, FeeWaiver, LedgerTransaction, Refund, Suspension,  # noqa: N803
          Ruling, User, Role) -> dict[str, int]:  # fmt: skip
    """The accounts of every case, inserted in bulk (one transaction; rolled back)."""
    now = dt.datetime.now(dt.UTC)
    today = now.date()
    # One invoice's PDF for all (the bench database holds no ruling; the page never opens it).
    first_case = conn.scalar(select(func.min(Case.id)))
    ruling_id = conn.execute(
        insert(Ruling).values(
            case_id=first_case, kind="invoice", language="en", verification_code="BENCHBENCH01",
            sha256="0" * 64, size=1, stored_name="bench-invoice.pdf", values={},
            issued_at=now, issued_by_name="Bench", signed=False,
        ).returning(Ruling.id)
    ).scalar_one()  # fmt: skip
    someone = conn.execute(select(User.id, User.password_hash).limit(1)).one()
    officer = conn.execute(
        insert(User).values(
            email="bench-finance@example.com", name="Bench Finance", role=Role.FINANCE,
            password_hash=someone.password_hash, is_active=True, email_confirmed_at=now,
        ).returning(User.id)
    ).scalar_one()  # fmt: skip
    tx = conn.execute(
        insert(LedgerTransaction).values(kind="invoice", currency="KZT", reason="bench",
                                         made_at=now).returning(LedgerTransaction.id)
    ).scalar_one()  # fmt: skip
    cases = conn.execute(select(Case.id, Case.state).order_by(Case.id)).all()
    r = random.Random(7)
    invoices, payments, waivers = [], [], []
    n = 0
    for case_id, _state in cases:
        shares = [("claimant", "lodging")]
        if r.random() < 0.2:
            shares += [("claimant", "advance"), ("respondent", "advance")]
        for side, purpose in shares:
            n += 1
            amount = Decimal(r.choice([150000, 250000, 1200000])) / 100
            due_on = today - dt.timedelta(days=r.randrange(-30, 200))
            invoices.append(dict(
                id=10_000_000 + n, number=f"INV-B-{n:08d}", reference=f"RF00B{n:012d}",
                case_id=case_id, side=side, purpose=purpose,
                currency=r.choice(["KZT", "KZT", "USD"]), amount=amount, due_on=due_on,
                issued_at=now, transaction_id=tx, ruling_id=ruling_id,
            ))  # fmt: skip
            fate = r.random()
            if fate < 0.55 or 0.7 <= fate < 0.8:
                paid = amount if fate < 0.55 else (amount / 2).quantize(Decimal("0.01"))
                payments.append(dict(
                    case_id=case_id, invoice_id=10_000_000 + n, side=side,
                    currency=invoices[-1]["currency"], amount=paid, applied=paid,
                    received_on=due_on, payer="Bench payer", transaction_id=tx,
                    receipt_id=ruling_id, recorded_by_id=officer, recorded_at=now,
                ))  # fmt: skip
            elif 0.8 <= fate < 0.85 and purpose == "lodging":
                waivers.append(
                    dict(invoice_id=10_000_000 + n, amount=amount, reason="bench",
                         transaction_id=tx, waived_by_id=officer, waived_at=now)
                )  # fmt: skip
    for table, rows in ((Invoice, invoices), (Payment, payments), (FeeWaiver, waivers)):
        for start in range(0, len(rows), 5000):
            conn.execute(insert(table), rows[start : start + 5000])
    chosen = r.sample([c for c, _s in cases], k=len(cases) // 100 + len(cases) // 200)
    suspended, refunded = chosen[: len(cases) // 200], chosen[len(cases) // 200 :]
    started = now - dt.timedelta(days=40)
    conn.execute(insert(Suspension), [dict(case_id=c, cause="non_payment", started_at=started)
                                      for c in suspended])  # fmt: skip
    conn.execute(update(Case).where(Case.id.in_(suspended)).values(suspended_since=started))
    conn.execute(insert(Refund), [dict(case_id=c, side="claimant", currency="USD",
                                       amount=Decimal("1234.56"), statement_id=ruling_id,
                                       decided_at=now) for c in refunded])  # fmt: skip
    if conn.dialect.name == "postgresql":
        conn.execute(text("ANALYZE invoices; ANALYZE payments; ANALYZE fee_waivers"))
    return {"invoices": len(invoices), "payments": len(payments), "waivers": len(waivers),
            "suspensions": len(suspended), "refunds": len(refunded)}  # fmt: skip


if __name__ == "__main__":
    which = sys.argv[1:] or ["import", "dashboard"]
    if "import" in which:
        import_bench()
    if "dashboard" in which:
        dashboard_bench()
