"""What publication tells each person on the case (see wording.py for how a notice is
chosen): a side's new answer on publication; that something of the case was sealed, or a
seal lifted, with the reasons."""

from __future__ import annotations

from ..texts import N_
from .wording import Notice

PUBLICATION: dict[str, dict[str, Notice]] = {
    "state_publication_consent": {
        "": Notice(
            N_(
                "A party to case %(reference)s changed its answer on the publication of the "
                "decisions. Both answers are on the case's publication page."
            )
        ),
    },
    "propose_redaction": {
        "": Notice(
            N_(
                "A party to case %(reference)s proposed a passage of a decision to withhold "
                "from its publication. The proposals are on the case's publication page."
            )
        ),
    },
    "no_more_redactions": {
        "": Notice(
            N_(
                "A party to case %(reference)s proposes no more passages of a decision to "
                "withhold. Once both sides have said so, the decision may be published."
            )
        ),
    },
    "comment_redaction": {
        "": Notice(
            N_(
                "A party to case %(reference)s commented on a proposal to withhold a passage "
                "from publication."
            )
        ),
    },
    "decide_redaction": {
        "": Notice(
            N_(
                "The tribunal decided a proposal to withhold a passage of a decision of case "
                "%(reference)s from its publication."
            )
        ),
    },
    "publish_decision": {
        "": Notice(
            N_(
                "A decision of case %(reference)s was published in the register of cases, "
                "without the passages the tribunal withheld."
            )
        ),
    },
    "publish_excerpt": {
        "": Notice(
            N_("An excerpt of a decision of case %(reference)s was published in the register.")
        ),
    },
    "seal": {
        "": Notice(
            N_(
                "%(actor)s sealed part of case %(reference)s: %(reasons)s The seals are "
                "listed in the case's trail."
            ),
            reasons=True,
        ),
    },
    "unseal": {
        "": Notice(
            N_("%(actor)s lifted a seal of case %(reference)s: %(reasons)s The trail records it."),
            reasons=True,
        ),
    },
}
