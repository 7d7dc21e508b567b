"""The demo's publication (issue 17). Seals: a case the public register does not show, and
a claimant whose name it shows as "Confidential" (an individual investor), each sealed by
the registry with reasons. Published decisions: an award embodying a settlement, published
in full with the tariff it agreed withheld; an order dismissing a claim, which the tribunal
published as an excerpt since the respondent refused consent; on the Eurasia Cement award,
a redaction in progress (the claimant's proposal, the respondent's comment, no decision
yet); and a settlement award of four days ago, both sides consenting, whose period to
propose passages has just begun (the browser test of the redaction road works on it)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..auth.models import User
from ..awards import operations as awards
from ..cases.models import Case, Party
from ..cases.subject import Consent
from ..db import frozen_time
from ..neutrals.models import Capacity
from ..parties.models import Side, Standing
from ..publication import consent, publishing, redaction, sealing
from ..publication.models import PUBLISHABLE, SealTarget
from ..rulings.models import Ruling
from .story import Story

SEALED_CASE = "Irtysh Retail Trading Ltd"  # the whole case
SEALED_NAME = "Daniyar Ospanov"  # the claimant's name, in the register
IN_REDACTION = "Eurasia Cement Holdings Ltd"  # its award's redaction is under way

PUBLISHED_CLAIMS: tuple[dict[str, Any], ...] = (
    dict(owner=0, claimant=("company", "Shelek Solar Park LLP", "KZ"),
         respondent=("state_body", "Akimat of Alatau City"),
         project="Solar park", sector="energy",
         location="Alatau City, Zone 9", invested=("14000000.00", "USD"),
         measures="Reduction of the feed-in tariff promised for the park's first 15 years.",
         basis="investment_contract", ref="Investment agreement No. 19-IA of 2024",
         claimed=("6800000.00", "USD"), outcome="published_in_full", days_ago=260),
    dict(owner=1, claimant=("company", "Aral Fisheries Trading GmbH", "DE"),
         respondent=("state_body", "State Revenue Department of Alatau City"),
         project="Fish processing plant", sector="agriculture",
         location="Alatau City, Industrial zone 2", invested=("3100000.00", "USD"),
         measures="Refusal of the customs exemption for the plant's refrigeration equipment.",
         basis="treaty", ref="Kazakhstan–Germany investment protection, Article 4",
         claimed=("2300000.00", "USD"), outcome="published_excerpt", days_ago=230),
    dict(owner=0, claimant=("company", "Ili River Water Partners LLP", "KZ"),
         respondent=("state_body", "Akimat of Alatau City"),
         project="Water treatment plant", sector="water",
         location="Alatau City, Zone 4", invested=("8700000.00", "USD"),
         measures="Termination of the plant's concession before its term.",
         basis="investment_contract", ref="Concession agreement No. 3-C of 2023",
         claimed=("5200000.00", "USD"), outcome="awaiting_proposals", days_ago=50),
)  # fmt: skip
PUBLISHED_OUTCOMES = frozenset(c["outcome"] for c in PUBLISHED_CLAIMS)

TARIFF = "KZT 34.61 per kWh"
SETTLEMENT = (
    "The parties have settled their dispute and ask the tribunal to record their settlement "
    "in an award.\n\n"
    f"1. The respondent restores the feed-in tariff of {TARIFF} for the remaining years of "
    "the investment agreement, from 1 July 2026.\n\n"
    "2. The respondent pays the claimant USD 1,150,000 for the months in which the reduced "
    "tariff applied, within 90 days.\n\n"
    "3. The settlement was negotiated for the Akimat by Mr Serik Abenov, deputy akim.\n\n"
    "4. Each party bears its own costs; the Centre's costs are shared equally."
)
ACCOUNT = "KZ86 125K ZT10 0130 0335"
WATER_SETTLEMENT = (
    "The parties have settled their dispute and ask the tribunal to record their settlement "
    "in an award.\n\n"
    "1. The concession continues to its term; the respondent withdraws its notice of "
    "termination.\n\n"
    "2. The respondent pays the claimant KZT 310,000,000 within 60 days, into the claimant's "
    f"account {ACCOUNT}.\n\n"
    "3. Each party bears its own costs; the Centre's costs are shared equally."
)
DISMISSAL = (
    "The exemption the claimant relies on was granted by Resolution No. 41 to equipment "
    "imported before 1 January 2025; the claimant's refrigeration equipment cleared customs "
    "on 14 March 2025 under declaration 50100/140325/0007719.\n\n"
    "The respondent applied the customs code to the claimant as to every importer. No "
    "commitment was made to the claimant that others did not receive. The claim is "
    "dismissed; each party bears its own costs."
)
EXCERPT = (
    "The respondent applied the customs code to the claimant as to every importer. No "
    "commitment was made to the claimant that others did not receive."
)


def tell_published(story: Story, outcome: str, r: int) -> None:
    """A case of PUBLISHED_CLAIMS (registered `r` days ago): a sole arbitrator by day 22,
    then a decision, its redaction, and its publication in full or as an excerpt."""
    p, case = story.p, story.case
    claimant, clerk, respondent = case.claimant_user, p["clerk"], p["respondent"]
    story.join(r - 1, clerk, respondent, Side.RESPONDENT, Standing.REPRESENTATIVE)
    full = outcome != "published_excerpt"
    with story.at(r - 2):
        consent.state_consent(
            case, user=respondent, side=Side.RESPONDENT, expected_version=None,
            consent=Consent.GIVEN if full else Consent.REFUSED,
        )  # fmt: skip
    story.mediator(r - 3, p["mediator"])
    story.act(r - 15, p["mediator"], "impasse", "The parties could not agree on compensation.")
    story.act(r - 16, claimant, "refer")
    chair = p["arbitrator3"] if full else p["arbitrator"]
    story.tribunal(r - 20, [(Capacity.SOLE_ARBITRATOR, chair)])  # constituted at r - 22
    if outcome == "awaiting_proposals":  # the parties' time to propose passages runs
        with story.at(4):
            awards.issue_consent_award(
                case, chair=chair, terms=WATER_SETTLEMENT, expected_version=None
            )
        return
    if full:
        with story.at(180):
            awards.issue_consent_award(case, chair=chair, terms=SETTLEMENT, expected_version=None)
    else:
        story.act(150, chair, "dismiss", DISMISSAL)
    decision = _decision(story.session, case)
    passages = (
        [(claimant, Side.CLAIMANT, TARIFF, "The tariff is the claimant's commercial term.", True),
         (respondent, Side.RESPONDENT, "Mr Serik Abenov, deputy akim", "A civil servant's "
          "name.", False)]
        if full
        else [(claimant, Side.CLAIMANT, "50100/140325/0007719", "A customs declaration "
               "identifies the claimant's supplier.", True)]
    )  # fmt: skip
    start = 170 if full else 140
    for i, (user, side, passage, reason, withhold) in enumerate(passages):
        with story.at(start - i):
            proposal = redaction.propose(case, decision, user=user, side=side, passage=passage,
                                         reason=reason, expected_version=None)  # fmt: skip
        other = respondent if side is Side.CLAIMANT else claimant
        with story.at(start - 10 - i):
            redaction.comment(
                case, proposal, user=other, side=side.other, expected_version=None,
                text="No objection." if withhold else "The deputy akim acted in public office; "
                "his name is no private matter.",
            )  # fmt: skip
        with story.at(start - 20 - i):
            redaction.decide(
                case, proposal, chair=chair, withhold=withhold, expected_version=None,
                reason=None if withhold else "Officials acting in office are named.",
            )  # fmt: skip
    if full:
        with story.at(100):
            publishing.publish_in_full(case, decision, user=clerk, expected_version=None)
    else:
        with story.at(80):
            publishing.publish_excerpt(case, decision, chair=chair, excerpt=EXCERPT,
                                       expected_version=None)  # fmt: skip


def _decision(session: Session, case: Case) -> Ruling:
    """The case's one decision that may be published."""
    return session.scalars(
        select(Ruling).where(Ruling.case_id == case.id, Ruling.kind.in_(PUBLISHABLE))
    ).one()


