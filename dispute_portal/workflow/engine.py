"""Asking and applying the transition table; the audit entry of every change.

What follows a change (deadlines started and met, the ruling issued, the people told) is
not known here: the app factory registers those effects, in order, with `register_effects`,
and `apply` runs them after the audit entry. The engine imports nothing above the models.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from ..auth.models import User
from ..cases.models import Case
from ..db import utcnow
from ..errors import StaleCase, TransitionRefused
from ..texts import N_, Refusal
from .models import CaseEvent, append_event, record
from .roles import SYSTEM, case_roles
from .states import CaseState
from .transitions import TRANSITIONS, Transition, transition

__all__ = [
    "Change",
    "StaleCase",
    "TransitionRefused",
    "allowed",
    "apply",
    "apply_each",
    "check",
    "effects",
    "offered",
    "record",
    "register_effects",
]


@dataclass(frozen=True)
class Change:
    """One applied transition, as every effect sees it."""

    user: User | None  # None: the scheduler
    case: Case
    transition: Transition
    event: CaseEvent
    at: dt.datetime
    reason: str | None  # stripped; None when none was given
    ruling_extra: dict[str, Any] | None


Effect = Callable[[Change], object]  # what an effect returns is not used
_effects: list[Effect] = []


def register_effects(*handlers: Effect) -> None:
    """Set what follows every transition, in this order (the app factory calls it; calling
    it again replaces the list, so a second app in one process registers the same)."""
    _effects[:] = handlers


def effects() -> tuple[Effect, ...]:
    return tuple(_effects)


def _roles(user: User | None, case: Case) -> frozenset[str]:
    if user is None:  # the scheduler
        return frozenset({SYSTEM})
    return case_roles(user, case)


def allowed(user: User | None, case: Case) -> list[Transition]:
    """Transitions this user may start on this case now (guards not yet evaluated)."""
    roles = _roles(user, case)
    return [t for t in TRANSITIONS if case.state in t.sources and roles & t.who]


def offered(user: User | None, case: Case) -> list[tuple[Transition, str | None]]:
    """What the case page offers this user: each allowed transition with the reason it
    cannot be taken yet (None when it can)."""
    return [(t, t.blocked(case)) for t in allowed(user, case)]


def check(user: User | None, case: Case, action: str, *, reason: str | None = None) -> Transition:
    t = transition(action)
    if not _roles(user, case) & t.who:
        raise TransitionRefused(N_("You may not do this on this case."))
    if case.state not in t.sources:
        raise TransitionRefused(
            N_("Not possible while the case is %(state)s."), state=CaseState(case.state).label
        )
    if t.needs_reason and not (reason or "").strip():
        raise TransitionRefused(N_("Give the reasons."))
    if why := t.blocked(case):
        raise TransitionRefused(why)
    return t


def apply(
    user: User | None,
    case: Case,
    action: str,
    *,
    expected_version: int | None = None,
    reason: str | None = None,
    data: dict[str, Any] | None = None,
    ruling_extra: dict[str, Any] | None = None,
    visibility: str | None = None,
) -> CaseEvent:
    """The only way a case changes state: check, change, stamp, audit; then the effects the
    app registered (deadlines, ruling, notices), in their order. Acts that keep the state
    (target None) go the same way.

    `expected_version` is the version the actor saw; if the case has moved on since,
    nothing is applied (a stale form or a double click). `visibility`: who may read the
    event (cases.models.Visibility; None: everyone on the case), e.g. the tribunal's
    deliberation on a draft award.
    """
    if not _effects:
        raise RuntimeError("no workflow effects registered: create the app first")
    if expected_version is not None and case.version != expected_version:
        raise StaleCase()
    t = check(user, case, action, reason=reason)
    now = utcnow()
    source = case.state
    case.state = t.target_from(source)
    for attr in t.stamps:
        setattr(case, attr, now)
    case.last_activity_at = now  # also bumps the version: a stale form on any act fails
    note = reason.strip() if reason else None
    event = append_event(
        case,
        action=action,
        actor=user,
        at=now,
        from_state=source,
        to_state=case.state,
        note=note,
        data=data,
        visibility=visibility,
    )
    change = Change(user, case, t, event, now, note, ruling_extra)
    for effect in _effects:
        effect(change)
    return event


def apply_each(
    session: Session, cases: list[Case], act: Callable[[Case], object]
) -> tuple[list[str], list[str]]:
    """The scheduler's way: take `act` on each case in a savepoint of its own, so that a case
    that moved on meanwhile (another run, a late act) is skipped, not the whole run. Returns
    the references acted on and those skipped (the next run retries them)."""
    done: list[str] = []
    skipped: list[str] = []
    for case in cases:
        reference = case.reference
        try:
            with session.begin_nested():
                act(case)
        except (Refusal, StaleDataError):
            session.refresh(case)
            skipped.append(reference)
        else:
            done.append(reference)
    return done, skipped
