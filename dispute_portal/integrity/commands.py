"""`flask --app wsgi integrity …`: make the signer key, write a checkpoint (cron), verify."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

from ..config import INSTANCE_DIR
from ..db import db
from ..notices.operations import send_pending
from .checkpoints import (
    CheckpointRefused,
    checkpoint_notes,
    default_key_name,
    hand_to_witnesses,
    sign_checkpoint,
    signer_from,
    verifier_from,
    witness_dir_notes,
    write_key,
)
from .note import NoteError, Signer
from .verify import verify


def register_integrity_cli(app: Flask) -> None:
    group = AppGroup("integrity", help="The transparency log: keys, checkpoints, verification.")

    @group.command("keygen")
    @click.option("--name", default=None, help="The log's name (default: <public host>/…).")
    @click.option(
        "--out",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Where to write the signer key (default: INTEGRITY_KEY_FILE).",
    )
    @click.option("--if-missing", is_flag=True, help="Do nothing if the key file exists.")
    def keygen(name: str | None, out: Path | None, if_missing: bool) -> None:
        """Make the Ed25519 key that signs checkpoints (for the demo, or a new installation)."""

        path = out or Path(app.config.get("INTEGRITY_KEY_FILE") or INSTANCE_DIR / "log.key")
        if path.exists():
            if if_missing:
                return
            raise click.ClickException(f"{path} exists: a log keeps its key; not overwritten")
        signer = Signer.generate(name or default_key_name(app.config))
        write_key(path, signer)
        click.echo(f"Wrote the signer key to {path} (keep it secret, off the database host).")
        click.echo(f"Verifier key (publish it): {signer.verifier.encode()}")

    @group.command("checkpoint")
    def checkpoint() -> None:
        """Sign the log's size and root and hand it to the witnesses (run it from cron)."""

        config = app.config
        try:
            signer = signer_from(config)
        except (OSError, NoteError) as exc:
            raise click.ClickException(f"the signer key cannot be read: {exc}") from exc
        if signer is None:
            raise click.ClickException(
                "no signer key: set INTEGRITY_KEY or INTEGRITY_KEY_FILE (integrity keygen)"
            )
        session = db.session()
        try:
            made, new = sign_checkpoint(session, signer)
        except CheckpointRefused as exc:
            session.rollback()
            click.echo(f"REFUSED: {exc}. Run `integrity verify` to see what changed.", err=True)
            raise SystemExit(1) from exc
        done = hand_to_witnesses(session, config, made)
        session.commit()
        if config.get("MAIL_SERVER") and config.get("INTEGRITY_WITNESS_EMAIL"):
            send_pending(session, config)
        click.echo(("New checkpoint" if new else "No new leaves; latest checkpoint") + ":")
        click.echo(made.note, nl=False)
        for line in done:
            click.echo(line)

    @group.command("verify")
    @click.option(
        "--checkpoint",
        "files",
        multiple=True,
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="A signed checkpoint kept outside the database (repeatable).",
    )
    def verify_command(files: tuple[Path, ...]) -> None:
        """Check the database against its log and the log against every checkpoint.

        Exit status 0 if everything agrees, 1 if anything is wrong (each problem named).
        """

        config = app.config
        try:
            verifier = verifier_from(config)
        except (OSError, NoteError) as exc:
            raise click.ClickException(f"the verifier key cannot be read: {exc}") from exc
        session = db.session()
        notes = [
            *checkpoint_notes(session),
            *witness_dir_notes(config.get("INTEGRITY_WITNESS_DIR")),
            *((str(path), path.read_text(encoding="utf-8")) for path in files),
        ]
        report = verify(session, verifier, notes, config["RULINGS_DIR"])
        for finding in report.findings:
            click.echo(str(finding))
        if report.findings:
            raise SystemExit(1)
        click.echo(
            f"OK: the log's {report.leaves} leaves match the database, every ruling's file, "
            f"row and issue event agree, and the log is consistent with "
            f"{report.checkpoints} checkpoints."
        )

    app.cli.add_command(group)