def add_redaction_in_progress(session: Session, people: dict[str, User], now: dt.datetime) -> None:
    """On the Eurasia Cement award (issued 12 days ago): the claimant proposes to withhold
    the amount, the respondent objects; the chair has yet to decide."""
    case = _case_of(session, IN_REDACTION)
    award = _decision(session, case)
    with frozen_time(now - dt.timedelta(days=8)):
        proposal = redaction.propose(
            case, award, user=case.claimant_user, side=Side.CLAIMANT,
            passage="USD 31,400,000", expected_version=None,
            reason="The amount discloses the value the claimant puts on its quarry, which "
                   "its lenders and competitors would read.",
        )  # fmt: skip
    with frozen_time(now - dt.timedelta(days=5)):
        redaction.comment(
            case, proposal, user=people["respondent"], side=Side.RESPONDENT,
            expected_version=None,
            text="The respondent objects: the amount is paid from public funds, and the "
                 "public is entitled to know it.",
        )  # fmt: skip


def _case_of(session: Session, claimant: str) -> Case:
    return session.scalars(
        select(Case).join(Party).where(Party.side == Side.CLAIMANT, Party.name == claimant)
    ).one()


def add_seals(session: Session, people: dict[str, User], now: dt.datetime) -> None:
    clerk = people["clerk"]
    with frozen_time(now - dt.timedelta(days=1, hours=4)):
        sealing.seal(
            _case_of(session, SEALED_CASE),
            user=clerk,
            target=SealTarget.CASE,
            reason=(
                "On the parties' joint request: the dispute concerns the claimant's supply "
                "contracts, which bind it to confidentiality."
            ),
            expected_version=None,
        )
        sealing.seal(
            _case_of(session, SEALED_NAME),
            user=clerk,
            target=SealTarget.PARTY_NAME,
            side=Side.CLAIMANT,
            reason="The claimant is a private individual and asked that the register not name him.",
            expected_version=None,
        )
