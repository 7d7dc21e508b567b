"""Ending a proceeding without an award, and mediation as the parties choose: the acts of
the workflow table's rows for them, the effect that lets a party's step answer a notice of
inactivity, and what the daily scheduler does about proceedings nobody pursues.

Every act goes through `workflow.engine.apply`; this module adds what the act records (the
side that asks for a discontinuance), what its ruling shows (the ground of the order, the
dates it recites) and what the act leaves behind (a mediator's appointment no longer due).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from babel.dates import format_date
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import policy
from ..auth.models import User
from ..cases.models import Case
from ..deadlines import operations as deadlines
from ..deadlines.calendar import local_date
from ..deadlines.models import Deadline, DeadlineStatus
from ..deadlines.queries import open_deadline
from ..parties.models import Side
from ..rulings.operations import ruling_language
from ..suspensions.models import Cause
from ..suspensions.queries import open_suspension
from ..workflow import engine
from ..workflow.engine import Change
from ..workflow.models import CaseEvent
from . import queries

# The acts of the rows this package owns, taken by a person on the act page.
ENDING_ACTS = frozenset(
    {
        "discontinue",
        "registry_discontinue",
        "discontinue_non_payment",
        "request_discontinuance",
        "object_to_claimant_request",
        "object_to_respondent_request",
        "order_discontinuance",
        "registry_order_discontinuance",
        "notify_inactivity",
        "arbitrate_by_agreement",
        "refer_registered",
        "agree_to_mediate",
        "end_mediation",
    }
)
# Who orders each discontinuance: the tribunal, or the registry (before the tribunal is
# constituted, and the scheduler, which acts in the registry's name).
_ORDERS = {
    "discontinue": ("agreement", "tribunal"),
    "registry_discontinue": ("agreement", "registry"),
    "order_discontinuance": ("request", "tribunal"),
    "registry_order_discontinuance": ("request", "registry"),
    "discontinue_inactive": ("inactivity", "registry"),
    "discontinue_non_payment": ("non_payment", "registry"),
}
# The acts that take a registered case to arbitration: no mediator will be appointed.
_TO_ARBITRATION = frozenset({"arbitrate_by_agreement", "refer_registered"})


def _day(case: Case, day: dt.date | None) -> str:
    return format_date(day, "d MMMM y", locale=ruling_language(case)) if day else ""


def _party_name(case: Case, side: Side | None) -> str:
    party = case.claimant if side is Side.CLAIMANT else case.respondent if side else None
    return (party.name or "") if party is not None else ""


def ruling_extra(case: Case, action: str, user: User | None = None) -> dict[str, Any] | None:
    """What the act's ruling recites beyond the case and the reasons, as text in the
    ruling's language: the same for the preview and for the issued ruling."""
    if action == "end_mediation":
        return {"party": _party_name(case, policy.side_of(user, case))}
    if action not in _ORDERS:
        return None
    ground, by = _ORDERS[action]
    extra: dict[str, Any] = {"ground": ground, "by": by}
    if ground == "request":
        request = queries.pending_request(case)
        window = open_deadline(case, "discontinuance_objection")
        extra |= {
            "requested_by": _party_name(case, queries.requesting_side(case)),
            "requested_on": _day(case, local_date(request.at) if request else None),
            "objection_until": _day(case, window.due_on if window else None),
        }
    elif ground == "inactivity":
        notice = open_deadline(case, "inactivity_notice")
        last = queries.last_step_at(case)
        extra |= {
            "since": _day(case, local_date(last) if last else None),
            "noticed_on": _day(case, notice.starts_on if notice else None),
            "step_until": _day(case, notice.due_on if notice else None),
        }
    elif ground == "non_payment":
        suspension = open_suspension(case, Cause.NON_PAYMENT)
        extra["suspended_on"] = _day(
            case, local_date(suspension.started_at) if suspension else None
        )
    return extra


def act(
    case: Case, *, user: User, action: str, reason: str | None, expected_version: int | None
) -> CaseEvent:
    """Take one of this package's acts: its ruling's recitals, the side that asks, and a
    mediator's appointment that a case sent to arbitration no longer awaits."""
    if action not in ENDING_ACTS:
        raise KeyError(action)
    data = None
    if action == "request_discontinuance":
        side = policy.side_of(user, case)
        data = {"side": side.value} if side is not None else None
    event = engine.apply(
        user,
        case,
        action,
        reason=reason or None,
        expected_version=expected_version,
        data=data,
        ruling_extra=ruling_extra(case, action, user),
    )
    if action in _TO_ARBITRATION and (due := open_deadline(case, "mediator_appointment")):
        due.status, due.closed_at = DeadlineStatus.CANCELLED, event.at
    return event


def answer_inactivity_notice(change: Change) -> None:
    """The workflow's effect for rule 57: any step a party takes (a submission, a request,
    counsel added…) meets a running notice of inactivity, and the proceeding goes on."""
    if change.user is None or policy.side_of(change.user, change.case) is None:
        return
    deadlines.satisfy(change.case, "inactivity_notice", at=change.at)


# The daily scheduler (flask deadlines remind) -------------------------------------------


@dataclass
class InactivityReport:
    noticed: list[str] = field(default_factory=list)  # references given notice today
    discontinued: list[str] = field(default_factory=list)  # references discontinued
    skipped: list[str] = field(default_factory=list)  # changed meanwhile: the next run retries


def _apply_each(session: Session, cases: list[Case], action: str, done: list[str]) -> list[str]:
    """Apply the scheduler's act to each case (engine.apply_each: a case that moved on
    meanwhile is skipped, not the whole run)."""

    def act(case: Case) -> None:
        engine.apply(None, case, action, ruling_extra=ruling_extra(case, action))

    applied, skipped = engine.apply_each(session, cases, act)
    done += applied
    return skipped


def inactive_cases(session: Session) -> list[Case]:
    """Proceedings where the parties owe a step and have taken none for their rule set's
    period, and no notice has been given yet."""
    candidates = session.scalars(
        select(Case).where(Case.state.in_(queries.INACTIVITY_STATES)).order_by(Case.id)
    )
    return [case for case in candidates if queries.parties_inactive(case) is None]


def unanswered_notices(session: Session) -> list[Case]:
    """Proceedings whose notice of inactivity has run out without a party's step."""
    candidates = session.scalars(
        select(Case)
        .join(Deadline, Deadline.case_id == Case.id)
        .where(
            Case.state.in_(queries.INACTIVITY_STATES),
            Deadline.key == "inactivity_notice",
            Deadline.status == DeadlineStatus.OPEN,
        )
        .order_by(Case.id)
    )
    return [case for case in candidates.unique() if queries.inactivity_unanswered(case) is None]


def run(session: Session) -> InactivityReport:
    """The scheduler's part in rule 57: discontinue what was noticed and left unanswered,
    then give notice where the parties have fallen silent. Running it twice on one day does
    nothing the second time (a notice given is running; a discontinued case is final)."""
    report = InactivityReport()
    report.skipped += _apply_each(
        session, unanswered_notices(session), "discontinue_inactive", report.discontinued
    )
    report.skipped += _apply_each(
        session, inactive_cases(session), "notify_inactivity", report.noticed
    )
    return report
