"""The cases the caller may see: the list (keyset pages), one case with its parties,
neutrals, deadlines and the acts the caller may take, and its trail. Each asks the one
policy: a case the caller may not see answers 404, as the portal's pages do."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_login import current_user
from sqlalchemy import select

from ... import policy
from ...cases import operations as cases_ops
from ...cases.loading import load_case
from ...cases.models import Case, title_of
from ...core.typed import gettext
from ...db import db
from ...discontinuance import operations as ending
from ...proceedings import operations as proceedings
from ...proceedings.presenter import actor_name
from ...workflow import engine
from ...workflow import roles as wf
from ...workflow.models import CaseEvent
from ...workflow.states import CaseState
from ...workflow.transitions import transition
from . import schemas as s
from .blueprint import Blueprint, parse
from .caller import caller, case_seen, identify
from .common import address, check_if_match, etag, keyset_page, links
from .filing import done
from .problems import MEDIA_TYPE, fail
from .replay import idempotent

bp = Blueprint(
    "api_cases",
    __name__,
    url_prefix="/api/v1",
    description="The cases the caller may see, and their trails.",
)
bp.before_request(identify)
bp.before_request(case_seen)


def _extend_mediation(case: Case, *, action: str, **given: Any) -> object:
    """The parties' agreement to extend the mediation: its reasons record it."""
    return proceedings.extend_mediation(case, **given)


# The acts that take no more than reasons (the portal's act page with its reasons field).
ACTS = (
    {action: proceedings.act for action in proceedings.SIMPLE_ACTS}
    | {action: ending.act for action in ending.ENDING_ACTS}
    | {"extend_mediation": _extend_mediation}
)


@bp.route("/cases")
@bp.arguments(s.CaseListArgs, location="query", as_kwargs=True)
@bp.response(200, s.CaseLine(many=True), headers={"Link": {"schema": {"type": "string"}}})
def cases(
    limit: int, after: int | None = None, before: int | None = None, state: str | None = None
) -> Any:
    """The cases the caller may see, the latest change first."""
    page = cases_ops.my_cases(
        db.session(),
        current_user._get_current_object(),
        after=after,
        before=before,
        per_page=limit,
        state=CaseState(state) if state else None,
        within=caller().within,
    )
    rows = [
        {
            "id": line.id,
            "number": line.number,
            "title": title_of(line.claimant, line.respondent, gettext),
            "state": line.state.value,
            "updated_at": line.updated_at,
            "url": _case_url(line.id),
        }
        for line in page.rows
    ]
    extra = {"state": state} if state else {}
    return rows, links(page, "api_cases.cases", limit, **extra)


@bp.route("/cases/<int:case_id>")
@bp.response(200, s.CaseOut, headers={"ETag": {"schema": {"type": "string"}}})
@bp.alt_response(304, description="Not modified (If-None-Match)")
def case(case_id: int) -> Any:
    """One case: its parties, neutrals, deadlines, and the acts the caller may take. The
    ETag is the case's version: send it as If-Match with a write to the case."""
    case = load_case(case_id)
    tag = etag(case)
    if tag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
        return "", 304, {"ETag": tag}
    return describe(case), {"ETag": tag}


def describe(case: Case) -> dict[str, Any]:
    user = current_user._get_current_object()
    roles = policy.case_roles(user, case)
    is_clerk = wf.CLERK in roles
    return {
        "id": case.id,
        "number": case.number,
        "title": case.title_in(gettext),
        "state": case.state.value,
        "updated_at": case.updated_at,
        "url": _case_url(case.id),
        "version": case.version,
        "language": case.language,
        "submitted_at": case.submitted_at,
        "registered_at": case.registered_at,
        "decided_at": case.decided_at,
        "closed_at": case.closed_at,
        "suspended_since": case.suspended_since,
        "expedited": case.expedited,
        "sector": case.sector.value if case.sector else None,
        "amount_claimed": None if case.amount_claimed is None else str(case.amount_claimed),
        "claimed_currency": case.claimed_currency.value if case.claimed_currency else None,
        "parties": [_party(user, case, party, roles) for party in case.parties],
        "neutrals": [
            {"capacity": a.capacity.value, "name": a.user.name, "status": a.status.value}
            for a in case.appointments
            if a.active or is_clerk
        ],
        "deadlines": [
            {"key": d.key, "starts_on": d.starts_on, "due_on": d.due_on, "status": d.status.value}
            for d in sorted(case.deadlines, key=lambda d: (d.due_on, d.id))
        ],
        "actions": [
            {
                "action": t.action,
                "blocked": gettext(blocked) if blocked else None,
                "url": _act_url(case.id, t.action) if t.action in ACTS else None,
            }
            for t, blocked in engine.offered(user, case)
        ],
    }


