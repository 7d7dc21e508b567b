"""Proposals for disqualification, their comments, votes and decision; resignations; the
vacancy either leaves and its filling.

Each act goes through the workflow table (engine.apply): the audit event, the deadlines
it starts and meets, the ruling and the notices follow from its row. What the table cannot
say (who is named, what each member voted, whose seat is vacant) is recorded here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from babel.dates import format_date
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..auth.models import User
from ..cases.models import Case
from ..db import utcnow
from ..deadlines.calendar import local_date
from ..deadlines.models import Deadline, DeadlineStatus
from ..deadlines.queries import is_open, rules_for, today
from ..deadlines.rules import setting
from ..errors import StaleCase, TransitionRefused
from ..neutrals.models import Appointment, AppointmentStatus, EndReason
from ..notices.operations import clerks, notify
from ..policy import side_of
from ..rulings.operations import ruling_language
from ..suspensions.models import Cause
from ..suspensions.operations import end_suspension, suspend
from ..texts import N_
from ..workflow import engine
from ..workflow.models import CaseEvent, record
from . import queries
from .models import Challenge, ChallengeTarget, ChallengeVote, Outcome, Vote


class ChallengeRefused(TransitionRefused):
    """A refusal about one field of the form (`field`), or about the act as a whole."""

    def __init__(self, message: str, *, field: str | None = None, **params: object) -> None:
        super().__init__(message, **params)
        self.field = field


def _names(appointments: list[Appointment]) -> str:
    return ", ".join(a.user.name for a in appointments)


def propose(
    session: Session,
    case: Case,
    *,
    user: User,
    appointment_ids: list[int],
    facts: str,
    learned_on: dt.date,
    expected_version: int | None,
) -> Challenge:
    """A party proposes to disqualify one or more neutrals sitting on the case, within the
    rule set's period from learning the facts; the proceeding is suspended meanwhile."""
    engine.check(user, case, "propose_disqualification", reason=facts)
    side = side_of(user, case)
    if side is None:  # the table lets only the parties propose
        raise ChallengeRefused(N_("You may not do this on this case."))
    on_case = {a.id: a for a in queries.sitting(case)}
    if not appointment_ids:
        raise ChallengeRefused(N_("Choose whom you propose to disqualify."), field="persons")
    if any(i not in on_case for i in appointment_ids):
        raise ChallengeRefused(
            N_("That person does not sit on this case (or no longer does)."), field="persons"
        )
    if learned_on > today():
        raise ChallengeRefused(
            N_("The day you learned of the facts cannot be in the future."), field="learned_on"
        )
    days = setting(rules_for(case), "challenge_days")
    if (today() - learned_on).days > days:
        raise ChallengeRefused(
            N_(
                "A proposal for disqualification must be filed within %(days)s days of "
                "learning of the facts on which it is based: that time ran out on %(last)s."
            ),
            field="learned_on",
            days=days,
            last=(learned_on + dt.timedelta(days=days)).isoformat(),
        )
    people = [on_case[i] for i in sorted(set(appointment_ids))]
    # Suspended first, so that the deadlines running now pause and the proposal's own then
    # run; suspending changes the case, so the form's version is checked before it.
    if expected_version is not None and case.version != expected_version:
        raise StaleCase()
    suspend(case, cause=Cause.CHALLENGE, at=utcnow(), reason=facts.strip(), resume_on=None)
    event = engine.apply(
        user,
        case,
        "propose_disqualification",
        reason=facts,
        data={
            "name": _names(people),
            "proposing_side": side.value,
            "learned_on": learned_on.isoformat(),
            "appointments": [a.id for a in people],
        },
    )
    challenge = Challenge(
        case_id=case.id,
        side=side,
        filed_by_id=user.id,
        filed_at=event.at,
        facts=facts.strip(),
        learned_on=learned_on,
        targets=[ChallengeTarget(appointment_id=a.id, appointment=a) for a in people],
    )
    session.add(challenge)
    session.flush()
    return challenge


def _pending(case: Case) -> Challenge:
    challenge = queries.pending_challenge(case)
    if challenge is None:
        raise ChallengeRefused(N_("No proposal for disqualification is pending."))
    return challenge


