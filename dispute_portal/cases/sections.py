"""The sections of a claim and what each needs before the claim can be submitted."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..parties.models import Side
from ..texts import N_

if TYPE_CHECKING:  # the case model imports this module to check its sections: a real import circles
    from .models import Case


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    required: tuple[str, ...]  # "party.<side>.<field>" or a case attribute


SECTIONS: tuple[Section, ...] = (
    Section("claimant", N_("Claimant"), (
        "party.claimant.kind", "party.claimant.name", "party.claimant.country",
        "party.claimant.address", "party.claimant.email",
        "party.claimant.publication_consent")),
    Section("respondent", N_("Respondent"), (
        "party.respondent.kind", "party.respondent.name")),
    Section("investment", N_("Investment"), (
        "project_name", "sector", "location", "amount_invested", "invested_currency")),
    Section("dispute", N_("Dispute"), (
        "summary", "measures", "legal_basis", "legal_basis_ref", "relief_sought",
        "amount_claimed", "claimed_currency", "language")),
)  # fmt: skip

SECTION_KEYS = tuple(s.key for s in SECTIONS)


def _value(case: Case, path: str) -> Any:
    if path.startswith("party."):
        _, side, attr = path.split(".")
        party = case.party(Side(side))
        return getattr(party, attr) if party else None
    return getattr(case, path)


def missing_sections(case: Case) -> list[str]:
    return [s.key for s in SECTIONS if any(_value(case, f) in (None, "") for f in s.required)]
