"""Migrations keep the data: going down and up again on a filled SQLite database leaves
every row where it was.

SQLite alters a table by copying it and dropping the old one; with foreign keys on, that
drop deletes every row that references the table (ON DELETE CASCADE). migrations/env.py
turns them off while migrating. This test takes the demo as `make run` makes it (35 cases
with their events, documents, deadlines...: the browser tests' seeded template), goes down
past the migrations that alter `cases` and up again, and counts; the documents filed for
the mediator and for the tribunal find their phase again on the way up. It runs the real
commands, in their own processes.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from .e2e.conftest import demo_template

ROOT = Path(__file__).resolve().parents[1]
BEFORE_CASE_COLUMNS = "7f0a2c3b9d11"  # the revision before cases gained its sort key
# Made after it, and filled by the demo.
CREATED_SINCE = (
    "suspensions",
    "constitutions",
    "challenges",
    "challenge_targets",
    "challenge_votes",
    # The case account (issue 16): the demo's lodging fees, paid and waived.
    "ledger_accounts",
    "ledger_transactions",
    "ledger_postings",
    "invoice_counters",
    "invoices",
    "payments",
    "fee_waivers",
    "bank_statements",
    "bank_lines",
    "advance_requests",  # a mediation's advance and an arbitration's
    "fee_notes",  # the mediators' notes on the funded and the settled mediations
    "refunds",  # the settled mediation's final statement
    # The public register (issue 17): `flask init-db` fills it, not a migration.
    "register_entries",
    "seals",  # the demo's sealed case and sealed name
    "redaction_proposals",  # the demo's decided proposals and the one under way
    "publications",  # the award published in full and the order published as an excerpt
    # The API's webhooks (issue 18): counsel's subscription and its three deliveries.
    "webhook_subscriptions",
    "webhook_deliveries",
)

pytestmark = pytest.mark.skipif(
    (os.environ.get("DATABASE_URL") or "").startswith("postgresql"),
    reason="about SQLite's table copies; the SQLite pass runs it",
)


def _run(env: dict[str, str], *args: str) -> None:
    result = subprocess.run(  # noqa: S603 - our own commands
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def _counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        tables = [
            name
            for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if not name.startswith(("sqlite_", "case_search"))
        ]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608


def _visibility(path: Path) -> dict[str, str]:
    """Each document's visibility, by its stored name."""
    with sqlite3.connect(path) as conn:
        return dict(conn.execute("SELECT stored_name, visibility FROM documents"))


AWARD_TABLES = (
    "award_drafts",
    "award_approvals",
    "award_opinions",
    "costs_statements",
    "costs_items",
    "costs_decisions",
    "counterclaims",
)


def test_down_and_up_again_keeps_every_row(tmp_path, tmp_path_factory):
    # The run's seeded demo (the browser tests' template, as `make run` makes it), a copy.
    shutil.copytree(demo_template(tmp_path_factory), tmp_path, dirs_exist_ok=True)
    database = tmp_path / "demo.db"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("FLASK_", "PORTAL_", "DATABASE_URL"))
    }
    env.update(DATABASE_URL=f"sqlite:///{database}", INSTANCE_PATH=str(tmp_path / "instance"))
    before = _counts(database)
    assert before["case_events"] > 100 and before["documents"] > 10 and before["deadlines"] > 10
    visibility = _visibility(database)
    assert {"mediator", "tribunal"} <= set(visibility.values())
    subjects = _subjects(database)
    assert {s for s, _ in subjects.values()} >= {"energy", "information", "other_industry"}
    _run(env, "-m", "alembic", "downgrade", BEFORE_CASE_COLUMNS)
    # Before the phases, both were "for the mediator or tribunal".
    assert _visibility(database) == {
        d: "neutrals" if v in ("mediator", "tribunal") else v for d, v in visibility.items()
    }
    _run(env, "-m", "alembic", "upgrade", "head")
    after = _counts(database)
    # Going down past the calendar drops its versions; going up makes the first one again, of
    # the package's holidays for the years around today (the demo made it in its own past,
    # around another year): as many versions, not as many days.
    assert after.pop("calendar_days") > 0 and before.pop("calendar_days") > 0
    # The page cache's data version is written again by the next commit that writes.
    assert (before.pop("page_versions"), after.pop("page_versions")) == (1, 0)
    # The transparency log is made again from the records on the way up (below); the
    # demo's signed checkpoint goes with it, until `integrity checkpoint` signs the next.
    assert (before.pop("log_checkpoints"), after.pop("log_checkpoints")) == (1, 0)
    # Tables made after the revision gone down to lose their rows with them (a downgrade
    # past a table's creation drops it); the demo fills these, and they come back empty.
    for table in CREATED_SINCE:
        assert before.pop(table) > 0 and after.pop(table) == 0, table
    # The records of costs, counterclaims and the award's drafts (issue 15) go with their
    # tables below their revision (the demo fills them); the events and rulings stay.
    for table in AWARD_TABLES:
        assert after.pop(table) == 0 and before.pop(table) >= 0
    # The demo's requests for provisional measures, funders and non-disputing party's
    # application live in tables made after that revision: going down drops them (their
    # audit events, deadlines and documents stay).
    for table in ("provisional_requests", "funding_disclosures", "non_disputing_applications"):
        assert (before.pop(table), after.pop(table)) == (1, 0)
    assert after == before
    # Going up, each finds its phase again: filed before the mediation ended, or after.
    assert _visibility(database) == visibility
    # Below the sector list, a sector is its English label; read again, its category.
    assert _subjects(database) == subjects
    # The transparency log, made again from the records by its migration, vouches for them
    # all: every event and ruling hashes as the portal hashes it.
    _run(env, "-m", "flask", "--app", "wsgi", "integrity", "verify")
    # The registered cases and their deadlines get a calendar: the one made from the package.
    assert _calendars(database) == {("cases", 1), ("deadlines", 1), ("versions", 1)}


def _subjects(path: Path) -> dict[int, tuple[str, str]]:
    """Each case's sector and basis of consent."""
    with sqlite3.connect(path) as conn:
        return {
            case_id: (sector, basis)
            for case_id, sector, basis in conn.execute(
                "SELECT id, sector, legal_basis FROM cases WHERE sector IS NOT NULL"
            )
        }


def _calendars(path: Path) -> set[tuple[str, int | None]]:
    """Which calendar versions the registered cases and the deadlines run under, and which
    versions there are."""
    with sqlite3.connect(path) as conn:
        return {
            *(("cases", v) for (v,) in conn.execute(
                "SELECT calendar_version FROM cases WHERE rule_set_version IS NOT NULL"
            )),
            *(("deadlines", v) for (v,) in conn.execute("SELECT calendar_version FROM deadlines")),
            *(("versions", v) for (v,) in conn.execute("SELECT version FROM calendar_versions")),
        }  # fmt: skip
