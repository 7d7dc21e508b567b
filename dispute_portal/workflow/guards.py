"""The guards of the transition table that read the claim and its deadlines: each says why
an act cannot be taken now (None when it can). Those that read appointments, hearings and
the other records of the proceedings live beside their models (each feature's queries)."""

from __future__ import annotations

from ..cases.models import Case
from ..deadlines import queries as deadlines
from ..texts import N_


def claim_complete(case: Case) -> str | None:
    if case.missing_sections():
        return N_("The claim is incomplete: fill in every required section first.")
    if not case.documents:
        return N_("Attach at least one document before submitting.")
    return None


def tribunal_constituted(case: Case) -> str | None:
    if case.tribunal_constituted_at is None:
        return N_("The tribunal is not constituted yet.")
    return None


def extendable(case: Case) -> str | None:
    return deadlines.may_extend_mediation(case)  # the rule set decides


def mediation_dormant(case: Case) -> str | None:
    if not deadlines.dormant(case):
        return N_("Something happened in this mediation recently.")
    return None


def award_overdue(case: Case) -> str | None:
    if not deadlines.is_overdue(case, "award"):
        return N_("A notice of delay is only due once the award deadline has passed.")
    return None


def correctable(case: Case) -> str | None:
    # Past its last day the window stays open (nothing meets it) but is over.
    if not deadlines.is_running(case, "correction_request"):
        return N_("The time for requests for correction or interpretation has passed.")
    if deadlines.is_open(case, "correction_decision"):
        return N_("A request for correction is already pending.")
    return None


def correction_pending(case: Case) -> str | None:
    if not deadlines.is_open(case, "correction_decision"):
        return N_("No request for correction is pending.")
    return None


def nothing_pending(case: Case) -> str | None:
    if deadlines.is_open(case, "correction_decision"):
        return N_("A request for correction must be decided before the case is closed.")
    # Closing cancels what still runs: while a party may still ask for a correction or an
    # interpretation of the award, closing would take that right away.
    if deadlines.is_running(case, "correction_request"):
        return N_(
            "A party may still request a correction or interpretation of the award: close "
            "the case once that time limit has ended (see the deadlines)."
        )
    return None


def has_running_deadline(case: Case) -> str | None:
    if not any(d.status.value == "open" for d in case.deadlines):
        return N_("No deadline is running on this case.")
    return None
