"""The workflow table, part 2 (transitions.py joins the parts): the reference to
arbitration, constituting the tribunal (by the Centre or by the parties), and keeping it
(challenges, resignations, vacancies)."""

from __future__ import annotations

from ...challenges import queries as challenges
from ...neutrals.queries import tribunal_complete
from ...nominations import queries as nominations
from ...texts import N_
from .. import guards
from ..phases import SEATED
from ..roles import (
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
    SYSTEM,
)
from ..rows import T, Transition
from ..states import CaseState as S

TRIBUNAL: tuple[Transition, ...] = (
    # Arbitration ----------------------------------------------------------------------------
    T("refer",              {S.IMPASSE},        S.ARBITRATION,    {CLAIMANT, CLERK}, None,
      N_("Refer to arbitration"), stamps=("referred_at",), starts=("tribunal_constitution",)),
    # The parties appoint (nominations/): each side nominates, the co-arbitrators choose the
    # presiding one, the registry appoints in default; without that record the Centre appoints.
    T("party_appointment",  {S.ARBITRATION},    None,           {CLERK},    nominations.method_open,
      N_("Record that the parties appoint the tribunal"), starts=("party_nomination",),
      cancels=("tribunal_constitution",), in_suspension=True),
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
      reason_label=N_("How the co-arbitrators agreed on the choice"), in_suspension=True),
    T("appoint_in_default", {S.ARBITRATION},    None,       {CLERK},    nominations.seat_in_default,
      N_("Appoint in default"), needs_reason=True, ruling="notice_of_appointment",
      satisfies=("presiding_nomination",),
      reason_label=N_("Why the Centre appoints (the seat, its time limit)"), in_suspension=True),
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
    # Challenges (rules 19-23; challenges/): those named comment, the other members decide (or
    # the Centre); an upheld proposal or a resignation leaves a seat vacant until it is filled.
    T("propose_disqualification", SEATED, None,  PARTIES,   challenges.may_propose_disqualification,
      N_("Propose the disqualification of a neutral"), needs_reason=True,
      starts=("challenge_explanation",),
      reason_label=N_("The facts on which the proposal is based"), in_suspension=True),
    T("comment_on_challenge", SEATED,   None,            {CHALLENGED}, challenges.awaiting_comments,
      N_("Comment on the proposal for your disqualification"), needs_reason=True,
      reason_label=N_("Your comments"), in_suspension=True),
    T("observe_on_challenge", SEATED,   None,             {CHALLENGE_OPPONENT},
      challenges.awaiting_observations,
      N_("File observations on the proposal for disqualification"), needs_reason=True,
      reason_label=N_("Your observations"), in_suspension=True),
    T("close_challenge_pleadings", SEATED, None,          {SYSTEM},   challenges.pleadings_closable,
      N_("Comments on the proposal for disqualification closed"),
      satisfies=("challenge_explanation",), starts=("challenge_decision",), in_suspension=True),
    T("vote_on_challenge",  SEATED,     None,             {CHALLENGE_MEMBER}, challenges.vote_open,
      N_("Vote on the proposal for disqualification"), needs_reason=True,
      reason_label=N_("Your reasons"), in_suspension=True),
    T("decide_challenge",   SEATED,     None,             {CHALLENGE_MEMBER, CHALLENGE_CENTRE},
      challenges.challenge_decidable, N_("Decide the proposal for disqualification"),
      needs_reason=True, ruling="challenge_decision", satisfies=("challenge_decision",),
      reason_label=N_("The decision and its reasons"), in_suspension=True),
    T("resign",             SEATED,     None,             {MEDIATOR, ARBITRATOR}, None,
      N_("Resign from the case"), needs_reason=True, reason_label=N_("Your reasons"),
      in_suspension=True),
    T("challenge_moot",     SEATED,     None,             {SYSTEM},   None,
      N_("Proposal for disqualification moot"), in_suspension=True,
      cancels=("challenge_explanation", "challenge_decision")),
    T("open_vacancy",       SEATED,     None,             {SYSTEM},   None,
      N_("Vacancy on the case"), starts=("vacancy",), in_suspension=True),
    T("fill_vacancy",       SEATED,          None,        {SYSTEM},   challenges.vacancy_to_fill,
      N_("Vacancy filled"), satisfies=("vacancy",), in_suspension=True),
    T("procedural_order",   {S.ARBITRATION},    None,       {CHAIR},    guards.tribunal_constituted,
      N_("Issue a procedural order"), needs_reason=True, ruling="procedural_order",
      reason_label=N_("The order")),
    T("schedule_hearing",   {S.ARBITRATION},    None,       {CHAIR},    guards.tribunal_constituted,
      N_("Schedule a hearing")),
)  # fmt: skip
