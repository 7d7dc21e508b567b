"""The life of a demo case after registration, told act by act on days in the past."""

from __future__ import annotations

import datetime as dt
import io
from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy.orm import Session

from ..auth.models import User
from ..cases.models import Case, Visibility
from ..db import frozen_time
from ..deadlines.calendar import local_date
from ..neutrals import operations as neutrals
from ..neutrals.models import Capacity
from ..parties import operations as parties
from ..parties.models import Side, Standing
from ..proceedings import operations as proceedings
from ..proceedings import queries
from ..suspensions import operations as suspensions
from . import award, money
from .claims import DEMO_PDF


class Story:
    """The life of one demo case after registration, each act on its own day in the past
    (so deadlines fall where a real case's would: some met, some running, some overdue)."""

    def __init__(
        self,
        session: Session,
        config: Any,
        case: Case,
        people: dict[str, User],
        now: dt.datetime,
    ) -> None:
        self.session, self.config, self.case, self.p, self.now = session, config, case, people, now
        self.chair: User | None = None  # the tribunal's chair, once there is one

    def at(self, days_ago: float) -> AbstractContextManager[None]:
        return frozen_time(self.now - dt.timedelta(days=days_ago))

    def act(self, days_ago: float, user: User, action: str, reason: str | None = None) -> None:
        with self.at(days_ago):
            proceedings.act(
                self.case, user=user, action=action, reason=reason, expected_version=None
            )

    def join(
        self, days_ago: float, inviter: User, user: User, side: Side, standing: Standing
    ) -> None:
        with self.at(days_ago):
            invitation, _token = parties.invite(
                self.session, self.case, inviter=inviter, side=side, standing=standing,
                email=user.email, name=user.name, expected_version=None,
            )  # fmt: skip
        with self.at(days_ago - 0.5):
            parties.join(self.session, invitation, user)

    def mediator(self, days_ago: float, mediator: User, *, accept: bool = True) -> None:
        with self.at(days_ago):
            neutrals.propose_mediator(
                self.session, self.case, clerk=self.p["clerk"], mediator=mediator,
                expected_version=None,
            )  # fmt: skip
        if accept:
            with self.at(days_ago - 1.5):
                neutrals.accept(
                    self.session, self.case, user=mediator, declaration=DECLARATION,
                    confirmed=True, expected_version=None,
                )  # fmt: skip

    def tribunal(
        self,
        days_ago: float,
        members: list[tuple[Capacity, User]],
        *,
        answers: dict[int, str] | None = None,
    ) -> None:
        with self.at(days_ago):
            neutrals.propose_tribunal(
                self.session, self.case, clerk=self.p["clerk"], members=members,
                expected_version=None,
            )  # fmt: skip
        answers = answers if answers is not None else {u.id: "accept" for _, u in members}
        for i, (_, user) in enumerate(members):
            with self.at(days_ago - 2 - i):
                if answers.get(user.id) == "accept":
                    neutrals.accept(
                        self.session, self.case, user=user, declaration=DECLARATION,
                        confirmed=True, expected_version=None,
                    )  # fmt: skip
                elif answers.get(user.id) == "decline":
                    neutrals.decline(
                        self.session, self.case, user=user, expected_version=None,
                        disclosure="I advised the respondent on a related zoning matter in 2025.",
                    )  # fmt: skip

    def meeting(self, days_ago: float, user: User, starts_in_days: float, **where: str) -> None:
        with self.at(days_ago):
            proceedings.schedule(
                self.session, self.case, user=user,
                starts_at=(self.now + dt.timedelta(days=starts_in_days)).replace(
                    minute=0, second=0, microsecond=0),
                place=where.get("place"), video_link=where.get("video_link"),
                agenda=where.get("agenda"), expected_version=None,
            )  # fmt: skip

    def hearing_held(self, days_ago: float, chair: User, record: str) -> None:
        """The chair records that the case's hearing waiting for it took place."""
        with self.at(days_ago):
            (hearing,) = queries.hearings_to_record(self.case)
            proceedings.record_hearing_held(
                self.case, chair=chair, meeting_id=hearing.id, reason=record,
                expected_version=None,
            )  # fmt: skip

    def submission(
        self,
        days_ago: float,
        user: User,
        title: str,
        body: str,
        files: list[tuple[str, Visibility]],
        *,
        is_response: bool = False,
        pleading: str | None = None,
    ) -> None:
        with self.at(days_ago):
            proceedings.file_submission(
                self.session, self.case, author=user, title=title, body=body,
                files=[(io.BytesIO(DEMO_PDF), name, visibility) for name, visibility in files],
                is_response=is_response, upload_dir=self.config["UPLOAD_DIR"],
                max_bytes=self.config["MAX_UPLOAD_BYTES"], expected_version=None,
                pleading=pleading,
            )  # fmt: skip

    def response(self, days_ago: float, user: User) -> None:
        self.submission(
            days_ago, user, "Response to the claim",
            "The respondent denies the claim: the measure was taken lawfully and in the public "
            "interest, and the claimant was heard before it was taken.",
            [("Response.pdf", Visibility.PARTIES),
             ("Settlement position (for the mediator).pdf", Visibility.MEDIATOR)],
            is_response=True,
        )  # fmt: skip

    def memorial(self, days_ago: float, user: User) -> None:
        self.submission(
            days_ago, user, "Memorial",
            "The claimant sets out the facts, the law and the damage it suffered.",
            [("Memorial.pdf", Visibility.PARTIES),
             ("Valuation report (for the tribunal).pdf", Visibility.TRIBUNAL)],
        )  # fmt: skip

    def tell(self, outcome: str, registered: int) -> None:
        p, claimant, clerk = self.p, self.case.claimant_user, self.p["clerk"]
        r = registered
        if outcome == "withdrawn":
            self.act(r - 8, claimant, "withdraw", "The parties are negotiating directly.")
            return
        respondent = (
            p["respondent2"] if outcome in ("proposed", "constituting") else p["respondent"]
        )
        self.join(r - 1, clerk, respondent, Side.RESPONDENT, Standing.REPRESENTATIVE)
        mediator = p["mediator2"] if outcome in ("settled", "arbitration", "constituting") else (
            p["mediator"])  # fmt: skip
        if outcome == "proposed":
            self.mediator(r - 6, p["mediator"], accept=False)
            return
        self.mediator(r - 3, mediator)
        self.response(r - 6, respondent)
        self.meeting(r - 7, mediator, -(r - 14), place="Centre, hearing room 2")
        if outcome == "suspended":  # the parties asked for time to negotiate
            with self.at(r - 20):
                suspensions.suspend_by_agreement(
                    self.case, user=mediator, reason=(
                        "The parties have agreed to suspend the mediation while the Tourism "
                        "Department reviews the construction permit."),
                    resume_on=local_date(self.now + dt.timedelta(days=45)),
                    expected_version=None,
                )  # fmt: skip
            return
        if outcome == "mediation":
            self.meeting(2, mediator, 3, video_link="https://meet.adr.alatau.kz/steppe-solar",
                         agenda="Second joint session: the valuation of the lease.")  # fmt: skip
            with self.at(1):
                proceedings.add_note(self.session, self.case, author=mediator, body=(
                    "The respondent may accept a new plot of equal value; explore this in "
                    "a private session first."))  # fmt: skip
            return
        if outcome == "settled":  # the advance paid, the mediator's fees, the refund
            money.fund(self.case, p, self.now, r - 8)
        if outcome in ("settled", "closed"):
            self.act(r - 40, mediator, "settle", (
                "1. The respondent transfers plot No. 14-B to the claimant within 60 days.\n\n"
                "2. The claimant withdraws all claims concerning the original plot."))  # fmt: skip
            if outcome == "closed":
                self.act(r - 50, clerk, "close")
            else:
                money.settle_account(self.case, p, self.now, r - 45)
            return
        self.act(min(r - 30, 20) if outcome == "impasse" else r - 50, mediator, "impasse",
                 "The parties could not agree on compensation.")  # fmt: skip
        if outcome == "impasse":
            return
        self.act(r - 55, claimant if outcome != "awarded" else clerk, "refer")
        if outcome == "constituting":
            self.tribunal(
                r - 100,
                [
                    (Capacity.PRESIDING_ARBITRATOR, p["arbitrator"]),
                    (Capacity.CO_ARBITRATOR, p["arbitrator2"]),
                    (Capacity.CO_ARBITRATOR, p["arbitrator3"]),
                ],
                answers={p["arbitrator2"].id: "accept", p["arbitrator3"].id: "decline"},
            )
            return
        if outcome == "arbitration":
            self.join(r - 56, claimant, p["counsel"], Side.CLAIMANT, Standing.COUNSEL)
            members = [(Capacity.SOLE_ARBITRATOR, p["arbitrator"])]
        else:
            members = [
                (Capacity.PRESIDING_ARBITRATOR, p["arbitrator2"]),
                (Capacity.CO_ARBITRATOR, p["arbitrator"]),
                (Capacity.CO_ARBITRATOR, p["arbitrator3"]),
            ]
        self.tribunal(r - 65, members)
        if outcome == "awarded":  # the respondent leaves its share unpaid
            money.fund(self.case, p, self.now, r - 66, paying=(Side.CLAIMANT,))
        chair = members[0][1]
        self.act(r - 80, chair, "procedural_order", (
            "Procedural order No. 1. The claimant files its memorial within 30 days; the "
            "respondent its counter-memorial within 30 days after that. The hearing is held "
            "in Alatau City."))  # fmt: skip
        self.meeting(r - 85, chair, -(r - 120), place="Centre, hearing room 1",
                     agenda="Hearing on jurisdiction and merits.")  # fmt: skip
        self.memorial(r - 90, claimant)
        if outcome == "awarded":  # ... and the claimant pays it in substitution
            money.give_notice_of_default(self.case)
            money.pay_in_substitution(self.case, p)
        self.hearing_held(r - 121, chair, (
            "Held in hearing room 1. Present: the tribunal, counsel for both parties and "
            "the claimant's expert. The tribunal heard the parties on jurisdiction and "
            "merits."))  # fmt: skip
        with self.at(r - 160):
            proceedings.close_submissions(
                self.case, chair=chair, expected_version=None,
                last_on=(self.now - dt.timedelta(days=r - 161)).date(),
                reason="Procedural order No. 1: the parties file their last written "
                       "submissions by this date.",
            )  # fmt: skip
        if outcome == "awarded":
            award.collegial_award(self, 12, [m for _c, m in members], (
                "The tribunal finds that the taking of part of the quarry was an "
                "expropriation within the meaning of Article 6 and that no compensation "
                "was paid.\n\nThe respondent shall pay the claimant USD 31,400,000 with "
                "simple interest at 5% a year from the date of the taking."))  # fmt: skip
        else:
            award.counterclaim_and_costs(self, chair)


DECLARATION = (
    "I accept the appointment. I am independent of the parties and their counsel and "
    "impartial; I know of no circumstance that could give rise to justifiable doubts as to "
    "my impartiality or independence, and I will disclose at once any that arises. I have "
    "the time to conduct the case diligently and efficiently."
)
