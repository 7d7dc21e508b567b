"""Backup, restore and the check of stored files: data that survives faults.

A backup of a portal with cases in every state is restored into a second, empty database of
the same kind (and, from PostgreSQL, into SQLite too), and everything is compared: every row
of every table, every file byte for byte, the audit chains and the document hashes. A backup
that was tampered with, and a database that is already in use, are refused with nothing
written.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import io
import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg
import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from dispute_portal import create_app
from dispute_portal.audit.models import SecurityEvent
from dispute_portal.audit.operations import chain_counts, log_security, verify_all
from dispute_portal.auth.models import Role, User
from dispute_portal.auth.operations import start_session
from dispute_portal.backup.codec import BackupError, schema_revision, tables
from dispute_portal.backup.restore import SEEDED_BY_MIGRATIONS, restore
from dispute_portal.backup.verify import verify_documents
from dispute_portal.backup.write import backup
from dispute_portal.cases import operations as cases
from dispute_portal.cases.models import Document, Visibility
from dispute_portal.config import TestingConfig
from dispute_portal.db import db, make_engine
from dispute_portal.neutrals import operations as neutrals
from dispute_portal.neutrals.models import Capacity
from dispute_portal.notices.models import Notification, OutboxMessage
from dispute_portal.proceedings import operations as proceedings
from dispute_portal.rulings.models import BatchStatus, Ruling
from dispute_portal.rulings.operations import case_rulings, issue_ruling
from dispute_portal.rulings.printing import create_batch, mark_served
from dispute_portal.workflow.states import CaseState

from .conftest import maintenance_conninfo, reset_database
from .factories import Factory, docx_bytes, jpeg_bytes, pdf_bytes, png_bytes
from .insider import bypass_triggers

# Tables the data below fills; every table of the schema is compared all the same.
FILLED = {
    "users",
    "auth_sessions",
    "conflicts",
    "print_batches",
    "rule_sets",
    "fee_schedules",
    "security_events",
    "chain_heads",
    "case_number_counters",
    "outbox",
    "cases",
    "appointments",
    "case_events",
    "deadlines",
    "invitations",
    "meetings",
    "notifications",
    "participants",
    "parties",
    "private_notes",
    "rulings",
    "submissions",
    "documents",
}


# A second installation -------------------------------------------------------------------------


@dataclass
class Installation:
    url: str
    engine: sa.Engine
    config: dict

    def session(self) -> Session:
        return Session(self.engine, info={"config": self.config})

    def rows(self) -> int:
        with self.engine.connect() as conn:
            return sum(conn.scalar(sa.select(sa.func.count()).select_from(t)) for t in tables())

    def files(self) -> list[Path]:
        return sorted(
            p
            for d in (self.config["UPLOAD_DIR"], self.config["RULINGS_DIR"])
            for p in Path(d).rglob("*")
            if p.is_file()
        )


def _admin(url: str, statement: str) -> None:
    """A statement no transaction may hold (CREATE or DROP DATABASE), on the server."""
    with psycopg.connect(maintenance_conninfo(sa.make_url(url)), autocommit=True) as conn:
        conn.execute(statement)


@pytest.fixture
def new_installation(db_url, tmp_path):
    """new_installation(kind=None) -> an empty installation built by the migrations: a new
    database of the suite's kind (or "sqlite") with its own upload and ruling folders."""
    made: list[tuple[Installation, str | None]] = []

    def make(kind: str | None = None) -> Installation:
        n = len(made)
        kind = kind or sa.make_url(db_url).get_backend_name()
        dropped = None
        if kind == "postgresql":
            dropped = f"restore_{os.getpid()}_{n}"
            _admin(db_url, f'DROP DATABASE IF EXISTS "{dropped}"')
            _admin(db_url, f'CREATE DATABASE "{dropped}"')
            url = sa.make_url(db_url).set(database=dropped).render_as_string(hide_password=False)
        else:
            url = f"sqlite:///{tmp_path / f'restore{n}.db'}"
        reset_database(url)
        config = {
            "UPLOAD_DIR": str(tmp_path / f"uploads{n}"),
            "RULINGS_DIR": str(tmp_path / f"rulings{n}"),
            "PUBLIC_BASE_URL": "http://127.0.0.1:5000",
        }
        installation = Installation(url, make_engine(url), config)
        made.append((installation, dropped))
        return installation

    yield make
    for installation, dropped in made:
        installation.engine.dispose()
        if dropped:
            _admin(db_url, f'DROP DATABASE IF EXISTS "{dropped}" WITH (FORCE)')


