"""The security log (logins, logouts…) and the check of every hash chain.

Appending to the security log locks its head row, so two logins at the same moment take
consecutive numbers instead of forking the chain. Verifying walks one chain at a time, so
memory stays bounded however large the archive grows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from types import SimpleNamespace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..auth.models import User
from ..cases.models import Case
from ..db import utcnow
from ..workflow.models import GENESIS, CaseEvent, origin, verify_chain
from .models import ChainHead, SecurityEvent, locked_head

SECURITY_CHAIN = "security"


def log_security(
    session: Session,
    action: str,
    *,
    user: User | None = None,
    email: str | None = None,
    data: dict[str, Any] | None = None,
) -> SecurityEvent:
    """Append one event to the security log: who, what, when, from which address."""
    head = locked_head(session, SECURITY_CHAIN)
    if user is not None and email is None:
        email = user.email
    event = SecurityEvent(
        seq=head.seq + 1,
        action=action,
        user_id=user.id if user is not None else None,
        email=(email or "").strip().lower()[:254] or None,
        ip=origin.get(),
        at=utcnow(),
        data=data,
        prev_hash=head.hash,
    )
    event.hash = event.compute_hash()
    head.seq, head.hash = event.seq, event.hash
    session.add(event)
    session.flush()
    return event


# Verification --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    chain: str  # "case ADR-2026-0001" or "security log"
    seq: int | None  # the first event that breaks the chain
    detail: str | None = None

    def __str__(self) -> str:
        if self.detail:
            return f"{self.chain}: {self.detail}"
        return f"{self.chain}: first broken event seq {self.seq}"


def verify_all(session: Session) -> list[Problem]:
    """Every case's event chain and the security log: the problems found (none: intact).

    Rows are read as plain values, never as ORM objects: the session's identity map is
    neither filled nor consulted, so what is checked is what the database holds now.
    """
    return [*verify_cases(session), *verify_security_log(session)]


def verify_cases(session: Session, *, batch: int = 500) -> Iterator[Problem]:
    last_id = 0
    while True:
        page = session.execute(
            select(Case.id, Case.number, Case.audit_head)
            .where(Case.id > last_id)
            .order_by(Case.id)
            .limit(batch)
        ).all()
        if not page:
            return
        for case_id, number, head in page:
            rows = session.execute(
                select(*CaseEvent.__table__.columns)
                .where(CaseEvent.case_id == case_id)
                .order_by(CaseEvent.seq)
            )
            last = _Last()
            broken = verify_chain(last.track(plain_rows(CaseEvent, rows)))
            chain = f"case {number or f'F-{case_id:06d}'}"
            if broken is not None:
                yield Problem(chain, broken)
            elif head is not None and last.hash != head:
                # Cases from before the head was kept (head None) have only the chain.
                yield Problem(
                    chain,
                    last.seq + 1,
                    f"the trail ends at seq {last.seq} but the case records a later last "
                    "event (events missing from the end, or the record was altered)",
                )
        last_id = page[-1].id


def verify_security_log(session: Session) -> Iterator[Problem]:
    chain = "security log"
    result = session.execute(
        select(*SecurityEvent.__table__.columns).order_by(SecurityEvent.seq),
        execution_options={"yield_per": 1000},
    )
    last = _Last()
    try:
        broken = verify_chain(last.track(plain_rows(SecurityEvent, result)))
    finally:
        result.close()
    if broken is not None:
        yield Problem(chain, broken)
        return
    # The head row says how long the chain is: events cut off its end show up here.
    head = session.execute(
        select(ChainHead.seq, ChainHead.hash).where(ChainHead.name == SECURITY_CHAIN)
    ).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)
    if (last.seq, last.hash) != (head_seq, head_hash):
        yield Problem(
            chain,
            last.seq + 1,
            f"the log ends at seq {last.seq} but its head records seq {head_seq} "
            "(events missing from the end, or the head was altered)",
        )


def plain_rows(model: Any, rows: Iterable[Any]) -> Iterator[SimpleNamespace]:
    """Each row as a plain object that verify_chain can check with the model's hash."""
    for row in rows:
        values = SimpleNamespace(**row._mapping)
        values.compute_hash = partial(model.compute_hash, values)
        yield values


class _Last:
    """Remembers the last event streamed through."""

    seq = 0
    hash = GENESIS

    def track(self, rows: Iterable[Any]) -> Iterator[Any]:
        for row in rows:
            self.seq, self.hash = row.seq, row.hash
            yield row


def chain_counts(session: Session) -> tuple[int, int, int]:
    """(case chains, case events, security events): what an intact check verified."""
    chains = session.scalar(select(func.count(func.distinct(CaseEvent.case_id)))) or 0
    events = session.scalar(select(func.count(CaseEvent.id))) or 0
    security = session.scalar(select(func.count(SecurityEvent.id))) or 0
    return chains, events, security
