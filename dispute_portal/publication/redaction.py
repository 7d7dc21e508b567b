"""Redaction before publication: after a decision that may be published, each side proposes
passages to withhold, each with a reason, within the rule set's period (60 days); the other
side comments; the tribunal's chair decides each proposal. Each step is an act of the
workflow table, in the trail (publishing.py then renders the published version)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from ..auth.models import User
from ..cases.models import Case
from ..db import session_of, utcnow
from ..errors import TransitionRefused
from ..parties.models import Side
from ..rulings.models import Ruling, display_code
from ..texts import N_
from ..workflow import engine
from .guards import not_ready, proposals_close_on, proposals_closed, sides_done
from .models import PUBLISHABLE, ProposalsDone, ProposalStatus, Publication, RedactionProposal

MIN_PASSAGE = 3  # characters: a shorter "passage" would withhold letters all over the text


def strings(values: Any) -> Iterator[str]:
    """Every text a ruling's values hold, however deep."""
    if isinstance(values, str):
        yield values
    elif isinstance(values, dict):
        for value in values.values():
            yield from strings(value)
    elif isinstance(values, list):
        for value in values:
            yield from strings(value)


def proposals_of(ruling: Ruling) -> list[RedactionProposal]:
    return list(
        session_of(ruling).scalars(
            select(RedactionProposal)
            .where(RedactionProposal.ruling_id == ruling.id)
            .order_by(RedactionProposal.id)
        )
    )


def published(ruling: Ruling) -> Publication | None:
    return session_of(ruling).scalar(select(Publication).where(Publication.ruling_id == ruling.id))


def check_publishable(case: Case, ruling: Ruling) -> None:
    if ruling.case_id != case.id or ruling.kind not in PUBLISHABLE:
        raise TransitionRefused(N_("Choose a decision of this case that may be published."))
    if published(ruling) is not None:
        raise TransitionRefused(N_("This decision is published already."))


def propose(
    case: Case,
    ruling: Ruling,
    *,
    user: User,
    side: Side | None,
    passage: str,
    reason: str,
    expected_version: int | None,
) -> RedactionProposal:
    engine.check(user, case, "propose_redaction", reason=reason)
    check_publishable(case, ruling)
    if side is None:
        raise TransitionRefused(N_("Only a party proposes passages to withhold."))
    _still_open(case, ruling, side)
    passage = passage.strip()
    if len(passage) < MIN_PASSAGE or not any(passage in text for text in strings(ruling.values)):
        raise TransitionRefused(
            N_("Copy the passage exactly as it stands in the decision (at least 3 characters).")
        )
    engine.apply(
        user,
        case,
        "propose_redaction",
        reason=reason,
        expected_version=expected_version,
        data={"ruling": display_code(ruling.verification_code), "party": side.value},
    )
    proposal = RedactionProposal(
        case_id=case.id,
        ruling_id=ruling.id,
        side=side,
        passage=passage,
        reason=reason,
        proposed_by_id=user.id,
        proposed_at=utcnow(),
    )
    session_of(case).add(proposal)
    session_of(case).flush()
    return proposal


def _still_open(case: Case, ruling: Ruling, side: Side) -> None:
    if proposals_closed(ruling, case):
        raise TransitionRefused(N_("The time to propose passages to withhold has passed."))
    if side in sides_done(ruling):
        raise TransitionRefused(N_("Your side said it proposes no more passages of this decision."))


def no_more(
    case: Case, ruling: Ruling, *, user: User, side: Side | None, expected_version: int | None
) -> ProposalsDone:
    """A side says it proposes no more passages of this decision; once both have, the period
    ends and the decision may be published (its proposals decided)."""
    engine.check(user, case, "no_more_redactions")
    check_publishable(case, ruling)
    if side is None:
        raise TransitionRefused(N_("Only a party proposes passages to withhold."))
    _still_open(case, ruling, side)
    engine.apply(
        user,
        case,
        "no_more_redactions",
        expected_version=expected_version,
        data={"ruling": display_code(ruling.verification_code), "party": side.value},
    )
    done = ProposalsDone(
        case_id=case.id, ruling_id=ruling.id, side=side, said_by_id=user.id, said_at=utcnow()
    )
    session_of(case).add(done)
    session_of(case).flush()
    return done


def _proposal_of(case: Case, proposal: RedactionProposal) -> Ruling:
    ruling = session_of(case).get_one(Ruling, proposal.ruling_id)
    check_publishable(case, ruling)
    if proposal.status is not ProposalStatus.PROPOSED:
        raise TransitionRefused(N_("The tribunal has decided this proposal already."))
    return ruling


def comment(
    case: Case,
    proposal: RedactionProposal,
    *,
    user: User,
    side: Side | None,
    text: str,
    expected_version: int | None,
) -> RedactionProposal:
    """The other side's comment on a proposal (one; a second replaces the first)."""
    engine.check(user, case, "comment_redaction", reason=text)
    _proposal_of(case, proposal)
    if side is None or side is proposal.side:
        raise TransitionRefused(N_("The other side comments on a proposal."))
    engine.apply(
        user,
        case,
        "comment_redaction",
        reason=text,
        expected_version=expected_version,
        data={"proposal": proposal.id, "party": side.value},
    )
    proposal.comment, proposal.commented_at = text, utcnow()
    return proposal


def decide(
    case: Case,
    proposal: RedactionProposal,
    *,
    chair: User,
    withhold: bool,
    reason: str | None,
    expected_version: int | None,
) -> RedactionProposal:
    """The chair withholds the passage from the published version, or refuses to."""
    engine.check(chair, case, "decide_redaction", reason=reason)
    _proposal_of(case, proposal)
    engine.apply(
        chair,
        case,
        "decide_redaction",
        reason=reason,
        expected_version=expected_version,
        data={"proposal": proposal.id, "withhold": withhold},
    )
    proposal.status = ProposalStatus.APPROVED if withhold else ProposalStatus.REJECTED
    proposal.decided_by_id, proposal.decided_at = chair.id, utcnow()
    proposal.decision_reason = reason
    return proposal


@dataclass(frozen=True)
class Decision:
    """A decision that may be published, as the publication page shows it."""

    ruling: Ruling
    publication: Publication | None
    proposals: list[RedactionProposal]
    closes_on: dt.date
    done: set[Side]  # the sides that said they propose no more
    open: bool  # passages may still be proposed
    unready: str | None  # why it may not be published yet (guards.not_ready)

    @property
    def ready(self) -> bool:
        """The period is over and every proposal decided: it may be published."""
        return self.publication is None and self.unready is None


def decisions(case: Case) -> list[Decision]:
    """The case's decisions that may be published, published or not, oldest first."""
    session = session_of(case)
    rulings = session.scalars(
        select(Ruling)
        .where(Ruling.case_id == case.id, Ruling.kind.in_(PUBLISHABLE))
        .order_by(Ruling.issued_at, Ruling.id)
    )
    found = []
    for r in rulings:
        publication = published(r)
        found.append(
            Decision(
                r,
                publication,
                proposals_of(r),
                proposals_close_on(r, case),
                sides_done(r),
                publication is None and not proposals_closed(r, case),
                not_ready(r, case),
            )
        )
    return found
