"""The workflow as one table: every way a case's state can change.

Read it top to bottom and you have the life of a case (../shared/DESIGN.md). Later issues
add rows (mediation, arbitration, closing); nothing outside this table changes a state.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..texts import N_
from .states import CaseState as S

# Roles a user can hold on a case; resolved by dispute_portal.policy.case_roles.
CLAIMANT = "claimant"
CLERK = "clerk"

Guard = Callable[[Any], str | None]


def claim_complete(case: Any) -> str | None:
    if case.missing_sections():
        return N_("The claim is incomplete: fill in every required section first.")
    if not case.documents:
        return N_("Attach at least one document before submitting.")
    return None


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[S]
    target: S
    who: frozenset[str]
    guard: Guard | None
    label: str
    needs_reason: bool = False
    stamps: tuple[str, ...] = ()  # case timestamps set to the moment of the transition
    ruling: str | None = None  # the kind of ruling the transition issues (rulings/kinds.py)
    automatic_ruling: bool = False  # issued by the registry itself, not by the actor


def T(action, sources, target, who, guard, label, **kw) -> Transition:  # noqa: N802
    return Transition(action, frozenset(sources), target, frozenset(who), guard, label, **kw)


TRANSITIONS: tuple[Transition, ...] = (
    # action       from                    to             who          guard
    T("submit",    {S.DRAFT, S.RETURNED},  S.SUBMITTED,   {CLAIMANT},  claim_complete,
      N_("Submit the claim"), stamps=("submitted_at",),
      ruling="filing_receipt", automatic_ruling=True),
    T("return",    {S.SUBMITTED},          S.RETURNED,    {CLERK},     None,
      N_("Return for amendment"), needs_reason=True, ruling="return_notice"),
    T("reject",    {S.SUBMITTED},          S.DISMISSED,   {CLERK},     None,
      N_("Reject as inadmissible"), needs_reason=True, stamps=("decided_at",),
      ruling="inadmissibility_decision"),
    T("register",  {S.SUBMITTED},          S.REGISTERED,  {CLERK},     None,
      N_("Register the case"), stamps=("registered_at",), ruling="registration_notice"),
)  # fmt: skip

_BY_ACTION = {t.action: t for t in TRANSITIONS}


def transition(action: str) -> Transition:
    try:
        return _BY_ACTION[action]
    except KeyError:
        raise KeyError(f"no such transition: {action!r}") from None
