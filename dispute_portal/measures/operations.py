"""Provisional measures (ICSID Arbitration Rules 2022, rule 47): a party's request, the
other party's observations, the tribunal's order. Each act goes through the workflow table,
which starts and meets their time limits; the order is a ruling."""

from __future__ import annotations

import datetime as dt
from typing import Any

from babel.dates import format_date
from sqlalchemy.orm import Session

from .. import policy
from ..auth.models import User
from ..cases.models import Case
from ..clock import ALMATY
from ..deadlines import operations as deadlines
from ..deadlines.models import Deadline, DeadlineStatus
from ..deadlines.queries import open_deadline, today
from ..errors import TransitionRefused
from ..rulings.operations import ruling_language
from ..texts import N_
from ..workflow import engine
from . import queries
from .models import Outcome, ProvisionalRequest

MAX_TEXT = 50_000


class MeasuresRefused(TransitionRefused):
    """A refusal about one field of the form (said beside it)."""

    def __init__(self, field: str, message: str, **params: Any) -> None:
        super().__init__(message, **params)
        self.field = field


def request_measures(
    session: Session,
    case: Case,
    *,
    user: User,
    measures: str,
    grounds: str,
    urgent: bool,
    expected_version: int | None,
) -> ProvisionalRequest:
    """A party asks the tribunal to order provisional measures: what, why, and whether it
    is urgent. The other party's time for observations starts."""
    side = policy.side_of(user, case)
    if side is None:
        raise TransitionRefused(N_("Only a party may request provisional measures."))
    measures, grounds = measures.strip(), grounds.strip()
    if not measures:
        raise MeasuresRefused("measures", N_("Say which measures the tribunal should order."))
    event = engine.apply(
        user,
        case,
        "request_provisional_measures",
        reason=grounds,
        expected_version=expected_version,
        data={"side": side.value, "urgent": urgent, "measures": measures},
    )
    request = ProvisionalRequest(
        case_id=case.id,
        side=side,
        requested_by_id=user.id,
        urgent=urgent,
        measures=measures,
        grounds=grounds,
        requested_at=event.at,
    )
    session.add(request)
    session.flush()
    return request


def observe(
    case: Case, *, user: User, observations: str, expected_version: int | None
) -> ProvisionalRequest:
    """The other party's observations on the pending request: its time for them is met and
    the tribunal's time to order starts."""
    engine.check(user, case, "observe_provisional_measures", reason=observations)
    request = queries.pending_request(case)
    assert request is not None  # the guard says one is pending
    if policy.side_of(user, case) is not request.other_side:
        raise TransitionRefused(
            N_(
                "The observations on a request are the other party's: the requesting party "
                "has said its piece in the request."
            )
        )
    event = engine.apply(
        user,
        case,
        "observe_provisional_measures",
        reason=observations,
        expected_version=expected_version,
        data={"request_id": request.id, "side": request.other_side.value},
    )
    request.observations = observations.strip()
    request.observed_by_id = user.id
    request.observed_at = event.at
    return request


def shorten_observations(
    case: Case, *, chair: User, until: dt.date, reason: str, expected_version: int | None
) -> Deadline:
    """The tribunal brings the other party's time for observations on an urgent request
    forward to `until` (a working day from today on, before the current one), with reasons:
    the parties are told the new day."""
    engine.check(chair, case, "shorten_provisional_observations", reason=reason)
    deadline = open_deadline(case, "provisional_observations")
    assert deadline is not None  # the guard says it runs
    try:
        plan = deadlines.plan_shortening(deadline, until, today=today())
    except deadlines.DeadlineRefused as refusal:
        raise MeasuresRefused("until", refusal.message, **refusal.params) from None
    engine.apply(
        chair,
        case,
        "shorten_provisional_observations",
        reason=reason,
        expected_version=expected_version,
        data=plan,
    )
    deadlines.move(deadline, plan, reason=reason)
    return deadline


def decide(
    case: Case, *, chair: User, outcome: str, reason: str, expected_version: int | None
) -> ProvisionalRequest:
    """The tribunal's order on the pending request (granted, in part, or refused), with its
    reasons: the order on provisional measures is issued as a ruling."""
    try:
        result = Outcome(outcome)
    except ValueError:
        raise MeasuresRefused("outcome", N_("Choose what the tribunal orders.")) from None
    engine.check(chair, case, "decide_provisional_measures", reason=reason)
    request = queries.pending_request(case)
    assert request is not None  # the guard says one is pending
    event = engine.apply(
        chair,
        case,
        "decide_provisional_measures",
        reason=reason,
        expected_version=expected_version,
        data={"request_id": request.id, "outcome": result.value, "urgent": request.urgent},
        ruling_extra=ruling_extra(case, request, result),
    )
    # No observations came within their time: that window closes unmet, not met.
    if (unanswered := open_deadline(case, "provisional_observations")) is not None:
        unanswered.status = DeadlineStatus.CANCELLED
        unanswered.closed_at = event.at
    request.outcome = result
    request.decided_at = event.at
    return request


def ruling_extra(
    case: Case, request: ProvisionalRequest, outcome: Outcome | None
) -> dict[str, Any]:
    """What the order shows beyond the case and its reasons, as text in the ruling's
    language: the request (who, when, what), the observations, and the outcome."""
    language = ruling_language(case)
    day = request.requested_at.astimezone(ALMATY).date()
    return {
        "side": request.side.value,
        "urgent": request.urgent,
        "requested_on": format_date(day, "d MMMM y", locale=language),
        "measures": request.measures,
        "observations": request.observations or "",
        "outcome": outcome.value if outcome else "",
    }
