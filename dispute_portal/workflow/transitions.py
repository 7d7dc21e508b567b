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

from ..cases.models import Case
from ..challenges.queries import (
    awaiting_comments,
    awaiting_observations,
    challenge_decidable,
    may_propose_disqualification,
    pleadings_closable,
    vacancy_to_fill,
    vote_open,
)
from ..discontinuance.queries import (
    arbitration_default,
    before_tribunal,
    claimant_request_open,
    inactivity_unanswered,
    may_agree_to_mediate,
    may_request,
    mediation_chosen,
    mediation_is_default,
    parties_inactive,
    respondent_request_open,
    unopposed_before_tribunal,
    unopposed_with_tribunal,
)
from ..neutrals.queries import tribunal_complete, tribunal_seat_open
from ..proceedings.queries import hearing_to_record
from ..suspensions.queries import not_suspended_by_agreement, suspended_by_agreement
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
    CHALLENGE_CENTRE,
    CHALLENGE_MEMBER,
    CHALLENGE_OPPONENT,
    CHALLENGED,
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
FINAL = frozenset({S.SETTLED, S.AWARDED, S.DISMISSED, S.WITHDRAWN, S.DISCONTINUED})
PROCEEDING = frozenset({S.REGISTERED, S.MEDIATION, S.IMPASSE, S.ARBITRATION})
SEATED = frozenset({S.MEDIATION, S.ARBITRATION})  # a mediator or a tribunal sits
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
    # May be taken while the proceeding is suspended (suspensions/): the others wait.
    in_suspension: bool = False

    @property
    def changes_state(self) -> bool:
        return self.target is not None

    def target_from(self, state: S) -> S:
        return self.target or state

    def blocked(self, case: Case) -> str | None:
        """Why the act cannot be taken on this case now (a suspension, its guard), or None
        when it can."""
        if case.suspended_since is not None and not self.in_suspension:
            return N_("The proceeding is suspended: this can be done once it resumes.")
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
      N_("Invite the respondent's representative"), in_suspension=True),
    T("add_counsel",        PROCEEDING | {S.AWARDED}, None,       PARTIES,    None,
      N_("Add counsel"), in_suspension=True),
    T("file_response",      PROCEEDING,         None,             {RESPONDENT}, None,
      N_("File the response"), satisfies=("response",)),
    T("file_submission",    PROCEEDING | {S.AWARDED}, None,       PARTIES,    None,
      N_("File a submission"), in_suspension=True),
    # Mediation ------------------------------------------------------------------------------
    T("propose_mediator",   {S.REGISTERED},     None,             {CLERK},    mediation_chosen,
      N_("Assign a mediator"), in_suspension=True),
    T("accept_mediation",   {S.REGISTERED},     S.MEDIATION,      {PROPOSED_MEDIATOR}, None,
      N_("Accept the appointment"), satisfies=("mediator_appointment",),
      starts=("mediation_conclusion",)),
    T("decline_mediation",  {S.REGISTERED},     None,             {PROPOSED_MEDIATOR}, None,
      N_("Decline the appointment"), needs_reason=True,
      reason_label=N_("Disclosure or reason"), in_suspension=True),
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
    # Mediation as the parties choose: the rule set puts mediation (or arbitration) first, and
    # the parties' agreement, recorded by the registry, takes the other road; either party
    # may end a mediation (the registry certifies it, with the party's reasons).
    T("end_mediation",      {S.MEDIATION},      S.IMPASSE,        PARTIES,    None,
      N_("End the mediation"), needs_reason=True, ruling="termination_by_party",
      automatic_ruling=True, satisfies=("mediation_conclusion",),
      reason_label=N_("Why your side ends the mediation")),
    T("arbitrate_by_agreement", {S.REGISTERED}, S.ARBITRATION,    {CLERK},    mediation_is_default,
      N_("Send to arbitration by agreement of the parties"), needs_reason=True,
      stamps=("referred_at",), starts=("tribunal_constitution",),
      reason_label=N_("The parties' agreement to go straight to arbitration")),
    T("refer_registered",   {S.REGISTERED},     S.ARBITRATION,    {CLERK},    arbitration_default,
      N_("Refer to arbitration"), stamps=("referred_at",), starts=("tribunal_constitution",)),
    T("agree_to_mediate",   {S.REGISTERED},     None,             {CLERK},    may_agree_to_mediate,
      N_("Record the parties' agreement to mediate"), needs_reason=True,
      starts=("mediator_appointment",),
      reason_label=N_("The parties' agreement to mediate")),
    T("lapse",              {S.MEDIATION},      S.IMPASSE,        {SYSTEM},   mediation_dormant,
      N_("Terminate a dormant mediation"), ruling="termination_certificate",
      automatic_ruling=True, satisfies=("mediation_conclusion",)),
    # Arbitration ----------------------------------------------------------------------------
    T("refer",              {S.IMPASSE},        S.ARBITRATION,    {CLAIMANT, CLERK}, None,
      N_("Refer to arbitration"), stamps=("referred_at",), starts=("tribunal_constitution",)),
    T("propose_tribunal",   {S.ARBITRATION},    None,             {CLERK},    tribunal_seat_open,
      N_("Constitute the tribunal"), in_suspension=True),
    T("accept_appointment", {S.ARBITRATION},    None,             {PROPOSED_ARBITRATOR}, None,
      N_("Accept the appointment"), in_suspension=True),
    T("decline_appointment", {S.ARBITRATION},   None,             {PROPOSED_ARBITRATOR}, None,
      N_("Decline the appointment"), needs_reason=True,
      reason_label=N_("Disclosure or reason"), in_suspension=True),
    T("constitute",         {S.ARBITRATION},    None,             {SYSTEM},   tribunal_complete,
      N_("Tribunal constituted"), stamps=("tribunal_constituted_at",),
      satisfies=("tribunal_constitution",), starts=("first_session", "award"),
      in_suspension=True),
    # Challenges, resignation and vacancies (issue 15; ICSID Arbitration Rules 2022, rules
    # 19-23). A party proposes to disqualify neutrals within the rule set's period from
    # learning the facts (challenges.operations); the persons named comment and the other
    # party observes, then the other members decide (each votes; both must agree), or the
    # Centre. An upheld proposal, like a resignation, leaves a seat vacant until it is filled.
    T("propose_disqualification", SEATED, None,           PARTIES,    may_propose_disqualification,
      N_("Propose the disqualification of a neutral"), needs_reason=True,
      starts=("challenge_explanation",),
      reason_label=N_("The facts on which the proposal is based"), in_suspension=True),
    T("comment_on_challenge", SEATED,   None,             {CHALLENGED}, awaiting_comments,
      N_("Comment on the proposal for your disqualification"), needs_reason=True,
      reason_label=N_("Your comments"), in_suspension=True),
    T("observe_on_challenge", SEATED,   None,             {CHALLENGE_OPPONENT},
      awaiting_observations, N_("File observations on the proposal for disqualification"),
      needs_reason=True, reason_label=N_("Your observations"), in_suspension=True),
    T("close_challenge_pleadings", SEATED, None,          {SYSTEM},   pleadings_closable,
      N_("Comments on the proposal for disqualification closed"),
      satisfies=("challenge_explanation",), starts=("challenge_decision",),
      in_suspension=True),
    T("vote_on_challenge",  SEATED,     None,             {CHALLENGE_MEMBER}, vote_open,
      N_("Vote on the proposal for disqualification"), needs_reason=True,
      reason_label=N_("Your reasons"), in_suspension=True),
    T("decide_challenge",   SEATED,     None,             {CHALLENGE_MEMBER, CHALLENGE_CENTRE},
      challenge_decidable, N_("Decide the proposal for disqualification"), needs_reason=True,
      ruling="challenge_decision", satisfies=("challenge_decision",),
      reason_label=N_("The decision and its reasons"), in_suspension=True),
    T("resign",             SEATED,     None,             {MEDIATOR, ARBITRATOR}, None,
      N_("Resign from the case"), needs_reason=True, reason_label=N_("Your reasons"),
      in_suspension=True),
    T("open_vacancy",       SEATED,     None,             {SYSTEM},   None,
      N_("Vacancy on the case"), starts=("vacancy",), in_suspension=True),
    T("fill_vacancy",       {S.ARBITRATION}, None,        {SYSTEM},   vacancy_to_fill,
      N_("Vacancy filled"), satisfies=("vacancy",), in_suspension=True),
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
    # Suspension by agreement of the parties (ICSID Arbitration Rule 54): recorded by the
    # registry, the mediator or the tribunal, with the day to resume; the scheduler resumes
    # the case that day. Deadlines pause meanwhile (suspensions/).
    T("suspend",            PROCEEDING,         None,             {CLERK, MEDIATOR, CHAIR},
      not_suspended_by_agreement,
      N_("Suspend the proceeding by agreement of the parties"), needs_reason=True,
      ruling="suspension_order", in_suspension=True,
      reason_label=N_("The parties' agreement and its terms")),
    T("resume",             PROCEEDING,         None,             {CLERK, MEDIATOR, CHAIR, SYSTEM},
      suspended_by_agreement, N_("Resume the proceeding"), in_suspension=True),
    T("withdraw",           ACTIVE,             S.WITHDRAWN,      {CLAIMANT}, None,
      N_("Withdraw the claim"), stamps=("decided_at",), ruling="termination_order",
      automatic_ruling=True, in_suspension=True),
    # Ending without an award (ICSID Arbitration Rules 2022, rules 55-57): the tribunal acts,
    # or the registry before the tribunal is constituted. By agreement (or a settlement),
    # an order; at the parties' request the settlement is embodied in an award instead.
    T("discontinue",        {S.ARBITRATION},    S.DISCONTINUED,   {CHAIR},    tribunal_constituted,
      N_("Discontinue by agreement of the parties"), needs_reason=True,
      stamps=("decided_at",), ruling="discontinuance_order",
      reason_label=N_("The parties' joint request (and their settlement, if they settled)"),
      in_suspension=True),
    T("registry_discontinue", PROCEEDING,       S.DISCONTINUED,   {CLERK},    before_tribunal,
      N_("Discontinue by agreement of the parties"), needs_reason=True,
      stamps=("decided_at",), ruling="discontinuance_order",
      reason_label=N_("The parties' joint request (and their settlement, if they settled)"),
      in_suspension=True),
    T("consent_award",      {S.ARBITRATION},    S.AWARDED,        {CHAIR},    tribunal_constituted,
      N_("Embody the parties' settlement in an award"), needs_reason=True,
      stamps=("decided_at",), ruling="consent_award", satisfies=("award", "first_session"),
      starts=("correction_request",), reason_label=N_("The terms of the settlement"),
      in_suspension=True),
    # At one party's request: the other may object in time, and the proceeding goes on (the
    # request lapses, no order); unopposed, the tribunal (or the registry) orders it.
    T("request_discontinuance", PROCEEDING,     None,             PARTIES,    may_request,
      N_("Request the discontinuance of the proceeding"), needs_reason=True,
      starts=("discontinuance_objection",), reason_label=N_("Why the proceeding should end")),
    T("object_to_claimant_request", PROCEEDING, None,             {RESPONDENT},
      claimant_request_open, N_("Object to the discontinuance"), needs_reason=True,
      satisfies=("discontinuance_objection",), reason_label=N_("The objection")),
    T("object_to_respondent_request", PROCEEDING, None,           {CLAIMANT},
      respondent_request_open, N_("Object to the discontinuance"), needs_reason=True,
      satisfies=("discontinuance_objection",), reason_label=N_("The objection")),
    T("order_discontinuance", {S.ARBITRATION},  S.DISCONTINUED,   {CHAIR},
      unopposed_with_tribunal, N_("Order the discontinuance requested"), stamps=("decided_at",),
      ruling="discontinuance_order"),
    T("registry_order_discontinuance", PROCEEDING, S.DISCONTINUED, {CLERK},
      unopposed_before_tribunal, N_("Order the discontinuance requested"),
      stamps=("decided_at",), ruling="discontinuance_order"),
    # For failure to act: after the rule set's days without a step of the parties, notice
    # (the scheduler, or the tribunal); a party's step meets it, else the scheduler ends it.
    T("notify_inactivity",  {S.IMPASSE, S.ARBITRATION}, None,     {SYSTEM, CHAIR},
      parties_inactive, N_("Give notice of the parties' inactivity"),
      starts=("inactivity_notice",)),
    T("discontinue_inactive", {S.IMPASSE, S.ARBITRATION}, S.DISCONTINUED, {SYSTEM},
      inactivity_unanswered, N_("Discontinue for failure to act"), stamps=("decided_at",),
      ruling="discontinuance_order", automatic_ruling=True),
    T("close",              FINAL,              S.CLOSED,         {CLERK},    nothing_pending,
      N_("Close the case"), stamps=("closed_at",)),
)  # fmt: skip

_BY_ACTION = {t.action: t for t in TRANSITIONS}


def transition(action: str) -> Transition:
    try:
        return _BY_ACTION[action]
    except KeyError:
        raise KeyError(f"no such transition: {action!r}") from None
