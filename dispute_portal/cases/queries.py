"""Cases as the lists show them (the docket, a caseload, my cases): plain rows of columns,
never ORM entities. A page of cases is one query on `cases`; the parties' names of that page
are one more (`titles`), whatever the page holds. Entities would cost the app more than the
rest of drawing the page: a case, its parties, appointments and participants are hundreds of
objects per page, each built, tracked by the session and garbage-collected."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

from sqlalchemy import ScalarSelect, select
from sqlalchemy.orm import Session

from ..parties.models import Side
from ..workflow.states import CaseState
from .models import Case, Party, reference_of, title_of


@dataclass(frozen=True, slots=True)
class CaseLine:
    """A case in a list: what every list shows of it (a link, its parties, its state)."""

    id: int
    number: str | None
    state: CaseState
    claimant: str | None  # the parties' names (None: not given yet)
    respondent: str | None

    @property
    def reference(self) -> str:
        return reference_of(self.number, self.id)

    def title_in(self, gettext: Callable[[str], str]) -> str:
        return title_of(self.claimant, self.respondent, gettext)


def party_name(side: Side) -> ScalarSelect[str | None]:
    """The name of the case's party on this side (its first, as Case.party finds it), as a
    column of a query on cases: an index look-up per case, so only for a page of them."""
    return (
        select(Party.name)
        .where(Party.case_id == Case.id, Party.side == side)
        .order_by(Party.id)
        .limit(1)
        .scalar_subquery()
    )


def titles(session: Session, ids: Collection[int]) -> dict[int, tuple[str | None, str | None]]:
    """The claimant's and the respondent's names of these cases, by case id: one query."""
    if not ids:
        return {}
    rows = session.execute(
        select(Case.id, party_name(Side.CLAIMANT), party_name(Side.RESPONDENT)).where(
            Case.id.in_(ids)
        )
    )
    return {case_id: (claimant, respondent) for case_id, claimant, respondent in rows}
