"""The demo's cases of the written phase and of preliminary objections: one in the written
phase with a timetable (a pleading filed, the others running), one with an objection to
jurisdiction and a request for bifurcation awaiting the tribunal, and one whose claims were
dismissed for manifest lack of legal merit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..neutrals.models import Capacity
from ..objections import operations as objections
from ..objections.models import Ground
from ..parties.models import Side, Standing
from ..proceedings import pleadings
from .story import Story

OBJECTION_CLAIMS: tuple[dict[str, Any], ...] = (
    dict(owner=1, claimant=("company", "Altyn Dala Logistics Park LLP", "KZ"),
         respondent=("state_body", "Akimat of Alatau City"),
         project="Logistics park at the border crossing", sector="transport",
         location="Alatau City, Zone 5", invested=("18000000.00", "USD"),
         measures="Withdrawal of the customs warehouse licence of the logistics park.",
         basis="investment_contract", ref="Investment agreement No. 12-IA of 2024",
         claimed=("15000000.00", "USD"), outcome="written_phase", days_ago=62),
    dict(owner=0, claimant=("individual", "Daniyar Ospanov", "KZ"),
         respondent=("state_body", "Alatau City Land Committee"),
         project="Mountain resort", sector="tourism",
         location="Alatau City, Talgar district", invested=("6500000.00", "USD"),
         measures="Rezoning of the resort's land as a protected area.",
         basis="investment_law", ref="Article 12 of the Law on the special status",
         claimed=("9000000.00", "USD"), outcome="bifurcation", days_ago=72),
    dict(owner=1, claimant=("company", "Irtysh Retail Trading Ltd", "CY"),
         respondent=("state_body", "Akimat of Alatau City"),
         project="Retail trading licence", sector="services",
         location="Alatau City, Central district", invested=("800000.00", "USD"),
         measures="A general increase of the municipal trading fee.",
         basis="treaty", ref="Kazakhstan–Cyprus investment protection, Article 2",
         claimed=("1500000.00", "USD"), outcome="merit_dismissed", days_ago=92),
)  # fmt: skip


OBJECTION_OUTCOMES = frozenset(c["outcome"] for c in OBJECTION_CLAIMS)


def tell_objection(story: Story, outcome: str, r: int) -> None:
    """A registered case of OBJECTION_CLAIMS (demo.seed files and registers it `r` days ago):
    to a constituted tribunal 22 days later, then the written phase or the objection."""
    p, case = story.p, story.case
    claimant, clerk, respondent = case.claimant_user, p["clerk"], p["respondent"]
    story.join(r - 1, clerk, respondent, Side.RESPONDENT, Standing.REPRESENTATIVE)
    story.mediator(r - 3, p["mediator"])
    story.act(r - 15, p["mediator"], "impasse", "The parties could not agree on compensation.")
    story.act(r - 16, claimant, "refer")
    chair = p["arbitrator2"] if outcome == "merit_dismissed" else p["arbitrator"]
    story.tribunal(r - 20, [(Capacity.SOLE_ARBITRATOR, chair)])  # constituted at r - 22
    if outcome == "written_phase":
        with story.at(r - 25):
            pleadings.set_timetable(
                case, chair=chair, expected_version=None,
                dates={key: (story.now + dt.timedelta(days=n)).date() for key, n in (
                    ("memorial", -10), ("counter_memorial", 20), ("reply", 50),
                    ("rejoinder", 80))},
                reason="Procedural order No. 1. Having consulted the parties, the tribunal "
                       "sets the timetable of the written phase below.",
            )  # fmt: skip
        story.submission(
            12, claimant, "Memorial",
            "The claimant sets out the facts, the law and the damage it suffered.",
            [], pleading="memorial",
        )  # fmt: skip
    elif outcome == "bifurcation":
        with story.at(5):
            objections.file_objection(
                story.session, case, user=respondent, ground=Ground.JURISDICTION,
                grounds="The claimant is a national of the respondent State, not a foreign "
                        "investor: the dispute is not within the Centre's jurisdiction.",
                bifurcation=True, expected_version=None,
                bifurcation_reasons="The objection can end the case: deciding it first "
                                    "saves the parties the cost of the merits.",
            )  # fmt: skip
    elif outcome == "merit_dismissed":
        with story.at(r - 30):
            objections.file_objection(
                story.session, case, user=respondent, ground=Ground.MERIT,
                grounds="A general fee applied to every trader is not a measure against an "
                        "investment: the claims are manifestly without legal merit.",
                expected_version=None,
            )  # fmt: skip
        with story.at(r - 60):
            objections.close_objection(
                case, chair=chair, action="close_merit_objection", expected_version=None,
                reason="Both parties filed their written observations on the objection.",
            )  # fmt: skip
        with story.at(10):
            objections.decide_objection(
                case, chair=chair, action="uphold_merit_objection", expected_version=None,
                reason="The fee applies to every trader in the city alike. The claimant "
                       "points to no commitment made to it and no treatment it received "
                       "that others did not: the claims are manifestly without legal merit.",
            )  # fmt: skip
