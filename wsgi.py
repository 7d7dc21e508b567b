"""The checkout's entry point (flask --app wsgi, gunicorn wsgi:app): the package's own."""

from dispute_portal.wsgi import app

__all__ = ["app"]
