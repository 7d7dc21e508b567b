"""The workflow table, part 3 (transitions.py joins the parts): inside the arbitration, from
the first session to the award (hearings, provisional measures, funding, non-disputing
parties, the written phase, objections, default, costs, counterclaims, the award)."""

from __future__ import annotations

from ...amicus import queries as amicus
from ...awards import queries as awards
from ...funding.queries import funding_disclosed, reconfirmation_due
from ...measures import queries as measures
from ...objections import queries as objections
from ...proceedings.queries import hearing_to_record
from ...texts import N_
from .. import guards
from ..phases import ACTIVE, DECIDING, PROCEEDING
from ..roles import (
    ARBITRATOR,
    CHAIR,
    CLAIMANT,
    CLERK,
    MEDIATOR,
    PARTIES,
    RESPONDENT,
)
from ..rows import T, Transition
from ..states import CaseState as S

ARBITRATION: tuple[Transition, ...] = (
    # A session meets the time limit for the first one when it is held, not when it is put
    # in the diary: the chair records it once its time has come, with who attended.
    T("record_hearing_held", {S.ARBITRATION},   None,             {CHAIR},    hearing_to_record,
      N_("Record that a hearing was held"), needs_reason=True, satisfies=("first_session",),
      reason_label=N_("The record of the hearing: who attended and what was heard")),
    # Provisional measures (rule 47; measures/): one request pending at a time.
    T("request_provisional_measures", {S.ARBITRATION}, None,    PARTIES,    measures.may_request,
      N_("Request provisional measures"), needs_reason=True, starts=("provisional_observations",),
      reason_label=N_("Why: the rights to preserve, and why the measures cannot wait")),
    T("observe_provisional_measures", {S.ARBITRATION}, None, PARTIES, measures.observations_open,
      N_("File observations on provisional measures"), needs_reason=True,
      satisfies=("provisional_observations",), starts=("provisional_decision",),
      reason_label=N_("Observations on the request")),
    T("shorten_provisional_observations", {S.ARBITRATION}, None, {CHAIR}, measures.urgent_open,
      N_("Shorten the time for observations"), needs_reason=True),
    T("decide_provisional_measures", {S.ARBITRATION}, None,    {CHAIR},    measures.ready_to_decide,
      N_("Order on provisional measures"), needs_reason=True,
      ruling="provisional_measures_order", satisfies=("provisional_decision",),
      reason_label=N_("The tribunal's reasons")),
    # Funding (rule 14; funding/): disclosed, updated, withdrawn; the neutrals re-confirm.
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
    # The written phase (proceedings/pleadings.py) and preliminary objections (rules 41-46;
    # objections/): granting bifurcation cancels the pleadings' deadlines until jurisdiction.
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
    # Costs, counterclaims, grace and the award of three (rules 48, 49, 52, 59-62; awards/): a
    # tribunal of three approves a draft of the award; a changed draft starts over.
    T("grant_grace",        {S.ARBITRATION},    None,            {CHAIR},    awards.grace_grantable,
      N_("Grant the party in default a grace period"), needs_reason=True,
      ruling="grace_order", reason_label=N_("The order: the default and the period granted")),
    T("file_counterclaim",  {S.ARBITRATION},    None,             {RESPONDENT},
      awards.counterclaim_admissible, N_("File a counterclaim"), needs_reason=True,
      reason_label=N_("The counterclaim: what is claimed and on what grounds")),
    T("allow_counterclaim", {S.ARBITRATION},    None,             {CHAIR},
      awards.counterclaim_leave_needed, N_("Allow a late counterclaim"), needs_reason=True),
    T("order_costs_statements", {S.ARBITRATION}, None,           {CHAIR},    awards.costs_orderable,
      N_("Set the date for the statements of costs"), needs_reason=True, ruling="procedural_order",
      reason_label=N_("The order: what the statements should contain")),
    T("file_costs_statement", {S.ARBITRATION, S.AWARDED}, None,   PARTIES,
      awards.costs_statement_due, N_("File a statement of costs")),
    T("decide_costs",      DECIDING,           None,             {CHAIR},    awards.costs_decidable,
      N_("Issue a decision on costs"), needs_reason=True, ruling="costs_decision",
      reason_label=N_("The decision on costs: its reasons")),
    # A tribunal of three decides by a majority, on drafts the chair puts to it (awards/).
    # While the proceeding is suspended, only a settlement's draft goes on (the guards).
    T("submit_award_draft", DECIDING,           None,          {CHAIR},    awards.draft_submittable,
      N_("Put a draft to the tribunal"), in_suspension=True),
    T("approve_award_draft", DECIDING,          None,         {ARBITRATOR}, awards.draft_to_approve,
      N_("Approve the draft"), in_suspension=True),
    T("attach_opinion",     {S.ARBITRATION},    None,         {ARBITRATOR}, awards.opinion_open,
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
)  # fmt: skip
