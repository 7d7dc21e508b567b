"""The workflow table, part 4 (transitions.py joins the parts): the acts of any time
(extensions, suspension by agreement), ending without an award, and closing a case."""

from __future__ import annotations

from ...accounts.settlement import account_unsettled
from ...awards import queries as awards
from ...cases.models import Case
from ...discontinuance import queries as ending
from ...suspensions.queries import not_suspended_by_agreement, suspended_by_agreement
from ...texts import N_
from .. import guards
from ..phases import ACTIVE, FINAL, PROCEEDING
from ..roles import (
    CHAIR,
    CLAIMANT,
    CLERK,
    MEDIATOR,
    PARTIES,
    RESPONDENT,
    SYSTEM,
)
from ..rows import T, Transition
from ..states import CaseState as S


def _closable(case: Case) -> str | None:
    """Nothing of the proceeding pending, and the case account settled."""
    return guards.nothing_pending(case) or account_unsettled(case)


ENDING: tuple[Transition, ...] = (
    # Any time ---------------------------------------------------------------------------------
    T("extend_deadline",    ACTIVE | {S.AWARDED}, None,     {CLERK},    guards.has_running_deadline,
      N_("Extend a deadline"), needs_reason=True),
    # Suspension by agreement (rule 54; suspensions/): deadlines pause until the agreed day.
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
    # Ending without an award (rules 55-57; discontinuance/): by the tribunal, or the registry
    # before constitution; a settlement may be embodied in an award instead of an order.
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
    T("consent_award",    {S.ARBITRATION},    S.AWARDED,    {CHAIR},    awards.consent_issuable,
      N_("Embody the parties' settlement in an award"), needs_reason=True,
      stamps=("decided_at",), ruling="consent_award", satisfies=("award", "first_session"),
      starts=("correction_request",), reason_label=N_("The terms of the settlement"),
      in_suspension=True),
    # At one party's request: an objection in time lets the request lapse.
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
    # For failure to act: notice after the rule set's days; a party's step answers it.
    T("notify_inactivity",  {S.IMPASSE, S.ARBITRATION}, None,     {SYSTEM, CHAIR},
      ending.parties_inactive, N_("Give notice of the parties' inactivity"),
      starts=("inactivity_notice",)),
    T("discontinue_inactive", {S.IMPASSE, S.ARBITRATION}, S.DISCONTINUED, {SYSTEM},
      ending.inactivity_unanswered, N_("Discontinue for failure to act"), stamps=("decided_at",),
      ruling="discontinuance_order", automatic_ruling=True),
    T("close",             FINAL,              S.CLOSED,         {CLERK},    _closable,
      N_("Close the case"), stamps=("closed_at",)),
)  # fmt: skip
