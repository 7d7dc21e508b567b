"""What the award, the costs and the counterclaims of a case say now, and the guards of their
rows in the workflow table (each says why an act cannot be taken now, None when it can)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from ..auth.models import User
from ..cases.models import Case
from ..db import session_of
from ..deadlines import queries as deadlines
from ..deadlines.models import DeadlineStatus
from ..neutrals.models import Appointment
from ..parties.models import Side
from ..texts import N_
from .models import (
    AwardDraft,
    AwardOpinion,
    CostsDecision,
    CostsMode,
    CostsStatement,
    Counterclaim,
    DraftKind,
)

# A suspended proceeding waits (workflow/rows.py says the same of every act that does not go
# on in a suspension); the tribunal still deliberates on a settlement's draft.
SUSPENDED = N_("The proceeding is suspended: this can be done once it resumes.")
# The longest grace period a tribunal may give a party in default.
GRACE_DAYS = 60


def members(case: Case) -> list[Appointment]:
    """The accepted members of the tribunal, the chair first."""
    found = [
        a
        for a in case.appointments
        if a.active and a.capacity.in_tribunal and a.status.value == "accepted"
    ]
    return sorted(found, key=lambda a: (not a.capacity.chairs, a.id))


def is_member(case: Case, user: User) -> bool:
    return any(a.user_id == user.id for a in members(case))


def collegial(case: Case) -> bool:
    """A tribunal of more than one member: its award is approved by a majority."""
    return len(members(case)) > 1


def majority(case: Case) -> int:
    return len(members(case)) // 2 + 1


def drafts(case: Case) -> list[AwardDraft]:
    query = select(AwardDraft).where(AwardDraft.case_id == case.id).order_by(AwardDraft.number)
    return list(session_of(case).scalars(query))


def current_draft(case: Case) -> AwardDraft | None:
    """The draft before the tribunal: the latest one, while it is not issued yet (the
    tribunal deliberates on one text at a time, of whichever kind)."""
    found = drafts(case)
    return found[-1] if found and found[-1].issued_at is None else None


def issued_award(case: Case) -> AwardDraft | None:
    return next(
        (d for d in reversed(drafts(case)) if d.issued_at and d.kind is DraftKind.AWARD), None
    )


def approvers(draft: AwardDraft, case: Case) -> list[int]:
    """The members (user ids) who approved this draft and are members still."""
    ids = {a.user_id for a in members(case)}
    return [a.user_id for a in draft.approvals if a.user_id in ids]


def opinions(case: Case) -> list[AwardOpinion]:
    query = select(AwardOpinion).where(AwardOpinion.case_id == case.id).order_by(AwardOpinion.id)
    return list(session_of(case).scalars(query))


def costs_statements(case: Case) -> list[CostsStatement]:
    query = (
        select(CostsStatement).where(CostsStatement.case_id == case.id).order_by(CostsStatement.id)
    )
    return list(session_of(case).scalars(query))


def counterclaims(case: Case) -> list[Counterclaim]:
    query = select(Counterclaim).where(Counterclaim.case_id == case.id).order_by(Counterclaim.id)
    return list(session_of(case).scalars(query))


def costs_decisions(case: Case) -> list[CostsDecision]:
    query = select(CostsDecision).where(CostsDecision.case_id == case.id).order_by(CostsDecision.id)
    return list(session_of(case).scalars(query))


def sides_filed_costs(case: Case, since: dt.datetime | None = None) -> set[Side]:
    return {s.side for s in costs_statements(case) if since is None or s.filed_at >= since}


def _constituted(case: Case) -> str | None:
    if case.tribunal_constituted_at is None:
        return N_("The tribunal is not constituted yet.")
    return None


# Guards of the table ----------------------------------------------------------------------


def draft_submittable(case: Case) -> str | None:
    """A tribunal of three deliberates on drafts: of the award (or a consent award) while
    the arbitration runs, of a decision on costs while one may be made (after an award
    that reserved the costs too)."""
    if why := _constituted(case):
        return why
    if not collegial(case):
        return N_("A sole arbitrator decides directly, without a draft.")
    if case.state.value == "awarded" and (why := costs_open(case)):
        return why
    return None


def draft_to_approve(case: Case) -> str | None:
    if why := _constituted(case):
        return why
    if not collegial(case):
        return N_("A sole arbitrator decides directly, without a draft.")
    draft = current_draft(case)
    if draft is None:
        return N_("The presiding arbitrator has not put a draft to the tribunal.")
    if case.suspended_since is not None and draft.kind is not DraftKind.CONSENT_AWARD:
        return SUSPENDED
    return None


def opinion_open(case: Case) -> str | None:
    """A member's opinion goes with the award: while a draft of the award is before them."""
    if why := draft_to_approve(case):
        return why
    draft = current_draft(case)
    if draft is None or draft.kind is not DraftKind.AWARD:
        return N_("An opinion is attached to the award: no draft of the award is before you.")
    return None


