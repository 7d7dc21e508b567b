"""The account's personal access tokens: make one (shown once, on the answer to the form:
never in a redirect, whose flash message would carry it in the session cookie), list them
with their last use, revoke any. Each person sees and revokes only their own."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ..core.actions import redirect_with, run_form_action
from ..core.i18n import translate
from ..core.typed import gettext, login_required
from ..db import db, utcnow
from .forms import RevokeForm, TokenForm
from .models import SCOPE_LABELS, ApiToken, TokenScope
from .tokens import TokenRefused, create, needs_mfa, of_user, revoke

bp = Blueprint("api_tokens", __name__)


@bp.route("/account/tokens", methods=["GET", "POST"])
@login_required
def index() -> ResponseReturnValue:
    user = current_user._get_current_object()
    form = TokenForm()

    def page(status: int, made: tuple[ApiToken, str] | None = None) -> ResponseReturnValue:
        return render_template(
            "api/tokens.html",
            form=form,
            tokens=of_user(db.session(), user),
            made=made,
            now=utcnow(),
            scope_labels=SCOPE_LABELS,
            needs_mfa=needs_mfa(db.session(), user, current_app.config),
        ), status

    return run_form_action(
        form,
        lambda: create(
            db.session(),
            user,
            name=form.name.data or "",
            scope=TokenScope(form.scope.data),
            days=form.days.data or 0,
            config=current_app.config,
        ),
        done=lambda made: page(200, made),
        page=page,
    )


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int) -> ResponseReturnValue:
    user = current_user._get_current_object()
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        abort(404)  # another person's token: as if there were none
    if not RevokeForm().validate_on_submit():
        abort(400)
    try:
        revoke(db.session(), user, token)
    except TokenRefused as refused:  # revoked already (in another tab): say so, change nothing
        return redirect_with(
            translate(refused.message, refused.params), url_for("api_tokens.index")
        )
    return redirect_with(
        gettext("The token “%(name)s” is revoked: it opens nothing any more.", name=token.name),
        url_for("api_tokens.index"),
    )
