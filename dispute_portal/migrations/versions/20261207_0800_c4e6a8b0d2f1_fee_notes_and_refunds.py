"""fee notes and refunds: what goes out of a case's account

The neutrals' fee notes (time at the schedule's rate, and expenses), approved by the
registry and charged to the advance held for the case, then paid; and each side's refund of
the unspent advance, decided with the final statement and paid by the Centre.

Revision ID: c4e6a8b0d2f1
Revises: b2d4f6a8c0e3
Create Date: 2026-12-07 16:51:05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'c4e6a8b0d2f1'
down_revision: str | None = 'b2d4f6a8c0e3'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('fee_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('currency', sa.Enum('KZT', 'USD', 'EUR', 'CNY', name='fee_note_cur', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('time_spent', sa.Numeric(precision=7, scale=2), nullable=False),
    sa.Column('unit', sa.Enum('hours', 'days', name='fee_note_unit', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('rate', sa.Numeric(precision=20, scale=2), nullable=False),
    sa.Column('fees', sa.Numeric(precision=20, scale=2), nullable=False),
    sa.Column('expenses', sa.Numeric(precision=20, scale=2), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('submitted', 'approved', 'rejected', name='fee_note_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=True),
    sa.Column('charged_transaction_id', sa.Integer(), nullable=True),
    sa.Column('paid_transaction_id', sa.Integer(), nullable=True),
    sa.Column('paid_on', sa.Date(), nullable=True),
    sa.CheckConstraint("(status = 'approved') = (charged_transaction_id IS NOT NULL)", name=op.f('ck_fee_notes_charged_when_approved')),
    sa.CheckConstraint("paid_transaction_id IS NULL OR status = 'approved'", name=op.f('ck_fee_notes_paid_approved')),
    sa.CheckConstraint('fees + expenses > 0', name=op.f('ck_fee_notes_something')),
    sa.CheckConstraint('time_spent >= 0 AND expenses >= 0 AND fees >= 0', name=op.f('ck_fee_notes_not_negative')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_fee_notes_case_id_cases')),
    sa.ForeignKeyConstraint(['charged_transaction_id'], ['ledger_transactions.id'], name=op.f('fk_fee_notes_charged_transaction_id_ledger_transactions')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_fee_notes_decided_by_id_users')),
    sa.ForeignKeyConstraint(['paid_transaction_id'], ['ledger_transactions.id'], name=op.f('fk_fee_notes_paid_transaction_id_ledger_transactions')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_fee_notes_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fee_notes'))
    )
    with op.batch_alter_table('fee_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fee_notes_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fee_notes_user_id'), ['user_id'], unique=False)

    op.create_table('refunds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('side', sa.Enum('claimant', 'respondent', name='refund_side', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('currency', sa.Enum('KZT', 'USD', 'EUR', 'CNY', name='refund_cur', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('amount', sa.Numeric(precision=20, scale=2), nullable=False),
    sa.Column('decided_transaction_id', sa.Integer(), nullable=True),
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('paid_transaction_id', sa.Integer(), nullable=True),
    sa.Column('paid_on', sa.Date(), nullable=True),
    sa.Column('paid_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('amount > 0', name=op.f('ck_refunds_amount_positive')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_refunds_case_id_cases')),
    sa.ForeignKeyConstraint(['decided_transaction_id'], ['ledger_transactions.id'], name=op.f('fk_refunds_decided_transaction_id_ledger_transactions')),
    sa.ForeignKeyConstraint(['paid_by_id'], ['users.id'], name=op.f('fk_refunds_paid_by_id_users')),
    sa.ForeignKeyConstraint(['paid_transaction_id'], ['ledger_transactions.id'], name=op.f('fk_refunds_paid_transaction_id_ledger_transactions')),
    sa.ForeignKeyConstraint(['statement_id'], ['rulings.id'], name=op.f('fk_refunds_statement_id_rulings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_refunds'))
    )
    with op.batch_alter_table('refunds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_refunds_case_id'), ['case_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('refunds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_refunds_case_id'))

    op.drop_table('refunds')
    with op.batch_alter_table('fee_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fee_notes_user_id'))
        batch_op.drop_index(batch_op.f('ix_fee_notes_case_id'))

    op.drop_table('fee_notes')
