"""Two-factor pages: the second step of a login, enrolment, and the account's settings.

A login whose password was right but whose second factor is awaited is not a session:
Flask-Login knows nothing of it, so every protected page still sends the person to the
login page. The browser's session only points at a server-side challenge (MfaChallenge)
that counts wrong codes and expires.
"""

from __future__ import annotations

import segno
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user, logout_user
from markupsafe import Markup
from werkzeug.wrappers import Response

from ..audit.operations import log_security
from ..auth import limits
from ..auth.login_session import ENROL_LINK
from ..auth.models import Role, User
from ..auth.operations import end_session
from ..core.actions import redirect_with, run_form_action
from ..core.forms import BaseForm
from ..core.typed import login_required
from ..core.web import writes
from ..db import db, short_write, utcnow
from ..policy import is_staff
from . import enrolment
from . import operations as ops
from .forms import CodeForm, ConfirmForm, EnrolForm
from .gate import PASSED, PENDING, SETUP, start
from .models import MfaChallenge, Purpose

bp = Blueprint("mfa", __name__, url_prefix="/mfa")


# Pages a person whose role requires a second factor may still reach before enrolling.
_ENROL_EXEMPT = frozenset(
    {"mfa.enrol", "mfa.link", "mfa.send_link", "auth.logout", "auth.language", "static"}
)


