"""Who is who on a case: the roles the workflow table names, and who holds them.

At the bottom with the states: the table, the engine and the policy all ask `case_roles`,
and it reads nothing but the models.
"""

from __future__ import annotations

from typing import TypeGuard

from ..auth.models import Role, User
from ..cases.models import Case
from ..challenges import queries as challenges
from ..neutrals.models import AppointmentStatus
from ..parties.models import Side
from .states import MEDIATION_PHASE, CaseState

CLAIMANT = "claimant"  # the investor who filed, and counsel on the claimant's side
RESPONDENT = "respondent"  # the respondent's representative and its counsel
CLERK = "clerk"
PROPOSED_MEDIATOR = "proposed_mediator"  # asked, not yet answered
MEDIATOR = "mediator"  # accepted, with a signed declaration, while the mediation runs
# The mediator once the mediation has ended: keeps its record (the case, what was filed for
# it, its own notes) to read, and acts no more.
FORMER_MEDIATOR = "former_mediator"
PROPOSED_ARBITRATOR = "proposed_arbitrator"
ARBITRATOR = "arbitrator"  # an accepted member of the tribunal
CHAIR = "chair"  # the sole or presiding arbitrator: speaks for the tribunal
FINANCE = "finance"  # the finance officer: the case account only, not the file
SYSTEM = "system"  # the scheduler (flask deadlines remind), never a person
# Challenges (issue 15): while a proposal for disqualification is pending, the persons it
# names, the party that did not make it, and who decides it (the other members of the
# tribunal, or the registry when the Centre decides).
CHALLENGED = "challenged"
CHALLENGE_OPPONENT = "challenge_opponent"
CHALLENGE_MEMBER = "challenge_member"
CHALLENGE_CENTRE = "challenge_centre"
PARTIES = frozenset({CLAIMANT, RESPONDENT})
SEATED_STATES = frozenset({CaseState.MEDIATION, CaseState.ARBITRATION})
NEUTRALS = frozenset({MEDIATOR, ARBITRATOR, CHAIR})


def is_active(user: User | None) -> TypeGuard[User]:
    """A logged-in, enabled account (anonymous users and the scheduler are not).

    Views and templates also pass Flask-Login's anonymous user, which is refused like None."""
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def case_roles(user: User | None, case: Case) -> frozenset[str]:
    """The roles this user holds on this case."""
    if not is_active(user):
        return frozenset()
    roles: set[str] = set()
    # An investor's draft is theirs alone until they file it.
    if user.role is Role.CLERK and case.state is not CaseState.DRAFT:
        roles.add(CLERK)
    if user.role is Role.FINANCE and case.state is not CaseState.DRAFT:
        return frozenset({FINANCE})
    if user.role is Role.INVESTOR and case.claimant_user_id == user.id:
        roles.add(CLAIMANT)
    if case.state is CaseState.DRAFT:
        return frozenset(roles)
    for participant in case.participants:
        if participant.user_id == user.id:
            roles.add(CLAIMANT if participant.side is Side.CLAIMANT else RESPONDENT)
    if user.role in (Role.MEDIATOR, Role.ARBITRATOR):
        for appointment in case.appointments:
            if appointment.user_id != user.id or not appointment.active:
                continue
            proposed = appointment.status is AppointmentStatus.PROPOSED
            if not appointment.capacity.in_tribunal:
                if proposed:
                    roles.add(PROPOSED_MEDIATOR)
                else:
                    roles.add(MEDIATOR if case.state in MEDIATION_PHASE else FORMER_MEDIATOR)
            elif proposed:
                roles.add(PROPOSED_ARBITRATOR)
            else:
                roles.add(ARBITRATOR)
                if appointment.capacity.chairs:
                    roles.add(CHAIR)
    # Challenges: a pending proposal always suspends its case (one column read first).
    if case.suspended_since is not None and case.state in SEATED_STATES:
        roles |= _challenge_roles(user, case, roles)
    return frozenset(roles)


def _challenge_roles(user: User, case: Case, roles: set[str]) -> set[str]:
    if not roles & {CLAIMANT, RESPONDENT, CLERK, MEDIATOR, ARBITRATOR}:
        return set()
    challenge = challenges.pending_challenge(case)
    if challenge is None:
        return set()
    found: set[str] = set()
    if any(a.user_id == user.id for a in challenges.named(challenge)):
        found.add(CHALLENGED)
    other_side = CLAIMANT if challenge.side is Side.RESPONDENT else RESPONDENT
    if other_side in roles:
        found.add(CHALLENGE_OPPONENT)
    if challenges.decided_by_centre(case, challenge):
        if CLERK in roles:
            found.add(CHALLENGE_CENTRE)
    elif any(a.user_id == user.id for a in challenges.other_members(case, challenge)):
        found.add(CHALLENGE_MEMBER)
    return found
