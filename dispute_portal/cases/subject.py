"""What a dispute is about, as the public register classifies it: the economic sector of
the investment (ICSID's categories) and the basis of the parties' consent to the Centre."""

from __future__ import annotations

import enum

from ..texts import N_


class Sector(enum.StrEnum):
    """ICSID's economic sectors, so that the register's figures compare with theirs."""

    AGRICULTURE = "agriculture"
    CONSTRUCTION = "construction"
    ENERGY = "energy"
    FINANCE = "finance"
    INFORMATION = "information"
    EXTRACTIVE = "extractive"
    SERVICES = "services"
    TOURISM = "tourism"
    TRANSPORT = "transport"
    WATER = "water"
    OTHER_INDUSTRY = "other_industry"

    @property
    def label(self) -> str:
        return SECTOR_LABELS[self]


SECTOR_LABELS = {
    Sector.AGRICULTURE: N_("Agriculture, fishing and forestry"),
    Sector.CONSTRUCTION: N_("Construction"),
    Sector.ENERGY: N_("Electric power and other energy"),
    Sector.FINANCE: N_("Finance"),
    Sector.INFORMATION: N_("Information and communication"),
    Sector.EXTRACTIVE: N_("Oil, gas and mining"),
    Sector.SERVICES: N_("Services and trade"),
    Sector.TOURISM: N_("Tourism"),
    Sector.TRANSPORT: N_("Transportation"),
    Sector.WATER: N_("Water, sanitation and flood protection"),
    Sector.OTHER_INDUSTRY: N_("Other industry"),
}


class LegalBasis(enum.StrEnum):
    """The basis of consent: the instrument under which the respondent agreed to the Centre."""

    TREATY = "treaty"
    INVESTMENT_CONTRACT = "investment_contract"
    INVESTMENT_LAW = "investment_law"
    OTHER = "other"

    @property
    def label(self) -> str:
        return LEGAL_BASIS_LABELS[self]


LEGAL_BASIS_LABELS = {
    LegalBasis.TREATY: N_("Treaty"),
    LegalBasis.INVESTMENT_CONTRACT: N_("Investment contract"),
    LegalBasis.INVESTMENT_LAW: N_("Investment law of Kazakhstan"),
    LegalBasis.OTHER: N_("Other"),
}


class Consent(enum.StrEnum):
    """A side's answer to "may the award and the tribunal's other decisions be published?"."""

    GIVEN = "given"  # in full, once the redactions are decided
    REFUSED = "refused"  # an excerpt chosen by the tribunal at most

    @property
    def label(self) -> str:
        return CONSENT_LABELS[self]


CONSENT_LABELS = {
    Consent.GIVEN: N_("Yes: publish them in full, with the passages the tribunal withholds"),
    Consent.REFUSED: N_("No: the tribunal may publish an excerpt of its reasoning at most"),
}
