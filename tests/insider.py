"""What an insider with write access to the database does, for the tests that play one:
switch off the append-only triggers (as the tables' owner could), rewrite a case's trail,
and, after a test that had to commit and then clean up, rebuild the transparency log over
what is left."""

from __future__ import annotations

from sqlalchemy import delete, insert, select, text
from sqlalchemy.orm import Session

from dispute_portal.accounts.models import (
    FeeWaiver,
    Invoice,
    LedgerAccount,
    LedgerTransaction,
    Payment,
    Posting,
)
from dispute_portal.audit.models import ChainHead, SecurityEvent
from dispute_portal.cases.models import Case
from dispute_portal.integrity.log import append
from dispute_portal.integrity.models import LOG_HEAD, LogCheckpoint, LogLeaf, LogNode
from dispute_portal.rulings.models import Ruling
from dispute_portal.workflow.models import GENESIS, CaseEvent

# The tables PostgreSQL's triggers keep append-only (the migration that made the log).
APPEND_ONLY = (
    "case_events",
    "security_events",
    "rulings",
    "log_leaves",
    "log_nodes",
    "log_checkpoints",
)


def bypass_triggers(session: Session) -> None:
    """On PostgreSQL, switch the append-only triggers off in this transaction, as the tables'
    owner could (foreign keys still act: a deleted case takes its events with it). Rolled
    back with the test's transaction; a clean-up that commits calls rebuild_log, which
    switches them on again. SQLite has none."""
    if session.get_bind().dialect.name == "postgresql":
        for table in APPEND_ONLY:
            session.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))


def delete_case(session: Session, case_id: int) -> None:
    """Remove a case a test committed, with its account: the ledger keeps its rows from a
    deleted case (nothing in the portal deletes one), so they go first. Call
    bypass_triggers before, rebuild_log after."""
    invoices = select(Invoice.id).where(Invoice.case_id == case_id)
    transactions = select(LedgerTransaction.id).where(LedgerTransaction.case_id == case_id)
    session.execute(delete(FeeWaiver).where(FeeWaiver.invoice_id.in_(invoices)))
    session.execute(delete(Payment).where(Payment.case_id == case_id))
    session.execute(delete(Invoice).where(Invoice.case_id == case_id))
    session.execute(delete(Posting).where(Posting.transaction_id.in_(transactions)))
    session.execute(delete(LedgerTransaction).where(LedgerTransaction.case_id == case_id))
    session.execute(delete(LedgerAccount).where(LedgerAccount.case_id == case_id))
    session.execute(delete(Case).where(Case.id == case_id))


def _restore_triggers(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        for table in APPEND_ONLY:
            session.execute(text(f"ALTER TABLE {table} ENABLE TRIGGER USER"))


def rebuild_log(session: Session) -> None:
    """The log made again over the records the database holds now (for clean-ups that
    delete what a test committed); commits."""
    bypass_triggers(session)
    for model in (LogLeaf, LogNode, LogCheckpoint):
        session.execute(delete(model))
    session.execute(delete(ChainHead).where(ChainHead.name == LOG_HEAD))
    records = [
        *session.scalars(select(CaseEvent).order_by(CaseEvent.id)),
        *session.scalars(select(SecurityEvent).order_by(SecurityEvent.seq)),
        *session.scalars(select(Ruling).order_by(Ruling.id)),
    ]
    append(session, records)
    _restore_triggers(session)
    session.commit()


def rewrite_trail(session: Session, case_id: int, edit) -> None:
    """Rewrite a case's trail as an insider with the database would: `edit` gets the events
    as dicts of their columns (in order) and returns the trail wanted; every link is then
    hashed again and the case's recorded head moved, so the chain alone holds."""
    bypass_triggers(session)
    columns = [c.name for c in CaseEvent.__table__.columns]
    rows = session.execute(
        select(*CaseEvent.__table__.columns)
        .where(CaseEvent.case_id == case_id)
        .order_by(CaseEvent.seq)
    ).all()
    events = edit([dict(zip(columns, row, strict=True)) for row in rows])
    session.execute(delete(CaseEvent).where(CaseEvent.case_id == case_id))
    session.flush()
    prev = GENESIS
    for seq, values in enumerate(events, start=1):
        values = {k: v for k, v in values.items() if k != "id"}
        event = CaseEvent(**(values | {"seq": seq, "prev_hash": prev}))
        event.hash = event.compute_hash()
        prev = event.hash
        session.execute(
            insert(CaseEvent).values(
                **{c: getattr(event, c) for c in values}
                | {"seq": seq, "prev_hash": event.prev_hash, "hash": event.hash}
            )
        )
    session.execute(
        text("UPDATE cases SET audit_head = :head WHERE id = :id"), {"head": prev, "id": case_id}
    )
