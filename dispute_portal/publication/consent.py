"""Each side's consent to the publication of the award and the tribunal's other decisions:
stated at filing (the claimant) and joining (the respondent's representative), changed on
the case until the award by an act of the workflow table, in the trail."""

from __future__ import annotations

from ..auth.models import User
from ..cases.models import Case
from ..cases.subject import Consent
from ..errors import TransitionRefused
from ..parties.models import Side
from ..texts import N_
from ..workflow import engine
from ..workflow.models import CaseEvent


def state_consent(
    case: Case, *, user: User, side: Side | None, consent: Consent, expected_version: int | None
) -> CaseEvent:
    engine.check(user, case, "state_publication_consent")
    party = case.party(side) if side is not None else None
    if party is None:
        raise TransitionRefused(N_("Only a party states its consent to publication."))
    event = engine.apply(
        user,
        case,
        "state_publication_consent",
        expected_version=expected_version,
        data={"party": party.side.value, "consent": consent.value},
    )
    party.publication_consent = consent
    return event
