"""What a row of the workflow table is (transitions.py holds the table): who may take an
act, in which states, what must hold, what it records, starts, meets and issues."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ..cases.models import Case
from ..texts import N_
from .states import CaseState as S

Guard = Callable[[Case], str | None]


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[S]
    target: S | None  # None: the case stays in its state (an act within the proceedings)
    who: frozenset[str]
    guard: Guard | None
    label: str
    needs_reason: bool = False
    stamps: tuple[str, ...] = ()  # case timestamps set to the moment of the transition
    ruling: str | None = None  # the kind of ruling the transition issues (rulings/kinds.py)
    automatic_ruling: bool = False  # issued by the registry itself, not by the actor
    starts: tuple[str, ...] = ()  # deadlines (deadlines/rules.py) it starts
    satisfies: tuple[str, ...] = ()  # deadlines it meets
    cancels: tuple[str, ...] = ()  # deadlines it stops unmet: what they ran for goes another way
    reason_label: str = N_("Reasons")
    # May be taken while the proceeding is suspended (suspensions/): the others wait.
    in_suspension: bool = False

    @property
    def changes_state(self) -> bool:
        return self.target is not None

    def target_from(self, state: S) -> S:
        return self.target or state

    def blocked(self, case: Case) -> str | None:
        """Why the act cannot be taken on this case now (a suspension, its guard), or None
        when it can."""
        if case.suspended_since is not None and not self.in_suspension:
            return N_("The proceeding is suspended: this can be done once it resumes.")
        return self.guard(case) if self.guard else None


def T(  # noqa: N802 - a row of the table below, named short so that a row fits on a line
    action: str,
    sources: Iterable[S],
    target: S | None,
    who: Iterable[str],
    guard: Guard | None,
    label: str,
    **kw: Any,
) -> Transition:
    return Transition(action, frozenset(sources), target, frozenset(who), guard, label, **kw)
