"""What a case's non-disputing party applications say now: read-only questions beside the
model (the workflow table's guards ask them)."""

from __future__ import annotations

from sqlalchemy import select

from ..cases.models import Case
from ..db import session_of
from ..deadlines.queries import is_overdue, is_running
from ..texts import N_
from .models import NonDisputingApplication


def applications(case: Case) -> list[NonDisputingApplication]:
    """The case's applications: the pending one first, then the decided (newest first)."""
    return list(
        session_of(case).scalars(
            select(NonDisputingApplication)
            .where(NonDisputingApplication.case_id == case.id)
            .order_by(
                NonDisputingApplication.decided_at.is_not(None),
                NonDisputingApplication.recorded_at.desc(),
                NonDisputingApplication.id.desc(),
            )
        )
    )


def pending_application(case: Case) -> NonDisputingApplication | None:
    return session_of(case).scalar(
        select(NonDisputingApplication).where(
            NonDisputingApplication.case_id == case.id,
            NonDisputingApplication.decision.is_(None),
        )
    )


def no_application_pending(case: Case) -> str | None:
    if case.tribunal_constituted_at is None:
        return N_("The tribunal is not constituted yet.")
    if pending_application(case) is not None:
        return N_(
            "A non-disputing party's application is pending: the tribunal decides it before "
            "another is recorded."
        )
    return None


def application_awaiting_observations(case: Case) -> str | None:
    application = pending_application(case)
    if application is None:
        return N_("No non-disputing party's application is pending.")
    if application.both_observed:
        return N_("Both parties have filed their observations on the application.")
    if not is_running(case, "non_disputing_observations"):
        return N_("The time for observations on the application has ended.")
    return None


def application_to_decide(case: Case) -> str | None:
    application = pending_application(case)
    if application is None:
        return N_("No non-disputing party's application is pending.")
    if not application.both_observed and not is_overdue(case, "non_disputing_observations"):
        return N_(
            "The parties may still file observations on the application: the tribunal decides "
            "once both have or their time has passed."
        )
    return None
