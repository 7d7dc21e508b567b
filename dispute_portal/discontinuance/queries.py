"""Ending without an award and the choice of mediation: what the case says now.

The guards of the workflow table's rows for discontinuance (ICSID Arbitration Rules 2022,
rules 55-57) and for mediation as the parties choose. Each says why an act cannot be taken
now (None when it can). They read the case, its events and its deadlines, nothing above.

A request for discontinuance (rule 56) lives in its deadline, `discontinuance_objection`:
open and running, the other party may still object; met, the other party objected (the
request lapsed and the proceeding goes on); open and past its day, nobody objected and the
tribunal (or the registry before the tribunal is constituted) orders the discontinuance.
A notice of inactivity (rule 57) lives the same way in `inactivity_notice`: a party's step
meets it; past its day, the scheduler discontinues the proceeding.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, or_, select

from ..cases.models import Case
from ..db import session_of
from ..deadlines.calendar import local_date
from ..deadlines.queries import is_open, is_overdue, is_running, rules_for, today
from ..deadlines.rules import setting
from ..neutrals.queries import no_mediator_yet
from ..parties.models import Side
from ..texts import N_
from ..workflow.models import CaseEvent
from ..workflow.states import CaseState

REQUEST = "request_discontinuance"
AGREED_TO_MEDIATE = "agree_to_mediate"
# Where the parties must take the next step, and so where their silence counts (rule 57):
# a mediation that sleeps lapses by its own rule; a registered case waits on the registry.
INACTIVITY_STATES = frozenset({CaseState.IMPASSE, CaseState.ARBITRATION})


# The tribunal or the registry -------------------------------------------------------------


def before_tribunal(case: Case) -> str | None:
    """The registry acts for the Centre until the tribunal is constituted; then the tribunal
    does."""
    if case.tribunal_constituted_at is not None:
        return N_("The tribunal is constituted: the tribunal decides this.")
    return None


def _tribunal(case: Case) -> str | None:
    if case.tribunal_constituted_at is None:
        return N_("The tribunal is not constituted yet.")
    return None


# Discontinuance at a party's request (rule 56) ------------------------------------------


def pending_request(case: Case) -> CaseEvent | None:
    """The request for discontinuance whose objection window is still open (running or
    passed without an objection), or None."""
    if not is_open(case, "discontinuance_objection"):
        return None
    return case.last_event(REQUEST)


def requesting_side(case: Case) -> Side | None:
    request = pending_request(case)
    side = (request.data or {}).get("side") if request is not None else None
    return Side(side) if side in {s.value for s in Side} else None


def may_request(case: Case) -> str | None:
    if is_open(case, "discontinuance_objection"):
        return N_("A request for discontinuance is already pending.")
    return None


def _objectionable(case: Case, side: Side) -> str | None:
    if requesting_side(case) is not side:
        return N_("There is no request of the other party to object to.")
    if not is_running(case, "discontinuance_objection"):
        return N_("The time to object to the discontinuance has passed.")
    return None


def claimant_request_open(case: Case) -> str | None:
    """The respondent may object to the claimant's request while its window runs."""
    return _objectionable(case, Side.CLAIMANT)


def respondent_request_open(case: Case) -> str | None:
    return _objectionable(case, Side.RESPONDENT)


def _unopposed(case: Case) -> str | None:
    if not is_open(case, "discontinuance_objection"):
        return N_("No request for discontinuance is pending.")
    if not is_overdue(case, "discontinuance_objection"):
        return N_("The other party may still object to the discontinuance.")
    return None


def unopposed_before_tribunal(case: Case) -> str | None:
    return _unopposed(case) or before_tribunal(case)


def unopposed_with_tribunal(case: Case) -> str | None:
    return _unopposed(case) or _tribunal(case)


# Discontinuance for failure to act (rule 57) --------------------------------------------


def last_step_at(case: Case) -> dt.datetime | None:
    """When the parties last took a step, or the proceeding last moved on (a change of state,
    the constitution of the tribunal) and so gave them something new to do."""
    party_ids = {case.claimant_user_id} | {p.user_id for p in case.participants}
    latest = session_of(case).scalar(
        select(func.max(CaseEvent.at)).where(
            CaseEvent.case_id == case.id,
            or_(CaseEvent.actor_id.in_(party_ids), CaseEvent.from_state != CaseEvent.to_state),
        )
    )
    moments = [m for m in (latest, case.tribunal_constituted_at) if m is not None]
    return max(moments, default=None)


def inactive_since(case: Case) -> dt.date | None:
    """The day of the parties' last step when they have taken none for the rule set's period
    (`inactivity_days`), else None."""
    last = last_step_at(case)
    if last is None:
        return None
    days = setting(rules_for(case), "inactivity_days")
    day = local_date(last)
    return day if day + dt.timedelta(days=days) <= today() else None


def parties_inactive(case: Case) -> str | None:
    if case.state not in INACTIVITY_STATES:
        return N_("The parties have nothing to do at this stage.")
    if case.suspended_since is not None:  # the parties owe no step while it is suspended
        return N_("The proceeding is suspended: this can be done once it resumes.")
    if is_open(case, "inactivity_notice"):
        return N_("A notice of inactivity has already been given.")
    if case.last_submission_on is not None and case.last_submission_on <= today():
        return N_("The tribunal is deliberating on the award: the parties owe no step.")
    if inactive_since(case) is None:
        return N_("A party has taken a step in the proceeding recently.")
    return None


def inactivity_unanswered(case: Case) -> str | None:
    if not is_overdue(case, "inactivity_notice"):
        return N_("No notice of inactivity has gone unanswered.")
    return None


# Mediation as the parties choose ----------------------------------------------------------


def mediation_first(case: Case) -> bool:
    """Whether the case's rule set sends a registered case to mediation first."""
    return bool(setting(rules_for(case), "mediation_first"))


def agreed_to_mediate(case: Case) -> bool:
    return case.last_event(AGREED_TO_MEDIATE) is not None


def mediation_is_default(case: Case) -> str | None:
    """Skipping mediation takes the parties' agreement when the rules put mediation first."""
    if not mediation_first(case):
        return N_("Under this case's rules arbitration comes first: refer the case.")
    return None


def arbitration_default(case: Case) -> str | None:
    """Under rules that put arbitration first, the registry refers a registered case unless
    the parties agreed to mediate."""
    if mediation_first(case):
        return N_("Under this case's rules mediation comes first, unless the parties agree.")
    if agreed_to_mediate(case):
        return N_("The parties agreed to mediate: the registry proposes a mediator.")
    return None


def may_agree_to_mediate(case: Case) -> str | None:
    if mediation_first(case):
        return N_("Under this case's rules mediation comes first: nothing to agree.")
    if agreed_to_mediate(case):
        return N_("The parties' agreement to mediate is already recorded.")
    return None


def mediation_chosen(case: Case) -> str | None:
    """The guard of proposing a mediator: none proposed yet, and mediation is the case's
    road (its rules put it first, or the parties agreed to it); during the mediation, only
    to fill the seat its mediator left vacant."""
    if case.state is CaseState.MEDIATION and not is_open(case, "vacancy"):
        return N_("No seat is vacant on this case.")
    if not mediation_first(case) and not agreed_to_mediate(case):
        return N_(
            "Under this case's rules the case goes to arbitration unless the parties agree "
            "to mediate: record their agreement first."
        )
    return no_mediator_yet(case)
