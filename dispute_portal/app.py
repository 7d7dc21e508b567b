"""The app factory: extensions, blueprints, request hooks, error handlers, CLI."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask, Response, abort, g, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from werkzeug.exceptions import HTTPException, SecurityError
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter, Map

from . import files
from .accounts import operations as account_ops
from .accounts.banking import BankSettingsError, centre_bank
from .api.rest import init_api, is_api
from .api.rest.problems import from_http_exception, problem
from .auth.models import User
from .auth.operations import forget_session_seen, load_session_user, write_session_seen
from .blueprints import BLUEPRINTS
from .cli import register_cli
from .config import (
    INSTANCE_DIR,
    Config,
    DevelopmentConfig,
    ProductionConfig,
    TestingConfig,
    config_from_env,
    public_address_problem,
    trusted_hosts,
)
from .core.catalogue import init_catalogue
from .core.forms import FORM_EXPIRED
from .core.i18n import select_locale
from .core.templating import init_templating
from .core.typed import gettext
from .core.web import begin_request, end_request, limit_body, uploads_taken
from .db import short_write
from .deadlines import operations as deadline_ops
from .discontinuance import operations as ending_ops
from .extensions import babel, csrf, db, login_manager
from .funding import operations as funding_ops
from .integrity import log as transparency_log
from .integrity.checkpoints import verifier_from
from .jobs import init_jobs
from .models import import_all
from .notices import operations as notice_ops
from .pagecache import page as page_cache
from .pagecache import tracking as page_tracking
from .rulings import operations as ruling_ops
from .suspensions import operations as suspension_ops
from .template_helpers import init_feature_helpers
from .workflow import engine
from .workflow.models import origin

PACKAGE_DIR = Path(__file__).resolve().parent


def create_app(config: type[Config] | dict[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(PACKAGE_DIR / "templates"),
        static_folder=str(PACKAGE_DIR / "static"),
        instance_path=str(INSTANCE_DIR),
    )
    base = config if isinstance(config, type) else config_from_env()
    app.config.from_object(base)
    import_all()  # every model mapped before the first query, whichever blueprint runs it
    if isinstance(config, dict):
        app.config.update(config)
    production = issubclass(base, ProductionConfig)
    _check_bank(app.config)
    if production:
        ProductionConfig.check(app.config)
        _check_log_key(app.config)
    elif not issubclass(base, (DevelopmentConfig, TestingConfig)) and (
        problem := public_address_problem(app.config, https=False)
    ):
        app.logger.warning("%s", problem)
    app.config["TRUSTED_HOSTS"] = trusted_hosts(app.config, production=production)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    app.url_map.converters["int"] = _Id  # before the blueprints add their routes
    # The first hooks of all: the request's id (for any answer, even an early refusal),
    # then the body's limit, set (and an oversize body refused) before any other hook (CSRF,
    # the rate limits) reads the form, then whether the request only reads.
    app.before_request(_note_origin)
    app.before_request(limit_body)
    app.before_request(begin_request)  # a GET's transactions only read (core/web.py)
    app.teardown_request(end_request)  # the last teardown to run: they run in reverse
    files.init_app(app)  # stale upload temp files swept; half-read uploads closed
    _init_extensions(app)
    if hops := app.config.get("PROXY_HOPS"):
        # Behind a reverse proxy: the client's address (rate limits, audit) and the scheme
        # come from the proxy's X-Forwarded-* headers, trusting exactly that many proxies.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]  # Flask's documented way
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops
        )
    register_workflow_effects()
    transparency_log.install()  # every audit event and ruling becomes a leaf as it commits
    page_tracking.install()  # a commit that writes what a page shows gets a new data version
    _register_blueprints(app)
    init_api(app)
    _register_request_hooks(app)
    _register_error_handlers(app)
    init_templating(app)
    init_feature_helpers(app)
    page_cache.init_app(app)

    register_cli(app)
    return app


def _check_bank(config: Any) -> None:
    """Every invoice prints the Centre's accounts: a mistyped IBAN or BIN stops the start."""
    try:
        centre_bank(config)
    except BankSettingsError as exc:
        raise SystemExit(f"Refusing to start: {exc}") from exc


