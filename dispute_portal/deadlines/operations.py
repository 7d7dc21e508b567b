"""Starting, meeting, extending and reminding of deadlines.

The workflow table says which act starts or meets which deadline; this module knows how
long each one runs (the case's rule set) and on which day it falls (the case's calendar,
`calendars.calendar_for`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from ..cases.models import Case, docket_key
from ..db import session_of, utcnow
from ..parties.models import Participant, Side
from ..texts import N_, Refusal
from ..workflow.engine import Change
from ..workflow.states import CaseState
from ..workflow.transitions import FINAL, PROCEEDING
from .calendar import (
    Calendar,
    OutsideCalendar,
    add_calendar_days,
    due_date,
    local_date,
    next_business_day,
)
from .calendars import calendar_for, current_version, pin_calendar
from .models import Deadline, DeadlineStatus, RuleSet
from .queries import current_rule_set, dormant, is_open, open_deadline, rules_for
from .rules import LAPSING, RESPONDENT_JOIN_DAYS, setting


class DeadlineRefused(Refusal):
    pass


def amount_in_usd(case: Case, rules: dict[str, Any]) -> Decimal | None:
    if case.amount_claimed is None or case.claimed_currency is None:
        return None
    rate = rules["usd_per_unit"].get(str(case.claimed_currency))
    return None if rate is None else case.amount_claimed * Decimal(rate)


def fix_rules(case: Case) -> None:
    """At registration: the case runs under today's rule set and calendar, and on the
    expedited track if the amount claimed is within its limit (an amount we cannot convert
    is not expedited)."""
    pin_calendar(case)
    rule_set = current_rule_set(session_of(case))
    case.rule_set_version = rule_set.version
    usd = amount_in_usd(case, rule_set.rules)
    case.expedited = usd is not None and usd <= Decimal(rule_set.rules["expedited_limit_usd"])


def start(case: Case, key: str, *, at: dt.datetime) -> Deadline | None:
    """Start a deadline (a running one of the same key is superseded). None if it does not
    apply yet: the award's 240 days run only once the last submission's date is set, and the
    mediator's appointment only on the road to mediation."""
    rules = rules_for(case)
    rule_key, start_on = key, local_date(at)
    if key == "mediator_appointment" and not _mediation_chosen(case, rules):
        return None  # under rules that put arbitration first, only once the parties agree
    if key == "award":
        if case.expedited and case.tribunal_constituted_at is not None:
            rule_key, start_on = "award_expedited", local_date(case.tribunal_constituted_at)
            if is_open(case, "award"):
                return None  # the expedited clock runs from constitution, once
        elif case.last_submission_on is not None:
            start_on = case.last_submission_on
        else:
            return None
    rule = rules["deadlines"][rule_key]
    due = _within(calendar_for(case), lambda c: due_date(start_on, rule["amount"], rule["unit"], c))
    return _running(case, key, starts_on=start_on, due=due, at=at)


def _mediation_chosen(case: Case, rules: dict[str, Any]) -> bool:
    if setting(rules, "mediation_first"):
        return True
    return case.last_event("agree_to_mediate") is not None


def start_on(case: Case, key: str, due: dt.date, *, at: dt.datetime) -> Deadline:
    """Start a deadline whose date is set (by the tribunal's order, not the rule set): on
    `due`, or the next business day of the case's calendar when it is a day off. A running
    one of the same key is superseded, so a later order may change the date."""
    due = _within(calendar_for(case), lambda c: next_business_day(due, c))
    return _running(case, key, starts_on=min(local_date(at), due), due=due, at=at)


def _running(
    case: Case, key: str, *, starts_on: dt.date, due: dt.date, at: dt.datetime
) -> Deadline:
    """A new running deadline of this key; a running one of the same key is superseded."""
    if (running := open_deadline(case, key)) is not None:
        _close(running, DeadlineStatus.CANCELLED, at)
    deadline = Deadline(
        key=key,
        rule_version=case.rule_set_version or current_rule_set(session_of(case)).version,
        calendar_version=current_version(session_of(case)).version,
        starts_on=starts_on,
        due_on=due,
        original_due_on=due,
        # Asked before the flush: the act's notice gives its date, a later order in the
        # same request supersedes it.
        status=DeadlineStatus.OPEN,
    )
    case.deadlines.append(deadline)
    return deadline