# Data ------------------------------------------------------------------------------------------


def populate(factory: Factory) -> None:
    """Cases in every state, by the real operations, with everything around them."""
    session, config = factory.session, factory.config
    clerk = factory.user(Role.CLERK)
    cases = {state: factory.case(state, clerk=clerk) for state in CaseState}

    draft = cases[CaseState.DRAFT]
    factory.add_document(draft, png_bytes(), "site photo.png")
    factory.add_document(draft, jpeg_bytes(), "map.jpg")
    factory.add_document(draft, docx_bytes(), "Лицензия № 5.docx")

    mediation = cases[CaseState.MEDIATION]
    respondent = factory.join(mediation, clerk)
    mediator = next(a.user for a in mediation.appointments)
    proceedings.schedule(
        session,
        mediation,
        user=mediator,
        starts_at=dt.datetime(2026, 12, 1, 5, 0, tzinfo=dt.UTC),
        place="Room 2",
        video_link=None,
        agenda="First session",
        expected_version=None,
    )
    proceedings.add_note(session, mediation, author=mediator, body="Both sides want to settle.")
    proceedings.file_submission(
        session,
        mediation,
        author=respondent,
        title="Response",
        body="We deny the claim.",
        files=[
            (io.BytesIO(pdf_bytes("Response")), "response.pdf", Visibility.PARTIES),
            (io.BytesIO(pdf_bytes("Positions")), "positions.pdf", Visibility.MEDIATOR),
        ],
        is_response=True,
        upload_dir=config["UPLOAD_DIR"],
        max_bytes=config["MAX_UPLOAD_BYTES"],
        expected_version=None,
    )
    arbitration = cases[CaseState.ARBITRATION]
    proceedings.file_submission(
        session,
        arbitration,
        author=arbitration.claimant_user,
        title="Memorial",
        body=None,
        files=[(io.BytesIO(pdf_bytes("Valuation")), "valuation.pdf", Visibility.TRIBUNAL)],
        is_response=False,
        upload_dir=config["UPLOAD_DIR"],
        max_bytes=config["MAX_UPLOAD_BYTES"],
        expected_version=None,
    )
    neutrals.add_conflict(session, mediator, party_name="Steppe Solar", note="Former client.")

    # A correction of an earlier ruling (a reference within the rulings table).
    awarded = cases[CaseState.AWARDED]
    award = next(r for r in case_rulings(awarded) if r.kind == "award")
    chair = next(a.user for a in awarded.appointments if a.capacity is Capacity.SOLE_ARBITRATOR)
    issue_ruling(awarded, "correction_decision", issuer=chair, reasons="Typo.", corrects=award)

    # The print queue: a finished batch with its file, and rulings served on a day.
    rulings = list(session.scalars(sa.select(Ruling).order_by(Ruling.id)))
    batch = create_batch(session, clerk=clerk, ruling_ids=[r.id for r in rulings[:3]])
    batch_dir = Path(config["RULINGS_DIR"]) / "batches"
    batch_dir.mkdir(parents=True, exist_ok=True)
    batch.stored_name = f"batch-{batch.id}-1-{os.getpid()}.pdf"
    (batch_dir / batch.stored_name).write_bytes(pdf_bytes(f"batch {batch.id}"))
    batch.status, batch.done_count, batch.attempts = BatchStatus.DONE, 3, 1
    batch.finished_at = dt.datetime.now(dt.UTC)
    served = dt.datetime.now(ZoneInfo("Asia/Almaty")).date()
    mark_served(session, clerk=clerk, ruling_ids=[rulings[0].id], served_on=served)

    # The security log, a login, an e-mail already sent.
    log_security(session, "login", user=clerk, data={"via": "test"})
    failed = log_security(session, "login_failed", email="nobody@example.com", data=None)
    log_security(session, "logout", user=clerk, data=None)
    # The ORM writes the JSON document null; a row written by plain SQL holds SQL NULL. Both
    # read as None, and each must come back as what it was (the event's hash is the same).
    bypass_triggers(session)  # an insider, as the tables' owner
    session.execute(
        sa.update(SecurityEvent).where(SecurityEvent.id == failed.id).values(data=sa.null())
    )
    start_session(session, clerk, 12)
    message = session.scalars(sa.select(OutboxMessage).limit(1)).one()
    message.sent_at, message.attempts = dt.datetime.now(dt.UTC), 1
    session.flush()
    assert session.scalar(sa.select(sa.func.count(Notification.id)))


