"""Disclosing third-party funding (ICSID Arbitration Rules 2022, rule 14), updating and
withdrawing a disclosure, and the neutrals' re-confirmation of their declarations after one.

Each is an act of the workflow table. A disclosure or an update asks every sitting neutral
to re-confirm (the `declaration_reconfirmation` time limit runs while someone has not); the
last re-confirmation meets it."""

from __future__ import annotations

from sqlalchemy.orm import Session

from .. import policy
from ..auth.models import User
from ..cases.models import Case
from ..db import session_of, utcnow
from ..deadlines import operations as deadlines
from ..deadlines.queries import is_open
from ..errors import StaleCase, TransitionRefused
from ..parties.models import Side
from ..texts import N_
from ..workflow import engine
from ..workflow.engine import Change
from ..workflow.models import CaseEvent
from . import queries
from .models import Ending, FundingDisclosure, Reconfirmation

RECONFIRMATION = "declaration_reconfirmation"


class FundingRefused(TransitionRefused):
    """A refusal about one field of the form (said beside it)."""

    def __init__(self, field: str, message: str, **params: object) -> None:
        super().__init__(message, **params)
        self.field = field


def _side(user: User, case: Case) -> Side:
    side = policy.side_of(user, case)
    if side is None:
        raise TransitionRefused(N_("Only a party discloses its funding."))
    return side


def _checked(name: str, address: str) -> tuple[str, str]:
    name, address = name.strip(), address.strip()
    if not name:
        raise FundingRefused("funder_name", N_("Give the funder's name."))
    if not address:
        raise FundingRefused("funder_address", N_("Give the funder's address."))
    return name, address


def _ask_reconfirmation(case: Case, expected_version: int | None) -> None:
    """Every sitting neutral re-confirms from now: the time limit (re)starts, if anyone
    sits to re-confirm. It starts before the act is applied, so that the act's notices give
    its date; the version the actor saw is checked first (the flush moves it on)."""
    if expected_version is not None and case.version != expected_version:
        raise StaleCase()
    if queries.sitting_neutrals(case):
        deadlines.start(case, RECONFIRMATION, at=utcnow())
        session_of(case).flush()  # the new deadline is open (its status comes at insert)


def disclose(
    session: Session,
    case: Case,
    *,
    user: User,
    funder_name: str,
    funder_address: str,
    expected_version: int | None,
) -> FundingDisclosure:
    side = _side(user, case)
    name, address = _checked(funder_name, funder_address)
    engine.check(user, case, "disclose_funding")
    _ask_reconfirmation(case, expected_version)
    event = engine.apply(
        user,
        case,
        "disclose_funding",
        data={"side": side.value, "name": name, "address": address},
    )
    disclosure = FundingDisclosure(
        case_id=case.id,
        side=side,
        funder_name=name,
        funder_address=address,
        disclosed_by_id=user.id,
        disclosed_at=event.at,
    )
    session.add(disclosure)
    session.flush()
    return disclosure


def _own(case: Case, user: User, disclosure_id: int) -> FundingDisclosure:
    side = _side(user, case)
    found = next(
        (d for d in queries.current_funders(case) if d.id == disclosure_id and d.side == side),
        None,
    )
    if found is None:
        raise FundingRefused("disclosure", N_("Choose one of your side's current disclosures."))
    return found


def update(
    session: Session,
    case: Case,
    *,
    user: User,
    disclosure_id: int,
    funder_name: str,
    funder_address: str,
    expected_version: int | None,
) -> FundingDisclosure:
    """The funder's name or address changed: the old disclosure ends, the new one replaces
    it, and the neutrals re-confirm."""
    engine.check(user, case, "update_funding")
    old = _own(case, user, disclosure_id)
    name, address = _checked(funder_name, funder_address)
    if (name, address) == (old.funder_name, old.funder_address):
        raise FundingRefused("funder_name", N_("Nothing changed in this disclosure."))
    _ask_reconfirmation(case, expected_version)
    event = engine.apply(
        user,
        case,
        "update_funding",
        data={
            "side": old.side.value,
            "name": name,
            "address": address,
            "previous_name": old.funder_name,
        },
    )
    old.ended_at, old.ending = event.at, Ending.UPDATED
    new = FundingDisclosure(
        case_id=case.id,
        side=old.side,
        funder_name=name,
        funder_address=address,
        disclosed_by_id=user.id,
        disclosed_at=event.at,
        replaces_id=old.id,
    )
    session.add(new)
    session.flush()
    return new


def withdraw(
    case: Case, *, user: User, disclosure_id: int, expected_version: int | None
) -> FundingDisclosure:
    """The funding ended (or was disclosed by mistake): the disclosure ends, kept in the
    history."""
    engine.check(user, case, "withdraw_funding")
    old = _own(case, user, disclosure_id)
    event = engine.apply(
        user,
        case,
        "withdraw_funding",
        expected_version=expected_version,
        data={"side": old.side.value, "name": old.funder_name},
    )
    old.ended_at, old.ending = event.at, Ending.WITHDRAWN
    return old


def reconfirm(
    session: Session,
    case: Case,
    *,
    user: User,
    statement: str,
    confirmed: bool,
    expected_version: int | None,
) -> Reconfirmation:
    """A sitting neutral confirms their declaration in the light of the funders disclosed
    (or discloses what the funding changes); the last one meets the time limit."""
    engine.check(user, case, "reconfirm_declaration")
    appointment = next((a for a in queries.not_reconfirmed(case) if a.user_id == user.id), None)
    if appointment is None:
        raise TransitionRefused(
            N_("You have re-confirmed your declaration since the last disclosure.")
        )
    if not confirmed or not statement.strip():
        raise FundingRefused(
            "confirmed", N_("To re-confirm, sign the declaration in the light of the funders.")
        )
    event: CaseEvent = engine.apply(
        user,
        case,
        "reconfirm_declaration",
        expected_version=expected_version,
        data={"capacity": appointment.capacity.value},
    )
    record = Reconfirmation(
        case_id=case.id,
        appointment_id=appointment.id,
        statement=statement.strip(),
        confirmed_at=event.at,
    )
    session.add(record)
    session.flush()
    if not queries.not_reconfirmed(case):
        deadlines.satisfy(case, RECONFIRMATION, at=event.at)
    return record


def follow_transition(change: Change) -> None:
    """The workflow's effect on re-confirmations: once no sitting neutral owes one (the case
    left mediation with its mediator unconfirmed, the last who owed it left the case), the
    time for it stops running; the neutrals who sit from then on signed their declarations
    knowing of the funders. Only an act that changes who sits is looked at: a disclosure
    starts the time before the disclosure itself is recorded."""
    case = change.case
    if not (change.event.changes_state or change.transition.action == "open_vacancy"):
        return
    if is_open(case, RECONFIRMATION) and not queries.not_reconfirmed(case):
        deadlines.cancel(case, RECONFIRMATION, at=change.at)
