"""What a case's requests for provisional measures say now: read-only questions beside the
model. The workflow table's guards on the three acts ask these, and the pages list the
requests with the urgent ones first."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..auth.models import User
from ..cases.models import Case
from ..db import session_of
from ..deadlines.queries import is_overdue, is_running
from ..neutrals.models import Appointment, AppointmentStatus, Capacity
from ..texts import N_
from ..workflow.states import CaseState
from .models import ProvisionalRequest

# Pending before decided, urgent before not, then the oldest first (decided: newest first).
_ORDER = (
    ProvisionalRequest.decided_at.is_not(None),
    ProvisionalRequest.urgent.desc(),
    ProvisionalRequest.requested_at,
    ProvisionalRequest.id,
)


def requests_of(session: Session, case: Case) -> list[ProvisionalRequest]:
    """Every request of the case: pending ones first (urgent before the others), then those
    decided."""
    return list(
        session.scalars(
            select(ProvisionalRequest)
            .where(ProvisionalRequest.case_id == case.id)
            .order_by(*_ORDER)
        )
    )


def pending_request(case: Case) -> ProvisionalRequest | None:
    return session_of(case).scalar(
        select(ProvisionalRequest).where(
            ProvisionalRequest.case_id == case.id, ProvisionalRequest.outcome.is_(None)
        )
    )


def pending_for(session: Session, user: User) -> list[tuple[ProvisionalRequest, Case]]:
    """The requests waiting for a tribunal this arbitrator sits on, urgent first, then the
    oldest: what the caseload lists at its top."""
    sits = select(Appointment.case_id).where(
        Appointment.user_id == user.id,
        Appointment.status == AppointmentStatus.ACCEPTED,
        Appointment.capacity != Capacity.MEDIATOR,
    )
    rows = session.execute(
        select(ProvisionalRequest, Case)
        .join(Case, Case.id == ProvisionalRequest.case_id)
        .where(
            ProvisionalRequest.outcome.is_(None),
            ProvisionalRequest.case_id.in_(sits),
            Case.state == CaseState.ARBITRATION,
        )
        .order_by(*_ORDER)
    )
    return [(request, case) for request, case in rows]


def may_request(case: Case) -> str | None:
    """The guard of a request: a sitting tribunal, and no other request pending."""
    if case.tribunal_constituted_at is None:
        return N_("The tribunal is not constituted yet.")
    if pending_request(case) is not None:
        return N_(
            "A request for provisional measures is pending: the tribunal decides it before "
            "another is made."
        )
    return None


def observations_open(case: Case) -> str | None:
    """The guard of the observations: a pending request, its time for them still open."""
    request = pending_request(case)
    if request is None:
        return N_("No request for provisional measures is pending.")
    if request.observations is not None:
        return N_("The observations on this request have been filed.")
    if not is_running(case, "provisional_observations"):
        return N_("The time for observations on this request has ended.")
    return None


def urgent_open(case: Case) -> str | None:
    """The guard of shortening the time for observations (rule 47(2): the tribunal fixes
    it): an urgent request pending, the other party's time for observations still running."""
    if (why := observations_open(case)) is not None:
        return why
    request = pending_request(case)
    if request is None or not request.urgent:
        return N_("Only the time for observations on an urgent request can be shortened.")
    return None


def ready_to_decide(case: Case) -> str | None:
    """The guard of the order: a pending request on which the other party was heard, or
    whose time for observations has passed."""
    request = pending_request(case)
    if request is None:
        return N_("No request for provisional measures is pending.")
    if request.observations is None and not is_overdue(case, "provisional_observations"):
        return N_(
            "The other party may still file observations on the request: the tribunal orders "
            "once they are filed or their time has passed."
        )
    return None