def _check_log_key(config: Any) -> None:
    """Production publishes and checks signed checkpoints: it needs the verifier key."""
    try:
        verifier = verifier_from(config)
    except (OSError, ValueError) as exc:
        raise SystemExit(f"Refusing to start: the transparency log's key: {exc}") from exc
    if verifier is None:
        raise SystemExit(
            "Refusing to start: set INTEGRITY_VERIFIER_KEY (the public key that checks the "
            "transparency log's checkpoints; `flask --app wsgi integrity keygen` makes a pair)."
        )


def register_workflow_effects() -> None:
    """What follows every transition, in this order (tests/test_workflow_effects.py holds
    it): the act's deadlines (and a re-confirmation owed by no one), a suspension's end, its ruling
    (whose audit entry follows the act's in the chain; a ruling that cannot be issued
    refuses the act), then the notices, written last so that no one is told of an act that
    did not go through."""
    engine.register_effects(
        account_ops.follow_transition,
        deadline_ops.follow_transition,
        funding_ops.follow_transition,
        suspension_ops.follow_transition,
        ending_ops.answer_inactivity_notice,
        ruling_ops.issue_for_transition,
        notice_ops.notify_transition,
    )


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
    init_jobs(app)
    csrf.init_app(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(PACKAGE_DIR / "translations"),
    )
    init_catalogue(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None  # the login page itself says what to do
    login_manager.session_protection = "basic"

    def _load_user(token: str) -> User | None:
        return load_session_user(db.session(), token)

    login_manager.user_loader(_load_user)


def _register_blueprints(app: Flask) -> None:
    for bp in BLUEPRINTS:
        app.register_blueprint(bp)


class _Id(IntegerConverter):
    """An id in an address: a number the database can hold, else the page is not found."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)


def _rollback_quietly(app: Flask) -> None:
    """Roll back; when the database is gone even that fails: log it, the answer goes out."""
    try:
        db.session.rollback()
    except Exception:
        app.logger.exception("rollback failed [request %s]", g.get("request_id"))


def _write_session_seen(app: Flask) -> None:
    """After the request's commit, the login session's last-seen time (or its end, found
    expired) in a short writing transaction of its own: a GET's transaction only reads.
    It failing does not fail the answer, whose own work is committed: it is logged."""
    try:
        with short_write(db.session()) as session:  # after the read the headers may begin
            write_session_seen(session)
    except Exception:
        app.logger.exception("login session not touched [request %s]", g.get("request_id"))
        _rollback_quietly(app)


REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


def _note_origin() -> None:
    """before_request, the very first: where the request comes from, and its id."""
    # Audit events record where they came from (behind a proxy, configure ProxyFix).
    g.origin_token = origin.set(request.remote_addr)
    # One id per request: in the log line of an error and on the page the user sees,
    # so a user's report leads to the log. A proxy's X-Request-ID is kept if sane.
    incoming = request.headers.get("X-Request-ID", "")
    g.request_id = incoming if REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex


def _register_request_hooks(app: Flask) -> None:
    @app.before_request
    def _plain_input_only() -> None:
        # The portal takes forms, not JSON (but its API); and no field of any form needs a
        # NUL character (PostgreSQL refuses them in text; they hide in names and logs).
        if request.method == "POST" and request.is_json and not is_api(request):
            abort(415)
        for values in (request.args, request.form):
            if any("\x00" in key or "\x00" in value for key, value in values.items(multi=True)):
                abort(400)
        return None

    @app.after_request
    def _commit_and_secure(response: Response) -> Response:
        # One commit per request, after the view succeeded; anything else rolls back.
        if response.status_code < 400:
            try:
                db.session.commit()
            except Exception:
                _rollback_quietly(app)  # the error page must not meet a half-committed session
                raise
        else:
            _rollback_quietly(app)
        headers = response.headers
        headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        )
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        if "request_id" in g:
            headers["X-Request-ID"] = g.request_id
        if current_user.is_authenticated and request.endpoint != "static":
            headers["Cache-Control"] = "no-store"
        if app.config.get("SESSION_COOKIE_SECURE"):
            # Every subdomain too (ASVS 3.4.1): none of the centre's may be reached in clear.
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if response.status_code < 400:
            _write_session_seen(app)  # last: the lines above may load the login session
        else:
            forget_session_seen(db.session())
        return response

    @app.teardown_request
    def _rollback_on_error(exc: BaseException | None) -> None:
        if exc is not None:
            _rollback_quietly(app)
        if (token := g.pop("origin_token", None)) is not None:
            origin.reset(token)  # the next request, or the CLI, in this thread is not this one


PLAIN_ERROR = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>'
    "<body><main><h1>{title}</h1><p>{text}</p><p>Request {request_id}</p></main></body></html>"
)


def _register_error_handlers(app: Flask) -> None:
    messages: dict[int, tuple[Callable[[], str], Callable[[], str]]] = {
        400: (
            lambda: gettext("Bad request"),
            lambda: gettext("The request could not be understood."),
        ),
        403: (lambda: gettext("Not allowed"), lambda: gettext("You are not allowed to do this.")),
        404: (
            lambda: gettext("Not found"),
            lambda: gettext("There is nothing here, or you have no access to it."),
        ),
        405: (
            lambda: gettext("Not allowed"),
            lambda: gettext("This address does not accept that kind of request."),
        ),
        415: (
            lambda: gettext("Not accepted"),
            lambda: gettext("This address takes a form sent from the portal's own pages."),
        ),
        429: (
            lambda: gettext("Too many attempts"),
            lambda: gettext("Too many attempts. Wait a few minutes, then try again."),
        ),
        413: (
            lambda: gettext("File too large") if uploads_taken() else gettext("Form too large"),
            lambda: (
                gettext(
                    "The upload is larger than %(limit)s MB. Nothing was saved. "
                    "Go back and choose a smaller file.",
                    limit=app.config["MAX_UPLOAD_BYTES"] // 2**20,
                )
                if uploads_taken()
                else gettext(
                    "The form is larger than the portal accepts. Nothing was saved. "
                    "Go back and shorten the text."
                )
            ),
        ),
        500: (
            lambda: gettext("Something went wrong"),
            lambda: gettext(
                "The portal could not finish your request. Nothing was "
                "changed. Please try again in a moment."
            ),
        ),
    }

    def render_error(
        code: int, detail: str | None = None, *, plain: bool = False
    ) -> ResponseReturnValue:
        title, text = messages.get(code, messages[500])
        if code >= 500:
            _rollback_quietly(app)
        if not plain:
            try:
                return render_template(
                    "errors/error.html",
                    code=code,
                    title=title(),
                    text=detail or text(),
                    request_id=g.get("request_id"),
                ), code
            except Exception:  # the page needs what is broken (the database): a plain one
                app.logger.exception("error page failed [request %s]", g.get("request_id"))
        page = PLAIN_ERROR.format(
            title=escape(title()),
            text=escape(detail or text()),
            request_id=escape(g.get("request_id") or ""),
        )
        return page, code, {"Content-Type": "text/html; charset=utf-8"}

    def answer(code: int, exc: HTTPException | None = None) -> ResponseReturnValue:
        """The API's errors are problems (api/rest/problems.py), the pages' error pages."""
        if is_api(request):
            if code >= 500:
                _rollback_quietly(app)
            return from_http_exception(exc) if exc is not None else problem(code)
        return render_error(code)

    @app.errorhandler(CSRFError)
    def _csrf_error(_exc: CSRFError) -> ResponseReturnValue:
        return render_error(400, str(FORM_EXPIRED))

    @app.errorhandler(SecurityError)
    def _untrusted_host(_exc: SecurityError) -> ResponseReturnValue:
        # A Host header not in TRUSTED_HOSTS: no address can be built for this request, so
        # the page is the plain one (its links would need the host refused).
        return render_error(400, plain=True)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> ResponseReturnValue:
        if is_api(request):
            return answer(exc.code or 500, exc)
        if exc.code in messages:
            return render_error(exc.code)
        return exc

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> ResponseReturnValue:
        app.logger.exception("unhandled error [request %s]", g.get("request_id"), exc_info=exc)
        return answer(500)
