"""Inviting people to act for a side, and joining by invitation."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask import session as web_session
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user, login_user

from .. import policy
from ..audit.operations import log_security
from ..auth.models import Role, User
from ..auth.operations import find_user, start_session
from ..cases.loading import load_case
from ..cases.models import Case
from ..core.actions import redirect_with, run_form_action
from ..core.typed import login_required
from ..db import db
from . import operations as ops
from .forms import InviteForm, JoinForm, JoinNewAccountForm
from .models import Invitation, Side, Standing

bp = Blueprint("parties", __name__)

# standing in the URL -> the act of the workflow table it is
STANDINGS = {
    "representative": (Standing.REPRESENTATIVE, "invite_respondent"),
    "counsel": (Standing.COUNSEL, "add_counsel"),
}


@bp.route("/cases/<int:case_id>/invite/<standing>", methods=["GET", "POST"])
@login_required
def invite(case_id: int, standing: str) -> ResponseReturnValue:
    if standing not in STANDINGS:
        abort(404)
    kind, action = STANDINGS[standing]
    case = load_case(case_id, action, lock=request.method == "POST")
    # The clerk invites the respondent's representative; a party adds counsel to its side.
    side: Side | None
    if kind is Standing.REPRESENTATIVE:
        side = Side.RESPONDENT
    else:
        side = policy.side_of(current_user, case)
    if side is None:
        abort(403)
    form = InviteForm()
    everyone = current_user.role is Role.CLERK

    def page(status: int) -> ResponseReturnValue:
        form.version.data = case.version
        pending = [
            i for i in ops.pending_invitations(db.session(), case) if everyone or i.side is side
        ]
        return render_template(
            "parties/invite.html",
            case=case,
            form=form,
            kind=kind,
            side=side,
            standing=standing,
            pending=pending,
        ), status

    return run_form_action(
        form,
        lambda: ops.invite(
            db.session(),
            case,
            inviter=current_user,
            side=side,
            standing=kind,
            email=form.email.data,
            name=form.name.data,
            expected_version=form.version.data,
        ),
        done=lambda sent: redirect_with(
            gettext(
                "An invitation was sent to %(email)s. The link works once and expires in "
                "%(days)d days.",
                email=sent[0].email,
                days=current_app.config["INVITATION_DAYS"],
            ),
            url_for("parties.invite", case_id=case_id, standing=standing),
        ),
        page=page,
    )


@bp.route("/join/<token>", methods=["GET", "POST"])
def join(token: str) -> ResponseReturnValue:
    invitation = ops.find_invitation(db.session(), token)
    if invitation is None:
        # Unknown, used or expired: one answer for all three, so a link tells nothing.
        return render_template("parties/join_invalid.html"), 404
    case = db.session.get_one(Case, invitation.case_id)
    if current_user.is_authenticated:
        return _join_as(current_user, invitation, case, token)
    if find_user(db.session(), invitation.email) is not None:
        return render_template(
            "parties/join.html",
            mode="login",
            invitation=invitation,
            case=case,
            login_url=url_for("auth.login", next=url_for("parties.join", token=token)),
        )
    return _join_new(invitation, case)


def _join_as(user: User, invitation: Invitation, case: Case, token: str) -> ResponseReturnValue:
    form = JoinForm()

    def page(status: int) -> ResponseReturnValue:
        return render_template(
            "parties/join.html", mode="confirm", invitation=invitation, case=case, form=form
        ), status

    return run_form_action(
        form,
        lambda: ops.join(db.session(), invitation, user, consent=form.consent),
        done=lambda _: redirect_with(
            gettext("You joined case %(reference)s.", reference=case.reference),
            url_for("cases.show", case_id=case.id),
        ),
        page=page,
    )


def _join_new(invitation: Invitation, case: Case) -> ResponseReturnValue:
    form = JoinNewAccountForm()
    if request.method == "GET":
        form.name.data = invitation.name

    def page(status: int) -> ResponseReturnValue:
        return render_template(
            "parties/join.html", mode="new", invitation=invitation, case=case, form=form
        ), status

    def joined(made: tuple[User, object]) -> ResponseReturnValue:
        user, _participant = made
        _log_in(user)
        log_security(db.session(), "register", user=user, data={"case_id": case.id})
        return redirect_with(
            gettext("Welcome. You joined case %(reference)s.", reference=case.reference),
            url_for("cases.show", case_id=case.id),
        )

    return run_form_action(
        form,
        lambda: ops.join_as_new_user(
            db.session(),
            invitation,
            name=form.name.data,
            password=form.password.data,
            locale=web_session.get("locale"),
            consent=form.consent,
        ),
        done=joined,
        page=page,
    )


def _log_in(user: User) -> None:
    """Start a login session as the login page does: a fresh session, nothing carried over
    but the language."""
    locale = web_session.get("locale")
    web_session.clear()
    start_session(db.session(), user, current_app.config["SESSION_LIFETIME_HOURS"])
    if user.locale is None and locale:
        user.locale = locale
    login_user(user)
