"""The states of a case and what each one means to people: labels, the next step, which
states carry a number or may be edited, and the labels of the timeline's events."""

from __future__ import annotations

import enum

from ..texts import N_


class CaseState(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    REGISTERED = "registered"
    MEDIATION = "mediation"
    SETTLED = "settled"
    IMPASSE = "impasse"
    ARBITRATION = "arbitration"
    AWARDED = "awarded"
    DISMISSED = "dismissed"
    WITHDRAWN = "withdrawn"
    DISCONTINUED = "discontinued"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]

    @classmethod
    def named(cls, text: object) -> CaseState | None:
        """The state a filter names, or None (blank, or not a state)."""
        try:
            return cls(text) if isinstance(text, str) and text.strip() else None
        except ValueError:
            return None


STATE_LABELS = {
    CaseState.DRAFT: N_("Draft"),
    CaseState.SUBMITTED: N_("Submitted"),
    CaseState.RETURNED: N_("Returned for amendment"),
    CaseState.REGISTERED: N_("Registered"),
    CaseState.MEDIATION: N_("In mediation"),
    CaseState.SETTLED: N_("Settled"),
    CaseState.IMPASSE: N_("Mediation impasse"),
    CaseState.ARBITRATION: N_("In arbitration"),
    CaseState.AWARDED: N_("Award issued"),
    CaseState.DISMISSED: N_("Dismissed"),
    CaseState.WITHDRAWN: N_("Withdrawn"),
    CaseState.DISCONTINUED: N_("Discontinued"),
    CaseState.CLOSED: N_("Closed"),
}

# What the claimant should expect next, shown on "My cases" and the case page.
NEXT_STEP = {
    CaseState.DRAFT: N_("Complete every section, attach your documents and submit the claim."),
    CaseState.SUBMITTED: N_(
        "The registry is screening your claim. It will register it, return it for "
        "amendment or decide that it is inadmissible."
    ),
    CaseState.RETURNED: N_(
        "The registry returned your claim. Read the reason, amend the claim and submit it again."
    ),
    CaseState.REGISTERED: N_("Your claim is registered. The registry will appoint a mediator."),
    CaseState.MEDIATION: N_(
        "Mediation is under way. The mediator will schedule sessions with both parties."
    ),
    CaseState.SETTLED: N_("The dispute was settled in mediation."),
    CaseState.IMPASSE: N_("Mediation ended without settlement; the case may go to arbitration."),
    CaseState.ARBITRATION: N_("The arbitral tribunal is conducting the proceedings."),
    CaseState.AWARDED: N_("The tribunal has issued its award."),
    CaseState.DISMISSED: N_("The claim was dismissed. The decision gives the reasons."),
    CaseState.WITHDRAWN: N_("The claim was withdrawn."),
    CaseState.DISCONTINUED: N_(
        "The proceeding was discontinued without an award. The order of discontinuance "
        "gives the grounds."
    ),
    CaseState.CLOSED: N_("The case is closed."),
}

# States in which a case carries a registry number (enforced by a CHECK constraint).
NUMBERED_STATES = frozenset(
    {
        CaseState.REGISTERED,
        CaseState.MEDIATION,
        CaseState.SETTLED,
        CaseState.IMPASSE,
        CaseState.ARBITRATION,
        CaseState.AWARDED,
        CaseState.DISCONTINUED,  # only a registered case can be discontinued
    }
)
EDITABLE_STATES = frozenset({CaseState.DRAFT, CaseState.RETURNED})
# Until the mediation ends (a settlement, an impasse, a withdrawal): the mediator's phase.
# What is filed for a neutral then is the mediator's; what is filed after, the tribunal's.
MEDIATION_PHASE = frozenset(
    {
        CaseState.DRAFT,
        CaseState.SUBMITTED,
        CaseState.RETURNED,
        CaseState.REGISTERED,
        CaseState.MEDIATION,
    }
)

