"""The demo's claims: who files them, against whom, about what, and where each one ends.

Each claim's `outcome` names the state its case is brought to (see `story.Story.tell`);
`days_ago` is when it was submitted, so the docket holds cases of every age.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..auth.models import User
from .pdf import pdf_file

_TEXT = b"BT /F1 18 Tf 72 770 Td (Statement of claim - demo) Tj ET"

# A small but real PDF, so the demo's documents pass the upload check and open in any viewer.
DEMO_PDF = pdf_file(
    [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R"
        b"/Resources<</Font<</F1 5 0 R>>>>>>",
        b"<</Length %d>>stream\n%s\nendstream" % (len(_TEXT), _TEXT),
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
    ]
)

CLAIMS: tuple[dict[str, Any], ...] = (
    dict(owner=0, claimant=("company", "Steppe Solar Energy LLP", "KZ"),
         respondent=("state_body", "Akimat of Alatau City"),
         project="Kapchagay 120 MW solar park", sector="energy",
         location="Alatau City, Zone 3", invested=("48500000.00", "USD"),
         measures="Termination of the land lease for the solar park site.",
         basis="investment_law", ref="Article 12 of the Law on the special status",
         claimed=("61000000.00", "USD"), outcome="mediation", days_ago=40),
    dict(owner=1, claimant=("company", "Silk Road Logistics Hub Ltd", "CN"),
         respondent=("state_body", "State Revenue Department of Alatau City"),
         project="Bonded logistics warehouse complex", sector="transport",
         location="Alatau City free customs zone", invested=("27000000.00", "EUR"),
         measures="Withdrawal of the customs warehouse licence and back taxes.",
         basis="treaty", ref="Kazakhstan–China BIT (1992), Articles 3 and 4",
         claimed=("35500000.00", "EUR"), outcome="proposed", days_ago=33),
    dict(owner=0, claimant=("individual", "Amina Seitkali", "KZ"),
         respondent=("company", "Alatau City Development Company JSC"),
         project="Boutique hotel on the lakefront", sector="tourism",
         location="Alatau City, Lakeside district", invested=("1850000000.00", "KZT"),
         measures="Refusal to connect the hotel to the city utility network.",
         basis="investment_contract", ref="Investment agreement No. 14-IA of 3 March 2025",
         claimed=("2400000000.00", "KZT"), outcome="registered", days_ago=21),
    dict(owner=1, claimant=("company", "Nordic Data Centres AB", "SE"),
         respondent=("state_body", "Ministry of Digital Development (Alatau City office)"),
         project="Tier III data centre", sector="information",
         location="Alatau City technology park", invested=("12400000.00", "EUR"),
         measures="Change of electricity tariffs promised in the investment contract.",
         basis="investment_contract", ref="Investment contract No. 2025/DC-7",
         claimed=("9800000.00", "EUR"), outcome="dismissed", days_ago=18),
    dict(owner=0, claimant=("company", "Agro Processing Alatau LLP", "KZ"),
         respondent=("state_body", "Akimat of Alatau City"),
         project="Fruit processing and cold storage plant", sector="agriculture",
         location="Alatau City, Industrial zone 1", invested=("3200000.00", "USD"),
         measures="Revocation of tax preferences granted for ten years.",
         basis="investment_law", ref="Article 9 of the Law on the special status",
         claimed=("4100000.00", "USD"), outcome="returned", days_ago=12),
    dict(owner=1, claimant=("company", "Shenzhen Smart Grid Co.", "CN"),
         respondent=("company", "Alatau Power Distribution LLP"),
         project="Smart metering roll-out", sector="energy",
         location="Alatau City", invested=("15000000.00", "CNY"),
         measures="Non-payment for installed meters and termination of the contract.",
         basis="other", ref="Public-private partnership agreement of 2024",
         claimed=("21000000.00", "CNY"), outcome="submitted", days_ago=9),
    dict(owner=0, claimant=("company", "Caspian Green Hydrogen BV", "NL"),
         respondent=("state_body", "Alatau City Land Committee"),
         project="Green hydrogen pilot plant", sector="energy",
         location="Alatau City, Zone 5", invested=("7700000.00", "EUR"),
         measures="Re-zoning of the plant's land plot for residential use.",
         basis="treaty", ref="Kazakhstan–Netherlands BIT (2002), Article 5",
         claimed=("12000000.00", "EUR"), outcome="submitted", days_ago=6),
    dict(owner=1, claimant=("individual", "Li Wei", "CN"),
         respondent=("state_body", "Department of Architecture of Alatau City"),
         project="Residential complex 'Altyn Bulak'", sector="construction",
         location="Alatau City, Northern district", invested=("980000000.00", "KZT"),
         measures="Suspension of the building permit.",
         basis="investment_law", ref="Article 15 of the Law on the special status",
         claimed=("1200000000.00", "KZT"), outcome="submitted", days_ago=3),
    dict(owner=0, claimant=("company", "Tengri Fintech Ltd", "GB"),
         respondent=("state_body", "Financial Regulator of Alatau City"),
         project="Digital payments platform", sector="finance",
         location="Alatau City financial centre", invested=("2500000.00", "USD"),
         measures="Refusal to renew the payment institution licence.",
         basis="investment_law", ref="Article 21 of the Law on the special status",
         claimed=("3000000.00", "USD"), outcome="submitted", days_ago=1),
    dict(owner=1, claimant=("company", "Almaty Textile Partners LLP", "KZ"),
         respondent=("company", "Alatau Industrial Park JSC"),
         project="Textile factory", sector="other_industry",
         location="Alatau City, Industrial zone 2", invested=("640000.00", "USD"),
         measures="Early termination of the factory lease.",
         basis="investment_contract", ref="Lease and investment agreement No. 88",
         claimed=("900000.00", "USD"), outcome="submitted", days_ago=0),
    dict(owner=0, claimant=("company", "Kazakh Wind Partners LLP", "KZ"),
         respondent=("state_body", "Akimat of Alatau City"),
         project="Wind farm grid connection", sector="energy",
         location="Alatau City, Zone 7", invested=("9000000.00", "USD"),
         measures="Refusal to grant the grid connection promised in the investment agreement.",
         basis="investment_contract", ref="Investment agreement No. 31-IA of 2024",
         claimed=("4500000.00", "USD"), outcome="arbitration", days_ago=330),
    dict(owner=1, claimant=("company", "Eurasia Cement Holdings Ltd", "CY"),
         respondent=("state_body", "Alatau City Land Committee"),
         project="Cement plant", sector="other_industry",
         location="Alatau City, Industrial zone 3", invested=("30000000.00", "USD"),
         measures="Expropriation of part of the plant's quarry without compensation.",
         basis="treaty", ref="Kazakhstan–Cyprus investment protection, Article 6",
         claimed=("42000000.00", "USD"), outcome="awarded", days_ago=420),
    dict(owner=0, claimant=("company", "Alatau Medical Centre LLP", "KZ"),
         respondent=("company", "Alatau City Development Company JSC"),
         project="Private hospital", sector="services",
         location="Alatau City, Central district", invested=("5600000.00", "USD"),
         measures="Failure to transfer the promised land plot for the hospital's second wing.",
         basis="investment_contract", ref="Investment agreement No. 7-IA of 2023",
         claimed=("2100000.00", "USD"), outcome="settled", days_ago=120),
    dict(owner=1, claimant=("company", "Turan Glass Works LLP", "KZ"),
         respondent=("state_body", "State Revenue Department of Alatau City"),
         project="Float glass line", sector="other_industry",
         location="Alatau City, Industrial zone 1", invested=("11000000.00", "USD"),
         measures="Refusal to refund VAT on imported equipment.",
         basis="investment_law", ref="Article 11 of the Law on the special status",
         claimed=("1300000.00", "USD"), outcome="closed", days_ago=200),
    dict(owner=0, claimant=("company", "Steppe Agro Export LLP", "KZ"),
         respondent=("state_body", "Akimat of Alatau City"),
         project="Grain terminal", sector="agriculture",
         location="Alatau City, Railway hub", invested=("6400000.00", "USD"),
         measures="Cancellation of the terminal's land allocation.",
         basis="investment_law", ref="Article 12 of the Law on the special status",
         claimed=("7000000.00", "USD"), outcome="impasse", days_ago=110),
    dict(owner=1, claimant=("company", "Pamir Mining Services Ltd", "GB"),
         respondent=("state_body", "Alatau City Land Committee"),
         project="Mining equipment depot", sector="extractive",
         location="Alatau City, Zone 2", invested=("2200000.00", "USD"),
         measures="Refusal to extend the depot lease.",
         basis="investment_contract", ref="Lease and investment agreement No. 5",
         claimed=("2600000.00", "USD"), outcome="withdrawn", days_ago=60),
    dict(owner=0, claimant=("company", "Altyn Tech Park JSC", "KZ"),
         respondent=("state_body", "Ministry of Digital Development (Alatau City office)"),
         project="Technology park phase 2", sector="information",
         location="Alatau City technology park", invested=("19000000.00", "USD"),
         measures="Withdrawal of the special economic zone participant status.",
         basis="investment_law", ref="Article 4 of the Law on the special status",
         claimed=("25000000.00", "USD"), outcome="constituting", days_ago=160),
    dict(owner=1, claimant=("company", "Caspian Hospitality Group Ltd", "AE"),
         respondent=("state_body", "Alatau City Tourism Department"),
         project="Lakeside resort hotel", sector="tourism",
         location="Alatau City, Kapchagay shore", invested=("14000000.00", "USD"),
         measures="Suspension of the hotel's construction permit after the foundations were laid.",
         basis="investment_law", ref="Article 9 of the Law on the special status",
         claimed=("8200000.00", "USD"), outcome="suspended", days_ago=70),
    dict(owner=0, claimant=("company", "Steppe Solar Energy LLP", "KZ"),
         respondent=("state_body", "Akimat of Alatau City"),
         project="Battery storage extension", sector="energy",
         location="Alatau City, Zone 3", invested=None, measures=None, basis=None,
         ref=None, claimed=None, outcome="draft", days_ago=2),
    dict(owner=1, claimant=("company", "Silk Road Logistics Hub Ltd", "CN"),
         respondent=(None, None), project=None, sector=None, location=None, invested=None,
         measures=None, basis=None, ref=None, claimed=None, outcome="draft", days_ago=0),
)  # fmt: skip


def claim_values(claim: dict[str, Any], owner: User) -> dict[str, Any]:
    kind, name, country = claim["claimant"]
    r_kind, r_name = claim["respondent"]
    values: dict[str, Any] = {
        "claimant.kind": kind,
        "claimant.name": name,
        "claimant.country": country,
        "claimant.address": "Alatau City, Al-Farabi avenue 1, office 12",
        "claimant.email": owner.email,
        "claimant.publication_consent": claim.get("consent", "given"),
        "claimant.phone": "+7 727 000 00 00",
        "respondent.kind": r_kind,
        "respondent.name": r_name,
        "project_name": claim["project"],
        "sector": claim["sector"],
        "location": claim["location"],
        "language": owner.locale or "en",
    }
    if claim["invested"]:
        values["amount_invested"] = Decimal(claim["invested"][0])
        values["invested_currency"] = claim["invested"][1]
    if claim["measures"]:
        values |= {
            "summary": f"The claimant invested in the {claim['project']}. {claim['measures']} "
            "The claimant considers the measure unlawful and seeks compensation.",
            "measures": claim["measures"],
            "legal_basis": claim["basis"],
            "legal_basis_ref": claim["ref"],
            "relief_sought": "Declare the measure unlawful and award compensation with interest.",
            "amount_claimed": Decimal(claim["claimed"][0]),
            "claimed_currency": claim["claimed"][1],
        }
    return values