def small(factory: Factory) -> None:
    """Just enough for the refusals: a case with a document and a ruling."""
    case = factory.case(CaseState.DRAFT)
    factory.add_document(case, png_bytes(), "photo.png")
    cases.submit_claim(case, claimant=case.claimant_user)


def snapshot(bind) -> dict[str, list[tuple]]:
    """Every row of every table, in key order; for a JSON column also whether it is SQL
    NULL (which a JSON `null` document is not)."""
    result = {}
    for table in tables():
        json_columns = [c for c in table.columns if isinstance(c.type, sa.JSON)]
        query = sa.select(*table.columns, *(c.is_(None) for c in json_columns)).order_by(
            *table.primary_key.columns
        )
        result[table.name] = [tuple(row) for row in bind.execute(query)]
    return result


def stored_files(session: Session, config) -> dict[str, bytes]:
    """Every file a row refers to, by its place, with its bytes."""
    from dispute_portal.rulings.models import PrintBatch

    found = {}
    for name in session.scalars(sa.select(Document.stored_name)):
        found[f"uploads/{name}"] = (Path(config["UPLOAD_DIR"]) / name).read_bytes()
    for name in session.scalars(sa.select(Ruling.stored_name)):
        found[f"rulings/{name}"] = (Path(config["RULINGS_DIR"]) / name).read_bytes()
    for name in session.scalars(
        sa.select(PrintBatch.stored_name).where(PrintBatch.stored_name.is_not(None))
    ):
        found[f"batches/{name}"] = (Path(config["RULINGS_DIR"]) / "batches" / name).read_bytes()
    return found


