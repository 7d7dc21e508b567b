"""The demo's costs, counterclaim and award of a tribunal of three (issue 15): the awarded
case's tribunal deliberates on a draft (two approvals and a dissent) after the parties' costs
statements; the case in arbitration has a counterclaim and both statements of costs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from ..auth.models import User
from ..awards import claims
from ..awards import operations as awards
from ..awards.models import CostsAllocation, CostsMode
from ..cases.models import Currency
from ..parties.models import Side

if TYPE_CHECKING:
    from .story import Story

USD = Currency.USD


def _costs(story: Story, order_days: float, user_days: dict[User, float]) -> None:
    """The tribunal's order for statements of costs, and each party's statement."""
    chair = story.chair
    assert chair is not None  # the callers set it
    with story.at(order_days):
        claims.order_costs_statements(
            story.case,
            chair=chair,
            due=(story.now - dt.timedelta(days=order_days - 14)).date(),
            reason="Each party files a statement of its legal fees, experts' fees and other "
            "costs, with the amounts and currencies.",
            expected_version=None,
        )
    items = {
        Side.CLAIMANT: [
            ("Legal fees (Kinross & Baikonur LLP)", Decimal("1850000.00"), USD),
            ("Valuation expert", Decimal("240000.00"), USD),
            ("Advance on the Centre's costs", Decimal("150000.00"), USD),
        ],
        Side.RESPONDENT: [
            ("Legal fees (State Legal Service)", Decimal("920000.00"), USD),
            ("Mining engineer's report", Decimal("85500.50"), USD),
        ],
    }
    for user, days in user_days.items():
        side = Side.CLAIMANT if user.id == story.case.claimant_user_id else Side.RESPONDENT
        with story.at(days):
            claims.file_costs_statement(
                story.case, user=user, items=items[side], note=None, expected_version=None
            )


def collegial_award(story: Story, days_ago: float, members: list[User], text: str) -> None:
    """Statements of costs, a draft with the costs, two approvals, a dissent, the award."""
    chair, co, dissenter = members
    story.chair = chair
    respondent = story.p["respondent"]
    _costs(
        story, days_ago + 30, {story.case.claimant_user: days_ago + 22, respondent: days_ago + 20}
    )
    with story.at(days_ago + 10):
        awards.submit_draft(
            story.case,
            chair=chair,
            reasons=text,
            costs=CostsAllocation(
                CostsMode.SPLIT, Side.RESPONDENT, Decimal("25.00"), Decimal("1680000.00"), USD
            ),
            expected_version=None,
        )
    with story.at(days_ago + 8):
        awards.approve_draft(story.case, member=chair, expected_version=None)
    with story.at(days_ago + 7):
        awards.approve_draft(story.case, member=co, expected_version=None)
    with story.at(days_ago + 6):
        awards.attach_opinion(
            story.case,
            member=dissenter,
            kind="dissenting",
            text="I respectfully dissent. The partial taking of the quarry was a regulatory "
            "measure of general application, adopted in good faith for the protection of the "
            "aquifer, and not an expropriation.\n\nI would have dismissed the claim and "
            "ordered each party to bear its own costs.",
            expected_version=None,
        )
    with story.at(days_ago):
        awards.issue_award(story.case, chair=chair, expected_version=None)


def counterclaim_and_costs(story: Story, chair: User) -> None:
    """The respondent's counterclaim, then both parties' statements of costs."""
    story.chair = chair
    respondent = story.p["respondent"]
    with story.at(40):
        claims.file_counterclaim(
            story.session,
            story.case,
            user=respondent,
            amount=Decimal("380000.00"),
            currency=USD,
            description="The claimant left the leased site without the reclamation its "
            "licence required. The respondent claims the cost of the reclamation it carried "
            "out, USD 380,000.",
            files=[],
            upload_dir=story.config["UPLOAD_DIR"],
            max_bytes=story.config["MAX_UPLOAD_BYTES"],
            expected_version=None,
        )
    _costs(story, 25, {respondent: 15, story.case.claimant_user: 12})
