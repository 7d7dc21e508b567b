"""The access policy: the one place that answers "may this user do this to this case?".

Views and templates ask `can()`. No Flask here, so the CLI and tests ask the same question
the same way.
"""

from __future__ import annotations

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    and_,
    false,
    func,
    or_,
    select,
    true,
    type_coerce,
)
from sqlalchemy import case as when
from sqlalchemy.orm import Session

from .auth.models import Role, User
from .cases.models import LEGACY_NEUTRALS, Case, Document, Visibility
from .neutrals.models import INACTIVE, Appointment
from .parties.models import Participant, Side
from .publication.models import SealTarget, find_seal
from .workflow import roles as wf
from .workflow.engine import allowed
from .workflow.models import CaseEvent
from .workflow.roles import case_roles, is_active
from .workflow.states import EDITABLE_STATES, MEDIATION_PHASE, CaseState

# Actions on a case that are not transitions.
VIEW = "view"
EDIT = "edit"  # change the claim's sections and its documents
DOWNLOAD = "download"
NOTE = "note"  # keep private notes (neutrals)
READ_NOTES = "read_notes"  # read one's own private notes (the former mediator too)
TRAIL = "trail"  # read the audit trail with its hashes
ACCOUNT = "account"  # read the case account (its invoices, payments, what is due)
# Who reads the case account: the parties (their own side's invoices), the registry and the
# finance officer, who sees nothing else of the case.
ACCOUNT_READERS = frozenset({wf.CLAIMANT, wf.RESPONDENT, wf.CLERK, wf.FINANCE})
FEE_NOTES = "fee_notes"  # read the neutrals' fee notes: a neutral its own, the Centre all
FEE_NOTE_READERS = frozenset({*wf.NEUTRALS, wf.FORMER_MEDIATOR, wf.CLERK, wf.FINANCE})

NEUTRAL_ROLES = wf.NEUTRALS
# Who reads what is filed for the neutrals of each phase (besides the clerk and the filer).
READERS = {
    Visibility.MEDIATOR: frozenset({wf.MEDIATOR, wf.FORMER_MEDIATOR}),
    Visibility.TRIBUNAL: frozenset({wf.ARBITRATOR, wf.CHAIR}),
}

__all__ = [
    "can",
    "case_roles",
    "event_visibility",
    "is_staff",
    "may_read",
    "may_read_event",
    "readable_events",
    "side_of",
    "visible_cases",
]


def side_of(user: User | None, case: Case, roles: frozenset[str] | None = None) -> Side | None:
    """The side this user acts for on the case, if a party (`roles`: as for may_read)."""
    return _side(case_roles(user, case) if roles is None else roles)


def account_side(user: User | None, case: Case) -> Side | None:
    """Whose part of the case account the user reads (once ACCOUNT is allowed): a party its
    own side's, the registry and the finance officer all of it (None)."""
    roles = case_roles(user, case)
    return None if roles & {wf.CLERK, wf.FINANCE} else _side(roles)


def _side(roles: frozenset[str]) -> Side | None:
    if wf.CLAIMANT in roles:
        return Side.CLAIMANT
    if wf.RESPONDENT in roles:
        return Side.RESPONDENT
    return None


def may_read(
    user: User | None,
    case: Case,
    visibility: str | Visibility,
    *,
    side: Side | None,
    roles: frozenset[str] | None = None,
) -> bool:
    """May this user read something filed with this visibility (by `side`, if a party)?

    `roles`: the user's case_roles on the case, when the caller has them already (a page
    that asks for each of its hundreds of documents and events computes them once)."""
    roles = case_roles(user, case) if roles is None else roles
    if not roles:
        return False
    visibility = Visibility(visibility)
    if visibility is Visibility.PARTIES or wf.CLERK in roles:
        return True
    if side is not None and _side(roles) is side:
        return True  # what a side filed, that side always sees
    return bool(roles & READERS.get(visibility, frozenset()))


def event_visibility(event: CaseEvent, case: Case) -> Visibility | None:
    """Who may read an audit event (None: everyone on the case).

    An event written before the phases existed says "for the neutrals": it follows the
    document it names (a download), else the phase it was recorded in (a filing)."""
    if event.visibility is None:
        return None
    if event.visibility != LEGACY_NEUTRALS:
        return Visibility(event.visibility)
    named = (event.data or {}).get("document_id")
    document = next((d for d in case.documents if d.id == named), None)
    if document is not None:
        return document.visibility
    return Visibility.for_neutrals(CaseState(event.from_state))


def may_read_event(
    user: User | None, case: Case, event: CaseEvent, roles: frozenset[str] | None = None
) -> bool:
    roles = case_roles(user, case) if roles is None else roles
    visibility = event_visibility(event, case)
    if visibility is None:
        return bool(roles)
    side = (event.data or {}).get("side")
    return may_read(user, case, visibility, side=Side(side) if side else None, roles=roles)


