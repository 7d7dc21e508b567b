"""The kinds of ruling: each is a template per language plus the fields it needs.

A kind's template lives in templates/rulings/<key>/<language>.html and extends the shared
layout (templates/rulings/_layout.html). Later issues add kinds (settlement record, award).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..texts import N_


@dataclass(frozen=True)
class RulingKind:
    key: str
    title: str  # marked for translation; the PDF carries its own title per language
    needs: tuple[str, ...] = ()  # values a person writes (e.g. "reasons")

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
    )
}
