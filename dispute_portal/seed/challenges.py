"""The demo's challenges: a case whose proposal for disqualification awaits the other
party's observations (the proceeding suspended), and one whose proposal the other members of
the tribunal rejected in a written decision; the parties of that one have since settled, and
the tribunal deliberates on a draft of the award embodying their settlement.

Both are registered after every other demo case (the registry numbers follow the order of
registration) and brought to arbitration within a few days, as a compressed story.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from sqlalchemy.orm import Session

from ..auth.models import User
from ..awards import operations as awards
from ..awards.models import CostsAllocation, CostsMode, DraftKind
from ..cases import operations as cases
from ..cases.models import Case
from ..challenges import operations as challenges
from ..challenges.models import Vote
from ..db import frozen_time
from ..deadlines.calendar import local_date
from ..neutrals.models import Capacity
from ..parties.models import Side, Standing
from ..registry import operations as registry
from .claims import DEMO_PDF, claim_values
from .money import settle_lodging_fee
from .story import Story

CLAIMS = (
    dict(owner="investor", claimant=("company", "Caspian Data Centres LLP", "KZ"),
         respondent=("state_body", "Akimat of Alatau City"),
         project="Data centre campus", sector="information",
         location="Alatau City, Zone 5", invested=("48000000.00", "USD"),
         measures="Revocation of the campus's power allocation.",
         basis="investment_contract", ref="Investment agreement No. 44-IA of 2025",
         claimed=("30000000.00", "USD"), start=18),
    dict(owner="investor2", claimant=("company", "Great Steppe Rail Logistics Ltd", "HK"),
         respondent=("state_body", "Alatau City Land Committee"),
         project="Container terminal", sector="transport",
         location="Alatau City, Railway hub", invested=("15000000.00", "USD"),
         measures="Reallocation of the terminal's land plot to a third party.",
         basis="treaty", ref="Kazakhstan–China investment protection, Article 4",
         claimed=("12000000.00", "USD"), start=17.5),
)  # fmt: skip


def add_challenge_cases(
    session: Session, config: Any, people: dict[str, User], now: dt.datetime
) -> None:
    """The two demo cases, told from the demo's `now`."""
    pending = _to_arbitration(session, config, people, CLAIMS[0], now)
    _pending_challenge(Story(session, config, pending, people, now), people)
    decided = _to_arbitration(session, config, people, CLAIMS[1], now)
    _decided_challenge(Story(session, config, decided, people, now), people)
    _settlement_before_the_tribunal(Story(session, config, decided, people, now), people)


def _to_arbitration(
    session: Session, config: Any, p: dict[str, User], claim: dict[str, Any], now: dt.datetime
) -> Case:
    owner, start = p[claim["owner"]], claim["start"]
    with frozen_time(now - dt.timedelta(days=start + 2)):
        case, _ = cases.create_draft(session, claimant=owner, language=owner.locale or "en")
        cases.save_section(case, claim_values(claim, owner))
        cases.add_document(
            session, case, uploader=owner, stream=io.BytesIO(DEMO_PDF),
            filename="Statement of claim.pdf", upload_dir=config["UPLOAD_DIR"],
            max_bytes=config["MAX_UPLOAD_BYTES"],
        )  # fmt: skip
        cases.submit_claim(case, claimant=owner)
    settle_lodging_fee(
        session, case, p, filed_at=now - dt.timedelta(days=start + 2), days_ago=start + 2,
        submitted=False,
    )  # fmt: skip
    with frozen_time(now - dt.timedelta(days=start)):
        registry.register_case(session, case, clerk=p["clerk"], prefix=config["CASE_NUMBER_PREFIX"])
    story = Story(session, config, case, p, now)
    story.join(start - 0.2, p["clerk"], p["respondent2"], Side.RESPONDENT, Standing.REPRESENTATIVE)
    story.mediator(start - 1, p["mediator"])
    story.act(start - 3.5, p["mediator"], "impasse", "The parties could not agree.")
    story.act(start - 4, owner, "refer")
    story.tribunal(
        start - 4.5,
        [
            (Capacity.PRESIDING_ARBITRATOR, p["arbitrator2"]),
            (Capacity.CO_ARBITRATOR, p["arbitrator"]),
            (Capacity.CO_ARBITRATOR, p["arbitrator3"]),
        ],
    )
    return case


