"""What the case account's acts tell each person on the case (see wording.py for how a
notice is chosen): a payment received, a fee waived."""

from __future__ import annotations

from ..texts import N_
from ..workflow.roles import CLAIMANT
from .wording import Notice

MONEY: dict[str, dict[str, Notice]] = {
    "record_payment": {
        "": Notice(
            N_(
                "A payment was recorded on the account of case %(reference)s. The receipt and "
                "what is still due are on the case's account page."
            )
        ),
    },
    "request_advance": {
        "": Notice(
            N_(
                "The registry asked the parties for an advance on costs on case %(reference)s, "
                "due by %(due)s. Each side's share and the payment instructions are on the "
                "case's account page."
            ),
            due="advance_payment",
        ),
    },
    "waive_fee": {
        "": Notice(N_("The registry waived the lodging fee of claim %(reference)s.")),
        CLAIMANT: Notice(
            N_(
                "The registry waived the lodging fee of your claim %(reference)s: nothing is "
                "due for it, and the claim can be registered."
            )
        ),
    },
}
