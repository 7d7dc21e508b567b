"""each case carries its next running deadline and the lists' sort key (keyset pagination)

Revision ID: a4c1d2e3f5b6
Revises: 7f0a2c3b9d11
Create Date: 2026-11-26 15:50:00
"""

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = 'a4c1d2e3f5b6'
down_revision: str | None = '7f0a2c3b9d11'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NO_DEADLINE = "9999-12-31"  # as dispute_portal.cases.models.NO_DEADLINE (frozen here)


def _docket_key(due, number):
    """dispute_portal.cases.models.docket_key as of this revision (frozen here)."""
    if isinstance(due, str):  # SQLite hands dates back as text
        due = dt.date.fromisoformat(due)
    if number:
        head, dash, tail = number.rpartition("-")
        number = f"{head}{dash}{tail.zfill(6)}" if dash and tail.isdigit() else number
    return (due.isoformat() if due else NO_DEADLINE) + ("0" + number if number else "1")


def upgrade() -> None:
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_due_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('next_deadline_key', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column(
            'docket_order',
            sa.String(length=40).with_variant(sa.String(length=40, collation='C'), 'postgresql'),
            nullable=False,
            server_default=NO_DEADLINE + '1',
        ))

    # Backfill: the earliest open deadline of each case, then every case's sort key.
    conn = op.get_bind()
    rows = conn.execute(sa.text(
        "SELECT case_id, key, due_on FROM deadlines WHERE status = 'open' "
        "ORDER BY case_id, due_on, id"
    )).all()
    first: dict[int, tuple[str, object]] = {}
    for case_id, key, due_on in rows:
        first.setdefault(case_id, (key, due_on))
    updates = []
    for case_id, number in conn.execute(sa.text("SELECT id, number FROM cases")).all():
        key, due = first.get(case_id, (None, None))
        updates.append({"id": case_id, "key": key, "due": due, "order": _docket_key(due, number)})
    if updates:
        conn.execute(
            sa.text(
                "UPDATE cases SET next_deadline_key = :key, next_due_on = :due, "
                "docket_order = :order WHERE id = :id"
            ),
            updates,
        )

    # The server default stays (the app always sets the key): removing it would make SQLite
    # copy the whole table.
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index('ix_cases_docket', ['docket_order', 'id'], unique=False)
        batch_op.create_index('ix_cases_state_docket', ['state', 'docket_order', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_state_docket')
        batch_op.drop_index('ix_cases_docket')
        batch_op.drop_column('docket_order')
        batch_op.drop_column('next_deadline_key')
        batch_op.drop_column('next_due_on')
