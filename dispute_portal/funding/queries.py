"""What a case's funding disclosures say now, and who must still re-confirm a declaration:
read-only questions beside the models (the workflow table's guards ask them, and so does the
conflict check)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from ..cases.models import Case
from ..db import session_of
from ..deadlines.queries import is_open
from ..neutrals.models import Appointment, AppointmentStatus
from ..texts import N_
from ..workflow.states import MEDIATION_PHASE
from .models import FundingDisclosure, Reconfirmation


def disclosures(case: Case) -> list[FundingDisclosure]:
    """Every disclosure of the case, the current ones first, then the history (newest
    first)."""
    return list(
        session_of(case).scalars(
            select(FundingDisclosure)
            .where(FundingDisclosure.case_id == case.id)
            .order_by(
                FundingDisclosure.ended_at.is_not(None),
                FundingDisclosure.disclosed_at.desc(),
                FundingDisclosure.id.desc(),
            )
        )
    )


def current_funders(case: Case) -> list[FundingDisclosure]:
    return [d for d in disclosures(case) if d.current]


def funding_disclosed(case: Case) -> str | None:
    if not current_funders(case):
        return N_("No third-party funding is disclosed on this case.")
    return None


def sitting_neutrals(case: Case) -> list[Appointment]:
    """The neutrals who act on the case now: the mediator while the mediation runs, the
    tribunal after it (the ones whose declarations a disclosure concerns)."""
    tribunal = case.state not in MEDIATION_PHASE
    return [
        a
        for a in case.appointments
        if a.status is AppointmentStatus.ACCEPTED and a.capacity.in_tribunal == tribunal
    ]


def last_disclosure_at(case: Case) -> dt.datetime | None:
    """When the latest disclosure (or update) was made: re-confirmations count from then."""
    return max((d.disclosed_at for d in disclosures(case)), default=None)


def not_reconfirmed(case: Case) -> list[Appointment]:
    """The sitting neutrals who have not re-confirmed since the latest disclosure, while
    the time for it runs (none when nothing is to re-confirm)."""
    since = last_disclosure_at(case)
    if since is None or not is_open(case, "declaration_reconfirmation"):
        return []
    done = set(
        session_of(case).scalars(
            select(Reconfirmation.appointment_id).where(
                Reconfirmation.case_id == case.id, Reconfirmation.confirmed_at >= since
            )
        )
    )
    # A neutral who accepted after the disclosure signed their declaration knowing of it.
    return [
        a
        for a in sitting_neutrals(case)
        if a.id not in done and a.answered_at is not None and a.answered_at < since
    ]


def reconfirmation_due(case: Case) -> str | None:
    if not not_reconfirmed(case):
        return N_("No declaration is waiting to be re-confirmed on this case.")
    return None