def comment(
    session: Session, case: Case, *, user: User, comments: str, expected_version: int | None
) -> CaseEvent:
    """A person the proposal names comments on it (once)."""
    engine.check(user, case, "comment_on_challenge", reason=comments)
    challenge = _pending(case)
    target = next(
        (t for t in challenge.targets if t.appointment.user_id == user.id and t.comments is None),
        None,
    )
    if target is None:
        raise ChallengeRefused(N_("You have commented on the proposal already."))
    event = engine.apply(
        user, case, "comment_on_challenge", reason=comments, expected_version=expected_version
    )
    target.comments, target.commented_at = comments.strip(), event.at
    _close_when_complete(case, challenge)
    return event


def observe(
    session: Session, case: Case, *, user: User, observations: str, expected_version: int | None
) -> CaseEvent:
    """The party that did not make the proposal files its observations (once)."""
    event = engine.apply(
        user,
        case,
        "observe_on_challenge",
        reason=observations,
        expected_version=expected_version,
    )
    challenge = _pending(case)
    challenge.observations, challenge.observed_at = observations.strip(), event.at
    challenge.observed_by_id = user.id
    _close_when_complete(case, challenge)
    return event


def _close_when_complete(case: Case, challenge: Challenge) -> None:
    """The last of the comments and observations starts the time for the decision."""
    if queries.all_commented(challenge) and challenge.observations is not None:
        close_pleadings(case, challenge)


def close_pleadings(case: Case, challenge: Challenge) -> CaseEvent:
    event = engine.apply(None, case, "close_challenge_pleadings")
    challenge.pleadings_closed_at = event.at
    return event


def pleadings_run_out(session: Session) -> list[Case]:
    """Cases whose proposal's time for comments has passed with comments still missing
    (the scheduler closes them: the decision's time then runs)."""
    found = session.scalars(
        select(Case)
        .join(Deadline, Deadline.case_id == Case.id)
        .where(
            Deadline.key == "challenge_explanation",
            Deadline.status == DeadlineStatus.OPEN,
            Deadline.due_on < today(),
        )
        .order_by(Case.id)
    )
    return [case for case in found if queries.pleadings_closable(case) is None]


def close_run_out_pleadings(session: Session) -> int:
    """The scheduler's part (flask deadlines remind): close what ran out; how many."""
    cases = pleadings_run_out(session)
    for case in cases:
        close_pleadings(case, _pending(case))
    return len(cases)


def vote(
    session: Session,
    case: Case,
    *,
    user: User,
    choice: Vote,
    reasons: str,
    expected_version: int | None,
) -> CaseEvent:
    """One of the other members of the tribunal votes; a split or an abstention sends the
    proposal to the Centre (the registry is told)."""
    engine.check(user, case, "vote_on_challenge", reason=reasons)
    challenge = _pending(case)
    if any(v.user_id == user.id for v in challenge.votes):
        raise ChallengeRefused(N_("You have voted on this proposal already."))
    event = engine.apply(
        user,
        case,
        "vote_on_challenge",
        reason=reasons,
        expected_version=expected_version,
        data={"vote": choice.value},
    )
    challenge.votes.append(
        ChallengeVote(user_id=user.id, user=user, vote=choice, reasons=reasons.strip(), at=event.at)
    )
    session.flush()
    if queries.decided_by_centre(case, challenge):
        record(None, case, "refer_challenge", data={"why": "votes"})
        for clerk in clerks(session):
            notify(clerk, case, REFERRED_TO_CENTRE, {"reference": case.reference})
    return event


REFERRED_TO_CENTRE = N_(
    "The other members of the tribunal did not agree on the proposal for disqualification in "
    "case %(reference)s: the Centre decides it. Decide it on the case page."
)


def _why_centre(case: Case, challenge: Challenge) -> str | None:
    people = queries.named(challenge)
    if any(not a.capacity.in_tribunal or a.capacity.value == "sole" for a in people):
        return "named"
    if 2 * len(people) > len(queries.tribunal(case)):
        return "named"
    if len(queries.other_members(case, challenge)) < 2:
        return "members"
    return "votes"


def decision_values(case: Case, challenge: Challenge, outcome: Outcome | None) -> dict[str, Any]:
    """What the decision shows beyond the case (its `extra`), dates in the case's language."""
    language = ruling_language(case)
    by_centre = queries.decided_by_centre(case, challenge)
    return {
        "side": challenge.side.value,
        "filed_on": format_date(local_date(challenge.filed_at), "d MMMM y", locale=language),
        "learned_on": format_date(challenge.learned_on, "d MMMM y", locale=language),
        "challenged": [
            {"name": a.user.name, "capacity": a.capacity.value} for a in queries.named(challenge)
        ],
        "by_centre": by_centre,
        "why_centre": _why_centre(case, challenge) if by_centre else None,
        "votes": [{"name": v.user.name, "vote": v.vote.value} for v in challenge.votes],
        "outcome": outcome.value if outcome else "",
    }


