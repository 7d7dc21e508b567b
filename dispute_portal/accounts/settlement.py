"""What the neutrals' fee notes, the statements and the refunds of a case account say: the
guards of their rows of the workflow table (and the closing's), and the lists the account
page shows."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ..cases.models import Case
from ..db import session_of
from ..parties.models import Side
from ..rulings.models import Ruling
from ..suspensions.models import Cause, Suspension
from ..texts import N_
from .ledger import balances
from .outgoings import FeeNote, NoteStatus, Refund


def notes_awaiting(case: Case) -> str | None:
    """The guard of the registry's decision on a fee note: one awaits it."""
    found = session_of(case).scalar(
        select(FeeNote.id)
        .where(FeeNote.case_id == case.id, FeeNote.status == NoteStatus.SUBMITTED)
        .limit(1)
    )
    return None if found is not None else N_("No fee note awaits the registry.")


def notes_unpaid(case: Case) -> str | None:
    """The guard of a fee note's payment: an approved note is not paid yet."""
    found = session_of(case).scalar(
        select(FeeNote.id)
        .where(
            FeeNote.case_id == case.id,
            FeeNote.status == NoteStatus.APPROVED,
            FeeNote.paid_transaction_id.is_(None),
        )
        .limit(1)
    )
    return None if found is not None else N_("No approved fee note is unpaid.")


def final_statement_of(session: Session, case: Case) -> Ruling | None:
    return session.scalar(
        select(Ruling).where(Ruling.case_id == case.id, Ruling.kind == "final_statement")
    )


def final_statement_due(case: Case) -> str | None:
    """The final statement's guard (the case is in a final state: the table says so): not
    issued yet, and no fee note waits for the registry's decision."""
    if final_statement_of(session_of(case), case) is not None:
        return N_("The final statement of this case was issued.")
    if notes_awaiting(case) is None:
        return N_("A fee note waits for the registry's decision: decide it first.")
    return None


def account_statements(session: Session, case: Case) -> list[Ruling]:
    """The case's statements of account and its final statement, oldest first."""
    return list(
        session.scalars(
            select(Ruling)
            .where(
                Ruling.case_id == case.id,
                Ruling.kind.in_(("account_statement", "final_statement")),
            )
            .order_by(Ruling.id)
        )
    )


def refunds_of(session: Session, case: Case, side: Side | None = None) -> list[Refund]:
    """The refunds of the final statement (one side's, when `side` is given)."""
    query = select(Refund).where(Refund.case_id == case.id)
    if side is not None:
        query = query.where(Refund.side == side)
    return list(session.scalars(query.order_by(Refund.id)))


def refunds_unpaid(case: Case) -> str | None:
    """The guard of a refund's payment: a refund of the final statement is not paid yet."""
    found = session_of(case).scalar(
        select(Refund.id).where(Refund.case_id == case.id, Refund.paid_on.is_(None)).limit(1)
    )
    return None if found is not None else N_("No refund is due on this case.")


def account_unsettled(case: Case) -> str | None:
    """Part of the closing's guard: every account of the case at zero (nothing owed to the
    Centre nor by it, nothing held): the final statement and its refunds settle it."""
    if any(balance != 0 for balance in balances(session_of(case), case).values()):
        return N_(
            "The case account is not settled: issue the final statement, and record the "
            "payment of its refunds and of the neutrals' approved fees, before closing."
        )
    return None


# The finance officer's lists (the dashboard and its CSV files) --------------------------------


def suspended_for_non_payment(
    session: Session, *, limit: int | None = None
) -> list[tuple[Case, Suspension]]:
    """The proceedings suspended for non-payment now, the longest suspended first."""
    query = (
        select(Case, Suspension)
        .join(Suspension, Suspension.case_id == Case.id)
        .where(Suspension.cause == Cause.NON_PAYMENT, Suspension.ended_at.is_(None))
        .order_by(Suspension.started_at, Suspension.id)
    )
    if limit is not None:
        query = query.limit(limit)
    return [(case, suspension) for case, suspension in session.execute(query)]


def refunds_due(session: Session, *, limit: int | None = None) -> list[Refund]:
    """The refunds decided and not yet paid, the oldest first (with their cases)."""
    query = (
        select(Refund)
        .options(joinedload(Refund.case))
        .where(Refund.paid_on.is_(None))
        .order_by(Refund.decided_at, Refund.id)
    )
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))
