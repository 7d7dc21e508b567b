"""What each act of arbitration tells each person on the case (see wording.py), and what
a proposed neutral is asked."""

from __future__ import annotations

from ..texts import N_
from ..workflow.roles import CHAIR, CLAIMANT, CLERK, RESPONDENT
from .wording import CHANGED_LAST_SUBMISSION, EXTENDED, LAST_SUBMISSION, Notice


def both_parties(notice: Notice) -> dict[str, Notice]:
    """The same notice for the claimant's side and the respondent's."""
    return {CLAIMANT: notice, RESPONDENT: notice}


ARBITRATION: dict[str, dict[str, Notice]] = {
    "refer": {
        "": Notice(
            N_(
                "Case %(reference)s was referred to arbitration. The registry is to constitute "
                "the tribunal by %(due)s (Almaty time)."
            ),
            due="tribunal_constitution",
            undated=N_("Case %(reference)s was referred to arbitration."),
        ),
        CLERK: Notice(
            N_(
                "Case %(reference)s was referred to arbitration. Constitute the tribunal by "
                "%(due)s (Almaty time)."
            ),
            due="tribunal_constitution",
        ),
    },
    "propose_tribunal": {
        "": Notice(
            N_(
                "The registry proposed the arbitral tribunal in case %(reference)s. The "
                "arbitrators are asked to accept or decline."
            )
        ),
    },
    "accept_appointment": {
        "": Notice(N_("%(actor)s accepted the appointment as arbitrator in case %(reference)s.")),
    },
    "decline_appointment": {
        "": Notice(
            N_(
                "A proposed arbitrator declined the appointment in case %(reference)s. The "
                "registry will propose another."
            )
        ),
        CLERK: Notice(
            N_(
                "%(actor)s declined the appointment as arbitrator in case %(reference)s. "
                "Propose someone for the empty seat by %(due)s (Almaty time)."
            ),
            due="tribunal_constitution",
        ),
    },
    "constitute": {
        "": Notice(
            N_(
                "The arbitral tribunal in case %(reference)s is constituted. Its first session "
                "is to be held by %(due)s (Almaty time)."
            ),
            due="first_session",
            undated=N_("The arbitral tribunal in case %(reference)s is constituted."),
        ),
        CHAIR: Notice(
            N_(
                "The arbitral tribunal in case %(reference)s is constituted. Hold its first "
                "session by %(due)s (Almaty time): schedule it, and record it as held once it "
                "has taken place."
            ),
            due="first_session",
        ),
    },
    "procedural_order": {
        "": Notice(
            N_(
                "The tribunal issued a procedural order in case %(reference)s. Read it on the "
                "case page."
            )
        ),
    },
    "schedule_hearing": {
        "": Notice(
            N_(
                "A hearing in case %(reference)s is scheduled for %(when)s (Almaty time). The "
                "place or video link is on the case page."
            )
        ),
    },
    "record_hearing_held": {
        "": Notice(
            N_(
                "The tribunal recorded that the hearing of %(when)s (Almaty time) in case "
                "%(reference)s was held. The record is on the case page."
            )
        ),
    },
    "close_submissions": {
        "": Notice(
            N_("The tribunal set the date of the last submission in case %(reference)s: %(due)s."),
            due=LAST_SUBMISSION,
        ),
        **both_parties(
            Notice(
                N_(
                    "The tribunal set the date of the last submission in case %(reference)s: file "
                    "any further submission by %(due)s (Almaty time)."
                ),
                due=LAST_SUBMISSION,
            )
        ),
    },
    # A later date of the last submission replaces the one the parties were given: they are
    # told both, and why (notices/texts.py picks these when the act recorded the old date).
    CHANGED_LAST_SUBMISSION: {
        "": Notice(
            N_(
                "The tribunal changed the date of the last submission in case %(reference)s "
                "from %(previous)s to %(due)s. Its reasons: “%(reasons)s”. The time limit for "
                "the award runs from the new date."
            ),
            due=LAST_SUBMISSION,
            reasons=True,
        ),
        **both_parties(
            Notice(
                N_(
                    "The tribunal changed the date of the last submission in case %(reference)s "
                    "from %(previous)s to %(due)s. Its reasons: “%(reasons)s”. File any further "
                    "submission by %(due)s (Almaty time)."
                ),
                due=LAST_SUBMISSION,
                reasons=True,
            )
        ),
    },
    "delay_notice": {
        "": Notice(
            N_(
                "The tribunal issued a notice of delay in case %(reference)s: the award is now "
                "expected by %(due)s (Almaty time)."
            ),
            due=EXTENDED,
        ),
    },
    "record_default": {
        "": Notice(
            N_(
                "The tribunal recorded that a party is in default in case %(reference)s. The "
                "proceedings go on; the record and its reasons are on the case page."
            )
        ),
    },
    "issue_award": {
        "": Notice(
            N_("The tribunal issued the award in case %(reference)s. It is on the case page.")
        ),
        **both_parties(
            Notice(
                N_(
                    "The tribunal issued the award in case %(reference)s. You may request a "
                    "correction or interpretation by %(due)s (Almaty time)."
                ),
                due="correction_request",
            )
        ),
    },
    "dismiss": {
        "": Notice(
            N_(
                "The tribunal dismissed the claim in case %(reference)s. The dismissal order is "
                "on the case page."
            )
        ),
        CLERK: Notice(
            N_(
                "The tribunal dismissed the claim in case %(reference)s. The case can now be "
                "closed."
            )
        ),
    },
    "request_correction": {
        "": Notice(
            N_(
                "%(actor)s requested a correction or interpretation of the award in case "
                "%(reference)s. The tribunal is to decide by %(due)s (Almaty time)."
            ),
            due="correction_decision",
            undated=N_(
                "%(actor)s requested a correction or interpretation of the award in case "
                "%(reference)s."
            ),
        ),
        CHAIR: Notice(
            N_(
                "%(actor)s requested a correction or interpretation of the award in case "
                "%(reference)s. Decide the request by %(due)s (Almaty time)."
            ),
            due="correction_decision",
        ),
    },
    "decide_correction": {
        "": Notice(
            N_(
                "The tribunal decided the request for correction in case %(reference)s. The "
                "decision is on the case page."
            )
        ),
    },
    "extend_deadline": {
        "": Notice(
            N_(
                "The registry extended a deadline in case %(reference)s: %(deadline)s, now due "
                "on %(due)s (Almaty time)."
            ),
            due=EXTENDED,
        ),
    },
    "withdraw": {
        "": Notice(
            N_(
                "The claimant withdrew the claim in case %(reference)s. The termination order "
                "is on the case page."
            )
        ),
        CLERK: Notice(
            N_("The claimant withdrew the claim in case %(reference)s. The case can now be closed.")
        ),
    },
    "close": {
        "": Notice(
            N_("Case %(reference)s was closed. It can still be read but no longer changed.")
        ),
    },
}

# A proposed neutral is asked to answer (neutrals/operations.py), by the deadline that the
# answer serves: the mediator's appointment, or the constitution of the tribunal.
ASKED_TO_MEDIATE = Notice(
    N_(
        "You were proposed as the mediator in case %(reference)s. Accept the appointment (sign "
        "the declaration of independence) or decline it by %(due)s (Almaty time)."
    ),
    due="mediator_appointment",
    undated=N_(
        "You were proposed as the mediator in case %(reference)s. Accept the appointment (sign "
        "the declaration of independence) or decline it."
    ),
)
ASKED_TO_ARBITRATE = Notice(
    N_(
        "You were proposed as an arbitrator in case %(reference)s (%(capacity)s). Accept the "
        "appointment (sign the declaration of independence) or decline it by %(due)s (Almaty "
        "time)."
    ),
    due="tribunal_constitution",
    undated=N_(
        "You were proposed as an arbitrator in case %(reference)s (%(capacity)s). Accept the "
        "appointment (sign the declaration of independence) or decline it."
    ),
)
