"""Command-line verbs: flask --app wsgi <command>."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask

from .auth.models import Role
from .db import db

ROOT = Path(__file__).resolve().parent.parent


def alembic_config():
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    return cfg


def register_cli(app: Flask) -> None:
    @app.cli.command("init-db")
    def init_db() -> None:
        """Bring the database schema up to date (alembic upgrade head)."""
        from alembic import command

        command.upgrade(alembic_config(), "head")
        click.echo("Database schema is up to date.")

    @app.cli.command("create-user")
    @click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
    @click.option("--email", required=True)
    @click.option("--name", required=True)
    @click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
    def create_user(role: str, email: str, name: str, password: str) -> None:
        """Create an account (staff accounts are never self-registered)."""
        from .auth.operations import AccountError
        from .auth.operations import create_user as create

        try:
            user = create(db.session, email=email, name=name, password=password, role=Role(role))
        except AccountError as exc:
            db.session.rollback()
            raise click.ClickException(str(exc)) from None
        db.session.commit()
        click.echo(f"Created {user.role.value} account {user.email}.")

    @app.cli.command("seed-demo")
    def seed_demo() -> None:
        """Fill an empty database with demo users and cases (does nothing the second time)."""
        from .seed import seed

        created = seed(db.session, app.config)
        db.session.commit()
        if created:
            click.echo(f"Demo data created: {created}.")
        else:
            click.echo("The database already has accounts; nothing was changed.")
