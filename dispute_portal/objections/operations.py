"""The acts on preliminary objections, each a row of the workflow table: filing an objection
(and a request for bifurcation), recording the last submission on it, and the tribunal's
decisions. The objection's record follows each act; the table's rows start and meet the
time limits (merit_decision, bifurcation_decision, jurisdiction_decision)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from .. import policy
from ..auth.models import User
from ..cases.models import Case
from ..db import session_of
from ..deadlines import operations as deadlines
from ..deadlines.queries import today
from ..errors import TransitionRefused
from ..parties.models import Side
from ..proceedings.models import PLEADINGS
from ..texts import N_
from ..workflow import engine
from ..workflow.models import CaseEvent
from .models import Bifurcation, Ground, Objection, Outcome
from .queries import pending

# The acts that decide an objection: the ground, and what the decision makes of it.
DECISIONS: dict[str, tuple[Ground, Outcome]] = {
    "uphold_merit_objection": (Ground.MERIT, Outcome.UPHELD),
    "reject_merit_objection": (Ground.MERIT, Outcome.REJECTED),
    "decline_jurisdiction": (Ground.JURISDICTION, Outcome.UPHELD),
    "uphold_jurisdiction": (Ground.JURISDICTION, Outcome.REJECTED),
    "join_objection": (Ground.JURISDICTION, Outcome.JOINED),
}
# The acts that record the last submission on an objection (its decision runs from it).
CLOSINGS: dict[str, Ground] = {
    "close_merit_objection": Ground.MERIT,
    "close_jurisdiction_objection": Ground.JURISDICTION,
}
FILINGS: dict[Ground, str] = {
    Ground.MERIT: "object_merit",
    Ground.JURISDICTION: "object_jurisdiction",
}


def _side(user: User, case: Case) -> Side:
    side = policy.side_of(user, case)
    if side is None:
        raise TransitionRefused(N_("Only a party may object."))
    return side


def file_objection(
    session: Session,
    case: Case,
    *,
    user: User,
    ground: Ground,
    grounds: str,
    bifurcation: bool = False,
    bifurcation_reasons: str | None = None,
    expected_version: int | None,
) -> Objection:
    """A party's preliminary objection, with its grounds. An objection to jurisdiction may
    come with a request that it be decided first (bifurcation): a second act of the table,
    which starts the time limit for deciding the request."""
    action = FILINGS[ground]
    engine.check(user, case, action, reason=grounds)
    if bifurcation and ground is not Ground.JURISDICTION:
        raise TransitionRefused(N_("Only an objection to jurisdiction may ask for bifurcation."))
    side = _side(user, case)
    event = engine.apply(
        user,
        case,
        action,
        reason=grounds,
        expected_version=expected_version,
        data={"side": side.value, "bifurcation": bifurcation},
    )
    objection = Objection(
        case_id=case.id,
        ground=ground,
        side=side,
        filed_by_id=user.id,
        filed_at=event.at,
        grounds=grounds.strip(),
    )
    session.add(objection)
    session.flush()
    if bifurcation:
        request_bifurcation(
            case, user=user, reason=bifurcation_reasons or grounds, expected_version=None
        )
    return objection


def request_bifurcation(
    case: Case, *, user: User, reason: str, expected_version: int | None
) -> CaseEvent:
    """A party asks that the pending objection to jurisdiction be decided first."""
    engine.check(user, case, "request_bifurcation", reason=reason)
    objection = pending(case, Ground.JURISDICTION)
    assert objection is not None  # the guard says one is pending
    event = engine.apply(
        user,
        case,
        "request_bifurcation",
        reason=reason,
        expected_version=expected_version,
        data={"side": _side(user, case).value, "objection_id": objection.id},
    )
    objection.bifurcation = Bifurcation.REQUESTED
    session_of(case).flush()  # the time limit it started is asked at once (a flushed status)
    return event


def decide_bifurcation(
    case: Case, *, chair: User, granted: bool, reason: str, expected_version: int | None
) -> CaseEvent:
    """Granted: the objection is decided first and the merits wait (the pleadings' running
    deadlines are cancelled; a new timetable is set once jurisdiction is decided). Refused:
    the objection is joined to the merits and decided with them."""
    engine.check(chair, case, "decide_bifurcation", reason=reason)
    objection = pending(case, Ground.JURISDICTION)
    assert objection is not None  # a request is pending only with its objection
    event = engine.apply(
        chair,
        case,
        "decide_bifurcation",
        reason=reason,
        expected_version=expected_version,
        data={"granted": granted, "objection_id": objection.id},
        ruling_extra={"granted": granted},
    )
    if granted:
        objection.bifurcation = Bifurcation.GRANTED
        for key in PLEADINGS:
            deadlines.cancel(case, key, at=event.at)
    else:
        objection.bifurcation = Bifurcation.REFUSED
        objection.outcome, objection.decided_at = Outcome.JOINED, event.at
    return event


def close_objection(
    case: Case, *, chair: User, action: str, reason: str | None, expected_version: int | None
) -> CaseEvent:
    """The tribunal records that the last submission on the objection was made today: the
    time limit for its decision runs from today (the table's row starts it)."""
    if action not in CLOSINGS:
        raise KeyError(action)
    engine.check(chair, case, action, reason=reason)
    objection = pending(case, CLOSINGS[action])
    assert objection is not None  # the guard says one is pending
    event = engine.apply(
        chair,
        case,
        action,
        reason=reason or None,
        expected_version=expected_version,
        data={"objection_id": objection.id},
    )
    objection.last_submission_on = today()
    session_of(case).flush()  # the time limit it started is asked at once (a flushed status)
    return event


def decide_objection(
    case: Case, *, chair: User, action: str, reason: str, expected_version: int | None
) -> CaseEvent:
    """The tribunal's decision on an objection: upheld (an award dismissing the claims: the
    case is dismissed), rejected (the case goes on) or joined to the merits."""
    if action not in DECISIONS:
        raise KeyError(action)
    ground, outcome = DECISIONS[action]
    engine.check(chair, case, action, reason=reason)
    objection = pending(case, ground)
    if objection is None:
        raise TransitionRefused(N_("No objection is pending."))
    event = engine.apply(
        chair,
        case,
        action,
        reason=reason,
        expected_version=expected_version,
        data={"objection_id": objection.id, "outcome": outcome.value},
        ruling_extra={"joined": outcome is Outcome.JOINED},
    )
    objection.outcome, objection.decided_at = outcome, event.at
    return event


# Every act on objections, each taken on its page (objections/views.py).
ACTS = (
    *FILINGS.values(),
    "request_bifurcation",
    "decide_bifurcation",
    *CLOSINGS,
    *DECISIONS,
)
