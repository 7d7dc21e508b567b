"""The workflow as one table: every way a case's state can change.

Read it top to bottom and you have the life of a case (docs/architecture.md): who may act,
in which states, what must hold, the deadlines each act starts and meets, the ruling it
issues. Rows whose target is None are acts within the proceedings (a hearing scheduled, a
submission filed): they change no state but are asked and audited the same way. Nothing
outside this table changes a case's state.
"""

from __future__ import annotations

from ..amicus import queries as amicus
from ..awards import queries as awards
from ..discontinuance import queries as ending
from ..funding.queries import funding_disclosed, reconfirmation_due
from ..measures import queries as measures
from ..neutrals.queries import tribunal_complete
from ..nominations import queries as nominations
from ..objections import queries as objections
from ..proceedings.queries import hearing_to_record
from ..suspensions.queries import not_suspended_by_agreement, suspended_by_agreement
from ..texts import N_
from . import guards
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
from .rows import T, Transition
from .states import CaseState as S

__all__ = ["ACTIVE", "FINAL", "OPEN", "PROCEEDING", "TRANSITIONS", "Transition", "transition"]

# Where a case is still alive, and where it has ended (a final ruling, a withdrawal).
ACTIVE = frozenset({S.SUBMITTED, S.RETURNED, S.REGISTERED, S.MEDIATION, S.IMPASSE, S.ARBITRATION})
FINAL = frozenset({S.SETTLED, S.AWARDED, S.DISMISSED, S.WITHDRAWN, S.DISCONTINUED})
PROCEEDING = frozenset({S.REGISTERED, S.MEDIATION, S.IMPASSE, S.ARBITRATION})
OPEN = ACTIVE | FINAL  # everything but a draft and a closed case


