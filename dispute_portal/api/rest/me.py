"""The caller's own: who the token speaks for, and their notifications."""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from sqlalchemy import select

from ...cases.models import Case
from ...db import db
from ...notices import operations as notices
from ...notices.models import Notification
from ...template_helpers import notice_text
from . import schemas as s
from .blueprint import Blueprint
from .caller import caller, identify
from .common import keyset_page, links
from .replay import idempotent

bp = Blueprint(
    "api_me", __name__, url_prefix="/api/v1", description="The caller and their notifications."
)
bp.before_request(identify)


@bp.route("/me")
@bp.response(200, s.MeOut)
def me() -> Any:
    """The person the token speaks for, and the token's scope."""
    user = current_user._get_current_object()
    return {
        "id": user.id,
        "name": user.name,
        "email": user.email,
        "role": user.role.value,
        "scope": caller().scope.value,
    }


@bp.route("/notifications")
@bp.arguments(s.PageArgs, location="query", as_kwargs=True)
@bp.response(200, s.NotificationOut(many=True), headers={"Link": {"schema": {"type": "string"}}})
def notifications(limit: int, after: int | None = None, before: int | None = None) -> Any:
    """The caller's notifications, newest first, in the caller's language."""
    query = select(Notification).where(Notification.user_id == current_user.id)
    if (narrowed := caller().within) is not None:  # an OAuth client: of its cases only
        query = query.where(Notification.case_id.in_(select(Case.id).where(narrowed)))
    page = keyset_page(
        query, (Notification.created_at, Notification.id), after, before, limit, descending=True
    )
    rows = [
        {
            "id": n.id,
            "case_id": n.case_id,
            "text": notice_text(n),
            "created_at": n.created_at,
            "read_at": n.read_at,
        }
        for (n,) in page.rows
    ]
    return rows, links(page, "api_me.notifications", limit)


@bp.route("/notifications/read", methods=["POST"])
@idempotent
@bp.response(204)
def read_all() -> Any:
    """Mark every notification of the caller's as read."""
    notices.mark_all_read(db.session(), current_user._get_current_object(), caller().within)
    return ""
