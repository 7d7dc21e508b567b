"""The case page's presenter: what it shows of the proceedings to the current user, and
the helpers its templates use to read the timeline (event and role labels, plain dates)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from flask import url_for
from flask_babel import format_date
from flask_login import current_user
from sqlalchemy import select

from .. import policy
from ..auth.models import ROLE_LABELS, Role, User
from ..cases.models import Case, Document
from ..core.freshness import changes_at
from ..core.typed import gettext
from ..db import db, utcnow
from ..deadlines import queries as deadline_queries
from ..deadlines.models import DeadlineStatus
from ..deadlines.rules import DEADLINE_LABELS, UNIT_LABELS
from ..objections.operations import ACTS as OBJECTION_ACTS
from ..parties.models import Side
from ..texts import N_
from ..workflow import engine, transitions
from ..workflow import roles as wf
from ..workflow.models import CaseEvent
from ..workflow.states import EVENT_LABELS, CaseState
from . import operations as ops
from . import queries
from .models import PLEADINGS, Meeting, MeetingKind

# The acts of redaction and publication (issue 17): each is taken on the case's publication
# page, and offered on the case page only when it can be taken.
REDACTION_ACTS = (
    "propose_redaction",
    "no_more_redactions",
    "comment_redaction",
    "decide_redaction",
    "publish_decision",
    "publish_excerpt",
)
# Where each act of the workflow table is done in the portal (acts not listed are the
# scheduler's). The case page offers the user's allowed acts through this map.
ACTION_ENDPOINTS: dict[str, tuple[str, dict[str, Any]]] = {
    "submit": ("cases.submit", {}),
    "return": ("registry.review", {}),
    "reject": ("registry.review", {}),
    "register": ("registry.review", {}),
    "propose_mediator": ("neutrals.assign_mediator", {}),
    "propose_tribunal": ("neutrals.tribunal", {}),
    "accept_mediation": ("neutrals.appointment", {}),
    "accept_mediator_seat": ("neutrals.appointment", {}),
    "decline_mediation": ("neutrals.appointment", {}),
    "accept_appointment": ("neutrals.appointment", {}),
    "decline_appointment": ("neutrals.appointment", {}),
    "invite_respondent": ("parties.invite", {"standing": "representative"}),
    "add_counsel": ("parties.invite", {"standing": "counsel"}),
    "file_response": ("proceedings.submission", {"response": 1}),
    "file_submission": ("proceedings.submission", {}),
    "schedule_session": ("proceedings.meeting", {}),
    "schedule_hearing": ("proceedings.meeting", {}),
    "extend_deadline": ("proceedings.extend_deadline", {}),
    # Constitution by the parties (issue 15)
    "party_appointment": ("nominations.party_appointment", {}),
    "nominate_arbitrator": ("nominations.nominate", {}),
    "agree_on_arbitrator": ("nominations.agree_on_arbitrator", {}),
    "choose_presiding": ("nominations.choose_presiding", {}),
    "appoint_in_default": ("nominations.appoint_in_default", {}),
    # The written phase and preliminary objections (issue 15).
    "set_timetable": ("proceedings.timetable", {}),
    **{f"file_{key}": ("proceedings.submission", {"pleading": key}) for key in PLEADINGS},
    **{action: ("objections.act", {"action": action}) for action in OBJECTION_ACTS},
    # Costs, counterclaims, grace and the award (issue 15): the awards blueprint.
    "issue_award": ("awards.issue", {}),
    "consent_award": ("awards.consent", {}),
    "submit_award_draft": ("awards.draft", {}),
    "approve_award_draft": ("awards.approve", {}),
    "attach_opinion": ("awards.opinion", {}),
    "order_costs_statements": ("awards.costs_order", {}),
    "file_costs_statement": ("awards.costs_statement", {}),
    "decide_costs": ("awards.costs_decision", {}),
    "file_counterclaim": ("awards.counterclaim", {}),
    "allow_counterclaim": ("awards.allow_counterclaim", {}),
    "grant_grace": ("awards.grace", {}),
    # Provisional measures, third-party funding, non-disputing parties (issue 15)
    "request_provisional_measures": ("measures.request_measures", {}),
    "observe_provisional_measures": ("measures.observe", {}),
    "shorten_provisional_observations": ("measures.shorten", {}),
    "decide_provisional_measures": ("measures.order", {}),
    "disclose_funding": ("funding.disclosures", {}),
    "update_funding": ("funding.disclosures", {}),
    "withdraw_funding": ("funding.disclosures", {}),
    "reconfirm_declaration": ("funding.reconfirm", {}),
    "record_non_disputing_application": ("amicus.record", {}),
    "observe_non_disputing_application": ("amicus.observe", {}),
    "decide_non_disputing_application": ("amicus.decide", {}),
    # Challenges, resignation and vacancies (issue 15)
    "propose_disqualification": ("challenges.propose", {}),
    "comment_on_challenge": ("challenges.comment", {}),
    "observe_on_challenge": ("challenges.observe", {}),
    "vote_on_challenge": ("challenges.vote", {}),
    "decide_challenge": ("challenges.decide", {}),
    "resign": ("challenges.resign", {}),
    # The case account (issue 16): on its page, and the waiver on the claim's review.
    "record_payment": ("account.show", {}),
    "request_advance": ("account.show", {}),
    "waive_fee": ("registry.review", {}),
    "submit_fee_note": ("fee_notes.index", {}),
    "approve_fee_note": ("fee_notes.index", {}),
    "reject_fee_note": ("fee_notes.index", {}),
    "pay_fee_note": ("fee_notes.index", {}),
    "issue_account_statement": ("account.show", {}),
    "issue_final_statement": ("account.show", {}),
    "pay_refund": ("account.show", {}),
    # What the public may know (issue 17): the case's seals.
    "seal": ("seals.index", {}),
    "state_publication_consent": ("publication.page", {}),
    **{act: ("publication.page", {}) for act in REDACTION_ACTS},
    "unseal": ("seals.index", {}),
}
# Acts the case page offers only when they can be taken: blocked, they would stand greyed on
# nearly every case (a fee note to decide, a proceeding suspended for non-payment long enough).
QUIET_WHEN_BLOCKED = frozenset(
    {
        "approve_fee_note",
        "reject_fee_note",
        "pay_fee_note",
        "pay_refund",
        "discontinue_non_payment",
        "unseal",
        *REDACTION_ACTS,
    }
)
SYSTEM_ACTIONS = frozenset(
    {
        "constitute",
        "lapse",
        "discontinue_inactive",
        "nominations_complete",
        "co_arbitrators_accepted",
        "close_challenge_pleadings",
        "challenge_moot",
        "open_vacancy",
        "fill_vacancy",
    }
)


def action_url(case: Case, action: str) -> str | None:
    """The page where this user takes this act on this case (None for the scheduler's)."""
    if action in SYSTEM_ACTIONS:
        return None
    endpoint, params = ACTION_ENDPOINTS.get(action, ("proceedings.act", {"action": action}))
    return url_for(endpoint, case_id=case.id, **params)


SYSTEM_ROLE_LABEL = N_("The portal (automatic)")


def event_label(action: str) -> str:
    """How an audit event reads (a marked text: translate it with `tr`)."""
    if action in EVENT_LABELS:
        return EVENT_LABELS[action]
    try:
        return transitions.transition(action).label
    except KeyError:
        return action


def actor_name(event: CaseEvent) -> str:
    """Who did it: the person's name, or the portal itself (in the reader's language) for
    what the scheduler did (the event stores "system")."""
    if event.actor_id is None and event.actor_role == wf.SYSTEM:
        return gettext(SYSTEM_ROLE_LABEL)
    return event.actor_name


def role_label(role: str) -> str:
    try:
        return ROLE_LABELS[Role(role)]
    except ValueError:
        return SYSTEM_ROLE_LABEL


def viewer_events(case: Case) -> list[CaseEvent]:
    """The case's events the current user may read (the timeline shows no others)."""
    return ops.visible_events(case, current_user)


def show_day(value: dt.date | str | None) -> str:
    """A plain calendar date (a deadline, or one an audit event recorded as ISO text), in the
    reader's language; no time zone shift."""
    if isinstance(value, str):
        try:
            day: dt.date | None = dt.date.fromisoformat(value)
        except ValueError:
            return value  # not a date after all: shown as it was recorded
    else:
        day = value
    return format_date(day, "d MMM y") if day else ""


# The case page ---------------------------------------------------------------------------


TIMELINE_EVENTS = 30  # the case page shows the latest events; the trail page shows them all
# The acts whose events the case page reads facts from (defaults, hearings held, the reasons
# for a return or a dismissal): read with the timeline, not from the whole trail.
FACT_ACTS = ("record_default", queries.HELD, "return", "dismiss", "reject")


def _last(events: list[CaseEvent], action: str) -> CaseEvent | None:
    return next((e for e in reversed(events) if e.action == action), None)


def case_page(case: Case) -> dict[str, Any]:
    """What the case page shows of the proceedings, for the current user, in a bounded
    number of queries (no lazy load per row)."""
    session = db.session()
    # The user object, not Flask-Login's proxy (each attribute read through the proxy looks
    # the user up again), and their roles on the case once for every document and event.
    user = current_user._get_current_object()
    roles = policy.case_roles(user, case)
    is_clerk = wf.CLERK in roles
    my_side = policy.side_of(user, case, roles)
    submissions = ops.submissions(session, case)
    meetings = queries.meetings(session, case)
    timeline, total, facts = queries.case_page_events(
        session, case, policy.readable_events(user, case, roles), TIMELINE_EVENTS, FACT_ACTS
    )
    # Everyone the page names, in one query: the relationships below then find them in the
    # session instead of loading one by one (kept referenced: the session holds them weakly).
    ids = (
        {case.claimant_user_id}
        | {p.user_id for p in case.participants}
        | {a.user_id for a in case.appointments}
        | {s.author_id for s in submissions}
    )
    named = {u.id: u for u in session.scalars(select(User).where(User.id.in_(ids)))}

    documents = [
        d for d in case.documents if policy.can(user, policy.DOWNLOAD, case, d, roles=roles)
    ]
    by_submission: dict[int | None, list[Any]] = defaultdict(list)
    for document in documents:
        by_submission[document.submission_id].append(document)

    actions = []
    for t, blocked in engine.offered(user, case):
        url = action_url(case, t.action)
        if blocked and t.action in QUIET_WHEN_BLOCKED:
            continue
        if url is not None:  # the scheduler's acts have no page
            actions.append({"t": t, "blocked": blocked, "url": url})

    today = deadline_queries.today()
    deadlines = sorted(
        case.deadlines, key=lambda d: (d.status is not DeadlineStatus.OPEN, d.due_on, d.id)
    )
    return {
        "actions": actions,
        "is_clerk": is_clerk,
        "my_side": my_side,
        "may_read_notes": policy.can(user, policy.READ_NOTES, case, roles=roles),
        "deadlines": deadlines,
        "today": today,
        "participants": list(case.participants),
        "sides": sides(case, facts),
        "appointments": [a for a in case.appointments if a.active or is_clerk],
        "submissions": submissions,
        "claim_documents": by_submission.get(None, []),
        # The documents whose readers this reader is shown (the filer's side and the clerk).
        "visibility_shown": {
            d.id for d in documents if document_visibility_shown(d, is_clerk, my_side)
        },
        "submission_documents": by_submission,
        "meetings": meetings,
        **split_meetings(case, meetings, facts),
        "track": track(case),
        "after_award": after_award(case, today),
        # The latest events only: the full trail has its own page (a case can hold hundreds).
        "timeline_events": timeline,
        "timeline_total": total,
        "return_event": _last(facts, "return"),
        "decision": _last(facts, "dismiss") or _last(facts, "reject"),
        "deadline_labels": DEADLINE_LABELS,
        "named_users": named,
    }


def sides(case: Case, events: list[CaseEvent] | None = None) -> dict[str, dict[str, Any]]:
    """For each side: whether a party account acts for it on the case, and the tribunal's
    latest record that it is in default (an event, or None). `events`: the case's events of
    that act (and others), oldest first, when the caller has them."""
    events = case.events_of("record_default") if events is None else events
    defaults = {(e.data or {}).get("side"): e for e in events if e.action == "record_default"}
    return {
        side.value: {"joined": case.side_joined(side), "default": defaults.get(side.value)}
        for side in Side
    }


# The meetings of each phase: only these can still be ahead while the case is in it.
PHASE_MEETINGS = {
    CaseState.MEDIATION: MeetingKind.MEDIATION_SESSION,
    CaseState.ARBITRATION: MeetingKind.HEARING,
}


def split_meetings(
    case: Case, meetings: list[Meeting], events: list[CaseEvent] | None = None
) -> dict[str, Any]:
    """Upcoming: the sessions or hearings ahead in the case's current phase. Earlier: the
    others, those of a phase that ended before they came marked as not held, and the
    hearings the tribunal recorded as held with that record."""
    now = utcnow()
    phase = PHASE_MEETINGS.get(case.state)
    upcoming = [m for m in meetings if MeetingKind(m.kind) is phase and m.starts_at >= now]
    for meeting in upcoming:
        changes_at(meeting.starts_at)  # then it is no longer ahead
    earlier = [m for m in meetings if m not in upcoming]
    return {
        "upcoming_meetings": upcoming,
        "earlier_meetings": earlier,
        "not_held": {m.id for m in earlier if m.starts_at >= now},
        "held": queries.held(case, events),  # meeting id -> the event that records it as held
    }


def track(case: Case) -> dict[str, Any] | None:
    """What the expedited track means under the case's rule set: the limit of the amount
    claimed, and when the award is then due."""
    if case.rule_set_version is None:
        return None
    rules = deadline_queries.rules_for(case)
    award = rules["deadlines"]["award_expedited"]
    return {
        "limit": Decimal(rules["expedited_limit_usd"]),
        "amount": award["amount"],
        "unit": UNIT_LABELS.get(award["unit"], award["unit"]),
    }


def after_award(case: Case, today: dt.date) -> dict[str, Any] | None:
    """Once the award is issued: until when a party may ask for a correction (or that the
    time has passed), and the day a pending request is to be decided."""
    if case.state is not CaseState.AWARDED:
        return None
    pending = deadline_queries.open_deadline(case, "correction_decision")
    if pending is not None:
        return {"pending_until": pending.due_on}
    window = next((d for d in case.deadlines if d.key == "correction_request"), None)
    if window is None:
        return None
    return {"until": window.due_on, "passed": window.due_on < today}


def document_visibility_shown(document: Document, is_clerk: bool, my_side: Side | None) -> bool:
    """The filer's side and the clerk see who else may read a document."""
    return is_clerk or (my_side is not None and document.side == my_side)


def act_details(case: Case, action: str) -> dict[str, Any]:
    """Facts the act page shows before the act (the deadline it moves, the request)."""
    if action == "extend_mediation":
        deadline = deadline_queries.open_deadline(case, "mediation_conclusion")
        rules = deadline_queries.rules_for(case)
        return {"deadline": deadline, "days": rules["mediation_extension_days"]}
    if action == "delay_notice":
        return {"deadline": deadline_queries.open_deadline(case, "award")}
    if action == "decide_correction":
        return {"request": case.last_event("request_correction")}
    if action == "close_submissions" and case.tribunal_constituted_at is not None:
        earliest, latest = ops.last_submission_window(case)
        return {"current": case.last_submission_on, "earliest": earliest, "latest": latest}
    return {}
