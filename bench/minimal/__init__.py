"""The floor to measure the portal against (issue 14): the docket's first page, a neutral's
caseload and a case page drawn by the plainest stack that does the same work. Flask,
SQLAlchemy Core (no ORM objects: rows), Jinja; the portal's own compiled catalogues and
Babel's formatting in the reader's language; the portal's login session read from its own
signed cookie and checked with one query (session, account, second factor and unread count);
a CSRF token for the page's forms; the portal's security headers; the same rows, columns,
links and forms as the portal's pages. Not byte-identical, and not a toy either: what the
portal must do to draw a page, this does too, once and directly.

    create_app(database_url, secret_key)   # in-process (bench/drawn_cpu.py)
    gunicorn --pythonpath bench 'minimal:from_env()'   # under load (DATABASE_URL, SECRET_KEY)

It reads the database and never writes to it (the portal's last-seen touch, once a minute,
is the one write it leaves out).
"""

from __future__ import annotations

from .app import PATHS, create_app, from_env


def draws(path: str) -> bool:
    """Whether the minimal app has this page (the docket, caseload, case page, /healthz)."""
    return any(path == p or path.startswith(p) for p in PATHS)


__all__ = ["PATHS", "create_app", "draws", "from_env"]