# The round trip --------------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["same", "sqlite"])
def test_round_trip_brings_back_every_row_and_file(
    target, factory, session, app, db_url, tmp_path, new_installation
):
    if target == "sqlite" and db_url.startswith("sqlite"):
        pytest.skip("the SQLite pass restores into SQLite already")
    populate(factory)
    session.commit()
    before = snapshot(session)
    assert {name for name, rows in before.items() if rows} >= FILLED
    # Among the events without data: SQL NULL (True) and the JSON document null (False).
    data = list(SecurityEvent.__table__.columns).index(SecurityEvent.__table__.c.data)
    assert {row[-1] for row in before["security_events"] if row[data] is None} == {True, False}
    files = stored_files(session, app.config)
    assert sum(k.startswith("uploads/") for k in files) >= 15
    assert sum(k.startswith("rulings/") for k in files) >= 20

    report = backup(session, app.config, tmp_path / "backup")
    assert report.problems == []
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["alembic_revision"] == schema_revision(session.connection())
    assert manifest["app_version"] == importlib.metadata.version("dispute-portal")
    assert dt.datetime.fromisoformat(manifest["created_at"]).tzinfo is not None
    assert {t["name"]: t["rows"] for t in manifest["tables"]} == {
        name: len(rows) for name, rows in before.items()
    }
    assert [t["name"] for t in manifest["tables"]] == [t.name for t in tables()]
    assert len(manifest["files"]) == len(tables()) + len(files)

    there = new_installation(None if target == "same" else "sqlite")
    with there.session() as restored:
        result = restore(restored, there.config, tmp_path / "backup")
        # Written by the migrations, identical: three rule sets, one schedule of fees.
        assert result.kept == {"rule_sets": 3, "fee_schedules": 1}
        assert sum(result.rows.values()) + 4 == sum(len(rows) for rows in before.values())

        # Every row of every table, every file byte for byte.
        assert snapshot(restored) == before
        # Who may read each document comes back: the neutrals of the phase it was filed in.
        names = sa.select(Document.original_name, Document.visibility)
        visibility = dict(restored.execute(names).all())
        assert (visibility["positions.pdf"], visibility["valuation.pdf"]) == (
            Visibility.MEDIATOR,
            Visibility.TRIBUNAL,
        )
        assert stored_files(restored, there.config) == files
        # The audit chains still verify, and every stored file matches its hash.
        assert verify_all(restored) == []
        assert chain_counts(restored) == chain_counts(session)
        check = verify_documents(restored, there.config)
        assert check.problems == []
        assert (check.documents, check.rulings) == (
            len(before["documents"]),
            len(before["rulings"]),
        )

        # New rows take new ids: the id sequences moved past the restored rows.
        fresh = Factory(restored, there.config).user(Role.CLERK)
        log_security(restored, "login", user=fresh)
        restored.commit()
        assert fresh.id > max(row[0] for row in before["users"])
        assert verify_all(restored) == []

    # Only the files of the backup were written, under their final names.
    assert len(there.files()) == len(files)


def test_a_reference_to_a_later_row_of_the_same_table_comes_back(
    factory, session, app, tmp_path, new_installation
):
    """Rows go in by id; a ruling that refers to a later ruling (written by hand in the
    database, say) must not make the restore fail on its foreign key."""
    small(factory)
    small(factory)
    first, last = session.scalars(sa.select(Ruling.id).order_by(Ruling.id)).all()[-2:]
    bypass_triggers(session)  # an insider, as the tables' owner
    session.execute(sa.update(Ruling).where(Ruling.id == first).values(corrects_id=last))
    session.commit()
    backup(session, app.config, tmp_path / "backup")
    there = new_installation()
    with there.session() as restored:
        restore(restored, there.config, tmp_path / "backup")
        assert restored.get(Ruling, first).corrects_id == last
        assert snapshot(restored) == snapshot(session)


def test_backup_refuses_a_directory_that_is_not_empty(factory, session, app, tmp_path):
    small(factory)
    dest = tmp_path / "occupied"
    dest.mkdir()
    (dest / "notes.txt").write_text("keep me")
    with pytest.raises(BackupError, match="not empty"):
        backup(session, app.config, dest)
    assert [p.name for p in dest.iterdir()] == ["notes.txt"]
    # An empty directory, or a new one, is fine.
    (tmp_path / "empty").mkdir()
    assert backup(session, app.config, tmp_path / "empty").problems == []
    assert backup(session, app.config, tmp_path / "new" / "dir").problems == []


def test_backup_reports_a_missing_file_and_still_writes_the_rest(factory, session, app, tmp_path):
    small(factory)
    document = session.scalars(sa.select(Document).order_by(Document.id.desc())).first()
    (Path(app.config["UPLOAD_DIR"]) / document.stored_name).unlink()
    report = backup(session, app.config, tmp_path / "backup")
    assert len(report.problems) == 1 and document.stored_name in report.problems[0]
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["problems"] == report.problems
    assert f"uploads/{document.stored_name}" not in manifest["files"]


# Refusals --------------------------------------------------------------------------------------