# How each audit event reads on a case's timeline.
EVENT_LABELS = {
    "create": N_("Draft claim started"),
    "add_document": N_("Document added"),
    "remove_document": N_("Document removed"),
    "submit": N_("Claim submitted"),
    "return": N_("Returned for amendment"),
    "reject": N_("Rejected as inadmissible"),
    "register": N_("Case registered"),
    "issue_ruling": N_("Ruling issued"),
    "issue_invoice": N_("Invoice issued"),
    "serve_ruling": N_("Ruling served"),
    "download": N_("Document downloaded"),
    "join": N_("Joined the case"),
    "invite_respondent": N_("Respondent's representative invited"),
    "add_counsel": N_("Counsel invited"),
    "file_response": N_("Response filed"),
    "file_submission": N_("Submission filed"),
    "propose_mediator": N_("Mediator proposed"),
    "accept_mediation": N_("Mediator accepted; mediation began"),
    "accept_mediator_seat": N_("New mediator accepted"),
    "decline_mediation": N_("Mediator declined"),
    "schedule_session": N_("Mediation session scheduled"),
    "extend_mediation": N_("Mediation extended"),
    "settle": N_("Settlement recorded"),
    "impasse": N_("Impasse recorded"),
    "lapse": N_("Dormant mediation terminated"),
    "refer": N_("Referred to arbitration"),
    "propose_tribunal": N_("Arbitrators proposed"),
    "accept_appointment": N_("Arbitrator accepted"),
    "decline_appointment": N_("Arbitrator declined"),
    "constitute": N_("Tribunal constituted"),
    "procedural_order": N_("Procedural order issued"),
    "schedule_hearing": N_("Hearing scheduled"),
    "record_hearing_held": N_("Hearing held"),
    "close_submissions": N_("Date of the last submission set"),
    "delay_notice": N_("Notice of delay issued"),
    "record_default": N_("Party's default recorded"),
    "respondent_absent": N_("Reminder: the respondent has not joined"),
    "issue_award": N_("Award issued"),
    "dismiss": N_("Claim dismissed"),
    "request_correction": N_("Correction requested"),
    "decide_correction": N_("Request for correction decided"),
    "extend_deadline": N_("Deadline extended"),
    "withdraw": N_("Claim withdrawn"),
    "close": N_("Case closed"),
    # Suspension (suspensions/)
    "suspend": N_("Proceeding suspended by agreement of the parties"),
    "resume": N_("Proceeding resumed"),
    # Ending without an award, and mediation as the parties choose (issue 15).
    "discontinue": N_("Proceeding discontinued by agreement of the parties"),
    "registry_discontinue": N_("Proceeding discontinued by agreement of the parties"),
    "consent_award": N_("Award embodying the parties' settlement issued"),
    "request_discontinuance": N_("Discontinuance requested"),
    "object_to_claimant_request": N_("Objection to the discontinuance"),
    "object_to_respondent_request": N_("Objection to the discontinuance"),
    "order_discontinuance": N_("Proceeding discontinued at a party's request"),
    "registry_order_discontinuance": N_("Proceeding discontinued at a party's request"),
    "notify_inactivity": N_("Notice of inactivity given"),
    "discontinue_inactive": N_("Proceeding discontinued for failure to act"),
    "arbitrate_by_agreement": N_("Sent to arbitration by agreement of the parties"),
    "refer_registered": N_("Referred to arbitration"),
    "agree_to_mediate": N_("The parties' agreement to mediate recorded"),
    "end_mediation": N_("Mediation ended by a party"),
    # Constitution by the parties (issue 15)
    "party_appointment": N_("The parties appoint the tribunal"),
    "nominate_arbitrator": N_("Arbitrator nominated by a party"),
    "agree_on_arbitrator": N_("Arbitrator chosen by the parties together"),
    "nominations_complete": N_("Every party seat filled"),
    "co_arbitrators_accepted": N_("Co-arbitrators accepted; the presiding arbitrator to be chosen"),
    "choose_presiding": N_("Presiding arbitrator chosen by the co-arbitrators"),
    "appoint_in_default": N_("Arbitrator appointed by the Centre in default"),
    # The written phase and preliminary objections (issue 15)
    "set_timetable": N_("Timetable of the written phase set"),
    "file_memorial": N_("Memorial filed"),
    "file_counter_memorial": N_("Counter-memorial filed"),
    "file_reply": N_("Reply filed"),
    "file_rejoinder": N_("Rejoinder filed"),
    "object_merit": N_("Objection of manifest lack of legal merit filed"),
    "close_merit_objection": N_("Last submission on the objection of manifest lack of merit"),
    "uphold_merit_objection": N_("Claims dismissed for manifest lack of legal merit"),
    "reject_merit_objection": N_("Objection of manifest lack of legal merit rejected"),
    "object_jurisdiction": N_("Objection to jurisdiction filed"),
    "request_bifurcation": N_("Bifurcation requested"),
    "decide_bifurcation": N_("Request for bifurcation decided"),
    "close_jurisdiction_objection": N_("Last submission on the objection to jurisdiction"),
    "decline_jurisdiction": N_("Jurisdiction declined; claims dismissed"),
    "uphold_jurisdiction": N_("Objection to jurisdiction rejected"),
    "join_objection": N_("Objection to jurisdiction joined to the merits"),
    # Costs, counterclaims, grace and the award of a tribunal of three (issue 15).
    "grant_grace": N_("Grace period granted to the party in default"),
    "file_counterclaim": N_("Counterclaim filed"),
    "allow_counterclaim": N_("Late counterclaim allowed"),
    "order_costs_statements": N_("Date for the statements of costs set"),
    "file_costs_statement": N_("Statement of costs filed"),
    "decide_costs": N_("Decision on costs issued"),
    "submit_award_draft": N_("Draft put to the tribunal"),
    "approve_award_draft": N_("Draft approved by a member"),
    "attach_opinion": N_("Opinion of a member attached"),
    # Provisional measures, third-party funding, non-disputing parties (issue 15)
    "request_provisional_measures": N_("Provisional measures requested"),
    "observe_provisional_measures": N_("Observations on provisional measures filed"),
    "shorten_provisional_observations": N_(
        "Time for observations on provisional measures shortened"
    ),
    "decide_provisional_measures": N_("Order on provisional measures issued"),
    "disclose_funding": N_("Third-party funding disclosed"),
    "update_funding": N_("Funding disclosure updated"),
    "withdraw_funding": N_("Funding disclosure withdrawn"),
    "reconfirm_declaration": N_("Declaration re-confirmed"),
    "record_non_disputing_application": N_("Non-disputing party's application recorded"),
    "observe_non_disputing_application": N_("Observations on the application filed"),
    "decide_non_disputing_application": N_("Non-disputing party's application decided"),
    # Challenges, resignation and vacancies (issue 15)
    "propose_disqualification": N_("Disqualification proposed"),
    "comment_on_challenge": N_("Comments on the proposal for disqualification"),
    "observe_on_challenge": N_("Observations on the proposal for disqualification"),
    "close_challenge_pleadings": N_("Comments on the proposal for disqualification closed"),
    "vote_on_challenge": N_("Vote on the proposal for disqualification"),
    "refer_challenge": N_("Proposal for disqualification referred to the Centre"),
    "decide_challenge": N_("Proposal for disqualification decided"),
    "resign": N_("Resigned from the case"),
    "open_vacancy": N_("Seat vacant"),
    "challenge_moot": N_("Proposal for disqualification moot"),
    "fill_vacancy": N_("Vacancy filled"),
}