@bp.before_app_request
def _second_factor_gate() -> ResponseReturnValue | None:
    """Sessions that did not come through mfa_gate (another login path, or a session older
    than the rule that now requires a second factor) do not get around it."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        return None
    if session.get(PASSED) == current_user.id:
        return None
    user = current_user._get_current_object()
    if ops.enabled_at_login_check(db.session(), user):
        with short_write(db.session()):  # on any page, a GET too
            end_session(user)
        logout_user()
        session.clear()
        flash(gettext("Log in again with your authentication code."), "error")
        return redirect(url_for("auth.login"))
    if ops.is_required(current_app.config, user) and request.endpoint not in _ENROL_EXEMPT:
        flash(gettext("Your role requires two-factor authentication. Set it up to go on."))
        return redirect(url_for("mfa.enrol"))
    return None


def _pending(purpose: Purpose) -> tuple[MfaChallenge, User] | None:
    """(challenge, user) of the login awaiting its second factor, or None."""
    data = session.get(PENDING)
    if not isinstance(data, dict):
        return None
    challenge = ops.pending_challenge(db.session(), data.get("t"), data.get("u"), purpose)
    if challenge is None:
        return None
    user = db.session.get(User, challenge.user_id)
    if user is None or not user.is_active:
        return None
    return challenge, user


def _enrolling() -> tuple[MfaChallenge | None, User] | None:
    """Who is setting up a second factor: the person logged in (no challenge), or the login
    waiting for its enrolment; None when neither."""
    if current_user.is_authenticated:
        return None, current_user._get_current_object()
    return _pending(Purpose.ENROL)


def _start_again() -> Response:
    session.pop(PENDING, None)
    flash(gettext("Your login has expired or was ended. Log in again."), "error")
    return redirect(url_for("auth.login"))


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


# Second step of a login ------------------------------------------------------------------------


@bp.route("/verify", methods=["GET", "POST"])
@writes  # its GET deletes a pending login found expired (ops.pending_challenge)
def verify() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("mfa.settings"))
    pending = _pending(Purpose.VERIFY)
    if pending is None:
        return _start_again()
    challenge, user = pending
    form = CodeForm()
    if form.validate_on_submit():
        if ops.account_throttled(db.session(), user):
            return _throttled(form)
        method = ops.check_second_factor(db.session(), user, form.code.data)
        if method is not None:
            next_url = session[PENDING].get("next")
            ops.close_challenge(db.session(), challenge)
            log_security(db.session(), "mfa_ok", user=user, data={"method": method})
            if method == "recovery":
                left = ops.recovery_codes_left(db.session(), user)
                target = start(user, next_url)
                flash(
                    gettext(
                        "You used a recovery code; %(count)s left. Make new ones in your "
                        "two-factor settings if you are running out.",
                        count=left,
                    )
                )
                return redirect(target)
            return redirect(start(user, next_url))
        dropped = ops.record_failure(db.session(), challenge, user)
        # Committed here: the count and its record must stand whatever the answer's status.
        db.session.commit()
        if dropped:
            session.pop(PENDING, None)
            flash(gettext("Too many wrong codes. Log in again."), "error")
            return redirect(url_for("auth.login"))
        form.code.errors.append(gettext("That code is not right, or it was already used."))
    return _no_store(make_response(render_template("mfa/verify.html", form=form)))


def _throttled(form: CodeForm) -> Response:
    form.code.errors.append(
        gettext(
            "Too many wrong codes for this account. For your safety, no code is checked for "
            "up to %(minutes)s minutes.",
            minutes=int(ops.ACCOUNT_FAILURE_WINDOW.total_seconds() // 60),
        )
    )
    page = render_template("mfa/verify.html", form=form)
    return _no_store(make_response(page, 429))


# Enrolment -------------------------------------------------------------------------------------


def _setup_secret(user: User) -> str:
    """The secret being enrolled in this browser: the same one on every reload, so the QR
    code already scanned stays valid; a different browser gets its own."""
    config = current_app.config
    data = session.get(SETUP)
    now = int(utcnow().timestamp())
    if (
        isinstance(data, dict)
        and data.get("u") == user.id
        and isinstance(data.get("at"), int)
        and now - data["at"] < ops.ENROL_PENDING_SECONDS
        and isinstance(data.get("s"), str)
        and (secret := ops.decrypt_secret(config, data["s"]))
    ):
        return secret
    secret = ops.new_secret()
    session[SETUP] = {"u": user.id, "s": ops.encrypt_secret(config, secret), "at": now}
    return secret


def _qr_svg(uri: str) -> Markup:
    svg = segno.make(uri, error="m").svg_inline(
        scale=4,
        border=4,
        dark="#000",
        light="#fff",
        title=gettext("QR code for your authenticator app"),
        svgclass="mfa-qr",
        omitsize=True,  # a viewBox instead: the stylesheet sets the size
    )
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S704 - SVG made by segno, text escaped by it


def _show_codes(codes: list[str], continue_url: str) -> Response:
    page = render_template("mfa/codes.html", codes=codes, continue_url=continue_url)
    return _no_store(make_response(page))


@bp.route("/enrol", methods=["GET", "POST"])
@writes  # its GET deletes a pending login found expired (ops.pending_challenge)
def enrol() -> ResponseReturnValue:
    enrolling = _enrolling()
    if enrolling is None:
        return _start_again()
    challenge, user = enrolling
    if ops.is_enabled(db.session(), user):
        flash(gettext("Two-factor authentication is already on for this account."))
        return redirect(url_for("mfa.settings") if challenge is None else url_for("auth.login"))
    link = session.get(ENROL_LINK)
    if not enrolment.has_link(db.session(), user, link):
        # No secret is made, no QR code shown: the password alone binds nothing.
        body = render_template("mfa/link_needed.html", form=BaseForm())
        return _no_store(make_response(body, 403))
    secret = _setup_secret(user)
    form = EnrolForm()
    next_url = (session.get(PENDING) or {}).get("next")

    def enabled(codes: list[str]) -> ResponseReturnValue:
        session.pop(SETUP, None)
        session.pop(ENROL_LINK, None)
        if challenge is not None:
            ops.close_challenge(db.session(), challenge)
            target = start(user, next_url)  # the session starts only now
        else:
            session[PASSED] = user.id
            target = url_for("mfa.settings")
        return _show_codes(codes, target)

    def page(status: int) -> ResponseReturnValue:
        uri = ops.provisioning_uri(secret, user.email)
        groups = [secret[i : i + 4] for i in range(0, len(secret), 4)]
        body = render_template(
            "mfa/enrol.html",
            form=form,
            qr=_qr_svg(uri),
            groups=groups,
            pending=challenge is not None,
            required=ops.is_required(current_app.config, user),
        )
        return _no_store(make_response(body, status))

    return run_form_action(
        form,
        lambda: ops.enable(
            db.session(), user, secret=secret, code=form.code.data, link=link or None
        ),
        done=enabled,
        page=page,
    )


@bp.get("/link/<token>")
def link(token: str) -> ResponseReturnValue:
    """The enrolment link e-mailed to a staff account: kept in this browser's session until
    the account, once logged in, binds its authenticator."""
    owner = enrolment.link_owner(db.session(), token)
    someone_else = current_user.is_authenticated and owner is not None
    if owner is None or (someone_else and current_user.id != owner.id):
        return _private(render_template("mfa/link_invalid.html"), 404)
    session[ENROL_LINK] = token
    if current_user.is_authenticated:
        return redirect(url_for("mfa.enrol"))
    body = render_template(
        "mfa/link.html", email=owner.email, login=url_for("auth.login", next=url_for("mfa.enrol"))
    )
    return _private(body, 200)


def _private(body: str, status: int) -> Response:
    """The page of a secret link: not cached, and its address never sent as a referrer."""
    response = _no_store(make_response(body, status))
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.post("/send-link")
def send_link() -> ResponseReturnValue:
    """A new enrolment link, to the account's own address (the person who has only the
    password gains nothing by asking). A few an hour at most; the answer is the same."""
    enrolling = _enrolling()
    if enrolling is None:
        return _start_again()
    user = enrolling[1]
    if ops.needs_link(user) and not limits.take(
        "enrol-link", "RATELIMIT_RESET_ACCOUNT", limits.account_key(user.email)
    ):
        enrolment.send_link(db.session(), user)
        log_security(db.session(), "mfa_link_sent", user=user)
    return redirect_with(
        gettext("A new link was sent to %(email)s. Open it in this browser.", email=user.email),
        url_for("mfa.enrol"),
    )


@bp.post("/users/<int:user_id>/reset")
@login_required
def reset_user(user_id: int) -> ResponseReturnValue:
    """An admin resets the second factor of someone who lost both the phone and the
    recovery codes; they enrol again through the link this sends them."""
    if not is_staff(current_user, Role.ADMIN):
        abort(403)
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    admin = current_user._get_current_object()
    form = BaseForm()

    def refused(status: int) -> ResponseReturnValue:
        for message in form.form_errors:
            flash(message, "error")
        return redirect(url_for("auth.users"))

    return run_form_action(
        form,
        lambda: enrolment.reset(db.session(), admin, user),
        done=lambda _token: redirect_with(
            gettext(
                "Two-factor authentication of %(email)s was reset and a new link to set it "
                "up was sent to that address.",
                email=user.email,
            ),
            url_for("auth.users"),
        ),
        page=refused,
    )


# The account's settings ------------------------------------------------------------------------


def _settings_page(
    disable_form: ConfirmForm | None = None, renew_form: ConfirmForm | None = None
) -> str:
    user = current_user._get_current_object()
    row = ops.secret_row(db.session(), user)
    return render_template(
        "mfa/settings.html",
        enabled_at=row.enabled_at if row else None,
        codes_left=ops.recovery_codes_left(db.session(), user) if row else 0,
        required=ops.is_required(current_app.config, user),
        disable_form=disable_form or ConfirmForm(prefix="disable"),
        renew_form=renew_form or ConfirmForm(prefix="renew"),
    )


@bp.get("/")
@login_required
def settings() -> ResponseReturnValue:
    return _settings_page()


@bp.post("/disable")
@login_required
def disable() -> ResponseReturnValue:
    user = current_user._get_current_object()
    if ops.is_required(current_app.config, user):
        abort(403)
    form = ConfirmForm(prefix="disable")
    return run_form_action(
        form,
        lambda: ops.disable(
            db.session(), user, code=form.code.data or "", password=form.password.data or ""
        ),
        done=lambda _: redirect_with(
            gettext("Two-factor authentication is off."), url_for("mfa.settings")
        ),
        page=lambda status: (_settings_page(disable_form=form), status),
    )


@bp.post("/recovery-codes")
@login_required
def renew_codes() -> ResponseReturnValue:
    user = current_user._get_current_object()
    form = ConfirmForm(prefix="renew")
    return run_form_action(
        form,
        lambda: ops.regenerate_recovery_codes(
            db.session(), user, code=form.code.data or "", password=form.password.data or ""
        ),
        done=lambda codes: _show_codes(codes, url_for("mfa.settings")),
        page=lambda status: (_settings_page(renew_form=form), status),
    )
