"""The admin's page of the API's OAuth clients (government systems): register one (its
secret shown once, on the answer to the form, never in a redirect), list them, revoke any.
`flask api-clients` does the same from the command line."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select

from ..auth.models import Role, User
from ..auth.operations import find_user
from ..core.actions import redirect_with, run_form_action
from ..core.i18n import translate
from ..core.typed import gettext, login_required
from ..core.web import get_or_404
from ..db import db
from ..policy import is_staff
from . import clients
from .forms import ClientForm, RevokeForm
from .models import CLIENT_SCOPE_LABELS, OAuthClient, TokenScope
from .tokens import TokenRefused

bp = Blueprint("api_clients", __name__)


def _admin_only() -> None:
    if not is_staff(current_user, Role.ADMIN):
        abort(403)


@bp.route("/admin/api-clients", methods=["GET", "POST"])
@login_required
def index() -> ResponseReturnValue:
    _admin_only()
    form = ClientForm()

    def page(status: int, made: tuple[OAuthClient, str] | None = None) -> ResponseReturnValue:
        registered = list(db.session.scalars(select(OAuthClient).order_by(OAuthClient.id.desc())))
        ids = {c.acts_for_id for c in registered}
        accounts = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))}
        return render_template(
            "api/clients.html",
            form=form,
            clients=registered,
            accounts=accounts,
            made=made,
            scope_labels=CLIENT_SCOPE_LABELS,
            token_url=url_for("api_oauth.token", _external=True),
        ), status

    return run_form_action(
        form,
        lambda: clients.register(
            db.session(),
            current_user._get_current_object(),
            name=form.name.data or "",
            acts_for=find_user(db.session(), form.acts_for.data or ""),
            scope=TokenScope(form.scope.data),
            respondent=form.respondent.data,
        ),
        done=lambda made: page(200, made),
        page=page,
    )


@bp.post("/admin/api-clients/<int:client_id>/revoke")
@login_required
def revoke(client_id: int) -> ResponseReturnValue:
    _admin_only()
    client = get_or_404(OAuthClient, client_id)
    if not RevokeForm().validate_on_submit():
        abort(400)
    try:
        clients.revoke(db.session(), current_user._get_current_object(), client)
    except TokenRefused as refused:  # revoked already (in another tab): say so
        return redirect_with(
            translate(refused.message, refused.params), url_for("api_clients.index")
        )
    return redirect_with(
        gettext("The client “%(name)s” is revoked: its tokens open nothing any more.",
                name=client.name),
        url_for("api_clients.index"),
    )  # fmt: skip
