"""Command-line verbs: flask --app wsgi <command>."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from .accounts import nonpayment
from .api.commands import group as api_clients
from .audit.operations import chain_counts, verify_all
from .auth.models import Role
from .auth.operations import AccountError
from .auth.operations import create_user as create
from .backup.codec import BackupError
from .backup.restore import restore
from .backup.verify import verify_documents
from .backup.write import backup, reading_session
from .cases.models import Case
from .challenges.operations import close_run_out_pleadings
from .config import INSTANCE_DIR
from .db import db
from .deadlines.queries import current_rule_set, today
from .deadlines.reminders import run
from .discontinuance import operations as discontinuance
from .integrity.commands import register_integrity_cli
from .integrity.proofs import ruling_inclusion, ruling_problem, tampered_rulings
from .mfa import enrolment
from .notices.operations import send_pending
from .publication import entries as register
from .rulings.batch import audit_rulings
from .rulings.kinds import KINDS
from .rulings.models import display_code
from .rulings.operations import case_rulings, find_by_pdf, ruling_pdf
from .rulings.signing import make_demo_cert as make
from .seed.demo import seed
from .webhooks.commands import group as webhooks

if TYPE_CHECKING:  # Alembic itself is loaded only by the commands that migrate (see below)
    from alembic.config import Config as AlembicConfig

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> AlembicConfig:
    # Alembic loads for the commands that migrate, not in every web worker that starts.
    from alembic.config import Config as AlembicConfig

    return AlembicConfig(str(MIGRATIONS_DIR / "alembic.ini"))


def register_cli(app: Flask) -> None:
    register_rulings_cli(app)
    register_scheduler_cli(app)
    register_backup_cli(app)
    register_integrity_cli(app)

    app.cli.add_command(api_clients)
    app.cli.add_command(webhooks)

    @app.cli.command("init-db")
    def init_db() -> None:
        """Bring the database schema up to date (alembic upgrade head)."""
        from alembic import command  # see alembic_config: loaded by the migrating commands

        command.upgrade(alembic_config(), "head")
        click.echo("Database schema is up to date.")
        if (filled := register.fill_if_empty(db.session())) is not None:
            db.session.commit()
            click.echo(f"The public register was filled: {filled} entries.")

    @app.cli.command("create-user")
    @click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
    @click.option("--email", required=True)
    @click.option("--name", required=True)
    @click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
    def create_user(role: str, email: str, name: str, password: str) -> None:
        """Create an account (staff accounts are never self-registered)."""

        try:
            user = create(db.session(), email=email, name=name, password=password, role=Role(role))
        except AccountError as exc:
            db.session.rollback()
            raise click.ClickException(str(exc)) from None
        enrolment.send_link(db.session(), user)  # its authenticator is bound only through it
        db.session.commit()
        click.echo(f"Created {user.role.value} account {user.email}.")
        click.echo("A link to set up two-factor authentication was e-mailed to it (the outbox).")

    @app.cli.command("seed-demo")
    def seed_demo() -> None:
        """Fill an empty database with demo users and cases (does nothing the second time)."""

        if not app.config["DEMO_DATA_ALLOWED"]:
            raise click.ClickException(
                "seed-demo is refused in production: its passwords are public."
            )
        created = seed(db.session(), app.config)
        db.session.commit()
        if created:
            click.echo(f"Demo data created: {created}.")
        else:
            click.echo("The database already has accounts; nothing was changed.")


def register_rulings_cli(app: Flask) -> None:

    group = AppGroup("rulings", help="Issued rulings: verify a file, export a case's rulings.")

    @group.command("verify")
    @click.argument("pdf", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    def verify(pdf: Path) -> None:
        """Is FILE an authentic ruling of the centre? Exit status 0 if so, 1 if not."""

        session = db.session()
        ruling = find_by_pdf(session, pdf.read_bytes())
        if ruling is None:
            click.echo(f"NOT AUTHENTIC: {pdf} is not a ruling issued by the centre.")
            raise SystemExit(1)
        code = display_code(ruling.verification_code)
        problem = ruling_problem(session, ruling)
        found = ruling_inclusion(session, ruling) if problem is None else None
        if problem is None and (found is None or not found.holds):
            problem = "its inclusion proof against the latest checkpoint fails"
        if problem is not None or found is None:
            click.echo(
                f"NOT AUTHENTIC: the centre's record of ruling {code} was altered: {problem}."
            )
            raise SystemExit(1)
        click.echo(
            f"AUTHENTIC: {KINDS[ruling.kind].title}, case {ruling.values['reference']}, "
            f"issued {ruling.issued_at:%Y-%m-%d %H:%M} UTC, code {code}."
        )
        if found.inclusion is None:
            click.echo(
                f"In the transparency log as entry {found.leaf.idx}; no checkpoint covers it yet."
            )
        else:
            click.echo(
                f"In the transparency log as entry {found.leaf.idx}: the inclusion proof against "
                f"the checkpoint of {found.inclusion.checkpoint.size} entries holds."
            )
            click.echo(f"leaf hash {found.leaf.leaf_hash}")
            for h in found.inclusion.proof:
                click.echo(f"proof {h.hex()}")

    @group.command("export")
    @click.argument("case_number")
    @click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
    def export(case_number: str, directory: Path) -> None:
        """Write the issued rulings of CASE_NUMBER into DIRECTORY."""

        case = db.session.execute(
            select(Case).where(Case.number == case_number.strip().upper())
        ).scalar_one_or_none()
        if case is None:
            raise click.ClickException(f"no case numbered {case_number}")
        directory.mkdir(parents=True, exist_ok=True)
        rulings = case_rulings(case)
        for ruling in rulings:
            (directory / ruling.filename).write_bytes(ruling_pdf(db.session(), ruling))
        click.echo(f"Wrote {len(rulings)} rulings of {case.number} to {directory}.")

    @group.command("audit")
    @click.option("--workers", type=int, default=None, help="Rendering processes (default: CPUs).")
    def audit(workers: int | None) -> None:
        """Check every issued ruling: its file is intact and its values still render to it.

        A ruling whose row no longer matches the transparency log or its issue event is
        reported as tampered, not as renderer drift. Exit status 0 if the archive is sound,
        1 if anything is wrong (each problem listed).
        """

        session = db.session()
        tampered = tampered_rulings(session)
        problems = [
            (ruling, reason)
            for ruling, reason in audit_rulings(session, app.config["RULINGS_DIR"], workers=workers)
            if ruling.id not in tampered  # a re-render of a forged row proves nothing
        ]
        problems += [(ruling, f"tampered: {reason}") for ruling, reason in tampered.values()]
        problems.sort(key=lambda problem: problem[0].id)
        for ruling, reason in problems:
            click.echo(
                f"{ruling.values.get('reference')} {ruling.kind} "
                f"{display_code(ruling.verification_code)}: {reason}"
            )
        if problems:
            raise SystemExit(1)
        click.echo("All issued rulings are intact and reproducible.")

    @group.command("make-demo-cert")
    @click.option(
        "--out",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Where to write the PKCS#12 file (default: instance/signing/demo.p12).",
    )
    def make_demo_cert(out: Path | None) -> None:
        """Create a self-signed signing certificate for the demo."""

        path = make(out or INSTANCE_DIR / "signing" / "demo.p12")
        click.echo(f"Wrote {path}. Sign rulings with it: export SIGNING_CERT={path}")

    app.cli.add_command(group)


def register_scheduler_cli(app: Flask) -> None:
    """What cron runs: mail delivery, daily deadline reminders, the audit check."""

    mail = AppGroup("mail", help="The e-mail outbox.")

    @mail.command("send")
    @click.option("--limit", type=int, default=500, show_default=True, help="At most this many.")
    def mail_send(limit: int) -> None:
        """Deliver the outbox messages that are due (run it every few minutes)."""

        if not app.config.get("MAIL_SERVER"):
            click.echo("MAIL_SERVER is not set: messages stay in the outbox.")
        sent, failed = send_pending(db.session(), app.config, limit=limit)
        db.session.commit()
        click.echo(f"sent {sent}, failed {failed}")

    deadlines = AppGroup("deadlines", help="Deadline reminders and the rule sets.")

    @deadlines.command("remind")
    def remind() -> None:
        """Send the day's deadline reminders, resume agreed suspensions, terminate dormant
        mediations, give notice of the parties' inactivity and discontinue proceedings
        nobody pursues (daily).

        Safe to run again: each reminder goes out once, a terminated mediation is no
        longer dormant.
        """

        report = run(db.session(), today())
        ending = discontinuance.run(db.session())
        unpaid = nonpayment.run(db.session(), today())
        # Proposals for disqualification whose time for comments ran out go to decision.
        challenges_closed = close_run_out_pleadings(db.session())
        db.session.commit()
        click.echo(
            f"reminders: {report.soon} due soon, {report.overdue} overdue "
            f"({report.notices} notices); respondent not joined: {len(report.absent)}; "
            "dormant mediations terminated: "
            f"{len(report.terminated)}"
            + (f" ({', '.join(report.terminated)})" if report.terminated else "")
            + f"; suspensions ended: {len(report.resumed)}"
            + (f" ({', '.join(report.resumed)})" if report.resumed else "")
            + f"; unused windows closed: {report.lapsed}"
        )
        click.echo(
            f"notices of inactivity: {len(ending.noticed)}; proceedings discontinued for "
            f"failure to act: {len(ending.discontinued)}"
            + (f" ({', '.join(ending.discontinued)})" if ending.discontinued else "")
        )
        click.echo(
            f"advances overdue, parties told: {len(unpaid.noticed)}; proceedings suspended "
            f"for non-payment: {len(unpaid.suspended)}"
            + (f" ({', '.join(unpaid.suspended)})" if unpaid.suspended else "")
        )
        if challenges_closed:
            click.echo(f"proposals for disqualification sent to decision: {challenges_closed}")
        for reference in report.skipped + ending.skipped + unpaid.skipped:
            click.echo(f"skipped {reference}: it changed meanwhile; the next run retries it")

    @deadlines.command("rules")
    def rules() -> None:
        """Print the current rule set (the time limits of newly registered cases)."""

        rule_set = current_rule_set(db.session())
        click.echo(f"Rule set {rule_set.version}: {rule_set.name}")
        click.echo(json.dumps(rule_set.rules, indent=2, ensure_ascii=False, sort_keys=True))

    audit = AppGroup("audit", help="The hash-chained audit trails.")

    @audit.command("verify")
    def verify() -> None:
        """Check every case's event chain and the security log.

        Exit status 0 if every chain is intact, 1 if any is broken (each one listed).
        """

        problems = verify_all(db.session())
        for problem in problems:
            click.echo(str(problem))
        if problems:
            raise SystemExit(1)
        chains, events, security = chain_counts(db.session())
        click.echo(
            f"OK: {chains} case chains ({events} events) and the security log "
            f"({security} events) are intact."
        )

    for group in (mail, deadlines, audit):
        app.cli.add_command(group)


def register_backup_cli(app: Flask) -> None:
    """Backup and restore of the whole installation; the check of the stored files."""

    @app.cli.command("backup")
    @click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
    def backup_command(directory: Path) -> None:
        """Write the database, the documents and the rulings into DIRECTORY (new or empty).

        Exit status 0 if everything was written; 1 if refused, or if files that rows refer
        to were missing or altered (the backup is written all the same; each one listed).
        """

        try:
            with reading_session(db.session()) as session:
                report = backup(session, app.config, directory)
        except BackupError as exc:
            raise _refused("Backup", exc) from None
        for problem in report.problems:
            click.echo(f"WARNING: {problem}", err=True)
        click.echo(
            f"Backup written to {report.directory}: {sum(report.rows.values())} rows of "
            f"{len(report.rows)} tables, {report.files} files, {report.bytes} bytes."
        )
        click.echo(f"Manifest SHA-256 (keep it apart from the backup): {report.manifest_sha256}")
        if report.problems:
            click.echo(
                f"{len(report.problems)} stored files were missing or altered; "
                "run `flask --app wsgi documents verify`.",
                err=True,
            )
            raise SystemExit(1)

    @app.cli.command("restore")
    @click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
    @click.option(
        "--manifest-sha256",
        default=None,
        help="The manifest's SHA-256 that the backup printed: refuse if it differs.",
    )
    def restore_command(directory: Path, manifest_sha256: str | None) -> None:
        """Bring the backup in DIRECTORY back into this empty installation.

        Every file is checked against the manifest first; nothing is written unless all of
        it can be. Exit status 0 if restored, 1 if refused.
        """

        try:
            report = restore(db.session(), app.config, directory, manifest_sha256=manifest_sha256)
        except BackupError as exc:
            raise _refused("Restore", exc) from None
        for problem in report.backup_problems:
            click.echo(f"WARNING (recorded by the backup): {problem}", err=True)
        kept = "".join(
            f"; {name}: {count} {'row' if count == 1 else 'rows'} already present and identical"
            for name, count in report.kept.items()
        )
        click.echo(
            f"Restored {sum(report.rows.values())} rows into {len(report.rows)} tables and "
            f"{report.files} files from {directory}{kept}."
        )

    documents = AppGroup("documents", help="The stored document files.")

    @documents.command("verify")
    def verify_command() -> None:
        """Check every document and ruling file against its recorded SHA-256 and size.

        Exit status 0 if all are intact, 1 if any is missing or altered (each one listed).
        """

        report = verify_documents(db.session(), app.config)
        for problem in report.problems:
            click.echo(problem)
        if report.problems:
            click.echo(f"{len(report.problems)} stored files are missing or altered.")
            raise SystemExit(1)
        click.echo(f"OK: {report.documents} documents and {report.rulings} rulings are intact.")

    app.cli.add_command(documents)


def _refused(what: str, exc: Exception) -> SystemExit:
    click.echo(f"{what} refused: {exc}", err=True)
    return SystemExit(1)
