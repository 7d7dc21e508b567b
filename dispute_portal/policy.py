"""The access policy: the one place that answers "may this user do this to this case?".

Views, templates and (later) the API all ask `can()`. No Flask here, so the CLI and tests
ask the same question the same way.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, false, select

from .auth.models import Role
from .cases.models import Case, Document
from .workflow import transitions as wf
from .workflow.states import EDITABLE_STATES, CaseState

# Actions on a case that are not transitions.
VIEW = "view"
EDIT = "edit"  # change the claim's sections and its documents
DOWNLOAD = "download"


def case_roles(user: Any, case: Case) -> frozenset[str]:
    """The roles this user holds on this case."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    roles = set()
    # An investor's draft is theirs alone until they file it.
    if user.role is Role.CLERK and case.state is not CaseState.DRAFT:
        roles.add(wf.CLERK)
    if user.role is Role.INVESTOR and case.claimant_user_id == user.id:
        roles.add(wf.CLAIMANT)
    return frozenset(roles)


def can(user: Any, action: str, case: Case, document: Document | None = None) -> bool:
    roles = case_roles(user, case)
    if not roles:
        return False
    if action == VIEW:
        return True
    if action == DOWNLOAD:
        return document is not None and document.case_id == case.id
    if action == EDIT:
        return wf.CLAIMANT in roles and case.state in EDITABLE_STATES
    from .workflow.engine import allowed

    return any(t.action == action for t in allowed(user, case))


def visible_cases(user: Any) -> Select[tuple[Case]]:
    """Every case this user may see, as a query (lists and counts build on it)."""
    query = select(Case)
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return query.where(false())
    if user.role is Role.CLERK:
        return query.where(Case.state != CaseState.DRAFT)
    if user.role is Role.INVESTOR:
        return query.where(Case.claimant_user_id == user.id)
    return query.where(false())


def is_staff(user: Any, *roles: Role) -> bool:
    """Coarse gate for pages that are not about one case (queues, admin)."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.role in roles)
