"""The minimal comparison app: the request's set-up (session, language, CSRF, headers) and
the three pages. The queries are in queries.py, the markup in templates/."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import uuid
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale, dates, numbers
from babel.support import Translations
from babel.units import format_unit
from flask import Flask, Response, abort, current_app, g, render_template, request, session
from flask_wtf.csrf import generate_csrf
from sqlalchemy import create_engine
from sqlalchemy.engine import Connection, Engine

from dispute_portal.auth.models import ROLE_LABELS
from dispute_portal.cases.models import LEGAL_BASIS_LABELS, PARTY_KIND_LABELS
from dispute_portal.deadlines.rules import DEADLINE_LABELS
from dispute_portal.rulings.kinds import KINDS
from dispute_portal.workflow.states import EVENT_LABELS, CaseState
from dispute_portal.workflow.transitions import TRANSITIONS

from . import queries

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = ROOT / "dispute_portal" / "translations"
LANGUAGES = ("en", "ru", "kk")
ZONE = ZoneInfo("Asia/Almaty")
PATHS = ("/healthz", "/registry/docket", "/caseload", "/cases/")  # the pages it draws
PASSED = "mfa_passed"  # the portal's session key for a second factor given (mfa/gate.py)
IDLE = dt.timedelta(minutes=int(os.environ.get("SESSION_IDLE_MINUTES", "30")))
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


class Language:
    """One language, loaded once per process: its catalogue and Babel locale."""

    def __init__(self, code: str) -> None:
        self.code = code
        self.locale = Locale.parse(code)
        self.catalogue = Translations.load(str(CATALOGUES), [code])

    def gettext(self, message: str, **params: Any) -> str:
        text = self.catalogue.gettext(message)
        return text % params if params else text

    def ngettext(self, singular: str, plural: str, n: int, **params: Any) -> str:
        params.setdefault("num", n)
        return self.catalogue.ngettext(singular, plural, n) % params

    def day(self, value: dt.date | None) -> str:
        return dates.format_date(value, "d MMM y", locale=self.locale) if value else ""

    def datetime(self, value: dt.datetime | None) -> str:
        if not value:
            return ""
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return dates.format_datetime(value, "d MMM y, HH:mm", tzinfo=ZONE, locale=self.locale)

    def number(self, value: Any) -> str:
        return numbers.format_decimal(value, locale=self.locale)

    def money(self, amount: Any, currency: Any) -> str:
        if amount is None:
            return "—"
        code = getattr(currency, "value", currency) or ""
        return numbers.format_currency(amount, code, locale=self.locale) if code else str(amount)

    def filesize(self, size: int) -> str:
        unit, value = (
            ("digital-megabyte", size / 1_000_000)
            if size >= 1_000_000
            else ("digital-kilobyte", size / 1000)
        )
        return format_unit(round(value, 1), unit, length="short", locale=self.locale)


def create_app(database_url: str, secret_key: str, engine: Engine | None = None) -> Flask:
    app = Flask(__name__, template_folder=str(Path(__file__).parent / "templates"))
    app.config.update(SECRET_KEY=secret_key, SESSION_COOKIE_HTTPONLY=True)
    app.extensions["minimal_engine"] = engine or create_engine(database_url)
    app.extensions["languages"] = {code: Language(code) for code in LANGUAGES}
    app.jinja_env.autoescape = True
    app.jinja_env.globals.update(
        filed_states=[s for s in CaseState if s is not CaseState.DRAFT],
        state_labels={s.value: s.label for s in CaseState},
        event_labels={t.action: t.label for t in TRANSITIONS} | EVENT_LABELS,
        deadline_labels=DEADLINE_LABELS,
        role_labels=ROLE_LABELS,
        party_kind_labels=PARTY_KIND_LABELS,
        legal_basis_labels=LEGAL_BASIS_LABELS,
        ruling_kinds=KINDS,
    )
    app.before_request(_reader)
    app.after_request(_headers)
    app.teardown_request(_close)
    app.add_url_rule("/healthz", "healthz", lambda: ("ok", 200, {"Content-Type": "text/plain"}))
    app.add_url_rule("/registry/docket", "docket", _docket)
    app.add_url_rule("/caseload", "caseload", _caseload)
    app.add_url_rule("/cases/<int:case_id>", "case", _case)
    return app


def from_env() -> Flask:
    """For gunicorn: the database and the key the portal runs with."""
    return create_app(os.environ["DATABASE_URL"], os.environ["SECRET_KEY"])


def _conn() -> Connection:
    if "conn" not in g:
        engine: Engine = g.app_engine
        g.conn = engine.connect()
    conn: Connection = g.conn
    return conn


def _close(_exc: BaseException | None) -> None:
    conn = g.pop("conn", None)
    if conn is not None:
        conn.close()  # read only: ends the transaction (a rollback)


def _reader() -> None:
    """The login session the portal's cookie names, checked in one query, and the
    reader's language (the account's, the session's, the browser's, English)."""
    g.app_engine = current_app.extensions["minimal_engine"]
    g.request_id = uuid.uuid4().hex
    if request.endpoint == "healthz":
        return None
    token = session.get("_user_id")
    user = None
    if isinstance(token, str) and len(token) <= 100:
        digest = hashlib.sha256(token.encode()).hexdigest()
        row = queries.session_user(_conn(), digest)
        now = dt.datetime.now(dt.UTC)
        if (
            row is not None
            and row.is_active
            and row.expires_at > now
            and (row.last_seen_at or row.created_at) + IDLE > now
            and not (row.mfa_enabled and session.get(PASSED) != row.id)
        ):
            user = row
    if user is None:
        abort(403)  # the portal would send the browser to the login page
    g.user = user
    languages: dict[str, Language] = current_app.extensions["languages"]
    remembered = session.get("locale")
    code = (
        user.locale
        if user.locale in languages
        else remembered
        if remembered in languages
        else request.accept_languages.best_match(LANGUAGES) or "en"
    )
    g.lang = languages[code]
    return None


def _headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers["X-Request-ID"] = g.get("request_id", "")
    if "user" in g:
        headers["Cache-Control"] = "no-store"
    return response


def _render(template: str, **context: Any) -> str:
    lang: Language = g.lang
    return render_template(
        template,
        _=lang.gettext,
        ngettext=lang.ngettext,
        lang=lang,
        user=g.user,
        csrf=generate_csrf(),
        here=request.full_path.rstrip("?"),
        **context,
    )


def _docket() -> str:
    if g.user.role.value != "clerk":
        abort(403)
    after = request.args.get("after", type=int)
    page = queries.docket(_conn(), after=after)
    return _render("docket.html", page=page, neutrals=queries.neutrals(_conn()))


def _caseload() -> str:
    if g.user.role.value not in ("mediator", "arbitrator"):
        abort(403)
    counts, rows = queries.caseload(_conn(), g.user.id)
    return _render("caseload.html", counts=counts, total=sum(n for _, n in counts), rows=rows)


def _case(case_id: int) -> str:
    page = queries.case_page(_conn(), case_id, g.user)
    if page is None:
        abort(404)
    return _render("case.html", **page)
