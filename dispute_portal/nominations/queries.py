"""Where a tribunal the parties constitute stands: its seats, who holds them, which are in
default. The workflow table's guards for party appointment are here (read-only, beside the
models)."""

from __future__ import annotations

from ..cases.models import Case
from ..deadlines.models import Deadline, DeadlineStatus
from ..deadlines.queries import is_open, today
from ..neutrals.models import Appointment, AppointmentStatus, Capacity
from ..neutrals.queries import tribunal_seat_open
from ..parties.models import Side
from ..texts import N_
from .models import Seat, TribunalSize

NOT_BY_PARTIES = N_("The registry appoints the tribunal in this case, not the parties.")


def seat_of(appointment: Appointment) -> Seat | None:
    if appointment.capacity is Capacity.SOLE_ARBITRATOR:
        return Seat.SOLE
    if appointment.capacity is Capacity.PRESIDING_ARBITRATOR:
        return Seat.PRESIDING
    if appointment.capacity is Capacity.CO_ARBITRATOR and appointment.side is not None:
        return Seat(appointment.side.value)
    return None


def seats(case: Case) -> list[Seat]:
    """The seats of the tribunal the parties constitute (none on the Centre's route)."""
    if case.constitution is None:
        return []
    if case.constitution.size is TribunalSize.SOLE:
        return [Seat.SOLE]
    return [Seat.CLAIMANT, Seat.RESPONDENT, Seat.PRESIDING]


def party_seats(case: Case) -> list[Seat]:
    """The seats filled within the parties' time limit: each side's, or the sole one."""
    return [s for s in seats(case) if s is not Seat.PRESIDING]


def holder(case: Case, seat: Seat) -> Appointment | None:
    """The appointment in this seat, proposed or accepted (a decline empties the seat)."""
    return next(
        (
            a
            for a in case.appointments
            if a.active and a.capacity.in_tribunal and seat_of(a) is seat
        ),
        None,
    )


def seat_for_side(side: Side) -> Seat:
    return Seat(side.value)


def time_limit(case: Case, seat: Seat) -> Deadline | None:
    """The seat's time limit as last started (running or met; not one cancelled)."""
    cancelled = DeadlineStatus.CANCELLED
    started = [d for d in case.deadlines if d.key == seat.deadline and d.status is not cancelled]
    return max(started, key=lambda d: (d.id is None, d.id or 0), default=None)


def in_default(case: Case, seat: Seat) -> bool:
    """The seat is empty and its time limit has passed: the Centre may fill it."""
    if holder(case, seat) is not None:
        return False
    deadline = time_limit(case, seat)
    return deadline is not None and deadline.due_on < today()


def defaults(case: Case) -> list[Seat]:
    return [s for s in seats(case) if in_default(case, s)]


def _co_accepted(case: Case) -> bool:
    found = [holder(case, s) for s in (Seat.CLAIMANT, Seat.RESPONDENT)]
    return all(a is not None and a.status is AppointmentStatus.ACCEPTED for a in found)


# The guards of the table's rows (workflow/transitions.py) -------------------------------


def method_open(case: Case) -> str | None:
    if case.constitution is not None:
        return N_("It is already recorded that the parties appoint the tribunal.")
    if any(a.active and a.capacity.in_tribunal for a in case.appointments):
        return N_("The registry has already proposed arbitrators in this case.")
    return None


def centre_seat_open(case: Case) -> str | None:
    """The registry proposes the tribunal (the default route) unless the parties appoint."""
    if case.constitution is not None:
        return N_(
            "The parties appoint the tribunal in this case: the registry fills a seat only "
            "in default (appoint in default)."
        )
    return tribunal_seat_open(case)


def party_seat_open(case: Case) -> str | None:
    if case.constitution is None:
        return NOT_BY_PARTIES
    if case.constitution.size is TribunalSize.SOLE:
        return N_("The sole arbitrator is chosen by the parties together: the registry records it.")
    if all(holder(case, s) is not None for s in party_seats(case)):
        return N_("Both sides have nominated their arbitrators.")
    return None


def agreed_seat_open(case: Case) -> str | None:
    if case.constitution is None:
        return NOT_BY_PARTIES
    if case.constitution.size is TribunalSize.SOLE:
        if holder(case, Seat.SOLE) is not None:
            return N_("The sole arbitrator is already chosen.")
        return None
    return presiding_seat_open(case)


def presiding_seat_open(case: Case) -> str | None:
    if case.constitution is None:
        return NOT_BY_PARTIES
    if case.constitution.size is TribunalSize.SOLE:
        return N_("A sole arbitrator sits alone: there is no presiding arbitrator to choose.")
    if holder(case, Seat.PRESIDING) is not None:
        return N_("The presiding arbitrator is already chosen.")
    if not _co_accepted(case):
        return N_("The presiding arbitrator is chosen once both co-arbitrators have accepted.")
    return None


def party_seats_filled(case: Case) -> str | None:
    if case.constitution is None:
        return NOT_BY_PARTIES
    if not all(holder(case, s) is not None for s in party_seats(case)):
        return N_("A party's seat is still empty.")
    if not is_open(case, "party_nomination"):
        return N_("The time limit for the parties' nominations is not running.")
    return None


def presiding_due(case: Case) -> str | None:
    """Both co-arbitrators have accepted and the presiding seat waits for its time limit."""
    if presiding_seat_open(case) is not None:
        return N_("The presiding arbitrator cannot be chosen now.")
    if time_limit(case, Seat.PRESIDING) is not None:
        return N_("The time limit for the choice of the presiding arbitrator is running.")
    return None


def seat_in_default(case: Case) -> str | None:
    if case.constitution is None:
        return NOT_BY_PARTIES
    if not defaults(case):
        return N_("No seat is in default: each is filled, or its time limit has not passed.")
    return None
