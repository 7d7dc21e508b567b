"""The WSGI entry point of an installed portal: gunicorn dispute_portal.wsgi:app,
flask --app dispute_portal.wsgi <command>. Settings come from the environment (config.py)."""

from __future__ import annotations

from . import create_app

app = create_app()
