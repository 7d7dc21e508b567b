"""What each act of a challenge, a resignation and a vacancy tells each person on the case
(see wording.py): the persons a proposal names are asked to comment, the other party to
observe, the deciders to decide, the registry to fill a vacant seat."""

from __future__ import annotations

from ..texts import N_
from ..workflow.roles import CHALLENGE_CENTRE, CHALLENGE_MEMBER, CLERK
from .wording import Notice

CHALLENGES: dict[str, dict[str, Notice]] = {
    # Told while the proposal is being recorded: one text for all, with the date by which
    # the persons named may comment and the other party may observe.
    "propose_disqualification": {
        "": Notice(
            N_(
                "%(actor)s proposed the disqualification of %(name)s in case %(reference)s. "
                "The persons named may comment on the proposal, and the other party may file "
                "observations, by %(due)s (Almaty time). The proceeding is suspended until "
                "the proposal is decided."
            ),
            due="challenge_explanation",
            undated=N_(
                "%(actor)s proposed the disqualification of %(name)s in case %(reference)s. "
                "The proceeding is suspended until the proposal is decided."
            ),
        ),
    },
    "comment_on_challenge": {
        "": Notice(
            N_("%(actor)s commented on the proposal for disqualification in case %(reference)s.")
        ),
    },
    "observe_on_challenge": {
        "": Notice(
            N_(
                "%(actor)s filed observations on the proposal for disqualification in case "
                "%(reference)s."
            )
        ),
    },
    "close_challenge_pleadings": {
        "": Notice(
            N_(
                "The comments on the proposal for disqualification in case %(reference)s are "
                "closed. It is to be decided by %(due)s (Almaty time)."
            ),
            due="challenge_decision",
            undated=N_(
                "The comments on the proposal for disqualification in case %(reference)s "
                "are closed."
            ),
        ),
        CHALLENGE_MEMBER: Notice(
            N_(
                "The comments on the proposal for disqualification in case %(reference)s are "
                "closed. Vote on it, with your reasons, so that it is decided by %(due)s "
                "(Almaty time)."
            ),
            due="challenge_decision",
        ),
        CHALLENGE_CENTRE: Notice(
            N_(
                "The comments on the proposal for disqualification in case %(reference)s are "
                "closed. The Centre decides it: decide it by %(due)s (Almaty time)."
            ),
            due="challenge_decision",
        ),
    },
    "vote_on_challenge": {
        "": Notice(
            N_("%(actor)s voted on the proposal for disqualification in case %(reference)s.")
        ),
    },
    "decide_challenge": {
        "": Notice(
            N_(
                "The proposal for the disqualification of %(name)s in case %(reference)s was "
                "decided. The decision is on the case page."
            )
        ),
    },
    "resign": {
        "": Notice(N_("%(actor)s resigned from case %(reference)s.")),
    },
    "challenge_moot": {
        "": Notice(
            N_(
                "%(name)s left case %(reference)s: the proposal for their disqualification is "
                "moot and ends without a decision, as does the suspension for it."
            )
        ),
    },
    "open_vacancy": {
        "": Notice(
            N_(
                "%(name)s no longer sits on case %(reference)s: the seat is vacant. The "
                "proceeding is suspended until it is filled."
            )
        ),
        CLERK: Notice(
            N_(
                "%(name)s no longer sits on case %(reference)s: the seat is vacant and the "
                "proceeding is suspended. Propose a replacement by %(due)s (Almaty time)."
            ),
            due="vacancy",
        ),
    },
    "fill_vacancy": {
        "": Notice(
            N_(
                "The vacant seat in case %(reference)s is filled. The suspension for the "
                "vacancy ends."
            )
        ),
    },
}
