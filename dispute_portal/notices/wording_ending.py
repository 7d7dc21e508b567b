"""What the acts that end a proceeding without an award, and the acts of mediation as the
parties choose, tell each person on the case (the keys are the workflow table's actions)."""

from __future__ import annotations

from ..texts import N_
from ..workflow.roles import CHAIR, CLAIMANT, CLERK
from .wording import Notice

_DISCONTINUED = N_(
    "The proceeding in case %(reference)s was discontinued by agreement of the parties. "
    "The order of discontinuance is on the case page."
)
_ORDERED = N_(
    "The proceeding in case %(reference)s was discontinued at a party's request, to which "
    "no objection was made in time. The order of discontinuance is on the case page."
)
_OBJECTED = N_(
    "%(actor)s objected to the discontinuance of the proceeding in case %(reference)s. The "
    "request lapses and the proceeding goes on."
)
_CLOSE_NOW = N_(
    "The proceeding in case %(reference)s was discontinued. The case can now be closed."
)

ENDING: dict[str, dict[str, Notice]] = {
    # Mediation as the parties choose
    "end_mediation": {
        "": Notice(
            N_(
                "%(actor)s ended the mediation in case %(reference)s. The certificate of "
                "termination is on the case page."
            )
        ),
        CLAIMANT: Notice(
            N_(
                "%(actor)s ended the mediation in case %(reference)s. You may refer the case "
                "to arbitration."
            )
        ),
        CLERK: Notice(
            N_(
                "%(actor)s ended the mediation in case %(reference)s. The claimant or the "
                "registry may now refer it to arbitration."
            )
        ),
    },
    "arbitrate_by_agreement": {
        "": Notice(
            N_(
                "By agreement of the parties, case %(reference)s goes straight to arbitration, "
                "without mediation."
            )
        ),
        CLERK: Notice(
            N_(
                "Case %(reference)s goes straight to arbitration by agreement of the parties. "
                "Constitute the tribunal by %(due)s (Almaty time)."
            ),
            due="tribunal_constitution",
            undated=N_(
                "Case %(reference)s goes straight to arbitration by agreement of the parties. "
                "Constitute the tribunal."
            ),
        ),
    },
    "refer_registered": {
        "": Notice(
            N_(
                "Case %(reference)s was referred to arbitration: under its rules arbitration "
                "comes first."
            )
        ),
        CLERK: Notice(
            N_(
                "Case %(reference)s was referred to arbitration. Constitute the tribunal by "
                "%(due)s (Almaty time)."
            ),
            due="tribunal_constitution",
            undated=N_("Case %(reference)s was referred to arbitration. Constitute the tribunal."),
        ),
    },
    "agree_to_mediate": {
        "": Notice(
            N_(
                "The registry recorded the parties' agreement to mediate case %(reference)s. "
                "It will propose a mediator."
            )
        ),
    },
    # Ending without an award
    "discontinue": {"": Notice(_DISCONTINUED), CLERK: Notice(_CLOSE_NOW)},
    "registry_discontinue": {"": Notice(_DISCONTINUED), CLERK: Notice(_CLOSE_NOW)},
    "consent_award": {
        "": Notice(
            N_(
                "The tribunal embodied the parties' settlement in an award in case "
                "%(reference)s. The award is on the case page."
            )
        ),
    },
    "request_discontinuance": {
        "": Notice(
            N_(
                "%(actor)s requested the discontinuance of the proceeding in case "
                "%(reference)s. The other party may object by %(due)s (Almaty time); without "
                "an objection the proceeding will be discontinued."
            ),
            due="discontinuance_objection",
            undated=N_(
                "%(actor)s requested the discontinuance of the proceeding in case "
                "%(reference)s. The other party may object; without an objection the "
                "proceeding will be discontinued."
            ),
        ),
    },
    "object_to_claimant_request": {"": Notice(_OBJECTED)},
    "object_to_respondent_request": {"": Notice(_OBJECTED)},
    "order_discontinuance": {"": Notice(_ORDERED), CLERK: Notice(_CLOSE_NOW)},
    "registry_order_discontinuance": {"": Notice(_ORDERED), CLERK: Notice(_CLOSE_NOW)},
    "notify_inactivity": {
        "": Notice(
            N_(
                "The parties have taken no step in case %(reference)s for a long time. Unless "
                "a party takes a step (a submission, a request) by %(due)s (Almaty time), the "
                "proceeding will be discontinued."
            ),
            due="inactivity_notice",
            undated=N_(
                "The parties have taken no step in case %(reference)s for a long time. Unless "
                "a party takes a step (a submission, a request), the proceeding will be "
                "discontinued."
            ),
        ),
        CHAIR: Notice(
            N_(
                "Notice of the parties' inactivity was given in case %(reference)s. Without a "
                "step of a party by %(due)s (Almaty time) the proceeding will be discontinued."
            ),
            due="inactivity_notice",
            undated=N_(
                "Notice of the parties' inactivity was given in case %(reference)s. Without a "
                "step of a party the proceeding will be discontinued."
            ),
        ),
    },
    "discontinue_inactive": {
        "": Notice(
            N_(
                "The proceeding in case %(reference)s was discontinued because no party took "
                "a step after the notice of inactivity. The order of discontinuance is on the "
                "case page."
            )
        ),
        CLERK: Notice(_CLOSE_NOW),
    },
}