def readable_events(
    user: User | None, case: Case, roles: frozenset[str] | None = None
) -> ColumnElement[bool]:
    """may_read_event as a condition on this case's case_events rows, with the same answers:
    a page that shows the latest few events reads only those (and counts the others)."""
    roles = case_roles(user, case) if roles is None else roles
    if not roles:
        return false()
    if wf.CLERK in roles:
        return true()
    readable = [Visibility.PARTIES.value, *(v.value for v, r in READERS.items() if roles & r)]
    # A legacy "for the neutrals" event follows the document it names, else its phase.
    named = (
        select(type_coerce(Document.visibility, String))
        .where(
            Document.case_id == case.id, Document.id == CaseEvent.data["document_id"].as_integer()
        )
        .scalar_subquery()
    )
    mediation = [s.value for s in MEDIATION_PHASE]
    phase = when(
        (CaseEvent.from_state.in_(mediation), Visibility.MEDIATOR.value),
        else_=Visibility.TRIBUNAL.value,
    )
    clauses = [
        CaseEvent.visibility.is_(None),
        and_(CaseEvent.visibility != LEGACY_NEUTRALS, CaseEvent.visibility.in_(readable)),
        and_(CaseEvent.visibility == LEGACY_NEUTRALS, func.coalesce(named, phase).in_(readable)),
    ]
    if (side := _side(roles)) is not None:  # what a side filed, that side always sees
        clauses.append(CaseEvent.data["side"].as_string() == side.value)
    return or_(*clauses)


def can(
    user: User | None,
    action: str,
    case: Case,
    document: Document | None = None,
    roles: frozenset[str] | None = None,
) -> bool:
    """`roles`: as for may_read, the user's case_roles when the caller has them already."""
    roles = case_roles(user, case) if roles is None else roles
    if not roles:
        return False
    if action == ACCOUNT:
        return bool(roles & ACCOUNT_READERS)
    if action == FEE_NOTES:
        return bool(roles & FEE_NOTE_READERS)
    if roles == {wf.FINANCE}:  # the account's acts only (the table), never the file
        return action not in (VIEW, TRAIL, DOWNLOAD, EDIT, NOTE, READ_NOTES) and any(
            t.action == action for t in allowed(user, case)
        )
    if action in (VIEW, TRAIL):
        return True
    if action == DOWNLOAD:
        return (
            document is not None
            and document.case_id == case.id
            and may_read(user, case, document.visibility, side=document.side, roles=roles)
            and (find_seal(case.seals, SealTarget.DOCUMENT, document_id=document.id) is None
                 or _behind_seal(roles, document.side))
        )  # fmt: skip
    if action == EDIT:
        return wf.CLAIMANT in roles and case.state in EDITABLE_STATES and _is_owner(user, case)
    if action == NOTE:  # a closed case is read-only, notes included
        return bool(roles & NEUTRAL_ROLES) and case.state is not CaseState.CLOSED
    if action == READ_NOTES:  # one's own, for the record: the mediation's too, once it ended
        return bool(roles & (NEUTRAL_ROLES | {wf.FORMER_MEDIATOR}))
    return any(t.action == action for t in allowed(user, case))


# Who reads behind a seal (publication/sealing.py): the registry, the neutrals (a former
# mediator too) and the side the sealed thing belongs to; never the other side.
BEHIND_SEAL = frozenset({wf.CLERK, *wf.NEUTRALS, wf.FORMER_MEDIATOR})


def _behind_seal(roles: frozenset[str], side: Side | None) -> bool:
    return bool(roles & BEHIND_SEAL) or (side is not None and _side(roles) is side)


def may_read_contact(
    user: User | None, case: Case, side: Side, roles: frozenset[str] | None = None
) -> bool:
    """May this user read a party's address, e-mail, telephone and contact person? Everyone
    on the case, unless they are sealed: then the party's own side and the Centre only."""
    roles = case_roles(user, case) if roles is None else roles
    if not roles:
        return False
    side = Side(side)  # templates name it by its value
    sealed = find_seal(case.seals, SealTarget.PARTY_CONTACT, side=side)
    return sealed is None or _behind_seal(roles, side)


def _is_owner(user: User | None, case: Case) -> bool:
    return user is not None and case.claimant_user_id == user.id


def visible_cases(user: User | None) -> Select[Case]:
    """Every case this user may see, as a query (lists and counts build on it)."""
    query = select(Case)
    if not is_active(user):
        return query.where(false())
    if user.role is Role.CLERK:
        return query.where(Case.state != CaseState.DRAFT)
    joined = Case.id.in_(select(Participant.case_id).where(Participant.user_id == user.id))
    if user.role is Role.INVESTOR:
        # Their own cases (drafts too), and the cases they joined once filed. A union of two
        # indexed look-ups: an OR across the two would make PostgreSQL read every case.
        own = select(Case.id).where(Case.claimant_user_id == user.id)
        joined_filed = (
            select(Participant.case_id)
            .join(Case, Case.id == Participant.case_id)
            .where(Participant.user_id == user.id, Case.state != CaseState.DRAFT)
        )
        return query.where(Case.id.in_(own.union_all(joined_filed)))
    if user.role is Role.RESPONDENT:
        return query.where(joined, Case.state != CaseState.DRAFT)
    if user.role in (Role.MEDIATOR, Role.ARBITRATOR):
        appointed = select(Appointment.case_id).where(
            Appointment.user_id == user.id, Appointment.status.not_in(INACTIVE)
        )
        return query.where(Case.id.in_(appointed))
    return query.where(false())


def sees(
    session: Session, user: User | None, case_id: int, within: ColumnElement[bool] | None = None
) -> bool:
    """Whether this user may see this case: visible_cases for this id alone (one indexed
    look-up, no case loaded), narrowed to the cases `within` (an API client's) when given."""
    query = visible_cases(user).with_only_columns(Case.id).where(Case.id == case_id)
    if within is not None:
        query = query.where(within)
    return session.scalar(query) is not None


def is_staff(user: User | None, *roles: Role) -> bool:
    """Coarse gate for pages that are not about one case (queues, admin)."""
    return bool(is_active(user) and user.role in roles)