def _within(calendar: Calendar, compute: Callable[[Calendar], dt.date]) -> dt.date:
    """A date computed on the calendar; a refusal if it runs beyond the years it holds."""
    try:
        return compute(calendar)
    except OutsideCalendar:
        raise DeadlineRefused(
            N_("That date is outside the Centre's calendar (%(first)s to %(last)s)."),
            first=calendar.first.isoformat(),
            last=calendar.last.isoformat(),
        ) from None


def falls_on(case: Case, day: dt.date) -> dt.date:
    """The business day a deadline set for `day` falls on, in the case's calendar; a day the
    calendar does not hold stays as it is (only a preview asks: the act itself refuses it)."""
    try:
        return next_business_day(day, calendar_for(case))
    except OutsideCalendar:
        return day


def satisfy(case: Case, key: str, *, at: dt.datetime) -> None:
    if (deadline := open_deadline(case, key)) is not None:
        _close(deadline, DeadlineStatus.MET, at)


def cancel(case: Case, key: str, *, at: dt.datetime) -> None:
    """A running deadline of this key stops without being met (what it was for is put off)."""
    if (deadline := open_deadline(case, key)) is not None:
        _close(deadline, DeadlineStatus.CANCELLED, at)


def cancel_running(case: Case, *, at: dt.datetime, keep: tuple[str, ...] = ()) -> None:
    for deadline in case.deadlines:
        if deadline.status is DeadlineStatus.OPEN and deadline.key not in keep:
            _close(deadline, DeadlineStatus.CANCELLED, at)


def pause(case: Case, *, on: dt.date) -> None:
    """The case is suspended: its running deadlines stop counting from `on`."""
    for deadline in case.deadlines:
        if deadline.status is DeadlineStatus.OPEN and deadline.paused_on is None:
            deadline.paused_on = on


def resume(case: Case, *, on: dt.date) -> None:
    """The suspension ended on `on`: each paused deadline is due as many calendar days later
    as it had left when it paused (on the next business day of the case's calendar); one
    that was already overdue keeps its date."""
    for deadline in case.deadlines:
        if deadline.status is not DeadlineStatus.OPEN or deadline.paused_on is None:
            continue
        left = (deadline.due_on - deadline.paused_on).days
        if left >= 0:
            day = on + dt.timedelta(days=left)
            deadline.due_on = _within(calendar_for(case), partial(next_business_day, day))
            deadline.reminded_at = None  # a new date earns a new reminder
        deadline.paused_on = None


def _close(deadline: Deadline, status: DeadlineStatus, at: dt.datetime) -> None:
    deadline.status = status
    deadline.closed_at = at


def lapse_windows(session: Session, day: dt.date) -> int:
    """Close every window (LAPSING) whose last day is before `day` and that was not used:
    it is no longer running (the scheduler's daily run). Returns how many lapsed."""
    windows = session.scalars(
        select(Deadline).where(Deadline.key.in_(sorted(LAPSING)), Deadline.passed_by(day))
    ).all()
    for window in windows:
        _close(window, DeadlineStatus.CANCELLED, utcnow())
    session.flush()
    return len(windows)


def follow_transition(change: Change) -> None:
    """The workflow's effect on deadlines: meet those the act satisfies, stop those it
    cancels, cancel what the act's entering a final state leaves running, start those it
    starts (the table names each)."""
    case, t, now = change.case, change.transition, change.at
    for key in sorted(LAPSING):  # a window that passed unused ends with the next act too
        window = open_deadline(case, key)
        if window is not None and window.passed(local_date(now)):
            _close(window, DeadlineStatus.CANCELLED, now)
    for key in t.satisfies:
        satisfy(case, key, at=now)
    for key in t.cancels:
        cancel(case, key, at=now)
    # Only the act that enters the final state (or closes the case) cancels: the acts within
    # an awarded case (a request for correction, a submission, an extension) keep the
    # correction window that the award started running.
    if change.event.changes_state and (case.state in FINAL or case.state is CaseState.CLOSED):
        cancel_running(case, at=now, keep=t.starts)
    for key in t.starts:
        start(case, key, at=now)


