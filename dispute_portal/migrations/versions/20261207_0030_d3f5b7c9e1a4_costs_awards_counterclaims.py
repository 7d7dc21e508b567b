"""costs, the award of a tribunal of three, counterclaims (issue 15)

The statements of costs and their items, a separate decision on costs, the drafts of the
award with the members' approvals and opinions, and the respondent's counterclaims. Money is
NUMERIC(20, 2) with its currency; a costs share is NUMERIC(5, 2) per cent.

Revision ID: d3f5b7c9e1a4
Revises: c2e4a6b8d0f3
Create Date: 2026-12-07 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = 'd3f5b7c9e1a4'
down_revision: str | None = 'c2e4a6b8d0f3'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('award_drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('reasons', sa.Text(), nullable=False),
    sa.Column('counterclaim_decision', sa.Text(), nullable=True),
    sa.Column('submitted_by_id', sa.Integer(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('costs_mode', sa.Enum('own', 'loser', 'split', 'reserved', name='costs_mode', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('costs_payer', sa.Enum('claimant', 'respondent', name='costs_payer', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('costs_claimant_percent', sa.Numeric(precision=5, scale=2), nullable=True),
    sa.Column('costs_amount', sa.Numeric(precision=20, scale=2), nullable=True),
    sa.Column('costs_currency', sa.Enum('KZT', 'USD', 'EUR', 'CNY', name='costs_cur', native_enum=False, create_constraint=True), nullable=True),
    sa.CheckConstraint('costs_amount IS NULL OR costs_amount >= 0', name=op.f('ck_award_drafts_costs_amount_pos')),
    sa.CheckConstraint('costs_claimant_percent IS NULL OR (costs_claimant_percent >= 0 AND costs_claimant_percent <= 100)', name=op.f('ck_award_drafts_costs_percent')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_award_drafts_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_award_drafts_submitted_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_drafts')),
    sa.UniqueConstraint('case_id', 'number', name=op.f('uq_award_drafts_case_id'))
    )
    with op.batch_alter_table('award_drafts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_award_drafts_case_id'), ['case_id'], unique=False)

    op.create_table('award_opinions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('dissenting', 'individual', name='opinion_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('written_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_award_opinions_author_id_users')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_award_opinions_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_opinions')),
    sa.UniqueConstraint('case_id', 'author_id', name=op.f('uq_award_opinions_case_id'))
    )
    with op.batch_alter_table('award_opinions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_award_opinions_case_id'), ['case_id'], unique=False)

    op.create_table('costs_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('costs_mode', sa.Enum('own', 'loser', 'split', 'reserved', name='costs_mode', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('costs_payer', sa.Enum('claimant', 'respondent', name='costs_payer', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('costs_claimant_percent', sa.Numeric(precision=5, scale=2), nullable=True),
    sa.Column('costs_amount', sa.Numeric(precision=20, scale=2), nullable=True),
    sa.Column('costs_currency', sa.Enum('KZT', 'USD', 'EUR', 'CNY', name='costs_cur', native_enum=False, create_constraint=True), nullable=True),
    sa.CheckConstraint('costs_amount IS NULL OR costs_amount >= 0', name=op.f('ck_costs_decisions_costs_amount_pos')),
    sa.CheckConstraint('costs_claimant_percent IS NULL OR (costs_claimant_percent >= 0 AND costs_claimant_percent <= 100)', name=op.f('ck_costs_decisions_costs_percent')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_costs_decisions_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_costs_decisions_decided_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_costs_decisions'))
    )
    with op.batch_alter_table('costs_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_costs_decisions_case_id'), ['case_id'], unique=False)

    op.create_table('costs_statements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('side', sa.Enum('claimant', 'respondent', name='side', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('filed_by_id', sa.Integer(), nullable=False),
    sa.Column('filed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_costs_statements_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['filed_by_id'], ['users.id'], name=op.f('fk_costs_statements_filed_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_costs_statements'))
    )
    with op.batch_alter_table('costs_statements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_costs_statements_case_id'), ['case_id'], unique=False)

    op.create_table('award_approvals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('draft_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['draft_id'], ['award_drafts.id'], name=op.f('fk_award_approvals_draft_id_award_drafts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_award_approvals_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_approvals')),
    sa.UniqueConstraint('draft_id', 'user_id', name=op.f('uq_award_approvals_draft_id'))
    )
    with op.batch_alter_table('award_approvals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_award_approvals_draft_id'), ['draft_id'], unique=False)

    op.create_table('costs_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('description', sa.String(length=300), nullable=False),
    sa.Column('amount', sa.Numeric(precision=20, scale=2), nullable=False),
    sa.Column('currency', sa.Enum('KZT', 'USD', 'EUR', 'CNY', name='item_cur', native_enum=False, create_constraint=True), nullable=False),
    sa.CheckConstraint('amount >= 0', name=op.f('ck_costs_items_amount_pos')),
    sa.ForeignKeyConstraint(['statement_id'], ['costs_statements.id'], name=op.f('fk_costs_items_statement_id_costs_statements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_costs_items'))
    )
    with op.batch_alter_table('costs_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_costs_items_statement_id'), ['statement_id'], unique=False)

    op.create_table('counterclaims',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('filed_by_id', sa.Integer(), nullable=False),
    sa.Column('filed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('amount', sa.Numeric(precision=20, scale=2), nullable=False),
    sa.Column('currency', sa.Enum('KZT', 'USD', 'EUR', 'CNY', name='counterclaim_cur', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('amount >= 0', name=op.f('ck_counterclaims_amount_pos')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_counterclaims_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['filed_by_id'], ['users.id'], name=op.f('fk_counterclaims_filed_by_id_users')),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_counterclaims_submission_id_submissions'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_counterclaims'))
    )
    with op.batch_alter_table('counterclaims', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_counterclaims_case_id'), ['case_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('counterclaims', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_counterclaims_case_id'))

    op.drop_table('counterclaims')
    with op.batch_alter_table('costs_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_costs_items_statement_id'))

    op.drop_table('costs_items')
    with op.batch_alter_table('award_approvals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_award_approvals_draft_id'))

    op.drop_table('award_approvals')
    with op.batch_alter_table('costs_statements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_costs_statements_case_id'))

    op.drop_table('costs_statements')
    with op.batch_alter_table('costs_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_costs_decisions_case_id'))

    op.drop_table('costs_decisions')
    with op.batch_alter_table('award_opinions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_award_opinions_case_id'))

    op.drop_table('award_opinions')
    with op.batch_alter_table('award_drafts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_award_drafts_case_id'))

    op.drop_table('award_drafts')
