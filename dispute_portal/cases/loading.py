"""Loading a case for a request: 404 when the user may not see it, 403 when they may see
it but not do what they ask. Every blueprint that acts on one case starts here."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from .. import policy
from ..core.web import get_or_404
from ..db import db
from . import operations as ops
from .models import Case


def load_case(
    case_id: int, action: str = policy.VIEW, *, lock: bool = False, seen_by: str = policy.VIEW
) -> Case:
    """Load (404), then ask the policy: a case you may not see does not exist for you.

    `lock` (for changes) re-reads the case with its row locked, after the visibility check,
    so the permission is decided on the state no one else is changing. `seen_by` is what
    makes the case exist for the page: the case file (VIEW), or its account (ACCOUNT: the
    finance officer reads that alone, and a neutral does not read it).
    """
    case = get_or_404(Case, case_id)
    if not policy.can(current_user, seen_by, case):
        abort(404)
    if lock:
        locked = ops.lock_case(db.session(), case_id)
        if locked is None or not policy.can(current_user, seen_by, locked):
            abort(404)
        case = locked
    if action != policy.VIEW and not policy.can(current_user, action, case):
        abort(403)
    return case


def visible(case_id: int) -> bool:
    """Whether the current user may see this case: the policy's query of the cases one may
    see, for this id alone (one indexed look-up, no case loaded). A page that can come
    from the cache asks this first, and load_case when it must draw."""
    return policy.sees(db.session(), current_user, case_id)
