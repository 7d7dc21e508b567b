"""Asking and applying the transition table; the audit entry of every change."""

from __future__ import annotations

from typing import Any

from ..db import utcnow
from ..texts import N_, Refusal
from .models import CaseEvent, append_event
from .states import CaseState
from .transitions import FINAL, SYSTEM, TRANSITIONS, Transition, transition


class TransitionRefused(Refusal):
    """The transition may not happen now; `message` (with `params`) says why."""


class StaleCase(TransitionRefused):
    def __init__(self) -> None:
        super().__init__(
            N_("This case changed since you opened it. Nothing was applied; review it again.")
        )


def _roles(user: Any, case: Any) -> frozenset[str]:
    if user is None:  # the scheduler
        return frozenset({SYSTEM})
    from ..policy import case_roles  # the one place that knows who is who on a case

    return case_roles(user, case)


def allowed(user: Any, case: Any) -> list[Transition]:
    """Transitions this user may start on this case now (guards not yet evaluated)."""
    roles = _roles(user, case)
    return [t for t in TRANSITIONS if case.state in t.sources and roles & t.who]


def offered(user: Any, case: Any) -> list[tuple[Transition, str | None]]:
    """What the case page offers this user: each allowed transition with the reason it
    cannot be taken yet (None when it can)."""
    return [(t, t.guard(case) if t.guard else None) for t in allowed(user, case)]


def check(user: Any, case: Any, action: str, *, reason: str | None = None) -> Transition:
    t = transition(action)
    if not _roles(user, case) & t.who:
        raise TransitionRefused(N_("You may not do this on this case."))
    if case.state not in t.sources:
        raise TransitionRefused(
            N_("Not possible while the case is %(state)s."), state=CaseState(case.state).label
        )
    if t.needs_reason and not (reason or "").strip():
        raise TransitionRefused(N_("Give the reasons."))
    if t.guard and (why := t.guard(case)):
        raise TransitionRefused(why)
    return t


def apply(
    user: Any,
    case: Any,
    action: str,
    *,
    expected_version: int | None = None,
    reason: str | None = None,
    data: dict[str, Any] | None = None,
    ruling_extra: dict[str, Any] | None = None,
) -> CaseEvent:
    """The only way a case changes state: check, change, stamp, audit, deadlines, ruling,
    notices; then flush. Acts that keep the state (target None) go the same way.

    `expected_version` is the version the actor saw; if the case has moved on since,
    nothing is applied (a stale form or a double click).
    """
    from ..deadlines import operations as deadlines
    from ..notices.operations import notify_transition

    if expected_version is not None and case.version != expected_version:
        raise StaleCase()
    t = check(user, case, action, reason=reason)
    now = utcnow()
    source = case.state
    case.state = t.target_from(source)
    for attr in t.stamps:
        setattr(case, attr, now)
    case.last_activity_at = now  # also bumps the version: a stale form on any act fails
    event = append_event(
        case,
        action=action,
        actor=user,
        at=now,
        from_state=source,
        to_state=case.state,
        note=reason.strip() if reason else None,
        data=data,
    )
    for key in t.satisfies:
        deadlines.satisfy(case, key, at=now)
    if case.state in FINAL or case.state is CaseState.CLOSED:
        deadlines.cancel_running(case, at=now, keep=t.starts)
    for key in t.starts:
        deadlines.start(case, key, at=now)
    if t.ruling:
        from ..rulings.operations import issue_ruling  # rendering, still no Flask

        issue_ruling(
            case,
            t.ruling,
            issuer=None if t.automatic_ruling else user,
            reasons=reason.strip() if reason else None,
            extra=ruling_extra,
        )
    notify_transition(case, event, t, actor=user)
    return event


def record(
    user: Any,
    case: Any,
    action: str,
    *,
    note: str | None = None,
    data: dict[str, Any] | None = None,
    visibility: str | None = None,
) -> CaseEvent:
    """Audit something that does not change the state (a document added, a download)."""
    return append_event(
        case,
        action=action,
        actor=user,
        at=utcnow(),
        from_state=case.state,
        to_state=case.state,
        note=note,
        data=data,
        visibility=visibility,
    )
