"""What a case's appointments say now: read-only questions beside the neutrals' models.

The workflow table's guards ask these (is a mediator already proposed, which tribunal seats
are empty, has every member accepted), so they import nothing but the models.
"""

from __future__ import annotations

from ..cases.models import Case
from ..texts import N_
from .models import Appointment, AppointmentStatus, Capacity


def pending(case: Case, *, tribunal: bool) -> list[Appointment]:
    """Active appointments still waiting for the neutral's answer."""
    return [
        a
        for a in case.appointments
        if a.active
        and a.capacity.in_tribunal == tribunal
        and a.status == AppointmentStatus.PROPOSED
    ]


def accepted(case: Case, *, tribunal: bool) -> list[Appointment]:
    return [
        a
        for a in case.appointments
        if a.status == AppointmentStatus.ACCEPTED and a.capacity.in_tribunal == tribunal
    ]


def seats(case: Case) -> list[Capacity]:
    """The tribunal's seats still to fill: all of them, or those a decline left empty."""
    members = [a for a in case.appointments if a.active and a.capacity.in_tribunal]
    if not members:
        return []
    if any(a.capacity is Capacity.SOLE_ARBITRATOR for a in members):
        return []
    vacant = []
    if not any(a.capacity is Capacity.PRESIDING_ARBITRATOR for a in members):
        vacant.append(Capacity.PRESIDING_ARBITRATOR)
    co = sum(a.capacity is Capacity.CO_ARBITRATOR for a in members)
    vacant += [Capacity.CO_ARBITRATOR] * (2 - co)
    return vacant


def no_mediator_yet(case: Case) -> str | None:
    if pending(case, tribunal=False) or accepted(case, tribunal=False):
        return N_("A mediator is already proposed for this case.")
    return None


def tribunal_seat_open(case: Case) -> str | None:
    proposed = any(a.active for a in case.appointments if a.capacity.in_tribunal)
    if proposed and not seats(case):
        return N_("A tribunal is already proposed for this case.")
    return None


def tribunal_complete(case: Case) -> str | None:
    members = [a for a in case.appointments if a.active and a.capacity.in_tribunal]
    if not members or any(a.status.value != "accepted" for a in members):
        return N_("Every member of the tribunal must first accept the appointment.")
    return None