def _flip_byte(path: Path, at: int | None = None) -> None:
    data = bytearray(path.read_bytes())
    i = len(data) // 2 if at is None else at
    data[i] ^= 0x01
    path.write_bytes(bytes(data))


def _edit_manifest(root: Path, change) -> None:
    path = root / "manifest.json"
    manifest = json.loads(path.read_text())
    change(manifest)
    path.write_text(json.dumps(manifest))


def _a(root: Path, prefix: str) -> Path:
    return next(p for p in sorted((root / prefix).iterdir()) if p.is_file())


TAMPERING = {
    "a byte of a document": (lambda r: _flip_byte(_a(r, "uploads")), "differs from its manifest"),
    "a byte of a ruling": (lambda r: _flip_byte(_a(r, "rulings")), "differs from its manifest"),
    "a byte of a table dump": (
        lambda r: _flip_byte(r / "db" / "cases.jsonl"),
        "db/cases.jsonl in the backup differs",
    ),
    "a row added to a table dump": (
        lambda r: (r / "db" / "users.jsonl").write_bytes(
            (r / "db" / "users.jsonl").read_bytes() * 2
        ),
        "db/users.jsonl in the backup differs",
    ),
    "a missing document": (lambda r: _a(r, "uploads").unlink(), "missing from the backup"),
    "a missing table dump": (
        lambda r: (r / "db" / "documents.jsonl").unlink(),
        "missing from the backup",
    ),
    "a missing manifest": (lambda r: (r / "manifest.json").unlink(), "no readable manifest"),
    "a manifest that is not JSON": (
        lambda r: (r / "manifest.json").write_text("{"),
        "not valid JSON",
    ),
    "a path out of the folders": (
        lambda r: _edit_manifest(
            r, lambda m: m["files"].__setitem__("uploads/../../x", {"sha256": "0", "size": 1})
        ),
        "unsafe path",
    ),
    "another schema revision": (
        lambda r: _edit_manifest(r, lambda m: m.__setitem__("alembic_revision", "0123abcd")),
        "schema revision 0123abcd",
    ),
}


def test_a_tampered_backup_is_refused_and_nothing_is_written(
    factory, session, app, tmp_path, new_installation
):
    small(factory)
    session.commit()
    pristine = tmp_path / "backup"
    backup(session, app.config, pristine)
    there = new_installation()
    empty_rows = there.rows()
    for n, (what, (tamper, message)) in enumerate(TAMPERING.items()):
        copy = tmp_path / f"tampered{n}"
        shutil.copytree(pristine, copy)
        tamper(copy)
        with there.session() as restored, pytest.raises(BackupError, match=message):
            restore(restored, there.config, copy)
        assert there.rows() == empty_rows, what
        assert there.files() == [], what
    # The manifest's own hash, when given, must match.
    with there.session() as restored, pytest.raises(BackupError, match="altered"):
        restore(restored, there.config, pristine, manifest_sha256="0" * 64)
    # Untouched by all of that, the installation takes the pristine backup.
    with there.session() as restored:
        restore(restored, there.config, pristine)
        assert snapshot(restored) == snapshot(session)
    assert len(there.files()) == len(stored_files(session, app.config))


@pytest.mark.parametrize("changed", ["db/cases.jsonl", "uploads"])
def test_a_backup_that_changes_after_its_check_is_refused_and_nothing_is_written(
    changed, factory, session, app, tmp_path, new_installation, monkeypatch
):
    """The files are hashed again as they are read: a change after the check is caught."""
    from dispute_portal.backup import read

    small(factory)
    session.commit()
    backup(session, app.config, tmp_path / "backup")
    there = new_installation()
    rows = there.rows()
    real_plan = read.plan_tables

    def change_then_plan(manifest):  # runs right after every file was checked
        root = tmp_path / "backup"
        if changed.endswith(".jsonl"):  # a value, not a column name: the row still parses
            path = root / changed
            at = path.read_bytes().index(b'"audit_head":"') + len(b'"audit_head":"')
            _flip_byte(path, at)
        else:
            _flip_byte(_a(root, changed))
        return real_plan(manifest)

    monkeypatch.setattr("dispute_portal.backup.restore.plan_tables", change_then_plan)
    with there.session() as s, pytest.raises(BackupError, match="changed while it was being"):
        restore(s, there.config, tmp_path / "backup")
    assert there.rows() == rows and there.files() == []


