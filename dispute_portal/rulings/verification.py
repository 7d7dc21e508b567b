"""Public verification of a ruling, the one answer of the verify page and of the API: the
ruling a code or a file names, unless the centre's own record of it fails its checks (then
nothing about it is vouched for), with the rulings that later corrected it and whether its
case is sealed (a sealed case's ruling is authentic, and says nothing of its case)."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..cases.models import Case
from ..integrity import proofs
from ..integrity.proofs import RulingInLog
from ..publication.models import SealTarget, find_seal
from .models import Ruling


@dataclass(frozen=True)
class Verdict:
    ruling: Ruling | None  # None: not a ruling of the centre's, or its record fails a check
    tampered: bool = False
    inclusion: RulingInLog | None = None
    corrections: list[Ruling] = field(default_factory=list)
    sealed: bool = False


def verdict(session: Session, ruling: Ruling | None) -> Verdict:
    if ruling is None:
        return Verdict(None)
    if tampered := proofs.ruling_problem(session, ruling):
        current_app.logger.error("ruling %s fails its check: %s", ruling.id, tampered)
        return Verdict(None, tampered=True)  # the centre's own record was altered
    inclusion = proofs.ruling_inclusion(session, ruling)
    if inclusion is None or not inclusion.holds:
        current_app.logger.error("ruling %s: its inclusion proof fails", ruling.id)
        return Verdict(None, tampered=True)
    # The rulings issued later that correct or interpret this one (each decision on a
    # request for correction of an award), in the order they were issued.
    corrections = list(
        session.scalars(
            select(Ruling)
            .where(Ruling.corrects_id == ruling.id)
            .order_by(Ruling.issued_at, Ruling.id)
        )
    )
    case = session.get(Case, ruling.case_id)
    sealed = case is not None and find_seal(case.seals, SealTarget.CASE) is not None
    return Verdict(ruling, inclusion=inclusion, corrections=corrections, sealed=sealed)
