"""The demo, made in an empty database: the people, then their claims and what followed."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Collection, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..auth.models import User
from ..cases import operations as cases
from ..db import frozen_time, utcnow
from ..registry import operations as registry
from . import constitution
from .challenges import CLAIMS as CHALLENGE_CLAIMS
from .challenges import add_challenge_cases
from .claims import CLAIMS, DEMO_PDF, claim_values
from .ending import ENDING_CLAIMS, ENDING_OUTCOMES, tell_ending
from .measures import add_incidents
from .money import add_advances, add_statements, settle_lodging_fee
from .objections import OBJECTION_CLAIMS, OBJECTION_OUTCOMES, tell_objection
from .people import add_people
from .publication import (
    PUBLISHED_CLAIMS,
    PUBLISHED_OUTCOMES,
    add_redaction_in_progress,
    add_seals,
    tell_published,
)
from .story import Story
from .webhooks import add_webhooks

Teller = Callable[[Story, str, int], None]
# The parts of the proceedings that bring claims of their own (seed/<part>.py): their claims,
# the outcomes they tell, and how. They go into the one loop, so that registry numbers
# follow the order of registration.
PARTS: tuple[tuple[Sequence[dict[str, Any]], Collection[str], Teller], ...] = (
    (constitution.CLAIMS, constitution.OUTCOMES, constitution.tell),
    (ENDING_CLAIMS, ENDING_OUTCOMES, tell_ending),
    (OBJECTION_CLAIMS, OBJECTION_OUTCOMES, tell_objection),
    (PUBLISHED_CLAIMS, PUBLISHED_OUTCOMES, tell_published),
)
ALL_CLAIMS = [*CLAIMS, *(claim for claims, _, _ in PARTS for claim in claims)]


def seed(session: Session, config: Any) -> str | None:
    """Create the demo; None if the database already has accounts."""
    if session.scalar(select(func.count()).select_from(User)):
        return None
    people = add_people(session)
    investors = [people["investor"], people["investor2"]]
    clerk = people["clerk"]
    now = utcnow()
    # Oldest first, so registry numbers follow the order of registration.
    for claim in sorted(ALL_CLAIMS, key=lambda c: -c["days_ago"]):
        owner = investors[claim["owner"]]
        start = now - dt.timedelta(days=claim["days_ago"] + 2, hours=3)
        with frozen_time(start):
            case, _ = cases.create_draft(session, claimant=owner, language=owner.locale or "en")
            cases.save_section(case, claim_values(claim, owner))
            if claim["outcome"] == "draft":
                continue
            cases.add_document(
                session, case, uploader=owner, stream=io.BytesIO(DEMO_PDF),
                filename="Statement of claim.pdf", upload_dir=config["UPLOAD_DIR"],
                max_bytes=config["MAX_UPLOAD_BYTES"],
            )  # fmt: skip
        filed_at = now - dt.timedelta(days=claim["days_ago"], hours=2)
        with frozen_time(filed_at):
            cases.submit_claim(case, claimant=owner)
        if claim["outcome"] not in ("returned", "dismissed"):
            settle_lodging_fee(
                session, case, people, filed_at=filed_at, days_ago=claim["days_ago"],
                submitted=claim["outcome"] == "submitted",
            )  # fmt: skip
        if claim["outcome"] == "submitted":
            continue
        registered_days = max(claim["days_ago"] - 2, 0)
        with frozen_time(now - dt.timedelta(days=registered_days, hours=1)):
            if claim["outcome"] == "returned":
                registry.return_case(case, clerk=clerk, reason=(
                    "Please attach the investment agreement and a power of attorney for "
                    "the person who signs the claim."))  # fmt: skip
            elif claim["outcome"] == "dismissed":
                registry.reject_case(case, clerk=clerk, reason=(
                    "The dispute concerns an electricity tariff set for all consumers and is "
                    "not an investment dispute within the centre's jurisdiction."))  # fmt: skip
            else:
                registry.register_case(
                    session, case, clerk=clerk, prefix=config["CASE_NUMBER_PREFIX"]
                )
        story = Story(session, config, case, people, now)
        teller = next((tell for _, outcomes, tell in PARTS if claim["outcome"] in outcomes), None)
        if teller is not None:
            teller(story, claim["outcome"], registered_days)
        elif claim["outcome"] not in ("returned", "dismissed", "registered"):
            story.tell(claim["outcome"], registered_days)
    add_incidents(session, config, people, now)
    add_challenge_cases(session, config, people, now)  # registered last: see its docstring
    add_statements(session, config, people, now)
    add_advances(session, people, now)
    add_seals(session, people, now)
    add_redaction_in_progress(session, people, now)
    add_webhooks(session, config, people, now)
    session.flush()
    return f"{len(people)} accounts and {len(ALL_CLAIMS) + len(CHALLENGE_CLAIMS)} cases"