TRANSITIONS: tuple[Transition, ...] = (
    # Filing and screening ------------------------------------------------------------------
    T("submit",             {S.DRAFT, S.RETURNED}, S.SUBMITTED,   {CLAIMANT}, guards.claim_complete,
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
    T("propose_mediator",   {S.REGISTERED},     None,           {CLERK},    ending.mediation_chosen,
      N_("Assign a mediator"), in_suspension=True),
    T("accept_mediation",   {S.REGISTERED},     S.MEDIATION,      {PROPOSED_MEDIATOR}, None,
      N_("Accept the appointment"), satisfies=("mediator_appointment",),
      starts=("mediation_conclusion",)),
    T("decline_mediation",  {S.REGISTERED},     None,             {PROPOSED_MEDIATOR}, None,
      N_("Decline the appointment"), needs_reason=True,
      reason_label=N_("Disclosure or reason"), in_suspension=True),
    T("schedule_session",   {S.MEDIATION},      None,             {MEDIATOR}, None,
      N_("Schedule a session")),
    T("extend_mediation",   {S.MEDIATION},      None,          {MEDIATOR, CLERK}, guards.extendable,
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
    T("arbitrate_by_agreement", {S.REGISTERED}, S.ARBITRATION, {CLERK}, ending.mediation_is_default,
      N_("Send to arbitration by agreement of the parties"), needs_reason=True,
      stamps=("referred_at",), starts=("tribunal_constitution",),
      reason_label=N_("The parties' agreement to go straight to arbitration")),
    T("refer_registered",  {S.REGISTERED},   S.ARBITRATION,   {CLERK},   ending.arbitration_default,
      N_("Refer to arbitration"), stamps=("referred_at",), starts=("tribunal_constitution",)),
    T("agree_to_mediate",   {S.REGISTERED},     None,       {CLERK},    ending.may_agree_to_mediate,
      N_("Record the parties' agreement to mediate"), needs_reason=True,
      starts=("mediator_appointment",),
      reason_label=N_("The parties' agreement to mediate")),
    T("lapse",           {S.MEDIATION},      S.IMPASSE,        {SYSTEM},   guards.mediation_dormant,
      N_("Terminate a dormant mediation"), ruling="termination_certificate",
      automatic_ruling=True, satisfies=("mediation_conclusion",)),
    # Arbitration ----------------------------------------------------------------------------
    T("refer",              {S.IMPASSE},        S.ARBITRATION,    {CLAIMANT, CLERK}, None,
      N_("Refer to arbitration"), stamps=("referred_at",), starts=("tribunal_constitution",)),
    # Constitution by the parties (issue 15) -------------------------------------------------
    # The registry records that the parties appoint (their agreement, or its decision);
    # without that record the Centre appoints (propose_tribunal, below), as by default. Each
    # side nominates its co-arbitrator (late nominations stand until the Centre fills the
    # seat), the two choose the presiding one (or the parties together); a sole arbitrator
    # is the parties' joint choice. The registry fills in default a seat left empty past its
    # time limit. The SYSTEM rows meet and start the time limits as the seats fill.
    T("party_appointment",  {S.ARBITRATION},    None,           {CLERK},    nominations.method_open,
      N_("Record that the parties appoint the tribunal"), starts=("party_nomination",),
      in_suspension=True),
    T("nominate_arbitrator", {S.ARBITRATION},   None,       PARTIES,    nominations.party_seat_open,
      N_("Nominate an arbitrator"), in_suspension=True),
    T("agree_on_arbitrator", {S.ARBITRATION},   None,      {CLERK},    nominations.agreed_seat_open,
      N_("Record the parties' joint choice of an arbitrator"), needs_reason=True,
      satisfies=("presiding_nomination",), reason_label=N_("The parties' agreement"),
      in_suspension=True),
    T("nominations_complete", {S.ARBITRATION},  None,    {SYSTEM},   nominations.party_seats_filled,
      N_("Record that every party seat is filled"), satisfies=("party_nomination",),
      in_suspension=True),
    T("co_arbitrators_accepted", {S.ARBITRATION}, None,       {SYSTEM},   nominations.presiding_due,
      N_("Start the choice of the presiding arbitrator"), starts=("presiding_nomination",),
      in_suspension=True),
    T("choose_presiding",  {S.ARBITRATION},   None,   {ARBITRATOR}, nominations.presiding_seat_open,
      N_("Choose the presiding arbitrator"), needs_reason=True,
      satisfies=("presiding_nomination",),
      reason_label=N_("How the co-arbitrators agreed on the choice"),
      in_suspension=True),
    T("appoint_in_default", {S.ARBITRATION},    None,       {CLERK},    nominations.seat_in_default,
      N_("Appoint in default"), needs_reason=True, ruling="notice_of_appointment",
      satisfies=("presiding_nomination",),
      reason_label=N_("Why the Centre appoints (the seat, its time limit)"),
      in_suspension=True),
    T("propose_tribunal",   {S.ARBITRATION},    None,      {CLERK},    nominations.centre_seat_open,
      N_("Constitute the tribunal"), in_suspension=True),
    T("accept_appointment", {S.ARBITRATION},    None,             {PROPOSED_ARBITRATOR}, None,
      N_("Accept the appointment"), in_suspension=True),
    T("decline_appointment", {S.ARBITRATION},   None,             {PROPOSED_ARBITRATOR}, None,
      N_("Decline the appointment"), needs_reason=True,
      reason_label=N_("Disclosure or reason"), in_suspension=True),
    T("constitute",         {S.ARBITRATION},    None,             {SYSTEM},   tribunal_complete,
      N_("Tribunal constituted"), stamps=("tribunal_constituted_at",),
      satisfies=("tribunal_constitution",),
      starts=("first_session", "award", "merit_objection"), in_suspension=True),
    T("procedural_order",   {S.ARBITRATION},    None,       {CHAIR},    guards.tribunal_constituted,
      N_("Issue a procedural order"), needs_reason=True, ruling="procedural_order",
      reason_label=N_("The order")),
    T("schedule_hearing",   {S.ARBITRATION},    None,       {CHAIR},    guards.tribunal_constituted,
      N_("Schedule a hearing")),
    # A session meets the time limit for the first one when it is held, not when it is put
    # in the diary: the chair records it once its time has come, with who attended.
    T("record_hearing_held", {S.ARBITRATION},   None,             {CHAIR},    hearing_to_record,
      N_("Record that a hearing was held"), needs_reason=True, satisfies=("first_session",),
      reason_label=N_("The record of the hearing: who attended and what was heard")),
    # Provisional measures, third-party funding, non-disputing parties (issue 15) -----------
    # A party requests provisional measures (ICSID rule 47), the other observes, the tribunal
    # orders; one request is pending at a time, so the time limits are that request's.
    T("request_provisional_measures", {S.ARBITRATION}, None,    PARTIES,    measures.may_request,
      N_("Request provisional measures"), needs_reason=True,
      starts=("provisional_observations",),
      reason_label=N_("Why: the rights to preserve, and why the measures cannot wait")),
    T("observe_provisional_measures", {S.ARBITRATION}, None, PARTIES,
      measures.awaiting_observations,
      N_("File observations on provisional measures"), needs_reason=True,
      satisfies=("provisional_observations",), starts=("provisional_decision",),
      reason_label=N_("Observations on the request")),
    T("decide_provisional_measures", {S.ARBITRATION}, None,    {CHAIR},    measures.ready_to_decide,
      N_("Order on provisional measures"), needs_reason=True,
      ruling="provisional_measures_order", satisfies=("provisional_decision",),
      reason_label=N_("The tribunal's reasons")),
    # Funding (ICSID rule 14): each disclosure, update and withdrawal is an act of its own;
    # the neutrals then re-confirm their declarations (the operation starts that time limit
    # only when someone sits to re-confirm, and meets it when the last one has).
    T("disclose_funding",   ACTIVE,             None,             PARTIES,    None,
      N_("Disclose third-party funding"), in_suspension=True),
    T("update_funding",     ACTIVE,             None,             PARTIES,    funding_disclosed,
      N_("Update a funding disclosure"), in_suspension=True),
    T("withdraw_funding",   ACTIVE,             None,             PARTIES,    funding_disclosed,
      N_("Withdraw a funding disclosure"), in_suspension=True),
    T("reconfirm_declaration", PROCEEDING,      None,             {MEDIATOR, ARBITRATOR},
      reconfirmation_due, N_("Re-confirm my declaration"), in_suspension=True),
    # A non-disputing party's application (ICSID rule 67), received by the registry.
    T("record_non_disputing_application", {S.ARBITRATION}, None, {CLERK},
      amicus.no_application_pending,
      N_("Record a non-disputing party's application"),
      starts=("non_disputing_observations",)),
    T("observe_non_disputing_application", {S.ARBITRATION}, None, PARTIES,
      amicus.application_awaiting_observations,
      N_("File observations on a non-disputing party's application"), needs_reason=True,
      reason_label=N_("Observations on the application")),
    T("decide_non_disputing_application", {S.ARBITRATION}, None, {CHAIR},
      amicus.application_to_decide,
      N_("Decide a non-disputing party's application"), needs_reason=True,
      ruling="non_disputing_decision", reason_label=N_("The tribunal's reasons")),
    T("close_submissions",  {S.ARBITRATION},    None,       {CHAIR},    guards.tribunal_constituted,
      N_("Set the date of the last submission"), needs_reason=True, starts=("award",),
      reason_label=N_("Reasons for this date (the timetable, or why it changes)")),
    # The written phase and preliminary objections (ICSID Arbitration Rules 2022, 41-46) ----
    # The timetable's dates become deadlines (proceedings/pleadings.py); each side files its
    # pleadings by them. Granting bifurcation cancels the pleadings' deadlines: the merits
    # wait for the decision on jurisdiction, and a new timetable is set after it.
    T("set_timetable",     {S.ARBITRATION},    None,      {CHAIR},    objections.timetable_settable,
      N_("Set the timetable of the written phase"), needs_reason=True, ruling="timetable_order",
      reason_label=N_("The order")),
    T("file_memorial",      {S.ARBITRATION},    None,           {CLAIMANT}, objections.memorial_due,
      N_("File the memorial"), satisfies=("memorial",)),
    T("file_counter_memorial", {S.ARBITRATION}, None, {RESPONDENT}, objections.counter_memorial_due,
      N_("File the counter-memorial"), satisfies=("counter_memorial",)),
    T("file_reply",         {S.ARBITRATION},    None,             {CLAIMANT}, objections.reply_due,
      N_("File the reply"), satisfies=("reply",)),
    T("file_rejoinder",     {S.ARBITRATION},    None,        {RESPONDENT}, objections.rejoinder_due,
      N_("File the rejoinder"), satisfies=("rejoinder",)),
    T("object_merit",     {S.ARBITRATION},    None,     PARTIES,    objections.merit_objection_open,
      N_("Object that the claims manifestly lack legal merit"), needs_reason=True,
      satisfies=("merit_objection",), reason_label=N_("The objection and its grounds")),
    T("close_merit_objection", {S.ARBITRATION}, None,         {CHAIR},    objections.merit_to_close,
      N_("Record the last submission on the objection of manifest lack of legal merit"),
      starts=("merit_decision",), reason_label=N_("Note (optional)")),
    T("uphold_merit_objection", {S.ARBITRATION}, S.DISMISSED, {CHAIR},
      objections.merit_decision_due,
      N_("Uphold the objection: dismiss the claims"), needs_reason=True, stamps=("decided_at",),
      ruling="merit_award", satisfies=("merit_decision",),
      reason_label=N_("The award: the decision and its reasons")),
    T("reject_merit_objection", {S.ARBITRATION}, None,    {CHAIR},    objections.merit_decision_due,
      N_("Reject the objection of manifest lack of legal merit"), needs_reason=True,
      ruling="merit_decision", satisfies=("merit_decision",), reason_label=N_("The decision")),
    T("object_jurisdiction", {S.ARBITRATION},   None,      PARTIES,    objections.jurisdiction_open,
      N_("Object to jurisdiction"), needs_reason=True,
      reason_label=N_("The objection and its grounds")),
    T("request_bifurcation", {S.ARBITRATION},   None,          PARTIES,    objections.may_bifurcate,
      N_("Request that the objection to jurisdiction be decided first"), needs_reason=True,
      starts=("bifurcation_decision",), reason_label=N_("Reasons for bifurcation")),
    T("decide_bifurcation", {S.ARBITRATION},    None,    {CHAIR},    objections.bifurcation_pending,
      N_("Decide the request for bifurcation"), needs_reason=True,
      ruling="bifurcation_decision", satisfies=("bifurcation_decision",),
      reason_label=N_("The decision")),
    T("close_jurisdiction_objection", {S.ARBITRATION}, None, {CHAIR},
      objections.jurisdiction_to_close,
      N_("Record the last submission on the objection to jurisdiction"),
      starts=("jurisdiction_decision",), reason_label=N_("Note (optional)")),
    T("decline_jurisdiction", {S.ARBITRATION},  S.DISMISSED,  {CHAIR},  objections.jurisdiction_due,
      N_("Uphold the objection: decline jurisdiction"), needs_reason=True,
      stamps=("decided_at",), ruling="jurisdiction_award", satisfies=("jurisdiction_decision",),
      reason_label=N_("The award: the decision and its reasons")),
    T("uphold_jurisdiction", {S.ARBITRATION},   None,       {CHAIR},    objections.jurisdiction_due,
      N_("Reject the objection: the tribunal has jurisdiction"), needs_reason=True,
      ruling="jurisdiction_decision", satisfies=("jurisdiction_decision",),
      reason_label=N_("The decision")),
    T("join_objection",     {S.ARBITRATION},    None,             {CHAIR},    objections.joinable,
      N_("Join the objection to jurisdiction to the merits"), needs_reason=True,
      ruling="jurisdiction_decision", satisfies=("jurisdiction_decision",),
      reason_label=N_("The decision")),
    T("delay_notice",       {S.ARBITRATION},    None,             {CHAIR},    guards.award_overdue,
      N_("Issue a notice of delay"), needs_reason=True, ruling="notice_of_delay"),
    # A party failed to act (no response, absent from a hearing): the tribunal records its
    # default and the proceedings go on (UNCITRAL Rules art. 30); the award deals with it.
    T("record_default",     {S.ARBITRATION},    None,       {CHAIR},    guards.tribunal_constituted,
      N_("Record that a party is in default"), needs_reason=True,
      reason_label=N_("The failure and the tribunal's finding")),
    # Costs, counterclaims, a grace period and the award of a tribunal of three (issue 15,
    # ICSID Arbitration Rules 2022, rules 48, 49, 52, 59-62). The date of the statements of
    # costs and of a grace period is the tribunal's (deadlines.rules.SET_BY_ORDER): the
    # operations start them with deadlines.operations.start_on. A tribunal of three
    # deliberates on a draft: a changed draft is a new one, and its approvals start over.
    T("grant_grace",        {S.ARBITRATION},    None,            {CHAIR},    awards.grace_grantable,
      N_("Grant the party in default a grace period"), needs_reason=True,
      ruling="grace_order", reason_label=N_("The order: the default and the period granted")),
    T("file_counterclaim",  {S.ARBITRATION},    None,             {RESPONDENT},
      awards.counterclaim_admissible, N_("File a counterclaim"), needs_reason=True,
      reason_label=N_("The counterclaim: what is claimed and on what grounds")),
    T("allow_counterclaim", {S.ARBITRATION},    None,             {CHAIR},
      awards.counterclaim_leave_needed, N_("Allow a late counterclaim"), needs_reason=True),
    T("order_costs_statements", {S.ARBITRATION}, None,           {CHAIR},    awards.costs_orderable,
      N_("Set the date for the statements of costs"), needs_reason=True,
      reason_label=N_("The order: what the statements should contain")),
    T("file_costs_statement", {S.ARBITRATION, S.AWARDED}, None,   PARTIES,
      awards.costs_statement_due, N_("File a statement of costs")),
    T("decide_costs",      {S.ARBITRATION, S.AWARDED}, None,     {CHAIR},    awards.costs_decidable,
      N_("Issue a decision on costs"), needs_reason=True, ruling="costs_decision",
      reason_label=N_("The decision on costs: its reasons")),
    T("submit_award_draft", {S.ARBITRATION},    None,          {CHAIR},    awards.draft_submittable,
      N_("Put a draft of the award to the tribunal")),
    T("approve_award_draft", {S.ARBITRATION},   None,         {ARBITRATOR}, awards.draft_to_approve,
      N_("Approve the draft of the award")),
    T("attach_opinion",     {S.ARBITRATION},    None,         {ARBITRATOR}, awards.draft_to_approve,
      N_("Attach a dissenting or individual opinion")),
    T("issue_award",        {S.ARBITRATION},    S.AWARDED,        {CHAIR},    awards.award_issuable,
      N_("Issue the award"), needs_reason=True, stamps=("decided_at",), ruling="award",
      satisfies=("award", "first_session"), starts=("correction_request",),
      reason_label=N_("The award: the decision and its reasons")),
    T("dismiss",      {S.ARBITRATION},    S.DISMISSED,      {CHAIR},    guards.tribunal_constituted,
      N_("Dismiss the claim"), needs_reason=True, stamps=("decided_at",),
      ruling="dismissal_order", satisfies=("award",)),
    T("request_correction", {S.AWARDED},        None,             PARTIES,    guards.correctable,
      N_("Request a correction or interpretation"), needs_reason=True,
      starts=("correction_decision",),
      reason_label=N_("What should be corrected or interpreted")),
    T("decide_correction",  {S.AWARDED},        None,         {CHAIR},    guards.correction_pending,
      N_("Decide the request for correction"), needs_reason=True,
      ruling="correction_decision", satisfies=("correction_decision",),
      reason_label=N_("The decision")),
    # Any time ---------------------------------------------------------------------------------
    T("extend_deadline",    ACTIVE | {S.AWARDED}, None,     {CLERK},    guards.has_running_deadline,
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
    T("discontinue",   {S.ARBITRATION},   S.DISCONTINUED,   {CHAIR},    guards.tribunal_constituted,
      N_("Discontinue by agreement of the parties"), needs_reason=True,
      stamps=("decided_at",), ruling="discontinuance_order",
      reason_label=N_("The parties' joint request (and their settlement, if they settled)"),
      in_suspension=True),
    T("registry_discontinue", PROCEEDING,      S.DISCONTINUED,   {CLERK},    ending.before_tribunal,
      N_("Discontinue by agreement of the parties"), needs_reason=True,
      stamps=("decided_at",), ruling="discontinuance_order",
      reason_label=N_("The parties' joint request (and their settlement, if they settled)"),
      in_suspension=True),
    T("consent_award",    {S.ARBITRATION},    S.AWARDED,    {CHAIR},    guards.tribunal_constituted,
      N_("Embody the parties' settlement in an award"), needs_reason=True,
      stamps=("decided_at",), ruling="consent_award", satisfies=("award", "first_session"),
      starts=("correction_request",), reason_label=N_("The terms of the settlement"),
      in_suspension=True),
    # At one party's request: the other may object in time, and the proceeding goes on (the
    # request lapses, no order); unopposed, the tribunal (or the registry) orders it.
    T("request_discontinuance", PROCEEDING,     None,             PARTIES,    ending.may_request,
      N_("Request the discontinuance of the proceeding"), needs_reason=True,
      starts=("discontinuance_objection",), reason_label=N_("Why the proceeding should end")),
    T("object_to_claimant_request", PROCEEDING, None,             {RESPONDENT},
      ending.claimant_request_open, N_("Object to the discontinuance"), needs_reason=True,
      satisfies=("discontinuance_objection",), reason_label=N_("The objection")),
    T("object_to_respondent_request", PROCEEDING, None,           {CLAIMANT},
      ending.respondent_request_open, N_("Object to the discontinuance"), needs_reason=True,
      satisfies=("discontinuance_objection",), reason_label=N_("The objection")),
    T("order_discontinuance", {S.ARBITRATION},  S.DISCONTINUED,   {CHAIR},
      ending.unopposed_with_tribunal, N_("Order the discontinuance requested"),
      stamps=("decided_at",), ruling="discontinuance_order"),
    T("registry_order_discontinuance", PROCEEDING, S.DISCONTINUED, {CLERK},
      ending.unopposed_before_tribunal, N_("Order the discontinuance requested"),
      stamps=("decided_at",), ruling="discontinuance_order"),
    # For failure to act: after the rule set's days without a step of the parties, notice
    # (the scheduler, or the tribunal); a party's step meets it, else the scheduler ends it.
    T("notify_inactivity",  {S.IMPASSE, S.ARBITRATION}, None,     {SYSTEM, CHAIR},
      ending.parties_inactive, N_("Give notice of the parties' inactivity"),
      starts=("inactivity_notice",)),
    T("discontinue_inactive", {S.IMPASSE, S.ARBITRATION}, S.DISCONTINUED, {SYSTEM},
      ending.inactivity_unanswered, N_("Discontinue for failure to act"), stamps=("decided_at",),
      ruling="discontinuance_order", automatic_ruling=True),
    T("close",             FINAL,              S.CLOSED,         {CLERK},    guards.nothing_pending,
      N_("Close the case"), stamps=("closed_at",)),
)  # fmt: skip

_BY_ACTION = {t.action: t for t in TRANSITIONS}


def transition(action: str) -> Transition:
    try:
        return _BY_ACTION[action]
    except KeyError:
        raise KeyError(f"no such transition: {action!r}") from None
