"""Accounts on the web: registration, login and logout, the account page, password resets,
the language switch and the admin's staff accounts."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_login import current_user, logout_user
from sqlalchemy import select

from ..audit.operations import log_security
from ..core.actions import Refused, redirect_with, run_form_action
from ..core.forms import BaseForm
from ..core.i18n import LANGUAGE_NAMES
from ..core.typed import gettext, login_required
from ..core.web import is_safe_next
from ..db import db
from ..jobs import runner
from ..mfa import enrolment
from ..mfa.gate import mfa_gate
from ..policy import is_staff
from . import jobs, limits, login_session, pages, registration
from . import operations as ops
from .forms import (
    ChangePasswordForm,
    ForgotPasswordForm,
    LanguageForm,
    LoginForm,
    RegisterForm,
    ResetPasswordForm,
    StaffUserForm,
)
from .models import ROLE_LABELS, Role, User

bp = Blueprint("auth", __name__)


@bp.record_once
def _init_limits(state: BlueprintSetupState) -> None:
    limits.init_app(state.app)


# Public pages that check a secret (verify, join, reset links): per-address limits.
bp.before_app_request(limits.limit_public_pages)


@bp.before_app_request
def _forget_ended_login() -> None:
    """The browser still names a login session that no longer works (idle or absolute
    timeout, logged out elsewhere, password changed): forget it and say why, once."""
    token = session.get("_user_id")
    if token is None or request.endpoint == "static" or current_user.is_authenticated:
        return None
    reason = ops.end_reason(db.session(), token)
    login_session.fresh_session(keep_csrf=True)
    flash(pages.ended_message(reason))
    return None


def _refused_field(refusal: Refused) -> str:
    """The form field an account's refusal belongs to (every AccountError names one)."""
    assert isinstance(refusal.exc, ops.AccountError), refusal.exc
    return refusal.exc.field


@bp.route("/register", methods=["GET", "POST"])
def register() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(login_session.home_for(current_user))
    form = RegisterForm()

    def throttled() -> ResponseReturnValue | None:
        wait = limits.take("register", "RATELIMIT_REGISTER_ADDRESS")
        return limits.too_many(wait) if wait else None

    def accepted(password_hash: str) -> ResponseReturnValue:
        # Whether the address is new or taken is the job's to find out, after the answer:
        # the visitor sees the same page, at the same speed, either way.
        email = form.email.data
        account = limits.account_key(email)
        if not limits.take("register-account", "RATELIMIT_REGISTER_ACCOUNT", account):
            runner().enqueue(
                jobs.REGISTER_JOB, email, form.name.data, password_hash, session.get("locale")
            )
        log_security(db.session(), "register_requested", email=email)
        return redirect(url_for("auth.register_sent"))

    return run_form_action(
        form,
        lambda: registration.prepare(
            email=form.email.data, name=form.name.data, password=form.password.data
        ),
        done=accepted,
        page=lambda status: (render_template("auth/register.html", form=form), status),
        check=throttled,
    )


@bp.get("/register/sent")
def register_sent() -> ResponseReturnValue:
    return render_template("auth/register_sent.html")


@bp.route("/activate/<token>", methods=["GET", "POST"])
def activate(token: str) -> ResponseReturnValue:
    if registration.find_activation(db.session(), token) is None:
        # Unknown, used or expired: one answer for all three.
        return pages.private(render_template("auth/activate_invalid.html"), 404)
    form = BaseForm()

    def activated(user: User) -> ResponseReturnValue:
        login_session.fresh_session()
        return redirect_with(
            gettext("Your account is active. Log in with your email address and password."),
            url_for("auth.login"),
        )

    def spent(refusal: Refused) -> ResponseReturnValue | None:
        return pages.private(render_template("auth/activate_invalid.html"), 404)

    # A button, not the GET itself: mail scanners that open links must not spend this one.
    return run_form_action(
        form,
        lambda: registration.activate(db.session(), token),
        done=activated,
        page=lambda status: pages.private(render_template("auth/activate.html", form=form), status),
        refused=spent,
    )


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if current_user.is_authenticated:
        return redirect(login_session.home_for(current_user))
    if form.validate_on_submit():
        email = form.email.data
        # Counted before the password is checked (a failure unless it proves right), so that
        # parallel guesses cannot all slip under the limit; refused: no guess is tried.
        throttle = limits.count_login_attempt(email)
        if throttle is not None:
            return pages.throttled(form, throttle, email, "auth/login.html")
        user = ops.authenticate(db.session(), email, form.password.data)
        if user is None:
            log_security(db.session(), "login_failed", email=email)
            # Committed here, not by the request wrapper: the record of a failed attempt
            # must survive whatever status this answer is given (a 4xx rolls back).
            db.session.commit()
            form.password.errors.append(gettext("Wrong email address or password."))
        elif user.email_confirmed_at is None:
            # The password is right, so this is whoever registered: they learn only what
            # the page after registering told them (a link was sent to the address).
            limits.release_login_attempt(email)
            log_security(db.session(), "login_not_activated", user=user)
            db.session.commit()
            form.password.errors.append(
                gettext(
                    "This account is not active yet. Open the link in the message we sent "
                    "to your address when you registered; to get a new link, register again "
                    "with the same address."
                )
            )
        else:
            limits.login_succeeded(email)
            # The session starts now, or after the second factor (mfa.views._start).
            return mfa_gate(user, form.next.data)
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout() -> ResponseReturnValue:
    # CSRFProtect has already refused a forged or expired form (400) before we get here.
    log_security(db.session(), "logout", user=current_user)
    ops.end_session(current_user)
    logout_user()
    session.clear()
    return redirect(url_for("public.home"))


