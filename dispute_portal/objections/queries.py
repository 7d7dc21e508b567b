"""What a case's preliminary objections say now, and the guards of their rows in the workflow
table (each says why an act cannot be taken now, None when it can). Read-only, beside the
models: the table imports these, so they import nothing but the models."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from ..cases.models import Case
from ..db import session_of
from ..deadlines.models import DeadlineStatus
from ..deadlines.queries import is_open, is_running
from ..texts import N_
from .models import Bifurcation, Ground, Objection

NOT_CONSTITUTED = N_("The tribunal is not constituted yet.")


def objections(case: Case) -> list[Objection]:
    """The case's objections, oldest first."""
    return list(
        session_of(case).scalars(
            select(Objection).where(Objection.case_id == case.id).order_by(Objection.id)
        )
    )


def pending(case: Case, ground: Ground) -> Objection | None:
    """The objection on this ground that awaits its outcome, if any (one at a time)."""
    return next((o for o in objections(case) if o.ground is ground and o.pending), None)


def merits_suspended(case: Case) -> bool:
    """Bifurcation was granted and the objection to jurisdiction is not decided yet: the
    merits wait (no pleading on them is filed or timetabled meanwhile)."""
    objection = pending(case, Ground.JURISDICTION)
    return objection is not None and objection.bifurcation is Bifurcation.GRANTED


# Guards of the written phase ------------------------------------------------------------


def timetable_settable(case: Case) -> str | None:
    if case.tribunal_constituted_at is None:
        return NOT_CONSTITUTED
    if merits_suspended(case):
        return N_(
            "The merits are suspended until the tribunal decides the objection to "
            "jurisdiction: their timetable is set after it."
        )
    return None


def _pleading_due(key: str) -> Callable[[Case], str | None]:
    def guard(case: Case) -> str | None:
        if not is_open(case, key):
            return N_(
                "The tribunal's timetable sets no time limit for this pleading now (it was "
                "not set, was filed already or the merits are suspended)."
            )
        return None

    guard.__name__ = f"{key}_due"
    return guard


memorial_due = _pleading_due("memorial")
counter_memorial_due = _pleading_due("counter_memorial")
reply_due = _pleading_due("reply")
rejoinder_due = _pleading_due("rejoinder")


# Guards of manifest lack of legal merit -------------------------------------------------


def merit_objection_open(case: Case) -> str | None:
    if case.tribunal_constituted_at is None:
        return NOT_CONSTITUTED
    # Filing the objection meets the time limit: one objection on this ground, in time.
    if not is_running(case, "merit_objection"):
        return N_(
            "An objection of manifest lack of legal merit is filed within the time limit "
            "after the constitution of the tribunal: that time has passed, or one was filed."
        )
    return None


def merit_to_close(case: Case) -> str | None:
    objection = pending(case, Ground.MERIT)
    if objection is None:
        return N_("No objection of manifest lack of legal merit is pending.")
    if objection.last_submission_on is not None:
        return N_("The last submission on this objection is already recorded.")
    return None


def merit_decision_due(case: Case) -> str | None:
    if not is_open(case, "merit_decision"):
        return N_(
            "No objection of manifest lack of legal merit awaits a decision: record the last "
            "submission on it first."
        )
    return None


# Guards of objections to jurisdiction ---------------------------------------------------


def jurisdiction_open(case: Case) -> str | None:
    if case.tribunal_constituted_at is None:
        return NOT_CONSTITUTED
    if pending(case, Ground.JURISDICTION) is not None:
        return N_("An objection to jurisdiction is already pending.")
    # Rule 43: no later than the date of the counter-memorial.
    if any(d.key == "counter_memorial" and d.status is DeadlineStatus.MET for d in case.deadlines):
        return N_("An objection to jurisdiction is made no later than the counter-memorial.")
    return None


def may_bifurcate(case: Case) -> str | None:
    objection = pending(case, Ground.JURISDICTION)
    if objection is None:
        return N_("No objection to jurisdiction is pending.")
    if objection.bifurcation is not None:
        return N_("Bifurcation was already requested for this objection.")
    if objection.last_submission_on is not None:
        return N_("The last submission on this objection is already recorded.")
    return None


def bifurcation_pending(case: Case) -> str | None:
    if not is_open(case, "bifurcation_decision"):
        return N_("No request for bifurcation awaits a decision.")
    return None


def jurisdiction_to_close(case: Case) -> str | None:
    objection = pending(case, Ground.JURISDICTION)
    if objection is None:
        return N_("No objection to jurisdiction is pending.")
    if objection.bifurcation is Bifurcation.REQUESTED:
        return N_("Decide the request for bifurcation first.")
    if objection.last_submission_on is not None:
        return N_("The last submission on this objection is already recorded.")
    return None


def jurisdiction_due(case: Case) -> str | None:
    if not is_open(case, "jurisdiction_decision"):
        return N_(
            "No objection to jurisdiction awaits a decision: record the last submission on "
            "it first."
        )
    return None


def joinable(case: Case) -> str | None:
    objection = pending(case, Ground.JURISDICTION)
    if objection is None:
        return N_("No objection to jurisdiction is pending.")
    if objection.bifurcation is not None:
        return N_(
            "Bifurcation was requested: the tribunal decides the request (refusing it joins "
            "the objection to the merits)."
        )
    return None