def _seat(case: Case, user: User) -> int:
    return next(a.id for a in case.appointments if a.user_id == user.id and a.active)


def _propose(story: Story, days_ago: float, party: User, person: User, facts: str) -> None:
    with story.at(days_ago):
        challenges.propose(
            story.session, story.case, user=party, appointment_ids=[_seat(story.case, person)],
            facts=facts, learned_on=local_date(story.now - dt.timedelta(days=days_ago + 3)),
            expected_version=None,
        )  # fmt: skip


def _pending_challenge(story: Story, p: dict[str, User]) -> None:
    """The respondent challenges a co-arbitrator; the co-arbitrator has commented and the
    claimant's observations are due."""
    _propose(story, 4, p["respondent2"], p["arbitrator3"], (
        "Dr. Kassymov was until last year a partner of the firm that advises the claimant's "
        "parent company on its investments in Kazakhstan. He did not disclose it."))  # fmt: skip
    with story.at(2):
        challenges.comment(
            story.session, story.case, user=p["arbitrator3"], expected_version=None,
            comments="I left the firm in 2024 and never worked for the claimant's group.",
        )  # fmt: skip


def _decided_challenge(story: Story, p: dict[str, User]) -> None:
    """The claimant challenged a co-arbitrator; the two other members rejected it."""
    _propose(story, 10, p["investor2"], p["arbitrator"], (
        "Mr. Dzhaksybekov sat as arbitrator appointed by the Land Committee in two earlier "
        "cases within three years."))  # fmt: skip
    session, case = story.session, story.case
    with story.at(9):
        challenges.comment(
            session, case, user=p["arbitrator"], expected_version=None,
            comments="Both appointments were disclosed in my declaration; both cases ended.",
        )  # fmt: skip
    with story.at(8):
        challenges.observe(
            session, case, user=p["respondent2"], expected_version=None,
            observations="Two appointments in three years do not show a lack of independence.",
        )  # fmt: skip
    for days_ago, member in ((6, p["arbitrator2"]), (5, p["arbitrator3"])):
        with story.at(days_ago):
            challenges.vote(
                session, case, user=member, choice=Vote.REJECT, expected_version=None,
                reasons="The appointments were disclosed and do not manifestly show a lack "
                        "of independence.",
            )  # fmt: skip
    with story.at(4):
        challenges.decide(
            session, case, user=p["arbitrator2"], outcome=None, expected_version=None,
            reasons=(
                "The arbitrator disclosed both earlier appointments when he accepted this "
                "one. Two appointments by the same party within three years do not, on "
                "their own, show a manifest lack of the qualities required of an "
                "arbitrator.\n\nThe proposal is rejected."
            ),
        )  # fmt: skip


def _settlement_before_the_tribunal(story: Story, p: dict[str, User]) -> None:
    """The parties settled: the presiding arbitrator put a draft of the consent award to the
    tribunal and approved it; one more approval makes the majority."""
    with story.at(1.5):
        awards.submit_draft(
            story.case, chair=p["arbitrator2"], kind=DraftKind.CONSENT_AWARD,
            costs=CostsAllocation(CostsMode.OWN), expected_version=None,
            reasons=(
                "The Alatau City Land Committee restores to the claimant the terminal's land "
                "plot No. 17-204 by 1 March 2027.\n\nThe claimant withdraws every claim "
                "arising from the reallocation; each party bears its own costs."
            ),
        )  # fmt: skip
    with story.at(1):
        awards.approve_draft(story.case, member=p["arbitrator2"], expected_version=None)