def test_a_new_installation_has_rows_only_in_the_tables_its_migrations_fill(new_installation):
    """What restore accepts as already there; a migration that writes rows elsewhere must
    add its table to SEEDED_BY_MIGRATIONS."""
    there = new_installation()
    with there.engine.connect() as conn:
        filled = {
            t.name for t in tables() if conn.scalar(sa.select(sa.func.count()).select_from(t))
        }
    assert filled == SEEDED_BY_MIGRATIONS


def test_restore_refuses_a_database_that_is_in_use(
    factory, session, app, tmp_path, new_installation
):
    small(factory)
    session.commit()
    backup(session, app.config, tmp_path / "backup")
    there = new_installation()
    with there.session() as s:
        Factory(s, there.config).user(Role.ADMIN)  # someone ran create-user
        s.commit()
    rows = there.rows()
    with (
        there.session() as s,
        pytest.raises(BackupError, match="not empty: table users has 1 row\\."),
    ):
        restore(s, there.config, tmp_path / "backup")
    assert there.rows() == rows and there.files() == []


ALTERED_SEED = {
    "differs": (
        "UPDATE rule_sets SET name = 'Changed' WHERE version = 1",
        "rule_sets already has a row {'version': 1} that differs",
    ),
    "is not in the backup": (
        "INSERT INTO rule_sets (version, name, rules, created_at) "
        "SELECT 7, name, rules, created_at FROM rule_sets WHERE version = 1",
        "rule_sets has 1 row not in the backup",
    ),
}


@pytest.mark.parametrize("change", ALTERED_SEED)
def test_restore_refuses_a_migration_table_whose_rows_are_not_the_backups(
    change, factory, session, app, tmp_path, new_installation
):
    small(factory)
    session.commit()
    backup(session, app.config, tmp_path / "backup")
    there = new_installation()
    statement, message = ALTERED_SEED[change]
    with there.engine.begin() as conn:
        conn.execute(sa.text(statement))
    rows = there.rows()
    with there.session() as s, pytest.raises(BackupError, match=re.escape(message)):
        restore(s, there.config, tmp_path / "backup")
    assert there.rows() == rows and there.files() == []


def test_restore_refuses_a_file_of_another_content_in_the_folders(
    factory, session, app, tmp_path, new_installation
):
    small(factory)
    session.commit()
    backup(session, app.config, tmp_path / "backup")
    there = new_installation()
    name = _a(tmp_path / "backup", "uploads").name
    Path(there.config["UPLOAD_DIR"]).mkdir(parents=True)
    (Path(there.config["UPLOAD_DIR"]) / name).write_bytes(b"someone else's file")
    rows = there.rows()
    with there.session() as s, pytest.raises(BackupError, match="already exists"):
        restore(s, there.config, tmp_path / "backup")
    assert there.rows() == rows
    assert (Path(there.config["UPLOAD_DIR"]) / name).read_bytes() == b"someone else's file"


def test_a_restore_that_fails_half_way_leaves_no_row_and_no_file(
    factory, session, app, tmp_path, new_installation, monkeypatch
):
    small(factory)
    session.commit()
    backup(session, app.config, tmp_path / "backup")
    there = new_installation()
    rows = there.rows()
    real_replace, calls = os.replace, []

    def failing_replace(src, dst):
        calls.append(dst)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr("dispute_portal.backup.restore.os.replace", failing_replace)
    with there.session() as s, pytest.raises(OSError, match="No space"):
        restore(s, there.config, tmp_path / "backup")
    assert len(calls) == 3
    assert there.rows() == rows
    assert there.files() == []  # neither the two renamed files nor any temporary one


