"""The life of a case: states, the transition table, and the audit chain.

No Flask here: the workflow is plain Python over the models, so views, the CLI and the seed
all drive cases the same way.
"""

from .engine import StaleCase, TransitionRefused, allowed, apply, record
from .states import CaseState
from .transitions import TRANSITIONS, Transition, transition

__all__ = [
    "TRANSITIONS",
    "CaseState",
    "StaleCase",
    "Transition",
    "TransitionRefused",
    "allowed",
    "apply",
    "record",
    "transition",
]
