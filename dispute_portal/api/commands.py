"""`flask api-clients`: the admin registers, lists and revokes the OAuth clients of
government systems from the command line (docs/api.md)."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from ..auth.models import Role, User
from ..db import db
from . import clients
from .models import OAuthClient, TokenScope
from .tokens import TokenRefused

group = AppGroup("api-clients", help="OAuth 2.0 clients of government systems (the API).")


def _user(email: str) -> User:
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.lower()))
    if user is None:
        raise click.ClickException(f"No account {email}.")
    return user


def _admin(email: str) -> User:
    admin = _user(email)
    if admin.role is not Role.ADMIN or not admin.is_active:
        raise click.ClickException(f"{email} is not an active admin.")
    return admin


@group.command("register")
@click.option("--admin", "admin_email", required=True, help="The admin who registers it.")
@click.option("--name", required=True, help="What the client is (the ministry's system).")
@click.option("--acts-for", "acts_for", required=True, help="The account whose view it has.")
@click.option("--scope", type=click.Choice(clients.SCOPES), default=TokenScope.READ.value)
@click.option("--respondent", default=None, help="Only the cases of this respondent.")
def register(
    admin_email: str, name: str, acts_for: str, scope: str, respondent: str | None
) -> None:
    """Register a client; its secret is shown once."""
    try:
        client, secret = clients.register(
            db.session(),
            _admin(admin_email),
            name=name,
            acts_for=_user(acts_for),
            scope=TokenScope(scope),
            respondent=respondent,
        )
    except TokenRefused as refused:
        db.session.rollback()
        raise click.ClickException(str(refused)) from None
    db.session.commit()
    click.echo(f"client_id:     {client.client_id}")
    click.echo(f"client_secret: {secret}")
    click.echo("The secret is shown this once; the portal keeps only its digest.")


@group.command("list")
def list_clients() -> None:
    """Every client: its id, name, scope, account, narrowing and whether it is revoked."""
    for client in db.session.scalars(select(OAuthClient).order_by(OAuthClient.id)):
        user = db.session.get(User, client.acts_for_id)
        state = "revoked" if client.revoked_at else "active"
        who = user.email if user else "?"
        only = f" respondent={client.respondent!r}" if client.respondent else ""
        click.echo(
            f"{client.client_id}  {client.name!r}  {client.scope.value}  {who}{only}  {state}"
        )


@group.command("revoke")
@click.option("--admin", "admin_email", required=True)
@click.argument("client_id")
def revoke(admin_email: str, client_id: str) -> None:
    """Revoke a client: its tokens open nothing any more."""
    client = db.session.scalar(select(OAuthClient).where(OAuthClient.client_id == client_id))
    if client is None:
        raise click.ClickException(f"No client {client_id}.")
    try:
        clients.revoke(db.session(), _admin(admin_email), client)
    except TokenRefused as refused:
        raise click.ClickException(str(refused)) from None
    db.session.commit()
    click.echo(f"Revoked {client_id}.")