def decide(
    session: Session,
    case: Case,
    *,
    user: User,
    outcome: Outcome | None,
    reasons: str,
    expected_version: int | None,
) -> CaseEvent:
    """The decision in writing (a ruling): by the other members once both voted the same way
    (their vote is the outcome), or by the Centre (the registry chooses it). Upheld, the
    persons named leave the case and their seats are vacant; either way the suspension for
    the proposal ends."""
    engine.check(user, case, "decide_challenge", reason=reasons)
    challenge = _pending(case)
    by_centre = queries.decided_by_centre(case, challenge)
    if not by_centre:
        outcome = queries.members_agree(case, challenge)
    if outcome is None:
        raise ChallengeRefused(N_("Choose the decision."), field="outcome")
    event = engine.apply(
        user,
        case,
        "decide_challenge",
        reason=reasons,
        expected_version=expected_version,
        data={
            "outcome": outcome.value,
            "by_centre": by_centre,
            "name": _names(queries.named(challenge)),
        },
        ruling_extra=decision_values(case, challenge, outcome),
    )
    challenge.outcome, challenge.decided_at = outcome, event.at
    challenge.decided_by_id, challenge.by_centre = user.id, by_centre
    if outcome is Outcome.UPHELD:
        # A person who resigned meanwhile has left already: their vacancy is open.
        for appointment in queries.named(challenge):
            if appointment.status is AppointmentStatus.ACCEPTED:
                leave(case, appointment, EndReason.DISQUALIFIED, at=event.at)
    # After the vacancy's suspension began: an upheld proposal never resumes the case.
    end_suspension(case, cause=Cause.CHALLENGE, at=event.at)
    return event


def resign(
    session: Session, case: Case, *, user: User, reasons: str, expected_version: int | None
) -> CaseEvent:
    """A sitting neutral resigns, with reasons: their seat is vacant."""
    engine.check(user, case, "resign", reason=reasons)
    appointment = next(
        (a for a in queries.sitting(case) if a.user_id == user.id),
        None,
    )
    if appointment is None:
        raise ChallengeRefused(N_("You do not sit on this case."))
    event = engine.apply(
        user,
        case,
        "resign",
        reason=reasons,
        expected_version=expected_version,
        data={"capacity": appointment.capacity.value},
    )
    leave(case, appointment, EndReason.RESIGNED, at=event.at)
    _moot_when_no_one_named_sits(case, at=event.at)
    return event


def _moot_when_no_one_named_sits(case: Case, *, at: dt.datetime) -> None:
    """A pending proposal whose every person named has left the case (resigned) is moot:
    it ends without a decision, its time limits stop, and the suspension for it ends (the
    vacancy's own goes on until the seat is filled)."""
    challenge = queries.pending_challenge(case)
    if challenge is None:
        return
    people = queries.named(challenge)
    if any(a.status is AppointmentStatus.ACCEPTED for a in people):
        return
    engine.apply(None, case, "challenge_moot", data={"name": _names(people)})
    challenge.outcome, challenge.decided_at = Outcome.MOOT, at
    challenge.pleadings_closed_at = challenge.pleadings_closed_at or at
    end_suspension(case, cause=Cause.CHALLENGE, at=at)


def leave(case: Case, appointment: Appointment, why: EndReason, *, at: dt.datetime) -> None:
    """The neutral leaves the case: the seat is vacant, the proceeding is suspended while
    it is, and the time to fill it runs."""
    appointment.status = AppointmentStatus.ENDED
    appointment.ended_at, appointment.ended_reason = at, why
    # Suspended first: the deadlines running now pause, the vacancy's own then runs.
    suspend(case, cause=Cause.VACANCY, at=at, reason=why.value, resume_on=None)
    engine.apply(
        None,
        case,
        "open_vacancy",
        data={
            "name": appointment.user.name,
            "capacity": appointment.capacity.value,
            "why": why.value,
        },
    )


def fill_vacancy_if_filled(case: Case) -> CaseEvent | None:
    """After a replacement accepted (neutrals.operations.accept): once every seat is taken,
    the vacancy is filled and its suspension ends."""
    if not is_open(case, "vacancy") or queries.vacancy_to_fill(case) is not None:
        return None
    event = engine.apply(None, case, "fill_vacancy")
    end_suspension(case, cause=Cause.VACANCY, at=event.at)
    return event
