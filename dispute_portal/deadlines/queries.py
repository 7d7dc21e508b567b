"""What the deadlines of a case say now: read-only questions beside the models.

The workflow table's guards ask these (is a deadline running, overdue, may the mediation be
extended), so they sit below the workflow and import nothing but the models and the
calendar.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..cases.models import Case
from ..db import session_of, utcnow
from ..texts import N_
from .calendar import local_date
from .models import Deadline, DeadlineStatus, RuleSet
from .rules import with_defaults


def today() -> dt.date:
    """Today in Almaty: the day the Centre's deadlines count in."""
    return local_date(utcnow())


def current_rule_set(session: Session) -> RuleSet:
    rule_set = session.scalar(select(RuleSet).order_by(RuleSet.version.desc()).limit(1))
    if rule_set is None:
        raise RuntimeError("no rule set: run the migrations (flask --app wsgi init-db)")
    return rule_set


def rules_for(case: Case) -> dict[str, Any]:
    session = session_of(case)
    if case.rule_set_version is not None:
        rule_set = session.get_one(RuleSet, case.rule_set_version)
    else:
        rule_set = current_rule_set(session)
    return with_defaults(rule_set.rules)


def open_deadline(case: Case, key: str) -> Deadline | None:
    return next(
        (d for d in case.deadlines if d.key == key and d.status is DeadlineStatus.OPEN), None
    )


def is_open(case: Case, key: str) -> bool:
    return open_deadline(case, key) is not None


def is_running(case: Case, key: str) -> bool:
    """A deadline is open and its last day has not passed: a window still open to act in
    (a deadline stays open after its day until something meets or cancels it)."""
    deadline = open_deadline(case, key)
    return deadline is not None and not deadline.passed(today())


def is_overdue(case: Case, key: str) -> bool:
    """A deadline is open and its last day has passed (the next step may go on without it)."""
    deadline = open_deadline(case, key)
    return deadline is not None and deadline.passed(today())


def may_extend_mediation(case: Case) -> str | None:
    deadline = open_deadline(case, "mediation_conclusion")
    if deadline is None:
        return N_("The mediation has no running time limit to extend.")
    if deadline.extensions >= rules_for(case)["mediation_extensions_allowed"]:
        return N_("The mediation has already been extended once.")
    return None


def dormant(case: Case) -> bool:
    """Nothing has happened in this mediation for the rule set's inactivity period."""
    if case.last_activity_at is None or case.suspended_since is not None:
        return False
    days = rules_for(case)["mediation_inactivity_days"]
    return local_date(case.last_activity_at) + dt.timedelta(days=days) <= today()