NO_DRAFT = {
    DraftKind.AWARD: N_(
        "The presiding arbitrator has not put a draft of the award to the tribunal."
    ),
    DraftKind.CONSENT_AWARD: N_(
        "The presiding arbitrator has not put a draft of the award embodying the settlement "
        "to the tribunal."
    ),
    DraftKind.COSTS_DECISION: N_(
        "The presiding arbitrator has not put a draft of the decision on costs to the tribunal."
    ),
}


def approved(case: Case, kind: DraftKind) -> str | None:
    """A tribunal of three decides once a majority of its members approved the current
    draft, of this kind; a sole arbitrator decides alone."""
    if why := _constituted(case):
        return why
    if not collegial(case):
        return None
    draft = current_draft(case)
    if draft is None or draft.kind is not kind:
        return NO_DRAFT[kind]
    if len(approvers(draft, case)) < majority(case):
        return N_("A majority of the tribunal has not approved the current draft.")
    return None


def award_issuable(case: Case) -> str | None:
    return approved(case, DraftKind.AWARD)


def consent_issuable(case: Case) -> str | None:
    return approved(case, DraftKind.CONSENT_AWARD)


def costs_orderable(case: Case) -> str | None:
    return _constituted(case)


def costs_statement_due(case: Case) -> str | None:
    if not any(d.key == "costs_statement" for d in case.deadlines):
        return N_("The tribunal has not set the date for the statements of costs.")
    return None


def costs_decidable(case: Case) -> str | None:
    """A separate decision on costs: before the award, or after an award that reserved the
    costs for it; once; a tribunal of three's once its majority approved the draft."""
    return costs_open(case) or approved(case, DraftKind.COSTS_DECISION)


def costs_open(case: Case) -> str | None:
    if why := _constituted(case):
        return why
    if costs_decisions(case):
        return N_("The tribunal has already decided on costs.")
    if case.state.value == "awarded":
        award = issued_award(case)
        if award is None or award.costs_mode is not CostsMode.RESERVED:
            return N_("The award decided the costs.")
    return None


def counterclaim_limit(case: Case) -> dt.date | None:
    """The last day for a counterclaim (ICSID rule 48): the rejoinder's, else the
    counter-memorial's; None while the timetable sets neither."""
    for key in ("rejoinder", "counter_memorial"):
        dated = [
            d for d in case.deadlines if d.key == key and d.status is not DeadlineStatus.CANCELLED
        ]
        if dated:
            return max(d.due_on for d in dated)
    return None


def counterclaim_late(case: Case) -> bool:
    limit = counterclaim_limit(case)
    return limit is not None and deadlines.today() > limit


def late_counterclaim_allowed(case: Case) -> bool:
    """The tribunal allowed a late counterclaim, and none was filed since (a leave serves
    once)."""
    leave = case.last_event("allow_counterclaim")
    return leave is not None and not any(c.filed_at >= leave.at for c in counterclaims(case))


def counterclaim_admissible(case: Case) -> str | None:
    if why := _constituted(case):
        return why
    if counterclaim_late(case) and not late_counterclaim_allowed(case):
        return N_(
            "The time for a counterclaim (that of the rejoinder) has passed: the tribunal may "
            "allow a late one."
        )
    return None


def counterclaim_leave_needed(case: Case) -> str | None:
    if why := _constituted(case):
        return why
    if not counterclaim_late(case):
        return N_("The respondent may still file a counterclaim within the time set.")
    if late_counterclaim_allowed(case):
        return N_("The tribunal has already allowed a late counterclaim.")
    return None


def grace_grantable(case: Case) -> str | None:
    if why := _constituted(case):
        return why
    if case.last_event("record_default") is None:
        return N_("No party has been recorded in default.")
    if deadlines.is_open(case, "default_grace"):
        return N_("A grace period is already running.")
    return None
