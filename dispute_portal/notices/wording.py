"""What each act of the workflow tells each person on the case: filing, screening,
the parties and mediation (the acts of arbitration are in wording_arbitration.py).

A notice says what happened, and, to the one who must act next, what to do and by when (a
deadline's date, in Almaty time). Each act has a sentence for everyone on the case (the key
""), and some roles are told more: the claimant (and counsel on its side), the respondent's
side, the chair of the tribunal, the registry. notices/texts.py chooses and writes them out.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..texts import N_
from ..workflow.roles import CLAIMANT, CLERK

# The date a notice gives (%(due)s) comes from a running deadline of the case (its key), or
# from what the act recorded: the new date of an extension, the date of the last submission.
EXTENDED = "@extended"
LAST_SUBMISSION = "@last_submission"
RESUME_ON = "@resume_on"  # the day an agreed suspension ends
SET_DUE = "@due"  # the date the act set (a date the tribunal orders, recorded as "due")
# The notices of an act that reads otherwise when it changes what it set before: a date of
# the last submission that replaces another (the act records the old one as "previous").
CHANGED_LAST_SUBMISSION = "close_submissions@changed"


@dataclass(frozen=True)
class Notice:
    text: str  # marked with N_; %(reference)s, and %(due)s when `due` is set
    due: str | None = None  # where %(due)s comes from (a deadline's key, EXTENDED…)
    undated: str | None = None  # the text when that date is not known (no deadline running)
    reasons: bool = False  # the text quotes the act's reasons (%(reasons)s)


# Everyone is told what happened; those who must act next are told what and by when.
BEFORE_ARBITRATION: dict[str, dict[str, Notice]] = {
    "submit": {
        "": Notice(N_("Claim %(reference)s was submitted by %(actor)s.")),
        CLAIMANT: Notice(
            N_(
                "Your claim %(reference)s was filed. Its lodging fee invoice is on the case's "
                "account page: the registry registers the claim once the fee is paid."
            )
        ),
        CLERK: Notice(
            N_(
                "A new claim, %(reference)s, was filed by %(actor)s. Screen it: register it, "
                "return it for amendment or reject it."
            )
        ),
    },
    "return": {
        "": Notice(N_("Claim %(reference)s was returned to the claimant for amendment.")),
        CLAIMANT: Notice(
            N_(
                "Your claim %(reference)s was returned to you for amendment. Read the reasons "
                "in the notice of return, then amend the claim and submit it again."
            )
        ),
    },
    "reject": {
        "": Notice(N_("Claim %(reference)s was rejected as inadmissible.")),
        CLAIMANT: Notice(
            N_(
                "Your claim %(reference)s was rejected as inadmissible. The decision and its "
                "reasons are on the case page."
            )
        ),
    },
    "register": {
        "": Notice(N_("The claim was registered as case %(reference)s.")),
        CLAIMANT: Notice(
            N_(
                "Your case was registered as %(reference)s. The registry will now propose a "
                "mediator and invite the respondent."
            )
        ),
    },
    "invite_respondent": {
        "": Notice(
            N_("The registry invited %(name)s to represent the respondent in case %(reference)s.")
        ),
    },
    "add_counsel": {
        "": Notice(N_("%(actor)s added %(name)s as counsel in case %(reference)s.")),
    },
    "file_response": {
        "": Notice(
            N_("The respondent filed its response in case %(reference)s. It is on the case page.")
        ),
    },
    "file_submission": {
        "": Notice(N_("%(actor)s filed a submission in case %(reference)s: %(title)s.")),
    },
    "propose_mediator": {
        "": Notice(
            N_(
                "The registry proposed %(name)s as mediator in case %(reference)s. The mediator "
                "is asked to accept or decline."
            )
        ),
    },
    "accept_mediator_seat": {
        "": Notice(
            N_(
                "%(actor)s accepted the appointment as mediator of case %(reference)s, in "
                "place of the mediator who left."
            )
        ),
    },
    "accept_mediation": {
        "": Notice(
            N_(
                "%(actor)s accepted the appointment as mediator: case %(reference)s is now in "
                "mediation, to conclude by %(due)s (Almaty time)."
            ),
            due="mediation_conclusion",
            undated=N_(
                "%(actor)s accepted the appointment as mediator: case %(reference)s is now in "
                "mediation."
            ),
        ),
    },
    "decline_mediation": {
        "": Notice(
            N_(
                "The proposed mediator declined the appointment in case %(reference)s. The "
                "registry will propose another mediator."
            )
        ),
        CLERK: Notice(
            N_(
                "%(actor)s declined to mediate case %(reference)s. Propose another mediator by "
                "%(due)s (Almaty time)."
            ),
            due="mediator_appointment",
            undated=N_(
                "%(actor)s declined to mediate case %(reference)s. Propose another mediator."
            ),
        ),
    },
    "schedule_session": {
        "": Notice(
            N_(
                "A mediation session in case %(reference)s is scheduled for %(when)s (Almaty "
                "time). The place or video link is on the case page."
            )
        ),
    },
    "extend_mediation": {
        "": Notice(
            N_(
                "The mediation in case %(reference)s was extended by agreement of both "
                "parties: it is now to conclude by %(due)s (Almaty time)."
            ),
            due=EXTENDED,
        ),
    },
    "settle": {
        "": Notice(
            N_(
                "A settlement was recorded in case %(reference)s. The settlement record is on "
                "the case page."
            )
        ),
        CLERK: Notice(
            N_("A settlement was recorded in case %(reference)s. The case can now be closed.")
        ),
    },
    "impasse": {
        "": Notice(
            N_(
                "The mediation in case %(reference)s ended in an impasse. The termination "
                "certificate is on the case page."
            )
        ),
        CLAIMANT: Notice(
            N_(
                "The mediation in case %(reference)s ended in an impasse. You may refer the "
                "case to arbitration."
            )
        ),
        CLERK: Notice(
            N_(
                "The mediation in case %(reference)s ended in an impasse. The claimant or the "
                "registry may now refer it to arbitration."
            )
        ),
    },
    "lapse": {
        "": Notice(
            N_(
                "The mediation in case %(reference)s was terminated because nothing happened "
                "in it for too long. The termination certificate is on the case page."
            )
        ),
        CLAIMANT: Notice(
            N_(
                "The mediation in case %(reference)s was terminated because nothing happened "
                "in it for too long. You may refer the case to arbitration."
            )
        ),
        CLERK: Notice(
            N_(
                "The mediation in case %(reference)s was terminated because nothing happened "
                "in it for too long. The claimant or the registry may now refer it to "
                "arbitration."
            )
        ),
    },
    # Suspension by agreement (the challenges' and vacancies' own suspensions are told by
    # their acts).
    "suspend": {
        "": Notice(
            N_(
                "The proceeding in case %(reference)s is suspended by agreement of the parties "
                "until %(due)s. Its time limits are paused and run again from that day with "
                "the days they had left."
            ),
            due=RESUME_ON,
            undated=N_(
                "The proceeding in case %(reference)s is suspended by agreement of the parties."
            ),
        ),
    },
    "resume": {
        "": Notice(
            N_(
                "The proceeding in case %(reference)s has resumed. Its time limits run again "
                "with the days they had left: the new dates are on the case page."
            )
        ),
    },
}
