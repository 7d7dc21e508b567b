"""The demo's seals: a case the public register does not show, and a claimant whose name it
shows as "Confidential" (an individual investor), each sealed by the registry with reasons."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..auth.models import User
from ..cases.models import Case, Party
from ..db import frozen_time
from ..parties.models import Side
from ..publication import sealing
from ..publication.models import SealTarget

SEALED_CASE = "Irtysh Retail Trading Ltd"  # the whole case
SEALED_NAME = "Daniyar Ospanov"  # the claimant's name, in the register


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