def plan_extension(deadline: Deadline, new_due: dt.date) -> dict[str, Any]:
    """What moving this deadline to `new_due` would record (nothing is changed yet):
    the act is checked and audited first, then `extend` applies the plan."""
    if deadline.status is not DeadlineStatus.OPEN:
        raise DeadlineRefused(N_("Only a running deadline can be extended."))
    new_due = _working_day(deadline, new_due)
    if new_due <= deadline.due_on:
        raise DeadlineRefused(N_("The new date must be later than the current one."))
    return _plan(deadline, new_due)


def _working_day(deadline: Deadline, day: dt.date) -> dt.date:  # on the case's calendar
    case = session_of(deadline).get_one(Case, deadline.case_id)
    return _within(calendar_for(case), lambda c: next_business_day(day, c))


def _plan(deadline: Deadline, new_due: dt.date) -> dict[str, Any]:
    return {
        "deadline": deadline.key,
        "from": deadline.due_on.isoformat(),
        "to": new_due.isoformat(),
    }


def plan_shortening(deadline: Deadline, new_due: dt.date, *, today: dt.date) -> dict[str, Any]:
    """Bringing this deadline forward (what cannot wait): to a working day from `today` on,
    before the current last day. `move` applies the plan."""
    if new_due < today:
        raise DeadlineRefused(N_("The new last day cannot be before today."))
    new_due = _working_day(deadline, new_due)
    if deadline.status is not DeadlineStatus.OPEN or new_due >= deadline.due_on:
        raise DeadlineRefused(
            N_(
                "The new last day (the next working day if it is not one) must come before "
                "the current one."
            )
        )
    return _plan(deadline, new_due)


def move(deadline: Deadline, plan: dict[str, Any], *, reason: str) -> None:
    """Apply a new last day (plan_extension, plan_shortening), with its reasons."""
    deadline.due_on = dt.date.fromisoformat(plan["to"])
    deadline.last_reason = reason
    deadline.reminded_at = None  # a new date earns a new reminder
    deadline.overdue_notified_at = None


def extend(deadline: Deadline, plan: dict[str, Any], *, reason: str) -> None:
    move(deadline, plan, reason=reason)
    deadline.extensions += 1


def plan_mediation_extension(case: Case) -> tuple[Deadline, dict[str, Any]]:
    deadline = open_deadline(case, "mediation_conclusion")
    if deadline is None:
        raise DeadlineRefused(N_("The mediation has no running time limit to extend."))
    days = rules_for(case)["mediation_extension_days"]
    new_due = _within(calendar_for(case), lambda c: add_calendar_days(deadline.due_on, days, c))
    return deadline, plan_extension(deadline, new_due)


def dormant_mediations(session: Session) -> list[Case]:
    """Cases in mediation whose last activity is older than the shortest inactivity period
    of any rule set; each is then checked against its own rule set."""
    shortest = min(
        (r.rules["mediation_inactivity_days"] for r in session.scalars(select(RuleSet))),
        default=120,
    )
    cutoff = utcnow() - dt.timedelta(days=shortest - 1)
    candidates = session.scalars(
        select(Case)
        .where(Case.state == CaseState.MEDIATION, Case.last_activity_at < cutoff)
        .order_by(Case.id)
    )
    return [case for case in candidates if dormant(case)]


