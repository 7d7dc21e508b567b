"""`flask webhooks send`: cron's catch-up of the webhook outbox (what a lost timer or a
stopped process left due)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from ..db import db
from .delivery import send_due

group = AppGroup("webhooks", help="Webhook deliveries (the API's subscriptions).")


@group.command("send")
@click.option("--limit", default=500, show_default=True, help="At most this many attempts.")
def send(limit: int) -> None:
    """Attempt the webhook deliveries that are due (run it every minute)."""
    delivered, failed = send_due(
        db.session(), current_app.config, current_app.extensions["jobs"], limit=limit
    )
    click.echo(f"Delivered: {delivered}. Failed attempts: {failed}.")
