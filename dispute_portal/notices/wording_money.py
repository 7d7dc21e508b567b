"""What the case account's acts tell each person on the case (see wording.py for how a
notice is chosen): a payment received, a fee waived."""

from __future__ import annotations

from ..texts import N_
from ..workflow.roles import CLAIMANT, CLERK
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
    "notify_advance_default": {
        "": Notice(
            N_(
                "The advance on costs of case %(reference)s is overdue: a share of it is still "
                "unpaid. Either side may pay what is unpaid in the other's place by %(due)s, "
                "with the invoice's payment reference; if it stays unpaid, the proceeding is "
                "suspended. The invoices are on the case's account page."
            ),
            due="advance_substitution",
        ),
    },
    "suspend_for_non_payment": {
        "": Notice(
            N_(
                "The proceeding in case %(reference)s is suspended: the advance on costs was "
                "not paid, nor in substitution. It resumes as soon as the advance is paid in "
                "full; if it stays unpaid, the registry may discontinue the proceeding."
            )
        ),
    },
    "resume_after_payment": {
        "": Notice(
            N_(
                "The advance on costs of case %(reference)s is paid: the proceeding resumes, "
                "and its time limits run again with the days they had left."
            )
        ),
    },
    "discontinue_non_payment": {
        "": Notice(
            N_(
                "The proceeding in case %(reference)s was discontinued for non-payment of the "
                "advance on costs. The order of discontinuance is on the case page."
            )
        ),
    },
    # The neutrals' fee notes: read by the neutrals of the phase and the registry only.
    "submit_fee_note": {
        "": Notice(N_("A fee note was submitted on case %(reference)s.")),
        CLERK: Notice(
            N_(
                "A neutral submitted a fee note on case %(reference)s: approve it or reject it "
                "on the case's fee notes page."
            )
        ),
    },
    "approve_fee_note": {
        "": Notice(
            N_(
                "A fee note on case %(reference)s was approved and charged to the advance on "
                "costs. The Centre pays it next."
            )
        ),
    },
    "reject_fee_note": {
        "": Notice(
            N_(
                "A fee note on case %(reference)s was rejected. The registry's reasons: "
                "“%(reasons)s”."
            ),
            reasons=True,
        ),
    },
    "pay_fee_note": {
        "": Notice(N_("The Centre paid a fee note on case %(reference)s.")),
    },
    # The statements and the refunds (accounts/closing.py).
    "issue_account_statement": {
        "": Notice(
            N_(
                "A statement of the account of case %(reference)s was issued. It is on the "
                "case's account page."
            )
        ),
    },
    "issue_final_statement": {
        "": Notice(
            N_(
                "The final financial statement of case %(reference)s was issued: what each "
                "side paid, what was spent and what the Centre refunds. It is on the case's "
                "account page."
            )
        ),
    },
    "pay_refund": {
        "": Notice(N_("The Centre paid a refund on case %(reference)s.")),
    },
}