def absent_respondents(session: Session, day: dt.date) -> list[tuple[Case, int]]:
    """Cases under way whose respondent has not joined within their rule set's period since
    registration, and about which the registry was not reminded yet; each with the period."""
    shortest = min(
        (setting(r.rules, "respondent_join_days") for r in session.scalars(select(RuleSet))),
        default=RESPONDENT_JOIN_DAYS,
    )
    # Registered on or before the last day that can qualify (a day's slack for Almaty time).
    cutoff = dt.datetime.combine(day - dt.timedelta(days=shortest - 1), dt.time(), dt.UTC)
    joined = select(Participant.case_id).where(Participant.side == Side.RESPONDENT)
    candidates = session.scalars(
        select(Case)
        .where(Case.state.in_(PROCEEDING), Case.registered_at < cutoff, Case.id.not_in(joined))
        .order_by(Case.id)
    )
    due: list[tuple[Case, int]] = []
    for case in candidates:
        assert case.registered_at is not None  # the query asks for it
        days = setting(rules_for(case), "respondent_join_days")
        late = local_date(case.registered_at) + dt.timedelta(days=days) <= day
        if late and case.last_event("respondent_absent") is None:
            due.append((case, days))
    return due


def reminders_due(session: Session, day: dt.date) -> list[tuple[Deadline, str]]:
    """Open deadlines that need a reminder today: ("soon", d) once within the reminder
    window, ("overdue", d) once after the day has passed."""
    longest = max(
        (r.rules["remind_days_before"] for r in session.scalars(select(RuleSet))), default=5
    )
    rows = session.scalars(
        select(Deadline)
        .where(
            Deadline.status == DeadlineStatus.OPEN,
            Deadline.paused_on.is_(None),
            Deadline.due_on <= day + dt.timedelta(days=longest),
        )
        .order_by(Deadline.due_on, Deadline.id)
    ).all()
    due: list[tuple[Deadline, str]] = []
    for deadline in rows:
        window = session.get_one(RuleSet, deadline.rule_version).rules["remind_days_before"]
        if deadline.passed(day):
            # A window (LAPSING) that passed unused is not overdue: nobody failed to act.
            if deadline.overdue(day) and deadline.overdue_notified_at is None:
                due.append((deadline, "overdue"))
        elif (
            day <= deadline.due_on <= day + dt.timedelta(days=window)
            and deadline.reminded_at is None
        ):
            due.append((deadline, "soon"))
    return due


def refresh_next(case: Case) -> None:
    """Write the case's earliest running deadline (and the lists' sort key) onto the case."""
    # A deadline not yet flushed has no status: its column default (open) comes at insert.
    running = [
        d for d in case.deadlines if d.status in (DeadlineStatus.OPEN, None) and d.paused_on is None
    ]
    first = min(running, key=lambda d: (d.due_on, d.id or 0), default=None)
    due, key = (first.due_on, first.key) if first else (None, None)
    order = docket_key(due, case.number)
    if (case.next_due_on, case.next_deadline_key, case.docket_order) != (due, key, order):
        case.next_due_on, case.next_deadline_key, case.docket_order = due, key, order


def _changed(obj: Any, *names: str) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


@event.listens_for(Session, "before_flush")
def _keep_next_deadline(session: Session, _context: Any, _instances: Any) -> None:
    """One place keeps cases.next_due_on current: whatever starts, meets, cancels or moves a
    deadline, or numbers a case, goes through a flush, and this runs before it."""
    deadlines = {
        obj
        for obj in (*session.new, *session.dirty)
        if isinstance(obj, Deadline)
        and (obj in session.new or _changed(obj, "status", "due_on", "paused_on"))
    }
    cases: set[Case | None] = {
        obj
        for obj in (*session.new, *session.dirty)
        if isinstance(obj, Case) and (obj in session.new or _changed(obj, "number"))
    }
    if deadlines:
        with session.no_autoflush:
            for obj in list(session.identity_map.values()) + list(session.new):
                if not (isinstance(obj, Case) and "deadlines" in obj.__dict__):
                    continue  # not a case, or one whose deadlines are not loaded
                if deadlines.intersection(obj.deadlines):
                    cases.add(obj)
                    deadlines.difference_update(obj.deadlines)
            for deadline in deadlines:  # changed without its case's list at hand
                if deadline.case_id is not None:
                    cases.add(session.get(Case, deadline.case_id))
    with session.no_autoflush:
        for case in cases:
            if case is not None:
                refresh_next(case)