# The account: password, sessions --------------------------------------------------------------


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account() -> ResponseReturnValue:
    user = current_user._get_current_object()
    form = ChangePasswordForm()

    def throttled() -> ResponseReturnValue | None:
        # Checking the current password is a login attempt: the same limits apply, and it
        # is counted before the check (taken back below when the password was right).
        throttle = limits.count_login_attempt(user.email)
        if throttle is None:
            return None
        page = "auth/account.html"
        return pages.throttled(form, throttle, user.email, page, "current", **_account(user))

    def changed(ended: int) -> ResponseReturnValue:
        limits.release_login_attempt(user.email)
        log_security(db.session(), "password_changed", user=user, data={"ended": ended})
        return redirect_with(
            gettext("Your password was changed. Every other session was logged out."),
            url_for("auth.account"),
        )

    def refused(refusal: Refused) -> None:
        if _refused_field(refusal) != "current":
            limits.release_login_attempt(user.email)  # the current password was right
            return
        log_security(db.session(), "password_change_failed", user=user)
        db.session.commit()  # a 400 rolls back; the record of a failed attempt must stay

    return run_form_action(
        form,
        lambda: ops.change_password(
            db.session(), user, current=form.current.data, new=form.password.data
        ),
        done=changed,
        page=lambda status: (
            render_template("auth/account.html", form=form, **_account(user)),
            status,
        ),
        check=throttled,
        refused=refused,
    )


def _account(user: User) -> dict[str, Any]:
    return {
        "live_sessions": ops.live_sessions(db.session(), user),
        "this_session": user.current_session,
        "role_label": ROLE_LABELS[user.role],
    }


@bp.post("/account/logout-everywhere")
@login_required
def logout_everywhere() -> ResponseReturnValue:
    user = current_user._get_current_object()
    ended = ops.end_sessions(db.session(), user, reason="logout_everywhere")
    log_security(db.session(), "logout_everywhere", user=user, data={"ended": ended})
    login_session.fresh_session()
    flash(gettext("You were logged out everywhere: on this device and every other."), "success")
    return redirect(url_for("auth.login"))


# Password reset by e-mail --------------------------------------------------------------------


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password() -> ResponseReturnValue:
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        wait = limits.take("reset-request", "RATELIMIT_RESET_ADDRESS")
        if wait:
            return limits.too_many(wait)
        email = form.email.data
        # Past the per-account limit nothing more is sent, and nothing tells: the answer
        # stays the same (the limit holds for unknown addresses too).
        account = limits.account_key(email)
        # Whether the account exists is the job's to find out, after the answer: the request
        # does the same work either way, so its time tells nothing either.
        if not limits.take("reset-account", "RATELIMIT_RESET_ACCOUNT", account):
            runner().enqueue(jobs.RESET_JOB, email)
        log_security(db.session(), "password_reset_requested", email=email)
        return redirect(url_for("auth.forgot_password_sent"))
    return render_template("auth/forgot.html", form=form)


@bp.get("/password/forgot/sent")
def forgot_password_sent() -> ResponseReturnValue:
    return render_template("auth/forgot_sent.html")


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> ResponseReturnValue:
    if ops.find_reset_token(db.session(), token) is None:
        # Unknown, used or expired: one answer for all three.
        return pages.private(render_template("auth/reset_invalid.html"), 404)
    form = ResetPasswordForm()

    def reset(user: User) -> ResponseReturnValue:
        log_security(db.session(), "password_reset", user=user)
        login_session.fresh_session()
        return redirect_with(
            gettext("Your password was changed. Log in with the new password."),
            url_for("auth.login"),
        )

    def spent(refusal: Refused) -> ResponseReturnValue | None:
        if _refused_field(refusal) == "token":  # spent by a second click meanwhile
            return pages.private(render_template("auth/reset_invalid.html"), 404)
        return None

    return run_form_action(
        form,
        lambda: ops.reset_password(db.session(), token, form.password.data),
        done=reset,
        page=lambda status: pages.private(render_template("auth/reset.html", form=form), status),
        refused=spent,
    )


@bp.post("/language")
def language() -> ResponseReturnValue:
    form = LanguageForm()
    form.locale.choices = list(LANGUAGE_NAMES.items())
    if form.validate_on_submit():
        session["locale"] = form.locale.data
        if current_user.is_authenticated:
            ops.set_locale(current_user, form.locale.data)
    target = form.next.data
    return redirect(target if is_safe_next(target) else url_for("public.home"))


@bp.route("/admin/users", methods=["GET", "POST"])
@login_required
def users() -> ResponseReturnValue:
    if not is_staff(current_user, Role.ADMIN):
        abort(403)
    form = StaffUserForm()

    def page(status: int) -> ResponseReturnValue:
        accounts = db.session.execute(select(User).order_by(User.role, User.name)).scalars()
        return render_template(
            "auth/users.html",
            form=form,
            accounts=accounts.all(),
            role_labels=ROLE_LABELS,
        ), status

    def created(user: User) -> ResponseReturnValue:
        # The first password is handed over; the authenticator is bound only through this.
        enrolment.send_link(db.session(), user)
        return redirect_with(
            gettext(
                "Account created for %(email)s. A link to set up two-factor authentication "
                "was sent to that address.",
                email=user.email,
            ),
            url_for("auth.users"),
        )

    return run_form_action(
        form,
        lambda: ops.create_user(
            db.session(),
            email=form.email.data,
            name=form.name.data,
            password=form.password.data,
            role=Role(form.role.data),
            nationality=form.nationality.data,
        ),
        done=created,
        page=page,
    )
