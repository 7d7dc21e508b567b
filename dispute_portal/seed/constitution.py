"""The demo's cases whose tribunal the parties constitute (issue 15): one whose
co-arbitrators, nominated by each side, have accepted and are to choose the presiding
arbitrator; one where the respondent nominated no one in time and the Centre filled its seat
in default (a notice of appointment), and whose presiding seat is now in default too; one
just referred, whose route the registry has yet to record. `demo.seed` files and registers
them with the other claims (in the order of registration); `tell` takes each on from there,
by the same operations the portal uses, each act on its own day in the past."""

from __future__ import annotations

from typing import Any

from ..auth.models import User
from ..neutrals import operations as neutrals
from ..nominations import operations as nominations
from ..nominations.models import Basis, Seat, TribunalSize
from ..parties.models import Side, Standing
from .story import DECLARATION, Story

CLAIMS: tuple[dict[str, Any], ...] = (
    dict(owner=0, claimant=("company", "Caspian Agro Processing LLP", "KZ"),
         respondent=("state_body", "Akimat of Alatau City"),
         project="Grain terminal", sector="agriculture",
         location="Alatau City, Logistics zone 2", invested=("14000000.00", "USD"),
         measures="Cancellation of the terminal's rail siding permit.",
         basis="investment_contract", ref="Investment agreement No. 12-IA of 2024",
         claimed=("11000000.00", "USD"), outcome="presiding_awaited", days_ago=75),
    dict(owner=1, claimant=("company", "Tian Shan Data Centres Ltd", "SG"),
         respondent=("state_body", "Alatau City Land Committee"),
         project="Data centre campus", sector="information",
         location="Alatau City technology park", invested=("52000000.00", "USD"),
         measures="Reallocation of the campus's second plot to another investor.",
         basis="investment_law", ref="Article 12 of the Law on the special status",
         claimed=("38000000.00", "USD"), outcome="default_appointment", days_ago=125),
    dict(owner=0, claimant=("company", "Zhetysu Fruit Exports LLP", "KZ"),
         respondent=("state_body", "Akimat of Alatau City"),
         project="Cold storage hub", sector="agriculture",
         location="Alatau City, Logistics zone 1", invested=("6500000.00", "USD"),
         measures="Refusal to renew the hub's customs warehouse licence.",
         basis="investment_contract", ref="Investment agreement No. 44-IA of 2025",
         claimed=("5200000.00", "USD"), outcome="route_open", days_ago=50),
)  # fmt: skip


OUTCOMES = frozenset(c["outcome"] for c in CLAIMS)


def tell(story: Story, outcome: str, registered: int) -> None:
    """After registration (`registered` days ago): to arbitration, then the parties'
    appointment as the outcome says."""
    _to_arbitration(story, registered)
    if outcome == "presiding_awaited":
        _presiding_awaited(story)
    elif outcome == "default_appointment":
        _default_appointment(story)
    # "route_open": just referred; the registry has yet to record who appoints.


def _to_arbitration(story: Story, r: int) -> None:
    """The respondent joins, the mediation ends in an impasse, the claimant refers."""
    p, case = story.p, story.case
    story.join(r - 1, p["clerk"], p["respondent"], Side.RESPONDENT, Standing.REPRESENTATIVE)
    story.mediator(r - 3, p["mediator"])
    story.act(r - 20, p["mediator"], "impasse", "The parties could not agree on compensation.")
    story.act(r - 22, case.claimant_user, "refer")


def _party_appointment(story: Story, days_ago: float) -> None:
    with story.at(days_ago):
        nominations.record_party_appointment(
            story.session, story.case, clerk=story.p["clerk"], size=TribunalSize.THREE,
            basis=Basis.AGREEMENT, expected_version=None,
        )  # fmt: skip


def _accept(story: Story, days_ago: float, user: User) -> None:
    with story.at(days_ago):
        neutrals.accept(
            story.session, story.case, user=user, declaration=DECLARATION, confirmed=True,
            expected_version=None,
        )  # fmt: skip


def _presiding_awaited(story: Story) -> None:
    """Both sides nominated, both co-arbitrators accepted: the presiding arbitrator's time
    limit runs (about ten days are left)."""
    p, case, session = story.p, story.case, story.session
    _party_appointment(story, 39)
    with story.at(35):
        nominations.nominate(
            session, case, user=case.claimant_user, arbitrator=p["arbitrator2"],
            expected_version=None,
        )  # fmt: skip
    with story.at(30):
        nominations.nominate(
            session, case, user=p["respondent"], arbitrator=p["arbitrator3"],
            expected_version=None,
        )  # fmt: skip
    _accept(story, 25, p["arbitrator2"])
    _accept(story, 20, p["arbitrator3"])


def _default_appointment(story: Story) -> None:
    """The claimant nominated; the respondent did not within its 30 days, and the Centre
    appointed in its seat (a notice of appointment). Both accepted; no one chose the
    presiding arbitrator within its 30 days, so that seat is in default now."""
    p, case, session = story.p, story.case, story.session
    _party_appointment(story, 79)
    with story.at(70):
        nominations.nominate(
            session, case, user=case.claimant_user, arbitrator=p["arbitrator"],
            expected_version=None,
        )  # fmt: skip
    with story.at(45):
        nominations.appoint_in_default(
            session, case, clerk=p["clerk"], seat=Seat.RESPONDENT, arbitrator=p["arbitrator3"],
            reason=(
                "The respondent nominated no arbitrator within the 30 days the Rules allow "
                "from the record that the parties appoint the tribunal. The Centre, as "
                "appointing authority, fills the respondent's seat."
            ),
            expected_version=None,
        )  # fmt: skip
    _accept(story, 43, p["arbitrator"])
    _accept(story, 41, p["arbitrator3"])
