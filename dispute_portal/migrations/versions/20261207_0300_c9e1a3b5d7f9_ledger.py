"""the ledger of the case account: accounts, transactions and their postings (double-entry)

Each account holds one currency and belongs to a case (a side's, the advance, a neutral's)
or to the Centre (its bank, its fees); each transaction's postings sum to zero; amounts are
NUMERIC(20, 2). A transaction reverses at most one other (reverses_id is unique).

Revision ID: c9e1a3b5d7f9
Revises: b8d0f2a4c6e8
Create Date: 2026-12-07 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'c9e1a3b5d7f9'
down_revision: str | None = 'b8d0f2a4c6e8'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('ledger_accounts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('holder', sa.Enum('party', 'advance', 'neutral', 'bank', 'income', name='ledger_holder', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('side', sa.Enum('claimant', 'respondent', name='ledger_side', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('currency', sa.Enum('KZT', 'USD', 'EUR', 'CNY', name='ledger_account_cur', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(holder = 'neutral') = (user_id IS NOT NULL)", name=op.f('ck_ledger_accounts_neutral_has_user')),
    sa.CheckConstraint("(holder = 'party') = (side IS NOT NULL)", name=op.f('ck_ledger_accounts_party_has_side')),
    sa.CheckConstraint("(holder IN ('bank', 'income')) = (case_id IS NULL)", name=op.f('ck_ledger_accounts_case_or_centre')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_ledger_accounts_case_id_cases')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_ledger_accounts_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_accounts')),
    sa.UniqueConstraint('key', name=op.f('uq_ledger_accounts_key'))
    )
    with op.batch_alter_table('ledger_accounts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledger_accounts_case_id'), ['case_id'], unique=False)

    op.create_table('ledger_transactions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('invoice', 'payment', 'substitution', 'waiver', 'fees', 'refund', 'reversal', name='ledger_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('currency', sa.Enum('KZT', 'USD', 'EUR', 'CNY', name='ledger_tx_cur', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('reverses_id', sa.Integer(), nullable=True),
    sa.Column('made_by_id', sa.Integer(), nullable=True),
    sa.Column('made_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_ledger_transactions_case_id_cases')),
    sa.ForeignKeyConstraint(['made_by_id'], ['users.id'], name=op.f('fk_ledger_transactions_made_by_id_users')),
    sa.ForeignKeyConstraint(['reverses_id'], ['ledger_transactions.id'], name=op.f('fk_ledger_transactions_reverses_id_ledger_transactions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_transactions')),
    sa.UniqueConstraint('reverses_id', name=op.f('uq_ledger_transactions_reverses_id'))
    )
    with op.batch_alter_table('ledger_transactions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledger_transactions_case_id'), ['case_id'], unique=False)

    op.create_table('ledger_postings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('transaction_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=20, scale=2), nullable=False),
    sa.CheckConstraint('amount <> 0', name=op.f('ck_ledger_postings_amount_not_zero')),
    sa.ForeignKeyConstraint(['account_id'], ['ledger_accounts.id'], name=op.f('fk_ledger_postings_account_id_ledger_accounts')),
    sa.ForeignKeyConstraint(['transaction_id'], ['ledger_transactions.id'], name=op.f('fk_ledger_postings_transaction_id_ledger_transactions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_postings'))
    )
    with op.batch_alter_table('ledger_postings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledger_postings_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledger_postings_transaction_id'), ['transaction_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('ledger_postings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ledger_postings_transaction_id'))
        batch_op.drop_index(batch_op.f('ix_ledger_postings_account_id'))

    op.drop_table('ledger_postings')
    with op.batch_alter_table('ledger_transactions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ledger_transactions_case_id'))

    op.drop_table('ledger_transactions')
    with op.batch_alter_table('ledger_accounts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ledger_accounts_case_id'))

    op.drop_table('ledger_accounts')
