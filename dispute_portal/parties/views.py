"""Inviting people to act for a side, and joining by invitation."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask import session as web_session
from flask_babel import gettext
from flask_login import current_user, login_required, login_user

from .. import policy
from ..audit.operations import log_security
from ..auth.models import Role
from ..auth.operations import find_user, start_session
from ..cases.loading import load_case
from ..cases.models import Case
from ..core.web import perform
from ..db import db
from ..errors import StaleCase
from . import operations as ops
from .forms import InviteForm, JoinForm, JoinNewAccountForm
from .models import Side, Standing

bp = Blueprint("parties", __name__)

# standing in the URL -> the act of the workflow table it is
STANDINGS = {
    "representative": (Standing.REPRESENTATIVE, "invite_respondent"),
    "counsel": (Standing.COUNSEL, "add_counsel"),
}


@bp.route("/cases/<int:case_id>/invite/<standing>", methods=["GET", "POST"])
@login_required
def invite(case_id: int, standing: str):
    if standing not in STANDINGS:
        abort(404)
    kind, action = STANDINGS[standing]
    case = load_case(case_id, action, lock=request.method == "POST")
    # The clerk invites the respondent's representative; a party adds counsel to its side.
    if kind is Standing.REPRESENTATIVE:
        side = Side.RESPONDENT
    else:
        side = policy.side_of(current_user, case)
    if side is None:
        abort(403)
    form = InviteForm()
    error = None
    if form.validate_on_submit():
        outcome = perform(
            ops.invite,
            db.session,
            case,
            inviter=current_user,
            side=side,
            standing=kind,
            email=form.email.data,
            name=form.name.data,
            expected_version=form.version.data,
            flash_error=False,
        )
        if outcome.ok:
            flash(
                gettext(
                    "An invitation was sent to %(email)s. The link works once and expires in "
                    "%(days)d days.",
                    email=outcome.value[0].email,
                    days=current_app.config["INVITATION_DAYS"],
                ),
                "success",
            )
            return redirect(url_for("parties.invite", case_id=case_id, standing=standing))
        if isinstance(outcome.exc, StaleCase):
            flash(outcome.error, "error")
            return redirect(url_for("parties.invite", case_id=case_id, standing=standing))
        error = outcome.error
    elif request.method == "GET":
        form.version.data = case.version
    everyone = current_user.role is Role.CLERK
    pending = [i for i in ops.pending_invitations(db.session, case) if everyone or i.side is side]
    return render_template(
        "parties/invite.html",
        case=case,
        form=form,
        kind=kind,
        side=side,
        standing=standing,
        error=error,
        pending=pending,
    ), 400 if request.method == "POST" else 200


@bp.route("/join/<token>", methods=["GET", "POST"])
def join(token: str):
    invitation = ops.find_invitation(db.session, token)
    if invitation is None:
        # Unknown, used or expired: one answer for all three, so a link tells nothing.
        return render_template("parties/join_invalid.html"), 404
    case = db.session.get(Case, invitation.case_id)
    if current_user.is_authenticated:
        return _join_as(current_user, invitation, case, token)
    if find_user(db.session, invitation.email) is not None:
        return render_template(
            "parties/join.html",
            mode="login",
            invitation=invitation,
            case=case,
            login_url=url_for("auth.login", next=url_for("parties.join", token=token)),
        )
    return _join_new(invitation, case)


def _join_as(user, invitation, case: Case, token: str):
    form = JoinForm()
    if form.validate_on_submit():
        if perform(ops.join, db.session, invitation, user).ok:
            flash(gettext("You joined case %(reference)s.", reference=case.reference), "success")
            return redirect(url_for("cases.show", case_id=case.id))
        return redirect(url_for("parties.join", token=token))
    return render_template(
        "parties/join.html", mode="confirm", invitation=invitation, case=case, form=form
    )


def _join_new(invitation, case: Case):
    form = JoinNewAccountForm()
    error = None
    if request.method == "GET":
        form.name.data = invitation.name
    elif form.validate_on_submit():
        outcome = perform(
            ops.join_as_new_user,
            db.session,
            invitation,
            name=form.name.data,
            password=form.password.data,
            locale=web_session.get("locale"),
            flash_error=False,
        )
        if outcome.ok:
            user, _participant = outcome.value
            _log_in(user)
            log_security(db.session, "register", user=user, data={"case_id": case.id})
            flash(
                gettext("Welcome. You joined case %(reference)s.", reference=case.reference),
                "success",
            )
            return redirect(url_for("cases.show", case_id=case.id))
        field = getattr(outcome.exc, "field", None)
        if field in ("password", "name"):
            form[field].errors.append(outcome.error)
        else:
            error = outcome.error
    return render_template(
        "parties/join.html",
        mode="new",
        invitation=invitation,
        case=case,
        form=form,
        error=error,
    ), 400 if request.method == "POST" else 200


def _log_in(user) -> None:
    """Start a login session as the login page does: a fresh session, nothing carried over
    but the language."""
    locale = web_session.get("locale")
    web_session.clear()
    start_session(db.session, user, current_app.config["SESSION_LIFETIME_HOURS"])
    if user.locale is None and locale:
        user.locale = locale
    login_user(user)
