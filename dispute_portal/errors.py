"""The refusals of the workflow, at the floor: the web layer turns the database's "this row
changed meanwhile" into StaleCase without knowing the workflow."""

from __future__ import annotations

from .texts import N_, Refusal


class TransitionRefused(Refusal):
    """The transition may not happen now; `message` (with `params`) says why."""


class StaleCase(TransitionRefused):
    def __init__(self) -> None:
        super().__init__(
            N_("This case changed since you opened it. Nothing was applied; review it again.")
        )
