"""Proposing neutrals, their answers, their conflicts and their caseloads."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..auth.models import Role, User
from ..cases.models import Case
from ..challenges.operations import fill_vacancy_if_filled
from ..db import utcnow
from ..errors import TransitionRefused
from ..funding.queries import current_funders
from ..nominations.queries import presiding_due
from ..notices.operations import notify
from ..notices.texts import ASKED_TO_ARBITRATE, ASKED_TO_MEDIATE, dated, due_on
from ..parties.models import Standing
from ..texts import N_
from ..workflow import engine
from ..workflow.models import CaseEvent
from ..workflow.states import CaseState
from ..workflow.transitions import ACTIVE
from .models import INACTIVE, Appointment, AppointmentStatus, Capacity, Conflict
from .queries import seats, tribunal_complete

# Legal-form words that do not tell two parties apart ("Steppe Solar LLP" = "Steppe Solar").
_NOISE = {
    "llp",
    "lp",  # a limited partnership: the usual form of a litigation fund
    "llc",
    "ltd",
    "jsc",
    "plc",
    "inc",
    "gmbh",
    "sa",
    "ag",
    "тоо",
    "ао",
    "ооо",
    "жшс",
    "ақ",
}


def match_key(name: str) -> str:
    text = unicodedata.normalize("NFKC", name or "").casefold()
    words = [w for w in re.split(r"[\W_]+", text) if w and w not in _NOISE]
    return " ".join(words)


def conflicts_of(session: Session, user: User) -> list[Conflict]:
    return list(
        session.scalars(
            select(Conflict).where(Conflict.user_id == user.id).order_by(Conflict.party_name)
        )
    )


def add_conflict(session: Session, user: User, *, party_name: str, note: str | None) -> Conflict:
    key = match_key(party_name)
    if not key:
        raise TransitionRefused(N_("Give the name of the party."))
    conflict = Conflict(user_id=user.id, party_name=party_name.strip(), match_key=key, note=note)
    session.add(conflict)
    return conflict


def remove_conflict(session: Session, user: User, conflict_id: int) -> None:
    conflict = session.get(Conflict, conflict_id)
    if conflict is not None and conflict.user_id == user.id:
        session.delete(conflict)


def _case_keys(case: Case) -> set[str]:
    """What a neutral's declared conflicts are matched against: the parties, the counsel
    acting for them (as the claim names them, and those who joined as counsel, with their
    firms) and the third-party funders disclosed."""
    names = [p.name for p in case.parties]
    names += [n for p in case.parties for n in (p.counsel_name, p.counsel_firm)]
    names += [x.user.name for x in case.participants if x.standing is Standing.COUNSEL]
    names += [d.funder_name for d in current_funders(case)]
    return {match_key(n) for n in names if n} - {""}


@dataclass(frozen=True)
class Candidate:
    user: User
    open_cases: int
    barred: str | None  # why this neutral may not sit on this case (a conflict…), or None


def candidates(session: Session, case: Case, role: Role) -> list[Candidate]:
    """Every active neutral of the role, with their open caseload and whether they may sit:
    a declared conflict with a party bars them, and so does having mediated the case
    (a mediator never sits as the case's arbitrator)."""
    users = session.scalars(
        select(User).where(User.role == role, User.is_active.is_(True)).order_by(User.name)
    ).all()
    loads = caseloads(session, [u.id for u in users])
    keys = _case_keys(case)
    conflicted = set(
        session.scalars(
            select(Conflict.user_id).where(Conflict.match_key.in_(keys or {"\0"}))
        ).all()
    )
    mediated = {
        a.user_id
        for a in case.appointments
        if a.capacity is Capacity.MEDIATOR and a.status is AppointmentStatus.ACCEPTED
    }
    declined = {a.user_id for a in case.appointments if a.status is AppointmentStatus.DECLINED}
    left = {a.user_id for a in case.appointments if a.status is AppointmentStatus.ENDED}
    sitting = {a.user_id for a in case.appointments if a.active}
    result = []
    for user in users:
        barred = None
        if user.id in conflicted:
            barred = N_("Declared a conflict with a party to this case.")
        elif role is Role.ARBITRATOR and user.id in mediated:
            barred = N_("Mediated this case.")
        elif user.id in declined:
            barred = N_("Declined this case.")
        elif user.id in left:
            barred = N_("Left this case (resigned or disqualified).")
        elif user.id in sitting:
            barred = N_("Already on this case.")
        result.append(Candidate(user, loads.get(user.id, 0), barred))
    result.sort(key=lambda c: (c.barred is not None, c.open_cases, c.user.name))
    return result


def caseloads(session: Session, user_ids: list[int]) -> dict[int, int]:
    """Open cases per neutral: accepted or awaiting answer, on a case still running."""
    if not user_ids:
        return {}
    rows = session.execute(
        select(Appointment.user_id, func.count(func.distinct(Appointment.case_id)))
        .join(Case, Case.id == Appointment.case_id)
        .where(
            Appointment.user_id.in_(user_ids),
            Appointment.status.not_in(INACTIVE),
            Case.state.in_(ACTIVE),
        )
        .group_by(Appointment.user_id)
    )
    return dict(rows.all())


def _eligible(session: Session, case: Case, user: User, role: Role) -> None:
    found = next((c for c in candidates(session, case, role) if c.user.id == user.id), None)
    if found is None:
        raise TransitionRefused(N_("Choose a neutral from the list."))
    if found.barred:
        raise TransitionRefused(found.barred)


def propose_mediator(
    session: Session, case: Case, *, clerk: User, mediator: User, expected_version: int | None
) -> Appointment:
    _eligible(session, case, mediator, Role.MEDIATOR)
    engine.apply(
        clerk,
        case,
        "propose_mediator",
        expected_version=expected_version,
        data={"user_id": mediator.id, "name": mediator.name},
    )
    appointment = _appointment(case, mediator, Capacity.MEDIATOR, clerk)
    _ask(case, mediator, Capacity.MEDIATOR)
    return appointment


def propose_tribunal(
    session: Session,
    case: Case,
    *,
    clerk: User,
    members: list[tuple[Capacity, User]],
    expected_version: int | None,
) -> list[Appointment]:
    """Propose a sole arbitrator, or three with a presiding one; after a decline, propose
    for the empty seats only."""
    wanted = sorted(c.value for c, _ in members)
    vacant = seats(case)
    if vacant:
        if wanted != sorted(c.value for c in vacant):
            raise TransitionRefused(N_("Fill exactly the empty seats of the tribunal."))
    elif wanted not in (["sole"], ["co", "co", "presiding"]):
        raise TransitionRefused(
            N_("A tribunal is a sole arbitrator, or three with a presiding arbitrator.")
        )
    if len({u.id for _, u in members}) != len(members):
        raise TransitionRefused(N_("Each seat needs a different arbitrator."))
    for _, user in members:
        _eligible(session, case, user, Role.ARBITRATOR)
    engine.apply(
        clerk,
        case,
        "propose_tribunal",
        expected_version=expected_version,
        data={"members": [{"user_id": u.id, "name": u.name, "capacity": c} for c, u in members]},
    )
    made = []
    for capacity, user in members:
        appointment = _appointment(case, user, capacity, clerk)
        made.append(appointment)
        _ask(case, user, capacity)
    return made


def _appointment(case: Case, user: User, capacity: Capacity, clerk: User) -> Appointment:
    appointment = Appointment(
        user_id=user.id,
        user=user,
        capacity=capacity,
        status=AppointmentStatus.PROPOSED,
        proposed_by_id=clerk.id,
        proposed_at=utcnow(),
    )
    case.appointments.append(appointment)
    return appointment


def _ask(case: Case, user: User, capacity: Capacity) -> None:
    """Ask the proposed neutral to answer, by the date the answer serves."""
    notice = ASKED_TO_ARBITRATE if capacity.in_tribunal else ASKED_TO_MEDIATE
    message, date = dated(notice, notice, due_on(notice, case))
    notify(user, case, message, {"reference": case.reference, "capacity": capacity.label, **date})


def pending_appointment(case: Case, user: User) -> Appointment | None:
    return next(
        (
            a
            for a in case.appointments
            if a.user_id == user.id and a.status is AppointmentStatus.PROPOSED
        ),
        None,
    )


def answer_action(case: Case, appointment: Appointment) -> str:
    """The table's act of accepting this appointment: a seat on the tribunal, the mediation
    (which it begins), or the seat of a mediator who left a mediation under way."""
    if appointment.capacity.in_tribunal:
        return "accept_appointment"
    return "accept_mediator_seat" if case.state is CaseState.MEDIATION else "accept_mediation"


def accept(
    session: Session,
    case: Case,
    *,
    user: User,
    declaration: str,
    confirmed: bool,
    expected_version: int | None,
) -> CaseEvent:
    """Accept by signing the declaration of independence and impartiality (its text, as the
    neutral read it, is stored). The last member to accept constitutes the tribunal."""
    appointment = pending_appointment(case, user)
    if appointment is None:
        raise TransitionRefused(N_("You have no appointment to answer on this case."))
    if not confirmed or not declaration.strip():
        raise TransitionRefused(
            N_("To accept, sign the declaration of independence and impartiality.")
        )
    tribunal = appointment.capacity.in_tribunal
    event = engine.apply(
        user,
        case,
        answer_action(case, appointment),
        expected_version=expected_version,
        data={"capacity": appointment.capacity.value},
    )
    appointment.status = AppointmentStatus.ACCEPTED
    appointment.answered_at = event.at
    appointment.declaration = declaration.strip()
    if tribunal and presiding_due(case) is None:  # the parties' route: choose the third
        engine.apply(None, case, "co_arbitrators_accepted")
    if not tribunal and case.state is CaseState.MEDIATION:
        fill_vacancy_if_filled(case)  # the mediator's seat, left vacant, is taken again
    if tribunal and not seats(case) and tribunal_complete(case) is None:
        # A replacement for a seat left vacant (a resignation, a disqualification) fills the
        # vacancy; a tribunal is constituted once only.
        fill_vacancy_if_filled(case)
        if case.tribunal_constituted_at is None:
            engine.apply(None, case, "constitute")
    return event


def decline(
    session: Session, case: Case, *, user: User, disclosure: str, expected_version: int | None
) -> CaseEvent:
    appointment = pending_appointment(case, user)
    if appointment is None:
        raise TransitionRefused(N_("You have no appointment to answer on this case."))
    event = engine.apply(
        user,
        case,
        "decline_appointment" if appointment.capacity.in_tribunal else "decline_mediation",
        expected_version=expected_version,
        reason=disclosure,
        data={"capacity": appointment.capacity.value}
        | ({"chosen_by": appointment.chosen_by.value} if appointment.chosen_by else {}),
    )
    appointment.status = AppointmentStatus.DECLINED
    appointment.answered_at = event.at
    appointment.disclosure = disclosure.strip()
    return event
