"""Constituting the tribunal by party appointment: recording that the parties appoint, a
side's nomination, the parties' joint choice, the co-arbitrators' choice of the presiding
arbitrator, and the Centre's appointment in default.

Each nominee is then asked to accept exactly as on the Centre's route (neutrals/: the
declaration, accept or decline), and the tribunal is constituted the same way once every
seat has accepted. Late nominations stand: a side may nominate after its time limit until
the registry fills the seat in default.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..auth.models import Role, User
from ..cases.models import Case
from ..errors import TransitionRefused
from ..neutrals.models import Appointment, Capacity, Chooser
from ..neutrals.operations import _appointment, _ask, _eligible
from ..parties.models import Side
from ..texts import N_
from ..workflow import engine
from ..workflow.roles import CLAIMANT, RESPONDENT, case_roles
from .models import Basis, Constitution, Seat, TribunalSize
from .queries import defaults, holder, party_seats_filled, seat_for_side

CAPACITIES = {
    Seat.CLAIMANT: Capacity.CO_ARBITRATOR,
    Seat.RESPONDENT: Capacity.CO_ARBITRATOR,
    Seat.PRESIDING: Capacity.PRESIDING_ARBITRATOR,
    Seat.SOLE: Capacity.SOLE_ARBITRATOR,
}


def record_party_appointment(
    session: Session,
    case: Case,
    *,
    clerk: User,
    size: TribunalSize,
    basis: Basis,
    expected_version: int | None,
) -> Constitution:
    """The parties, not the Centre, constitute this case's tribunal (a sole arbitrator or
    three); their time limit to nominate starts now."""
    event = engine.apply(
        clerk,
        case,
        "party_appointment",
        expected_version=expected_version,
        data={"size": size.value, "basis": basis.value},
    )
    case.constitution = Constitution(
        size=size, basis=basis, recorded_by_id=clerk.id, recorded_at=event.at
    )
    return case.constitution


def side_of(user: User, case: Case) -> Side | None:
    roles = case_roles(user, case)
    if CLAIMANT in roles:
        return Side.CLAIMANT
    if RESPONDENT in roles:
        return Side.RESPONDENT
    return None


def nominate(
    session: Session,
    case: Case,
    *,
    user: User,
    arbitrator: User,
    expected_version: int | None,
) -> Appointment:
    """A side nominates its co-arbitrator (counsel for a side acts for it)."""
    engine.check(user, case, "nominate_arbitrator")
    side = side_of(user, case)
    assert side is not None  # the table lets only the parties nominate
    seat = seat_for_side(side)
    if (present := holder(case, seat)) is not None:
        raise TransitionRefused(
            N_("Your side has already nominated its arbitrator: %(name)s."),
            name=present.user.name,
        )
    return _fill(
        session,
        case,
        actor=user,
        action="nominate_arbitrator",
        seat=seat,
        arbitrator=arbitrator,
        chosen_by=Chooser(side.value),
        reason=None,
        expected_version=expected_version,
    )


def agree_on_arbitrator(
    session: Session,
    case: Case,
    *,
    clerk: User,
    arbitrator: User,
    reason: str,
    expected_version: int | None,
) -> Appointment:
    """The registry records the parties' joint choice: of the sole arbitrator, or of the
    presiding one once both co-arbitrators have accepted."""
    engine.check(clerk, case, "agree_on_arbitrator", reason=reason)
    assert case.constitution is not None  # the guard holds
    sole = case.constitution.size is TribunalSize.SOLE
    return _fill(
        session,
        case,
        actor=clerk,
        action="agree_on_arbitrator",
        seat=Seat.SOLE if sole else Seat.PRESIDING,
        arbitrator=arbitrator,
        chosen_by=Chooser.PARTIES,
        reason=reason,
        expected_version=expected_version,
    )


def choose_presiding(
    session: Session,
    case: Case,
    *,
    user: User,
    presiding: User,
    reason: str,
    expected_version: int | None,
) -> Appointment:
    """A co-arbitrator records the choice the two made together (how they agreed: the
    reasons), and the chosen one is asked to accept."""
    return _fill(
        session,
        case,
        actor=user,
        action="choose_presiding",
        seat=Seat.PRESIDING,
        arbitrator=presiding,
        chosen_by=Chooser.CO_ARBITRATORS,
        reason=reason,
        expected_version=expected_version,
    )


def appoint_in_default(
    session: Session,
    case: Case,
    *,
    clerk: User,
    seat: Seat,
    arbitrator: User,
    reason: str,
    expected_version: int | None,
) -> Appointment:
    """The Centre, as appointing authority, fills a seat left empty past its time limit;
    a notice of appointment (a ruling) gives the reasons."""
    engine.check(clerk, case, "appoint_in_default", reason=reason)
    if seat not in defaults(case):
        raise TransitionRefused(
            N_("That seat is not in default: it is filled, or its time limit has not passed.")
        )
    return _fill(
        session,
        case,
        actor=clerk,
        action="appoint_in_default",
        seat=seat,
        arbitrator=arbitrator,
        chosen_by=Chooser.CENTRE,
        reason=reason,
        expected_version=expected_version,
    )


def _fill(
    session: Session,
    case: Case,
    *,
    actor: User,
    action: str,
    seat: Seat,
    arbitrator: User,
    chosen_by: Chooser,
    reason: str | None,
    expected_version: int | None,
) -> Appointment:
    """Check the arbitrator may sit (no declared conflict with a party, not the case's
    mediator, not one who declined it), apply the act, ask the arbitrator to accept, and
    meet the parties' time limit once every party seat is filled."""
    _eligible(session, case, arbitrator, Role.ARBITRATOR)
    capacity = CAPACITIES[seat]
    engine.apply(
        actor,
        case,
        action,
        expected_version=expected_version,
        reason=reason,
        data={
            "user_id": arbitrator.id,
            "name": arbitrator.name,
            "seat": seat.value,
            "capacity": capacity.value,
        },
        ruling_extra={"name": arbitrator.name, "seat": seat.value},
    )
    appointment = _appointment(case, arbitrator, capacity, actor)
    appointment.side = Side(seat.value) if seat in (Seat.CLAIMANT, Seat.RESPONDENT) else None
    appointment.chosen_by = chosen_by
    _ask(case, arbitrator, capacity)
    if party_seats_filled(case) is None:
        engine.apply(None, case, "nominations_complete")
    return appointment
