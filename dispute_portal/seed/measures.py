"""The demo's incidents of issue 15 on cases the demo's story has already brought to
arbitration: a non-disputing party's submission granted and an urgent request for
provisional measures pending (the wind farm), and a funder disclosed whose re-confirmation
one arbitrator still owes (the technology park, its tribunal being constituted)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..amicus import operations as amicus
from ..auth.models import User
from ..cases.models import Case
from ..db import frozen_time
from ..funding import operations as funding
from ..measures import operations as measures
from .claims import DEMO_PDF


def _case(session: Session, project: str) -> Case:
    return session.scalars(select(Case).where(Case.project_name == project)).one()


def add_incidents(session: Session, config: Any, people: dict[str, User], now: dt.datetime) -> None:
    def at(days_ago: float) -> Any:
        return frozen_time(now - dt.timedelta(days=days_ago))

    wind = _case(session, "Wind farm grid connection")
    chair, respondent = people["arbitrator"], people["respondent"]
    with at(150):
        amicus.record_application(
            session, wind, clerk=people["clerk"],
            applicant_name="Alatau Renewable Energy Association",
            applicant_kind="organisation",
            description="The association of the wind and solar producers of Alatau City.",
            interest="The terms of grid connection in the city's zones apply to all its members.",
            received_by="email", received_on=(now - dt.timedelta(days=151)).date(),
            stream=io.BytesIO(DEMO_PDF), filename="Written submission.pdf",
            upload_dir=config["UPLOAD_DIR"], max_bytes=config["MAX_UPLOAD_BYTES"],
            expected_version=None,
        )  # fmt: skip
    with at(145):
        amicus.observe(wind, user=wind.claimant_user, expected_version=None,
                       observations="The claimant does not object.")  # fmt: skip
    with at(140):
        amicus.observe(wind, user=respondent, expected_version=None, observations=(
            "The respondent objects: the submission repeats the claimant's case."))  # fmt: skip
    with at(130):
        amicus.decide(wind, chair=chair, decision="granted", expected_version=None, reason=(
            "The submission addresses the grid connection terms, a matter within the scope of "
            "the dispute, from the perspective of the producers of the zone; it does not "
            "burden the parties unduly. The parties may comment on it in their next "
            "submissions."))  # fmt: skip
    with at(2):
        measures.request_measures(
            session, wind, user=wind.claimant_user, urgent=True, expected_version=None,
            measures="Order the respondent not to allocate the reserved grid capacity of "
                     "Zone 7 to another producer until the award.",
            grounds="The capacity is the investment's only outlet; the respondent announced "
                    "its allocation for next week.",
        )  # fmt: skip

    park = _case(session, "Technology park phase 2")
    with at(3):
        funding.disclose(
            session, park, user=park.claimant_user, funder_name="Themis Litigation Fund LP",
            funder_address="1 Fleet Street, London EC4Y 1AA, United Kingdom",
            expected_version=None,
        )  # fmt: skip
