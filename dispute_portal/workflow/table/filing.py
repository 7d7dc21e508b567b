"""The workflow table, part 1 (transitions.py joins the parts): filing and screening, the
parties, mediation, and the choice between mediation and arbitration first."""

from __future__ import annotations

from ...accounts.queries import lodging_unsettled
from ...discontinuance import queries as ending
from ...texts import N_
from .. import guards
from ..phases import PROCEEDING
from ..roles import (
    CLAIMANT,
    CLERK,
    MEDIATOR,
    PARTIES,
    PROPOSED_MEDIATOR,
    RESPONDENT,
    SYSTEM,
)
from ..rows import T, Transition
from ..states import CaseState as S

FILING: tuple[Transition, ...] = (
    # Filing and screening ------------------------------------------------------------------
    T("submit",             {S.DRAFT, S.RETURNED}, S.SUBMITTED,   {CLAIMANT}, guards.claim_complete,
      N_("Submit the claim"), stamps=("submitted_at",),
      ruling="filing_receipt", automatic_ruling=True),
    T("return",             {S.SUBMITTED},      S.RETURNED,       {CLERK},    None,
      N_("Return for amendment"), needs_reason=True, ruling="return_notice"),
    T("reject",             {S.SUBMITTED},      S.DISMISSED,      {CLERK},    None,
      N_("Reject as inadmissible"), needs_reason=True, stamps=("decided_at",),
      ruling="inadmissibility_decision"),
    T("register",           {S.SUBMITTED},      S.REGISTERED,     {CLERK},    lodging_unsettled,
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
    T("propose_mediator",   {S.REGISTERED, S.MEDIATION}, None,  {CLERK},    ending.mediation_chosen,
      N_("Assign a mediator"), in_suspension=True),
    T("accept_mediation",   {S.REGISTERED},     S.MEDIATION,      {PROPOSED_MEDIATOR}, None,
      N_("Accept the appointment"), satisfies=("mediator_appointment",),
      starts=("mediation_conclusion",)),
    T("accept_mediator_seat", {S.MEDIATION},    None,             {PROPOSED_MEDIATOR}, None,
      N_("Accept the appointment"), in_suspension=True),  # a vacant mediator's seat
    T("decline_mediation",  {S.REGISTERED, S.MEDIATION}, None,    {PROPOSED_MEDIATOR}, None,
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
    # Mediation or arbitration first, as the rule set and the parties choose; a party may end it.
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
      starts=("mediator_appointment",), reason_label=N_("The parties' agreement to mediate")),
    T("lapse",           {S.MEDIATION},      S.IMPASSE,        {SYSTEM},   guards.mediation_dormant,
      N_("Terminate a dormant mediation"), ruling="termination_certificate",
      automatic_ruling=True, satisfies=("mediation_conclusion",)),
)  # fmt: skip
