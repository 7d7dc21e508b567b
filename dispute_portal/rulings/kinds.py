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
        # Challenges (issue 15): by the other members of the tribunal, or by the Centre.
        RulingKind(
            "challenge_decision",
            N_("Decision on the proposal for disqualification"),
            needs=("reasons",),
        ),
    )
}
