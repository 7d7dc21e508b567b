"""What sealing tells each person on the case (see wording.py for how a notice is chosen):
that something of the case was sealed, or a seal lifted, with the reasons."""

from __future__ import annotations

from ..texts import N_
from .wording import Notice

PUBLICATION: dict[str, dict[str, Notice]] = {
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
            N_("%(actor)s lifted a seal of case %(reference)s: %(reasons)s"),
            reasons=True,
        ),
    },
}
