from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from ..audit.operations import log_security
from ..core.i18n import LANGUAGE_NAMES
from ..core.web import is_safe_next, perform
from ..db import db
from ..policy import is_staff
from . import operations as ops
from .forms import LanguageForm, LoginForm, RegisterForm, StaffUserForm
from .models import ROLE_LABELS, Role, User

bp = Blueprint("auth", __name__)


def home_for(user: User) -> str:
    if user.role is Role.CLERK:
        return url_for("registry.intake")
    if user.role is Role.ADMIN:
        return url_for("auth.users")
    if user.role in (Role.MEDIATOR, Role.ARBITRATOR):
        return url_for("neutrals.caseload")
    return url_for("cases.my_cases")


def _begin(user: User):
    locale = session.get("locale")
    session.clear()  # a fresh session at every login: nothing carries over from before
    auth = ops.start_session(db.session, user, current_app.config["SESSION_LIFETIME_HOURS"])
    if user.locale is None and locale:
        user.locale = locale
    login_user(user)
    return auth


@bp.route("/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = RegisterForm()
    if form.validate_on_submit():
        outcome = perform(
            ops.register_investor,
            db.session,
            email=form.email.data,
            name=form.name.data,
            password=form.password.data,
            locale=session.get("locale"),
            flash_error=False,
        )
        if outcome.ok:
            _begin(outcome.value)
            log_security(db.session, "register", user=outcome.value)
            return redirect(url_for("cases.my_cases"))
        getattr(form, outcome.exc.field).errors.append(outcome.error)
    return render_template("auth/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    if form.validate_on_submit():
        user = ops.authenticate(db.session, form.email.data, form.password.data)
        if user is None:
            log_security(db.session, "login_failed", email=form.email.data)
            # Committed here, not by the request wrapper: the record of a failed attempt
            # must survive whatever status this answer is given (a 4xx rolls back).
            db.session.commit()
            form.password.errors.append(gettext("Wrong email address or password."))
        else:
            _begin(user)
            log_security(db.session, "login", user=user)
            target = form.next.data
            return redirect(target if is_safe_next(target) else home_for(user))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    # CSRFProtect has already refused a forged or expired form (400) before we get here.
    log_security(db.session, "logout", user=current_user)
    ops.end_session(current_user)
    logout_user()
    session.clear()
    return redirect(url_for("public.home"))


@bp.post("/language")
def language():
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
def users():
    if not is_staff(current_user, Role.ADMIN):
        abort(403)
    form = StaffUserForm()
    if form.validate_on_submit():
        outcome = perform(
            ops.create_user,
            db.session,
            email=form.email.data,
            name=form.name.data,
            password=form.password.data,
            role=Role(form.role.data),
            flash_error=False,
        )
        if outcome.ok:
            flash(gettext("Account created for %(email)s.", email=outcome.value.email), "success")
            return redirect(url_for("auth.users"))
        getattr(form, outcome.exc.field).errors.append(outcome.error)
    accounts = db.session.execute(select(User).order_by(User.role, User.name)).scalars().all()
    return render_template("auth/users.html", form=form, accounts=accounts, role_labels=ROLE_LABELS)
