"""What the scheduler does every day (`flask --app wsgi deadlines remind`, from cron).

It tells the people who must act that a deadline is near, once, and that it has passed,
once; it tells the registry, once, of a case whose respondent has not joined within the rule
set's period (the reminder is recorded in the case's trail); and it terminates mediations in
which nothing happened for the rule set's inactivity period (the registry then issues the
termination certificate). Running it twice on one day does nothing the second time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from ..auth.models import User
from ..cases.models import Case
from ..db import utcnow
from ..notices.operations import clerks, notify
from ..parties.models import Side
from ..suspensions.operations import resume_due
from ..texts import N_
from ..workflow import engine
from ..workflow.models import record
from .models import Deadline
from .operations import absent_respondents, dormant_mediations, lapse_windows, reminders_due
from .rules import DEADLINE_LABELS

# Who must act before each deadline, and so is reminded of it.
#   respondent_side: the respondent's representatives and counsel on the case
#   parties:         the claimant, and everyone acting for either side
#   mediator:        the mediator who accepted the case
#   tribunal:        every arbitrator who accepted a seat
#   clerks:          every active clerk (the registry)
RECIPIENTS: dict[str, tuple[str, ...]] = {
    "response": ("respondent_side", "clerks"),
    "mediator_appointment": ("clerks",),
    "mediation_conclusion": ("mediator", "parties"),
    "tribunal_constitution": ("clerks",),
    "first_session": ("tribunal",),
    "award": ("tribunal",),
    "correction_request": ("parties",),
    "correction_decision": ("tribunal",),
    "party_nomination": ("parties", "clerks"),
    "presiding_nomination": ("tribunal", "parties"),
    "challenge_explanation": ("tribunal", "parties"),
    "challenge_decision": ("tribunal", "clerks"),
    "vacancy": ("parties", "clerks"),
    "merit_objection": ("parties",),
    "merit_decision": ("tribunal",),
    "bifurcation_decision": ("tribunal",),
    "jurisdiction_decision": ("tribunal",),
    "provisional_observations": ("parties",),
    "provisional_decision": ("tribunal",),
    "discontinuance_objection": ("parties",),
    "inactivity_notice": ("parties", "tribunal"),
    "non_disputing_observations": ("parties",),
    "declaration_reconfirmation": ("mediator", "tribunal"),
    "memorial": ("parties",),
    "counter_memorial": ("parties",),
    "reply": ("parties",),
    "rejoinder": ("parties",),
    "costs_statement": ("parties",),
    "default_grace": ("parties", "tribunal"),
    "advance_payment": ("parties",),
    "advance_substitution": ("parties",),
}

SOON = N_("%(reference)s: %(deadline)s is due on %(date)s, in %(days)s days.")
DUE_TODAY = N_("%(reference)s: %(deadline)s is due today, %(date)s.")
OVERDUE = N_("%(reference)s: %(deadline)s is overdue: it was due on %(date)s.")
RESPONDENT_ABSENT = N_(
    "%(reference)s: the respondent has not joined the case %(days)s days after its "
    "registration. Check the invitation to the respondent's representative: send a new one, "
    "or serve the case by other means."
)
AWARD_OVERDUE = N_(
    "%(reference)s: the award was due on %(date)s and is overdue. Issue a notice of delay "
    "that gives the parties the new expected date of the award."
)


@dataclass
class RunReport:
    soon: int = 0  # "due soon" reminders (deadlines)
    overdue: int = 0  # "overdue" notices (deadlines)
    notices: int = 0  # notices sent to people
    absent: list[str] = field(default_factory=list)  # references: the respondent not joined
    terminated: list[str] = field(default_factory=list)  # references of lapsed mediations
    skipped: list[str] = field(default_factory=list)  # dormant, but could not be lapsed
    resumed: list[str] = field(default_factory=list)  # suspensions by agreement that ended
    lapsed: int = 0  # windows a party did not use (deadlines.operations.lapse_windows)


def recipients(session: Session, case: Case, key: str) -> list[User]:
    """The people who must act before this deadline of this case (active accounts only)."""
    people: dict[int, User] = {}
    accepted = [a for a in case.appointments if a.status.value == "accepted"]
    for group in RECIPIENTS.get(key, ("clerks",)):
        if group == "clerks":
            found = clerks(session)
        elif group == "respondent_side":
            found = [p.user for p in case.participants if p.side is Side.RESPONDENT]
        elif group == "parties":
            found = [case.claimant_user, *(p.user for p in case.participants)]
        elif group == "mediator":
            found = [a.user for a in accepted if not a.capacity.in_tribunal]
        elif group == "tribunal":
            found = [a.user for a in accepted if a.capacity.in_tribunal]
        else:  # pragma: no cover - a typo in RECIPIENTS
            raise KeyError(group)
        people.update((u.id, u) for u in found if u.is_active)
    return list(people.values())


def remind(session: Session, deadline: Deadline, kind: str, *, day: dt.date) -> int:
    """Send one reminder ("soon" or "overdue") about one deadline; returns how many people
    were told. The deadline remembers it, so it goes out once."""
    case = session.get(Case, deadline.case_id)
    assert case is not None
    params: dict[str, Any] = {
        "reference": case.reference,
        "deadline": DEADLINE_LABELS.get(deadline.key, deadline.key),
        "date": deadline.due_on.isoformat(),
    }
    if kind == "overdue":
        message = AWARD_OVERDUE if deadline.key == "award" else OVERDUE
        deadline.overdue_notified_at = utcnow()
    else:
        days = (deadline.due_on - day).days
        message = DUE_TODAY if days == 0 else SOON
        params["days"] = days
        deadline.reminded_at = utcnow()
    people = recipients(session, case, deadline.key)
    for user in people:
        notify(user, case, message, params)
    session.flush()
    return len(people)


def send_reminders(session: Session, day: dt.date, report: RunReport | None = None) -> RunReport:
    report = report or RunReport()
    for deadline, kind in reminders_due(session, day):
        report.notices += remind(session, deadline, kind, day=day)
        if kind == "overdue":
            report.overdue += 1
        else:
            report.soon += 1
    return report


def remind_absent_respondents(
    session: Session, day: dt.date, report: RunReport | None = None
) -> RunReport:
    """Tell every clerk, once, of each case whose respondent has not joined in time; the
    case's trail records that the registry was told (and so that it was, once)."""
    report = report or RunReport()
    for case, days in absent_respondents(session, day):
        record(None, case, "respondent_absent", data={"days": days})
        people = clerks(session)  # the active ones
        for user in people:
            notify(user, case, RESPONDENT_ABSENT, {"reference": case.reference, "days": days})
        report.notices += len(people)
        report.absent.append(case.reference)
    session.flush()
    return report


def terminate_dormant(session: Session, report: RunReport | None = None) -> RunReport:
    """Apply "lapse" to every dormant mediation, each in its own savepoint: one that moved
    on meanwhile (another run, a late act) is skipped, not the whole run."""
    report = report or RunReport()
    terminated, skipped = engine.apply_each(
        session, dormant_mediations(session), lambda case: engine.apply(None, case, "lapse")
    )
    report.terminated += terminated
    report.skipped += skipped
    return report


def run(session: Session, day: dt.date) -> RunReport:
    """The daily run: the suspensions whose agreed day has come end first (their deadlines
    run again, and are reminded of like the others), the windows that passed unused lapse,
    then the reminders (a mediation about
    to lapse still gets its notice), the absent respondents, then the terminations. Flushes;
    the caller commits."""
    resumed, skipped = resume_due(session, day)
    lapsed = lapse_windows(session, day)
    report = send_reminders(
        session, day, RunReport(resumed=resumed, skipped=skipped, lapsed=lapsed)
    )
    report = remind_absent_respondents(session, day, report)
    return terminate_dormant(session, report)
