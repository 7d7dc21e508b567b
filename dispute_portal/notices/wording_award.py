"""What the acts of costs, counterclaims, grace and the award of a tribunal of three tell
each person on the case (see wording.py). The tribunal's deliberation on a draft (a draft,
an approval, an opinion) is for the tribunal's eyes: its events are, and so its notices."""

from __future__ import annotations

from ..texts import N_
from ..workflow.roles import CHAIR, CLAIMANT
from .wording import SET_DUE, Notice
from .wording_arbitration import both_parties

AWARD: dict[str, dict[str, Notice]] = {
    "grant_grace": {
        "": Notice(
            N_(
                "The tribunal granted the party in default a grace period in case "
                "%(reference)s, until %(due)s (Almaty time). The order is on the case page."
            ),
            due=SET_DUE,
            undated=N_(
                "The tribunal granted the party in default a grace period in case "
                "%(reference)s. The order is on the case page."
            ),
        ),
    },
    "file_counterclaim": {
        "": Notice(
            N_("The respondent filed a counterclaim in case %(reference)s. It is on the case page.")
        ),
        CLAIMANT: Notice(
            N_(
                "The respondent filed a counterclaim against you in case %(reference)s. Read it "
                "on the case page; the tribunal will set the time for your answer."
            )
        ),
    },
    "allow_counterclaim": {
        "": Notice(
            N_(
                "The tribunal allowed a late counterclaim in case %(reference)s. Its reasons: "
                "“%(reasons)s”."
            ),
            reasons=True,
        ),
    },
    "order_costs_statements": {
        "": Notice(
            N_(
                "The tribunal set the date for the statements of costs in case %(reference)s: "
                "%(due)s (Almaty time)."
            ),
            due=SET_DUE,
            undated=N_("The tribunal ordered statements of costs in case %(reference)s."),
        ),
        **both_parties(
            Notice(
                N_(
                    "The tribunal asks each party for a statement of its costs in case "
                    "%(reference)s. File yours by %(due)s (Almaty time)."
                ),
                due=SET_DUE,
                undated=N_(
                    "The tribunal asks each party for a statement of its costs in case "
                    "%(reference)s."
                ),
            )
        ),
    },
    "file_costs_statement": {
        "": Notice(N_("%(actor)s filed a statement of costs in case %(reference)s.")),
    },
    "decide_costs": {
        "": Notice(
            N_(
                "The tribunal issued a decision on costs in case %(reference)s. It is on the "
                "case page."
            )
        ),
    },
    "submit_award_draft": {
        "": Notice(
            N_(
                "The presiding arbitrator put a draft to the tribunal in case %(reference)s. "
                "Read it and record your approval (to a draft of the award you may also "
                "attach an opinion)."
            )
        ),
    },
    "approve_award_draft": {
        "": Notice(N_("%(actor)s approved the draft before the tribunal in case %(reference)s.")),
        CHAIR: Notice(
            N_(
                "%(actor)s approved the draft before the tribunal in case %(reference)s. Once a "
                "majority has approved it, you may issue it."
            )
        ),
    },
    "attach_opinion": {
        "": Notice(
            N_(
                "%(actor)s attached an opinion to the draft of the award in case %(reference)s. "
                "It is issued with the award."
            )
        ),
    },
}
