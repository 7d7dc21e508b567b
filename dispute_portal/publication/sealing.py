"""Sealing: an order of the registry or the tribunal that keeps something of a case from
the public (the whole case, a party's name) or from the other side as well (a party's
address and contact details, a document); and lifting it. Each is an act of the workflow
table, with its reasons in the trail; the register's entry follows as the act commits."""

from __future__ import annotations

from sqlalchemy.orm import object_session

from ..auth.models import User
from ..cases.models import Case, Document
from ..db import utcnow
from ..errors import TransitionRefused
from ..parties.models import Side
from ..texts import N_
from ..workflow import engine
from ..workflow.models import CaseEvent
from .models import Seal, SealTarget, find_seal


def seal(
    case: Case,
    *,
    user: User,
    target: SealTarget,
    reason: str,
    side: Side | None = None,
    document: Document | None = None,
    expected_version: int | None,
) -> Seal:
    """Seal `target` of this case (a party's, with `side`; a document, with `document`)."""
    engine.check(user, case, "seal", reason=reason)
    if target in (SealTarget.PARTY_NAME, SealTarget.PARTY_CONTACT) and side is None:
        raise TransitionRefused(N_("Choose the party whose details are sealed."))
    if target is SealTarget.DOCUMENT and (document is None or document.case_id != case.id):
        raise TransitionRefused(N_("Choose one of this case's documents."))
    side = side if target in (SealTarget.PARTY_NAME, SealTarget.PARTY_CONTACT) else None
    document_id = document.id if target is SealTarget.DOCUMENT and document else None
    if find_seal(case.seals, target, side=side, document_id=document_id) is not None:
        raise TransitionRefused(N_("This is sealed already."))
    engine.apply(
        user,
        case,
        "seal",
        reason=reason,
        expected_version=expected_version,
        data=_described(target, side, document_id),
    )
    found = Seal(
        case_id=case.id,
        target=target,
        side=side,
        document_id=document_id,
        reason=reason,
        sealed_by_id=user.id,
        sealed_at=utcnow(),
    )
    session = object_session(case)
    assert session is not None
    session.add(found)
    session.flush()
    session.expire(case, ["seals"])
    return found


def unseal(
    case: Case, found: Seal, *, user: User, reason: str, expected_version: int | None
) -> CaseEvent:
    """Lift a seal of this case."""
    engine.check(user, case, "unseal", reason=reason)
    if found.case_id != case.id or found.lifted_at is not None:
        raise TransitionRefused(N_("This seal is lifted already."))
    event = engine.apply(
        user,
        case,
        "unseal",
        reason=reason,
        expected_version=expected_version,
        data=_described(found.target, found.side, found.document_id) | {"seal": found.id},
    )
    found.lifted_at, found.lifted_by_id, found.lift_reason = utcnow(), user.id, reason
    session = object_session(case)
    assert session is not None
    session.flush()
    session.expire(case, ["seals"])
    return event


def _described(target: SealTarget, side: Side | None, document_id: int | None) -> dict[str, object]:
    data: dict[str, object] = {"target": target.value}
    if side is not None:
        data["party"] = side.value
    if document_id is not None:
        data["document"] = document_id
    return data
