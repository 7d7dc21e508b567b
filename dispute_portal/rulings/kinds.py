"""The kinds of ruling: each is a template per language plus the fields it needs.

A kind's template lives in templates/rulings/<key>/<language>.html and extends the shared
layout (templates/rulings/_layout.html).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..texts import N_


@dataclass(frozen=True)
class RulingKind:
    key: str
    title: str  # marked for translation; the PDF carries its own title per language
    needs: tuple[str, ...] = ()  # values a person writes (e.g. "reasons")
    # The kind of the case's ruling that a ruling of this kind corrects or interprets (its
    # latest one): the ruling names it, and /verify of that ruling names this one.
    corrects: str | None = None
    # A document of the case account (accounts/): shown and served on the account page, to
    # the side it is addressed to, the registry and the finance officer; not with the rulings.
    account: bool = False

    def template(self, language: str) -> str:
        return f"rulings/{self.key}/{language}.html"


KINDS: dict[str, RulingKind] = {
    k.key: k
    for k in (
        RulingKind("filing_receipt", N_("Filing receipt")),
        RulingKind("registration_notice", N_("Registration notice")),
        RulingKind("return_notice", N_("Notice of return for amendment"), needs=("reasons",)),
        RulingKind(
            "inadmissibility_decision", N_("Decision on inadmissibility"), needs=("reasons",)
        ),
        RulingKind("settlement_record", N_("Record of settlement"), needs=("reasons",)),
        # Reasons optional: a dormant mediation is terminated by the registry itself.
        RulingKind("termination_certificate", N_("Certificate of termination of mediation")),
        RulingKind("procedural_order", N_("Procedural order"), needs=("reasons",)),
        RulingKind("notice_of_delay", N_("Notice of delay of the award"), needs=("reasons",)),
        RulingKind("award", N_("Award"), needs=("reasons",)),
        RulingKind("dismissal_order", N_("Order of dismissal"), needs=("reasons",)),
        RulingKind(
            "correction_decision",
            N_("Decision on a request for correction or interpretation"),
            needs=("reasons",),
            corrects="award",
        ),
        RulingKind("termination_order", N_("Order terminating the proceedings")),
        # Suspension (suspensions/)
        RulingKind("suspension_order", N_("Order suspending the proceeding"), needs=("reasons",)),
        # Ending without an award, and a mediation a party ends (issue 15). The order's
        # reasons are optional: the scheduler discontinues a proceeding nobody pursues.
        RulingKind("discontinuance_order", N_("Order of discontinuance")),
        RulingKind(
            "consent_award", N_("Award embodying the parties' settlement"), needs=("reasons",)
        ),
        RulingKind(
            "termination_by_party",
            N_("Certificate of termination of mediation at a party's request"),
            needs=("reasons",),
        ),
        # Constitution by the parties (issue 15): the Centre fills a seat in default.
        RulingKind("notice_of_appointment", N_("Notice of appointment"), needs=("reasons",)),
        # The written phase and preliminary objections (issue 15).
        RulingKind(
            "timetable_order",
            N_("Procedural order on the timetable of the written phase"),
            needs=("reasons",),
        ),
        RulingKind("merit_award", N_("Award on manifest lack of legal merit"), needs=("reasons",)),
        RulingKind(
            "merit_decision", N_("Decision on manifest lack of legal merit"), needs=("reasons",)
        ),
        RulingKind(
            "bifurcation_decision",
            N_("Decision on the request for bifurcation"),
            needs=("reasons",),
        ),
        RulingKind("jurisdiction_award", N_("Award declining jurisdiction"), needs=("reasons",)),
        RulingKind("jurisdiction_decision", N_("Decision on jurisdiction"), needs=("reasons",)),
        # Costs and default (issue 15): a separate decision on costs, a grace period.
        RulingKind("costs_decision", N_("Decision on costs"), needs=("reasons",)),
        RulingKind(
            "grace_order",
            N_("Procedural order granting a period of grace"),
            needs=("reasons",),
        ),
        # Provisional measures and non-disputing parties (issue 15)
        RulingKind(
            "provisional_measures_order", N_("Order on provisional measures"), needs=("reasons",)
        ),
        RulingKind(
            "non_disputing_decision",
            N_("Decision on a non-disputing party's application"),
            needs=("reasons",),
        ),
        # The case account (issue 16): an invoice with the Centre's payment instructions, the
        # receipt of a payment, the statements.
        RulingKind("invoice", N_("Invoice"), account=True),
        RulingKind("payment_receipt", N_("Receipt for payment"), account=True),
        # The account as it stands, and at the end (accounts/closing.py).
        RulingKind("account_statement", N_("Statement of account"), account=True),
        RulingKind("final_statement", N_("Final financial statement"), account=True),
        # A decision as the register publishes it (publication/publishing.py): rendered with
        # the decision's own template, withheld passages replaced, a code of its own.
        RulingKind("published_decision", N_("Published version of a decision")),
        # Challenges (issue 15): by the other members of the tribunal, or by the Centre.
        RulingKind(
            "challenge_decision",
            N_("Decision on the proposal for disqualification"),
            needs=("reasons",),
        ),
    )
}

# The case account's documents (invoices, receipts): not with the rulings, nor printed.
ACCOUNT_KINDS = tuple(k.key for k in KINDS.values() if k.account)
