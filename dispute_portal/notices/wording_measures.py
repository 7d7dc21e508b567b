"""What the acts of provisional measures, funding disclosure and non-disputing parties tell
each person on the case (see wording.py for how a notice is chosen)."""

from __future__ import annotations

from ..texts import N_
from ..workflow.roles import CHAIR, CLAIMANT, RESPONDENT
from .wording import EXTENDED, Notice

_OBSERVE_MEASURES = Notice(
    N_(
        "%(actor)s requested provisional measures in case %(reference)s. The other party may "
        "file observations by %(due)s (Almaty time)."
    ),
    due="provisional_observations",
    undated=N_("%(actor)s requested provisional measures in case %(reference)s."),
)
_OBSERVE_APPLICATION = Notice(
    N_(
        "The registry recorded a non-disputing party's application to file a written "
        "submission in case %(reference)s (%(name)s). File your observations on it by %(due)s "
        "(Almaty time)."
    ),
    due="non_disputing_observations",
    undated=N_(
        "The registry recorded a non-disputing party's application to file a written "
        "submission in case %(reference)s (%(name)s)."
    ),
)
# Everyone learns of the funder; the neutrals read there what they must do, and by when.
_DISCLOSED = Notice(
    N_(
        "%(actor)s disclosed third-party funding in case %(reference)s (%(name)s). The "
        "neutrals re-confirm their declarations of independence and impartiality by %(due)s "
        "(Almaty time)."
    ),
    due="declaration_reconfirmation",
    undated=N_("%(actor)s disclosed third-party funding in case %(reference)s (%(name)s)."),
)
_UPDATED = Notice(
    N_(
        "%(actor)s updated a funding disclosure in case %(reference)s: now %(name)s. The "
        "neutrals re-confirm their declarations of independence and impartiality by %(due)s "
        "(Almaty time)."
    ),
    due="declaration_reconfirmation",
    undated=N_("%(actor)s updated a funding disclosure in case %(reference)s: now %(name)s."),
)

MEASURES: dict[str, dict[str, Notice]] = {
    "request_provisional_measures": {
        "": _OBSERVE_MEASURES,
        CHAIR: Notice(
            N_(
                "%(actor)s requested provisional measures in case %(reference)s. The other "
                "party may file observations by %(due)s (Almaty time); the tribunal then "
                "orders."
            ),
            due="provisional_observations",
        ),
    },
    "observe_provisional_measures": {
        "": Notice(
            N_(
                "%(actor)s filed observations on the request for provisional measures in case "
                "%(reference)s."
            )
        ),
        CHAIR: Notice(
            N_(
                "%(actor)s filed observations on the request for provisional measures in case "
                "%(reference)s. Issue the tribunal's order by %(due)s (Almaty time)."
            ),
            due="provisional_decision",
        ),
    },
    "shorten_provisional_observations": {
        "": Notice(
            N_(
                "The tribunal shortened the time for observations on the urgent request for "
                "provisional measures in case %(reference)s: they are now due by %(due)s "
                "(Almaty time). Its reasons: “%(reasons)s”."
            ),
            due=EXTENDED,
            reasons=True,
        ),
    },
    "decide_provisional_measures": {
        "": Notice(
            N_(
                "The tribunal issued its order on provisional measures in case %(reference)s. "
                "The order is on the case page."
            )
        ),
    },
    "disclose_funding": {"": _DISCLOSED},
    "update_funding": {"": _UPDATED},
    "withdraw_funding": {
        "": Notice(
            N_("%(actor)s withdrew the disclosure of funding by %(name)s in case %(reference)s.")
        ),
    },
    "reconfirm_declaration": {
        "": Notice(
            N_("%(actor)s re-confirmed their declaration of independence in case %(reference)s.")
        ),
    },
    "record_non_disputing_application": {
        "": Notice(
            N_(
                "The registry recorded a non-disputing party's application to file a written "
                "submission in case %(reference)s (%(name)s)."
            )
        ),
        CLAIMANT: _OBSERVE_APPLICATION,
        RESPONDENT: _OBSERVE_APPLICATION,
    },
    "observe_non_disputing_application": {
        "": Notice(
            N_(
                "%(actor)s filed observations on the non-disputing party's application in case "
                "%(reference)s."
            )
        ),
    },
    "decide_non_disputing_application": {
        "": Notice(
            N_(
                "The tribunal decided the non-disputing party's application in case "
                "%(reference)s. The decision is on the case page."
            )
        ),
    },
}
