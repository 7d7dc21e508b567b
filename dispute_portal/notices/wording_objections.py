"""What the acts of the written phase and of preliminary objections tell each person on the
case (see wording.py)."""

from __future__ import annotations

from ..texts import N_
from ..workflow.roles import CHAIR, CLERK
from .wording import Notice

OBJECTIONS: dict[str, dict[str, Notice]] = {
    "set_timetable": {
        "": Notice(
            N_(
                "The tribunal set the timetable of the written phase in case %(reference)s. "
                "The dates of the pleadings are in its order and among the deadlines on the "
                "case page."
            )
        ),
    },
    "file_memorial": {
        "": Notice(N_("%(actor)s filed the claimant's memorial in case %(reference)s.")),
    },
    "file_counter_memorial": {
        "": Notice(N_("%(actor)s filed the respondent's counter-memorial in case %(reference)s.")),
    },
    "file_reply": {
        "": Notice(N_("%(actor)s filed the claimant's reply in case %(reference)s.")),
    },
    "file_rejoinder": {
        "": Notice(N_("%(actor)s filed the respondent's rejoinder in case %(reference)s.")),
    },
    "object_merit": {
        "": Notice(
            N_(
                "%(actor)s objected that the claims in case %(reference)s manifestly lack legal "
                "merit. The objection and its grounds are on the case page; the tribunal will "
                "hear the parties on it."
            )
        ),
    },
    "close_merit_objection": {
        "": Notice(
            N_(
                "The tribunal recorded the last submission on the objection of manifest lack "
                "of legal merit in case %(reference)s. It is to decide by %(due)s (Almaty time)."
            ),
            due="merit_decision",
            undated=N_(
                "The tribunal recorded the last submission on the objection of manifest lack "
                "of legal merit in case %(reference)s."
            ),
        ),
    },
    "uphold_merit_objection": {
        "": Notice(
            N_(
                "The tribunal upheld the objection of manifest lack of legal merit in case "
                "%(reference)s: the claims are dismissed. The award is on the case page."
            )
        ),
        CLERK: Notice(
            N_(
                "The tribunal dismissed the claims in case %(reference)s for manifest lack of "
                "legal merit. The case can now be closed."
            )
        ),
    },
    "reject_merit_objection": {
        "": Notice(
            N_(
                "The tribunal rejected the objection of manifest lack of legal merit in case "
                "%(reference)s. The proceedings go on; the decision is on the case page."
            )
        ),
    },
    "object_jurisdiction": {
        "": Notice(
            N_(
                "%(actor)s objected to the jurisdiction of the Centre in case %(reference)s. The "
                "objection and its grounds are on the case page."
            )
        ),
    },
    "request_bifurcation": {
        "": Notice(
            N_(
                "%(actor)s asked that the objection to jurisdiction in case %(reference)s be "
                "decided first. The tribunal is to decide the request by %(due)s (Almaty time)."
            ),
            due="bifurcation_decision",
            undated=N_(
                "%(actor)s asked that the objection to jurisdiction in case %(reference)s be "
                "decided first."
            ),
        ),
        CHAIR: Notice(
            N_(
                "%(actor)s asked that the objection to jurisdiction in case %(reference)s be "
                "decided first. Decide the request by %(due)s (Almaty time)."
            ),
            due="bifurcation_decision",
        ),
    },
    "decide_bifurcation": {
        "": Notice(
            N_(
                "The tribunal decided the request for bifurcation in case %(reference)s. The "
                "decision, and what it means for the timetable, is on the case page."
            )
        ),
    },
    "close_jurisdiction_objection": {
        "": Notice(
            N_(
                "The tribunal recorded the last submission on the objection to jurisdiction in "
                "case %(reference)s. It is to decide by %(due)s (Almaty time)."
            ),
            due="jurisdiction_decision",
            undated=N_(
                "The tribunal recorded the last submission on the objection to jurisdiction in "
                "case %(reference)s."
            ),
        ),
    },
    "decline_jurisdiction": {
        "": Notice(
            N_(
                "The tribunal declined jurisdiction in case %(reference)s: the claims are "
                "dismissed. The award is on the case page."
            )
        ),
        CLERK: Notice(
            N_(
                "The tribunal declined jurisdiction in case %(reference)s. The case can now be "
                "closed."
            )
        ),
    },
    "uphold_jurisdiction": {
        "": Notice(
            N_(
                "The tribunal rejected the objection to jurisdiction in case %(reference)s. The "
                "proceedings on the merits go on; the decision is on the case page."
            )
        ),
    },
    "join_objection": {
        "": Notice(
            N_(
                "The tribunal joined the objection to jurisdiction in case %(reference)s to the "
                "merits: it will be decided with them. The decision is on the case page."
            )
        ),
    },
}