def _party(user: Any, case: Case, party: Any, roles: frozenset[str]) -> dict[str, Any]:
    contact = None
    if policy.may_read_contact(user, case, party.side, roles):
        contact = {
            "address": party.address,
            "email": party.email,
            "phone": party.phone,
            "contact_person": party.contact_person,
        }
    return {
        "side": party.side.value,
        "kind": party.kind.value if party.kind else None,
        "name": party.name,
        "country": party.country,
        "counsel_name": party.counsel_name,
        "counsel_firm": party.counsel_firm,
        "contact": contact,
    }


@bp.route("/cases/<int:case_id>/events")
@bp.arguments(s.PageArgs, location="query", as_kwargs=True)
@bp.response(200, s.EventOut(many=True), headers={"Link": {"schema": {"type": "string"}}})
def events(case_id: int, limit: int, after: int | None = None, before: int | None = None) -> Any:
    """The case's audit trail as the caller may read it, oldest first, with each event's
    hash and the hash before it (the chain can be checked link by link)."""
    case = load_case(case_id, policy.TRAIL)
    user = current_user._get_current_object()
    roles = policy.case_roles(user, case)
    query = select(CaseEvent).where(
        CaseEvent.case_id == case.id, policy.readable_events(user, case, roles)
    )
    page = keyset_page(query, (CaseEvent.seq, CaseEvent.id), after, before, limit)
    show_ip = wf.CLERK in roles
    rows = [_event(row[0], show_ip) for row in page.rows]
    return rows, links(page, "api_cases.events", limit, case_id=case.id)


def _event(event: CaseEvent, show_ip: bool) -> dict[str, Any]:
    data = event.data or {}
    return {
        "seq": event.seq,
        "at": event.at,
        "action": event.action,
        "from_state": event.from_state,
        "to_state": event.to_state,
        "actor": actor_name(event),
        "actor_role": event.actor_role,
        "subject": data.get("name") if isinstance(data.get("name"), str) else None,
        **({"ip": event.ip} if show_ip else {}),
        "hash": event.hash,
        "prev_hash": event.prev_hash,
    }


@bp.route("/cases/<int:case_id>/acts/<action>", methods=["POST"])
@idempotent
@bp.doc(
    requestBody={"content": {"application/json": {"schema": s.ActIn}}},
    parameters=[
        {
            "in": "path",
            "name": "action",
            "required": True,
            "schema": {"type": "string", "enum": sorted(ACTS)},
        }
    ],
)
@bp.response(200, s.CaseOut, headers={"ETag": {"schema": {"type": "string"}}})
@bp.alt_response(403, schema=s.Problem, content_type=MEDIA_TYPE)
@bp.alt_response(409, schema=s.Problem, content_type=MEDIA_TYPE)
@bp.alt_response(412, schema=s.Problem, content_type=MEDIA_TYPE)
@bp.alt_response(422, schema=s.Problem, content_type=MEDIA_TYPE)
def act(case_id: int, action: str) -> Any:
    """Take an act of the workflow that needs no more than reasons (withdraw the claim,
    request a discontinuance, refer to arbitration, …): the case's `actions` give each one's
    `url`. As the portal's act page does: the workflow table's act, its guards, its record.
    Send the case's ETag as If-Match to act only on the case as you last read it. The
    answer is the case as it now is."""
    if action not in ACTS:
        fail(404)
    case = load_case(case_id, action, lock=True)  # 404, then 403, then the input
    reason = parse(s.ActIn(), "json")["reason"].strip()
    if transition(action).needs_reason and not reason:
        fail(422, "invalid-input", gettext("Give the reasons."))
    expected = check_if_match(case)
    done(
        lambda: ACTS[action](
            case,
            user=current_user._get_current_object(),
            action=action,
            reason=reason or None,
            expected_version=expected,
        )
    )
    return describe(case), {"ETag": etag(case)}


def _act_url(case_id: int, action: str) -> str:
    return address("api_cases.act", case_id=case_id, action=action)


def _case_url(case_id: int) -> str:
    return address("api_cases.case", case_id=case_id)
