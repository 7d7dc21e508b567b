"""The demo's cases that leave the main road at its end: a proceeding discontinued by the
parties' agreement, one with a request for discontinuance pending, one sent straight to
arbitration by the parties' agreement, and one the parties have let sleep (the scheduler's
notice of inactivity is running) and whose advance the respondent never paid (suspended
for non-payment)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..discontinuance import operations as ending
from ..neutrals.models import Capacity
from ..parties.models import Side, Standing
from ..workflow import engine
from . import money
from .story import Story

ENDING_CLAIMS: tuple[dict[str, Any], ...] = (
    dict(owner=1, claimant=("company", "Caspian Hotels Group Ltd", "AE"),
         respondent=("state_body", "Alatau City Tourism Department"),
         project="Lakeside resort hotel", sector="tourism",
         location="Alatau City, Lake district", invested=("48000000.00", "USD"),
         measures="Revocation of the hotel's construction permit after the foundations "
                  "were laid.",
         basis="investment_law", ref="Article 9 of the Law on the special status",
         claimed=("12000000.00", "USD"), outcome="discontinued", days_ago=150),
    dict(owner=0, claimant=("company", "Nomad Data Centres LLP", "KZ"),
         respondent=("company", "Alatau City Development Company JSC"),
         project="Tier III data centre", sector="information",
         location="Alatau City technology park", invested=("15000000.00", "USD"),
         measures="Failure to provide the dedicated power line promised for the data centre.",
         basis="investment_contract", ref="Investment agreement No. 44-IA of 2024",
         claimed=("3800000.00", "USD"), outcome="discontinuance_requested", days_ago=140),
    dict(owner=1, claimant=("company", "Tengri Pharma GmbH", "DE"),
         respondent=("state_body", "Ministry of Healthcare (Alatau City office)"),
         project="Vaccine fill-and-finish plant", sector="other_industry",
         location="Alatau City, Industrial zone 4", invested=("27000000.00", "USD"),
         measures="Suspension of the plant's manufacturing licence.",
         basis="treaty", ref="Kazakhstan–Germany investment protection, Article 4",
         claimed=("9500000.00", "USD"), outcome="straight_to_arbitration", days_ago=40),
    dict(owner=0, claimant=("company", "Zhetysu Fruit Processing LLP", "KZ"),
         respondent=("state_body", "Akimat of Alatau City"),
         project="Fruit processing plant", sector="agriculture",
         location="Alatau City, Agro-industrial zone", invested=("4100000.00", "USD"),
         measures="Withdrawal of the plant's water allocation.",
         basis="investment_law", ref="Article 12 of the Law on the special status",
         claimed=("1900000.00", "USD"), outcome="inactive", days_ago=240),
)  # fmt: skip
ENDING_OUTCOMES = frozenset(c["outcome"] for c in ENDING_CLAIMS)


def tell_ending(story: Story, outcome: str, registered: int) -> None:
    """What happened to one of these cases after its registration `registered` days ago."""
    p, case, r = story.p, story.case, registered
    claimant, clerk, respondent = case.claimant_user, p["clerk"], p["respondent"]

    def take(days_ago: float, user: Any, action: str, reason: str | None) -> None:
        with story.at(days_ago):
            ending.act(case, user=user, action=action, reason=reason, expected_version=None)

    story.join(r - 1, clerk, respondent, Side.RESPONDENT, Standing.REPRESENTATIVE)
    if outcome == "straight_to_arbitration":
        take(r - 5, clerk, "arbitrate_by_agreement", (
            "By their joint letter the parties agree to go straight to arbitration: their "
            "investment agreement provides for arbitration without prior mediation."))  # fmt: skip
        return
    story.mediator(r - 3, p["mediator"])
    story.act(r - 20, p["mediator"], "impasse", "The parties could not agree on compensation.")
    story.act(r - 25, claimant, "refer")
    arbitrator = {"discontinued": "arbitrator3", "discontinuance_requested": "arbitrator2"}.get(
        outcome, "arbitrator"
    )
    story.tribunal(r - 30, [(Capacity.SOLE_ARBITRATOR, p[arbitrator])])
    chair = p[arbitrator]
    if outcome == "discontinued":
        take(r - 100, chair, "discontinue", (
            "By their joint letter the parties inform the tribunal that they have settled "
            "their dispute: the respondent reissues the construction permit and the "
            "claimant completes the hotel within two years.\n\nThe parties ask that the "
            "proceeding be discontinued and that the settlement not be embodied in an "
            "award."))  # fmt: skip
    elif outcome == "discontinuance_requested":
        take(5, respondent, "request_discontinuance", (
            "The dedicated power line was commissioned last month: the claimant has what it "
            "asked for and has taken no step since. The respondent asks the tribunal to "
            "discontinue the proceeding."))  # fmt: skip
    elif outcome == "inactive":
        # The advance for the arbitration, shared 40/60 for a counterclaim: the claimant paid
        # its share, the respondent never did. The parties fell silent too: the scheduler's
        # notice of inactivity, then the suspension for non-payment (the notice waits).
        money.fund(case, p, story.now, 60, paying=(Side.CLAIMANT,), claimant_percent=Decimal(40),
                   reason="The respondent's counterclaim is larger than the claim: the "
                   "respondent bears the larger share of the advance.")  # fmt: skip
        money.give_notice_of_default(case)
        with story.at(14):
            engine.apply(None, case, "notify_inactivity")
        money.suspend_unpaid(case)
