"""What each act of constitution by the parties tells each person on the case (see
wording.py): the nominations, the choice of the presiding arbitrator, the appointments the
Centre makes in default."""

from __future__ import annotations

from ..texts import N_
from ..workflow.roles import CLAIMANT, CLERK, RESPONDENT
from .wording import Notice

_NOMINATE = Notice(
    N_(
        "The parties appoint the arbitral tribunal in case %(reference)s. Nominate your side's "
        "arbitrator (or agree with the other side on a sole arbitrator) by %(due)s (Almaty "
        "time); after that the Centre may appoint in default."
    ),
    due="party_nomination",
    undated=N_(
        "The parties appoint the arbitral tribunal in case %(reference)s. Nominate your side's "
        "arbitrator (or agree with the other side on a sole arbitrator)."
    ),
)

# A nominee of the parties' route who declines: the seat is chosen again as before.
NOMINEE_DECLINED = "decline_appointment@nominee"

CONSTITUTION: dict[str, dict[str, Notice]] = {
    "party_appointment": {
        "": Notice(
            N_(
                "The registry recorded that the parties appoint the arbitral tribunal in case "
                "%(reference)s."
            )
        ),
        CLAIMANT: _NOMINATE,
        RESPONDENT: _NOMINATE,
    },
    "nominate_arbitrator": {
        "": Notice(
            N_(
                "%(actor)s nominated %(name)s as arbitrator in case %(reference)s. The "
                "arbitrator is asked to accept the appointment."
            )
        ),
    },
    "agree_on_arbitrator": {
        "": Notice(
            N_(
                "The registry recorded the parties' joint choice of %(name)s as arbitrator in "
                "case %(reference)s. The arbitrator is asked to accept the appointment."
            )
        ),
    },
    "nominations_complete": {
        "": Notice(
            N_("Every seat the parties fill on the tribunal of case %(reference)s is filled.")
        ),
    },
    "co_arbitrators_accepted": {
        "": Notice(
            N_(
                "Both co-arbitrators accepted their appointment in case %(reference)s. The "
                "presiding arbitrator is to be chosen, by the co-arbitrators or the parties "
                "together, by %(due)s (Almaty time)."
            ),
            due="presiding_nomination",
            undated=N_(
                "Both co-arbitrators accepted their appointment in case %(reference)s. The "
                "presiding arbitrator is to be chosen by the co-arbitrators or the parties "
                "together."
            ),
        ),
    },
    "choose_presiding": {
        "": Notice(
            N_(
                "The co-arbitrators chose %(name)s as presiding arbitrator in case "
                "%(reference)s. The arbitrator is asked to accept the appointment."
            )
        ),
    },
    NOMINEE_DECLINED: {
        "": Notice(
            N_(
                "A nominated arbitrator declined the appointment in case %(reference)s. The "
                "seat is chosen again as before; once its time limit has passed, the Centre "
                "may appoint in default."
            )
        ),
    },
    "appoint_in_default": {
        "": Notice(
            N_(
                "The Centre appointed %(name)s as arbitrator in case %(reference)s, in default "
                "of a nomination in time. The notice of appointment gives the reasons."
            )
        ),
        CLERK: Notice(
            N_(
                "%(name)s was appointed in default as arbitrator in case %(reference)s and is "
                "asked to accept the appointment."
            )
        ),
    },
}