# documents verify ------------------------------------------------------------------------------


def test_documents_verify_finds_altered_and_missing_files(factory, session, app):
    small(factory)
    session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["documents", "verify"])
    assert result.exit_code == 0, result.output
    documents = session.scalar(sa.select(sa.func.count(Document.id)))
    rulings = session.scalar(sa.select(sa.func.count(Ruling.id)))
    assert f"OK: {documents} documents and {rulings} rulings are intact." in result.output

    first, second = session.scalars(sa.select(Document).order_by(Document.id)).all()[-2:]
    ruling = session.scalars(sa.select(Ruling).order_by(Ruling.id.desc())).first()
    uploads, archive = Path(app.config["UPLOAD_DIR"]), Path(app.config["RULINGS_DIR"])
    _flip_byte(uploads / first.stored_name, at=20)  # same size, another hash
    (uploads / second.stored_name).unlink()
    (archive / ruling.stored_name).write_bytes(pdf_bytes("forged"))

    result = runner.invoke(args=["documents", "verify"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert any(f"document {first.id} " in x and "altered (its SHA-256" in x for x in lines)
    assert any(f"document {second.id} " in x and x.endswith(": missing") for x in lines)
    assert any(f"ruling {ruling.id} " in x and "altered (size" in x for x in lines)
    assert "3 stored files are missing or altered." in lines


# The commands ----------------------------------------------------------------------------------


def test_backup_and_restore_commands(
    factory, session, app, tmp_path, new_installation, monkeypatch
):
    small(factory)
    session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["backup", str(tmp_path / "backup")])
    assert result.exit_code == 0, result.output
    assert "Backup written to" in result.output
    digest = result.output.split("Manifest SHA-256 (keep it apart from the backup): ")[1][:64]

    # Into this installation, which is in use: refused, exit status 1.
    result = runner.invoke(args=["restore", str(tmp_path / "backup")])
    assert result.exit_code == 1
    assert "Restore refused: the database is not empty" in result.output

    # A second time into the same directory: refused.
    result = runner.invoke(args=["backup", str(tmp_path / "backup")])
    assert result.exit_code == 1 and "Backup refused:" in result.output

    # Into a new installation, by its own app.
    there = new_installation()

    class Config(TestingConfig):
        DATABASE_URL = there.url
        UPLOAD_DIR = there.config["UPLOAD_DIR"]
        RULINGS_DIR = there.config["RULINGS_DIR"]

    other = create_app(Config)
    try:
        # This test's connection fixture binds every session to the suite's database.
        monkeypatch.setitem(db.sessionmaker.kw, "bind", None)
        args = ["restore", str(tmp_path / "backup"), "--manifest-sha256", "f" * 64]
        result = other.test_cli_runner().invoke(args=args)
        assert result.exit_code == 1 and "altered" in result.output
        args[-1] = digest
        result = other.test_cli_runner().invoke(args=args)
        assert result.exit_code == 0, result.output
        assert "rule_sets: 3 rows already present and identical" in result.output
        result = other.test_cli_runner().invoke(args=["documents", "verify"])
        assert result.exit_code == 0, result.output
        result = other.test_cli_runner().invoke(args=["audit", "verify"])
        assert result.exit_code == 0, result.output
    finally:
        db.engine_for(other).dispose()
    with there.session() as restored:
        assert snapshot(restored) == snapshot(session)


def test_the_restored_user_can_still_sign_in(factory, session, app, tmp_path, new_installation):
    """Password hashes come back as they were: the same password opens the account."""
    small(factory)
    session.commit()
    email = session.scalars(sa.select(User.email).order_by(User.id)).first()
    backup(session, app.config, tmp_path / "backup")
    there = new_installation()
    with there.session() as s:
        restore(s, there.config, tmp_path / "backup")
        from dispute_portal.auth.operations import authenticate

        assert authenticate(s, email, Factory.PASSWORD) is not None
