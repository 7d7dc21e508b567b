"""What a case's proposals for disqualification say now: read-only questions beside the
models, and the guards of the workflow table's rows for challenges and vacancies.

Who decides a proposal (ICSID Arbitration Rules 2022, rule 23): the other members of the
tribunal, both agreeing; the Centre when they are split or cannot decide, and when the
proposal concerns a sole arbitrator, a mediator or a majority of the tribunal.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import object_session

from ..cases.models import Case
from ..db import session_of
from ..deadlines import queries as deadlines
from ..neutrals.models import Appointment, AppointmentStatus, Capacity
from ..texts import N_
from ..workflow.states import MEDIATION_PHASE
from .models import Challenge, Outcome, Vote


def pending_challenge(case: Case) -> Challenge | None:
    """The proposal not yet decided (a case has at most one at a time)."""
    session = object_session(case)
    if session is None or case.id is None:  # a case not yet stored has no proposal
        return None
    return session.scalar(
        select(Challenge)
        .where(Challenge.case_id == case.id, Challenge.decided_at.is_(None))
        .order_by(Challenge.id.desc())
        .limit(1)
    )


def challenges_of(case: Case) -> list[Challenge]:
    """Every proposal on the case, the latest first."""
    return list(
        session_of(case).scalars(
            select(Challenge).where(Challenge.case_id == case.id).order_by(Challenge.id.desc())
        )
    )


def sitting(case: Case) -> list[Appointment]:
    """The neutrals who sit on the case now (accepted, not left): who may be challenged."""
    return [a for a in case.appointments if a.status is AppointmentStatus.ACCEPTED]


def tribunal(case: Case) -> list[Appointment]:
    return [a for a in sitting(case) if a.capacity.in_tribunal]


def named(challenge: Challenge) -> list[Appointment]:
    return [t.appointment for t in challenge.targets]


def other_members(case: Case, challenge: Challenge) -> list[Appointment]:
    """The members of the tribunal the proposal does not name."""
    ids = {t.appointment_id for t in challenge.targets}
    return [a for a in tribunal(case) if a.id not in ids]


def votes_of(challenge: Challenge) -> dict[int, Vote]:
    return {v.user_id: v.vote for v in challenge.votes}


def decided_by_centre(case: Case, challenge: Challenge) -> bool:
    """Whether the Centre (the registry) decides the proposal rather than the other members."""
    if challenge.by_centre is not None:  # decided: as it was
        return challenge.by_centre
    people = named(challenge)
    if any(not a.capacity.in_tribunal or a.capacity is Capacity.SOLE_ARBITRATOR for a in people):
        return True
    if 2 * len(people) > len(tribunal(case)):  # a majority of the tribunal
        return True
    if len(other_members(case, challenge)) < 2:
        return True
    votes = list(votes_of(challenge).values())
    return Vote.UNDECIDED in votes or len(set(votes)) > 1


def members_agree(case: Case, challenge: Challenge) -> Outcome | None:
    """The outcome both other members voted for, or None (not both voted, or split)."""
    votes = votes_of(challenge)
    members = other_members(case, challenge)
    if len(members) < 2 or any(a.user_id not in votes for a in members):
        return None
    given = {votes[a.user_id] for a in members}
    if given == {Vote.UPHOLD}:
        return Outcome.UPHELD
    if given == {Vote.REJECT}:
        return Outcome.REJECTED
    return None


def in_pleadings(challenge: Challenge | None) -> bool:
    return challenge is not None and challenge.pleadings_closed_at is None


def all_commented(challenge: Challenge) -> bool:
    """Every person named has commented, or has left the case (and so comments no more)."""
    return all(
        t.comments is not None or t.appointment.status is not AppointmentStatus.ACCEPTED
        for t in challenge.targets
    )


def ended_appointment(case: Case) -> Appointment | None:
    """The latest appointment that ended (a resignation, a disqualification)."""
    ended = [a for a in case.appointments if a.status is AppointmentStatus.ENDED]
    return max(ended, key=lambda a: (a.ended_at, a.id), default=None)


# The guards of the table ------------------------------------------------------------------


def may_propose_disqualification(case: Case) -> str | None:
    if pending_challenge(case) is not None:
        return N_("A proposal for disqualification is pending: it must be decided first.")
    if not sitting(case):
        return N_("No mediator or arbitrator sits on this case yet.")
    return None


def awaiting_comments(case: Case) -> str | None:
    challenge = pending_challenge(case)
    if not in_pleadings(challenge):
        return N_("No proposal for disqualification awaits comments.")
    assert challenge is not None  # in_pleadings
    if all_commented(challenge):
        return N_("The comments on the proposal are in.")
    return None


def awaiting_observations(case: Case) -> str | None:
    challenge = pending_challenge(case)
    if not in_pleadings(challenge):
        return N_("No proposal for disqualification awaits observations.")
    assert challenge is not None  # in_pleadings
    if challenge.observations is not None:
        return N_("The observations on the proposal are filed.")
    return None


def pleadings_closable(case: Case) -> str | None:
    challenge = pending_challenge(case)
    if not in_pleadings(challenge):
        return N_("No proposal for disqualification awaits comments.")
    assert challenge is not None  # in_pleadings
    complete = all_commented(challenge) and challenge.observations is not None
    if not complete and not deadlines.is_overdue(case, "challenge_explanation"):
        return N_("The time for comments on the proposal has not run out.")
    return None


def vote_open(case: Case) -> str | None:
    challenge = pending_challenge(case)
    if challenge is None:
        return N_("No proposal for disqualification is pending.")
    if in_pleadings(challenge):
        return N_("The comments on the proposal are not all in yet.")
    if decided_by_centre(case, challenge):
        return N_("The Centre decides this proposal.")
    if len(votes_of(challenge)) >= len(other_members(case, challenge)):
        return N_("Both members have voted.")
    return None


def challenge_decidable(case: Case) -> str | None:
    challenge = pending_challenge(case)
    if challenge is None:
        return N_("No proposal for disqualification is pending.")
    if in_pleadings(challenge):
        return N_("The comments on the proposal are not all in yet.")
    if not decided_by_centre(case, challenge) and members_agree(case, challenge) is None:
        return N_("Both other members of the tribunal must first vote the same way.")
    return None


def vacancy_to_fill(case: Case) -> str | None:
    if not deadlines.is_open(case, "vacancy"):
        return N_("No seat is vacant on this case.")
    tribunal = case.state not in MEDIATION_PHASE  # the seat is the mediator's until then
    members = [a for a in case.appointments if a.active and a.capacity.in_tribunal == tribunal]
    if not members or any(a.status is not AppointmentStatus.ACCEPTED for a in members):
        return N_("Every member of the tribunal must first accept the appointment.")
    return None
