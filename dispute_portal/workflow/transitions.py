"""The workflow as one table: every way a case's state can change.

Read it top to bottom and you have the life of a case (docs/architecture.md): who may act,
in which states, what must hold, the deadlines each act starts and meets, the ruling it
issues. Rows whose target is None are acts within the proceedings (a hearing scheduled, a
submission filed): they change no state but are asked and audited the same way. Nothing
outside this table changes a case's state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ..amicus.queries import (
    application_awaiting_observations,
    application_to_decide,
    no_application_pending,
)
from ..cases.models import Case
from ..funding.queries import funding_disclosed, reconfirmation_due
from ..measures.queries import awaiting_observations, may_request, ready_to_decide
from ..neutrals.queries import no_mediator_yet, tribunal_complete, tribunal_seat_open
from ..proceedings.queries import hearing_to_record
from ..texts import N_
from .guards import (
    award_overdue,
    claim_complete,
    correctable,
    correction_pending,
    extendable,
    has_running_deadline,
    mediation_dormant,
    nothing_pending,
    tribunal_constituted,
)
from .roles import (
    ARBITRATOR,
    CHAIR,
    CLAIMANT,
    CLERK,
    MEDIATOR,
    PARTIES,
    PROPOSED_ARBITRATOR,
    PROPOSED_MEDIATOR,
    RESPONDENT,
    SYSTEM,
)
from .states import CaseState as S

Guard = Callable[[Case], str | None]

# Where a case is still alive, and where it has ended (a final ruling, a withdrawal).
ACTIVE = frozenset({S.SUBMITTED, S.RETURNED, S.REGISTERED, S.MEDIATION, S.IMPASSE, S.ARBITRATION})
FINAL = frozenset({S.SETTLED, S.AWARDED, S.DISMISSED, S.WITHDRAWN})
PROCEEDING = frozenset({S.REGISTERED, S.MEDIATION, S.IMPASSE, S.ARBITRATION})
OPEN = ACTIVE | FINAL  # everything but a draft and a closed case


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[S]
    target: S | None  # None: the case stays in its state (an act within the proceedings)
    who: frozenset[str]
    guard: Guard | None
    label: str
    needs_reason: bool = False
    stamps: tuple[str, ...] = ()  # case timestamps set to the moment of the transition
    ruling: str | None = None  # the kind of ruling the transition issues (rulings/kinds.py)
    automatic_ruling: bool = False  # issued by the registry itself, not by the actor
    starts: tuple[str, ...] = ()  # deadlines (deadlines/rules.py) it starts
    satisfies: tuple[str, ...] = ()  # deadlines it meets
    reason_label: str = N_("Reasons")

    @property
    def changes_state(self) -> bool:
        return self.target is not None

    def target_from(self, state: S) -> S:
        return self.target or state

    def blocked(self, case: Case) -> str | None:
        """Why the act cannot be taken on this case now (its guard), or None when it can."""
        return self.guard(case) if self.guard else None


def T(  # noqa: N802 - a row of the table below, named short so that a row fits on a line
    action: str,
    sources: Iterable[S],
    target: S | None,
    who: Iterable[str],
    guard: Guard | None,
    label: str,
    **kw: Any,
) -> Transition:
    return Transition(action, frozenset(sources), target, frozenset(who), guard, label, **kw)


TRANSITIONS: tuple[Transition, ...] = (
    # Filing and screening ------------------------------------------------------------------
    T("submit",             {S.DRAFT, S.RETURNED}, S.SUBMITTED,   {CLAIMANT}, claim_complete,
      N_("Submit the claim"), stamps=("submitted_at",),
      ruling="filing_receipt", automatic_ruling=True),
    T("return",             {S.SUBMITTED},      S.RETURNED,       {CLERK},    None,
      N_("Return for amendment"), needs_reason=True, ruling="return_notice"),
    T("reject",             {S.SUBMITTED},      S.DISMISSED,      {CLERK},    None,
      N_("Reject as inadmissible"), needs_reason=True, stamps=("decided_at",),
      ruling="inadmissibility_decision"),
    T("register",           {S.SUBMITTED},      S.REGISTERED,     {CLERK},    None,
      N_("Register the case"), stamps=("registered_at",), ruling="registration_notice",
      starts=("response", "mediator_appointment")),
    # Parties --------------------------------------------------------------------------------
    T("invite_respondent",  PROCEEDING,         None,             {CLERK},    None,
      N_("Invite the respondent's representative")),
    T("add_counsel",        PROCEEDING | {S.AWARDED}, None,       PARTIES,    None,
      N_("Add counsel")),
    T("file_response",      PROCEEDING,         None,             {RESPONDENT}, None,
      N_("File the response"), satisfies=("response",)),
    T("file_submission",    PROCEEDING | {S.AWARDED}, None,       PARTIES,    None,
      N_("File a submission")),
    # Mediation ------------------------------------------------------------------------------
    T("propose_mediator",   {S.REGISTERED},     None,             {CLERK},    no_mediator_yet,
      N_("Assign a mediator")),
    T("accept_mediation",   {S.REGISTERED},     S.MEDIATION,      {PROPOSED_MEDIATOR}, None,
      N_("Accept the appointment"), satisfies=("mediator_appointment",),
      starts=("mediation_conclusion",)),
    T("decline_mediation",  {S.REGISTERED},     None,             {PROPOSED_MEDIATOR}, None,
      N_("Decline the appointment"), needs_reason=True,
      reason_label=N_("Disclosure or reason")),
    T("schedule_session",   {S.MEDIATION},      None,             {MEDIATOR}, None,
      N_("Schedule a session")),
    T("extend_mediation",   {S.MEDIATION},      None,             {MEDIATOR, CLERK}, extendable,
      N_("Extend the mediation by agreement of both parties"), needs_reason=True),
    T("settle",             {S.MEDIATION},      S.SETTLED,        {MEDIATOR}, None,
      N_("Record the settlement"), needs_reason=True, stamps=("decided_at",),
      ruling="settlement_record", satisfies=("mediation_conclusion",),
      reason_label=N_("Terms of settlement")),
    T("impasse",            {S.MEDIATION},      S.IMPASSE,        {MEDIATOR}, None,
      N_("Record an impasse"), needs_reason=True, ruling="termination_certificate",
      satisfies=("mediation_conclusion",)),
    T("lapse",              {S.MEDIATION},      S.IMPASSE,        {SYSTEM},   mediation_dormant,
      N_("Terminate a dormant mediation"), ruling="termination_certificate",
      automatic_ruling=True, satisfies=("mediation_conclusion",)),
    # Arbitration ----------------------------------------------------------------------------
    T("refer",              {S.IMPASSE},        S.ARBITRATION,    {CLAIMANT, CLERK}, None,
      N_("Refer to arbitration"), stamps=("referred_at",), starts=("tribunal_constitution",)),
    T("propose_tribunal",   {S.ARBITRATION},    None,             {CLERK},    tribunal_seat_open,
      N_("Constitute the tribunal")),
    T("accept_appointment", {S.ARBITRATION},    None,             {PROPOSED_ARBITRATOR}, None,
      N_("Accept the appointment")),
    T("decline_appointment", {S.ARBITRATION},   None,             {PROPOSED_ARBITRATOR}, None,
      N_("Decline the appointment"), needs_reason=True,
      reason_label=N_("Disclosure or reason")),
    T("constitute",         {S.ARBITRATION},    None,             {SYSTEM},   tribunal_complete,
      N_("Tribunal constituted"), stamps=("tribunal_constituted_at",),
      satisfies=("tribunal_constitution",), starts=("first_session", "award")),
    T("procedural_order",   {S.ARBITRATION},    None,             {CHAIR},    tribunal_constituted,
      N_("Issue a procedural order"), needs_reason=True, ruling="procedural_order",
      reason_label=N_("The order")),
    T("schedule_hearing",   {S.ARBITRATION},    None,             {CHAIR},    tribunal_constituted,
      N_("Schedule a hearing")),
    # A session meets the time limit for the first one when it is held, not when it is put
    # in the diary: the chair records it once its time has come, with who attended.
    T("record_hearing_held", {S.ARBITRATION},   None,             {CHAIR},    hearing_to_record,
      N_("Record that a hearing was held"), needs_reason=True, satisfies=("first_session",),
      reason_label=N_("The record of the hearing: who attended and what was heard")),
    # Provisional measures, third-party funding, non-disputing parties (issue 15) -----------
    # A party requests provisional measures (ICSID rule 47), the other observes, the tribunal
    # orders; one request is pending at a time, so the time limits are that request's.
    T("request_provisional_measures", {S.ARBITRATION}, None,    PARTIES,    may_request,
      N_("Request provisional measures"), needs_reason=True,
      starts=("provisional_observations",),
      reason_label=N_("Why: the rights to preserve, and why the measures cannot wait")),
    T("observe_provisional_measures", {S.ARBITRATION}, None,    PARTIES,    awaiting_observations,
      N_("File observations on provisional measures"), needs_reason=True,
      satisfies=("provisional_observations",), starts=("provisional_decision",),
      reason_label=N_("Observations on the request")),
    T("decide_provisional_measures", {S.ARBITRATION}, None,     {CHAIR},    ready_to_decide,
      N_("Order on provisional measures"), needs_reason=True,
      ruling="provisional_measures_order", satisfies=("provisional_decision",),
      reason_label=N_("The tribunal's reasons")),
    # Funding (ICSID rule 14): each disclosure, update and withdrawal is an act of its own;
    # the neutrals then re-confirm their declarations (the operation starts that time limit
    # only when someone sits to re-confirm, and meets it when the last one has).
    T("disclose_funding",   ACTIVE,             None,             PARTIES,    None,
      N_("Disclose third-party funding")),
    T("update_funding",     ACTIVE,             None,             PARTIES,    funding_disclosed,
      N_("Update a funding disclosure")),
    T("withdraw_funding",   ACTIVE,             None,             PARTIES,    funding_disclosed,
      N_("Withdraw a funding disclosure")),
    T("reconfirm_declaration", PROCEEDING,      None,             {MEDIATOR, ARBITRATOR},
      reconfirmation_due, N_("Re-confirm my declaration")),
    # A non-disputing party's application (ICSID rule 67), received by the registry.
    T("record_non_disputing_application", {S.ARBITRATION}, None, {CLERK}, no_application_pending,
      N_("Record a non-disputing party's application"),
      starts=("non_disputing_observations",)),
    T("observe_non_disputing_application", {S.ARBITRATION}, None, PARTIES,
      application_awaiting_observations,
      N_("File observations on a non-disputing party's application"), needs_reason=True,
      reason_label=N_("Observations on the application")),
    T("decide_non_disputing_application", {S.ARBITRATION}, None, {CHAIR}, application_to_decide,
      N_("Decide a non-disputing party's application"), needs_reason=True,
      ruling="non_disputing_decision", reason_label=N_("The tribunal's reasons")),
    T("close_submissions",  {S.ARBITRATION},    None,             {CHAIR},    tribunal_constituted,
      N_("Set the date of the last submission"), needs_reason=True, starts=("award",),
      reason_label=N_("Reasons for this date (the timetable, or why it changes)")),
    T("delay_notice",       {S.ARBITRATION},    None,             {CHAIR},    award_overdue,
      N_("Issue a notice of delay"), needs_reason=True, ruling="notice_of_delay"),
    # A party failed to act (no response, absent from a hearing): the tribunal records its
    # default and the proceedings go on (UNCITRAL Rules art. 30); the award deals with it.
    T("record_default",     {S.ARBITRATION},    None,             {CHAIR},    tribunal_constituted,
      N_("Record that a party is in default"), needs_reason=True,
      reason_label=N_("The failure and the tribunal's finding")),
    T("issue_award",        {S.ARBITRATION},    S.AWARDED,        {CHAIR},    tribunal_constituted,
      N_("Issue the award"), needs_reason=True, stamps=("decided_at",), ruling="award",
      satisfies=("award", "first_session"), starts=("correction_request",),
      reason_label=N_("The award: the decision and its reasons")),
    T("dismiss",            {S.ARBITRATION},    S.DISMISSED,      {CHAIR},    tribunal_constituted,
      N_("Dismiss the claim"), needs_reason=True, stamps=("decided_at",),
      ruling="dismissal_order", satisfies=("award",)),
    T("request_correction", {S.AWARDED},        None,             PARTIES,    correctable,
      N_("Request a correction or interpretation"), needs_reason=True,
      starts=("correction_decision",),
      reason_label=N_("What should be corrected or interpreted")),
    T("decide_correction",  {S.AWARDED},        None,             {CHAIR},    correction_pending,
      N_("Decide the request for correction"), needs_reason=True,
      ruling="correction_decision", satisfies=("correction_decision",),
      reason_label=N_("The decision")),
    # Any time ---------------------------------------------------------------------------------
    T("extend_deadline",    ACTIVE | {S.AWARDED}, None,           {CLERK},    has_running_deadline,
      N_("Extend a deadline"), needs_reason=True),
    T("withdraw",           ACTIVE,             S.WITHDRAWN,      {CLAIMANT}, None,
      N_("Withdraw the claim"), stamps=("decided_at",), ruling="termination_order",
      automatic_ruling=True),
    T("close",              FINAL,              S.CLOSED,         {CLERK},    nothing_pending,
      N_("Close the case"), stamps=("closed_at",)),
)  # fmt: skip

_BY_ACTION = {t.action: t for t in TRANSITIONS}


def transition(action: str) -> Transition:
    try:
        return _BY_ACTION[action]
    except KeyError:
        raise KeyError(f"no such transition: {action!r}") from None
