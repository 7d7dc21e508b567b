"""What must hold before the acts of publication (the workflow table asks these): a seal to
lift, a decision whose passages may still be proposed (its period runs, and not both sides
said they propose no more), a proposal to decide, a decision to publish in full (both sides
consent) or as an excerpt (they do not, and the rule set allows one)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from ..cases.models import Case
from ..cases.subject import Consent
from ..clock import ALMATY
from ..db import session_of
from ..deadlines.queries import rules_for, today
from ..deadlines.rules import setting
from ..parties.models import Side
from ..rulings.models import Ruling
from ..texts import N_
from .models import PUBLISHABLE, ProposalsDone, ProposalStatus, Publication, RedactionProposal


def nothing_sealed(case: Case) -> str | None:
    return None if case.seals else N_("Nothing of this case is sealed.")


def proposals_close_on(ruling: Ruling, case: Case) -> dt.date:
    """The last day to propose passages of this decision to withhold."""
    days = int(setting(rules_for(case), "redaction_days"))
    return ruling.issued_at.astimezone(ALMATY).date() + dt.timedelta(days=days)


def sides_done(ruling: Ruling) -> set[Side]:
    """The sides that said they propose no more passages of this decision."""
    return set(
        session_of(ruling).scalars(
            select(ProposalsDone.side).where(ProposalsDone.ruling_id == ruling.id)
        )
    )


def proposals_closed(ruling: Ruling, case: Case) -> bool:
    """No more passages may be proposed: the period is over, or both sides said they have
    none left to propose."""
    return today() > proposals_close_on(ruling, case) or sides_done(ruling) == set(Side)


def _unpublished(case: Case) -> list[Ruling]:
    session = session_of(case)
    return list(
        session.scalars(
            select(Ruling).where(
                Ruling.case_id == case.id,
                Ruling.kind.in_(PUBLISHABLE),
                Ruling.id.not_in(select(Publication.ruling_id)),
            )
        )
    )


def _pending(case: Case, ruling: Ruling | None = None) -> bool:
    """Whether a proposal (of this decision, or of any) awaits the chair's decision."""
    query = select(RedactionProposal.id).where(
        RedactionProposal.case_id == case.id,
        RedactionProposal.status == ProposalStatus.PROPOSED,
    )
    if ruling is not None:
        query = query.where(RedactionProposal.ruling_id == ruling.id)
    return session_of(case).scalar(query.limit(1)) is not None


def nothing_to_redact(case: Case) -> str | None:
    if any(not proposals_closed(r, case) for r in _unpublished(case)):
        return None
    return N_("No decision of this case awaits proposals of passages to withhold.")


def nothing_to_decide(case: Case) -> str | None:
    return None if _pending(case) else N_("No proposal to withhold a passage awaits a decision.")


def not_ready(ruling: Ruling, case: Case) -> str | None:
    """Why this (unpublished) decision may not be published yet; None once the period to
    propose passages is over and the chair has decided every proposal. The one answer the
    workflow table, the publication page and the acts of publishing read."""
    if not proposals_closed(ruling, case):
        return N_(
            "The parties may still propose passages to withhold: publish when the period ends "
            "or both sides have said they propose no more."
        )
    if _pending(case, ruling):
        return N_("The tribunal has not decided every proposal yet.")
    return None


def _due(case: Case) -> str | None:
    reasons = [not_ready(r, case) for r in _unpublished(case)]
    if not reasons:
        return N_("No decision of this case is ready to be published.")
    return None if None in reasons else reasons[0]


def both_consent(case: Case) -> bool:
    """Whether both sides consent to publishing the decisions in full."""
    parties = [case.party(side) for side in Side]
    return all(p is not None and p.publication_consent is Consent.GIVEN for p in parties)


def not_for_full_publication(case: Case) -> str | None:
    if not both_consent(case):
        return N_("The sides do not both consent: the tribunal publishes an excerpt at most.")
    return _due(case)


def not_for_an_excerpt(case: Case) -> str | None:
    if both_consent(case):
        return N_("Both sides consent: the registry publishes the decision in full.")
    if not setting(rules_for(case), "excerpts_without_consent"):
        return N_(
            "Under the case's rule set nothing of a decision is published without both "
            "sides' consent."
        )
    return _due(case)
