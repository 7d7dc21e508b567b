"""a side says it proposes no more passages of a decision: with both, the period to
propose them ends early

Revision ID: c5e7a9b1d3f6
Revises: b3d5f7a9c1e4
Create Date: 2026-12-07 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = 'c5e7a9b1d3f6'
down_revision: str | None = 'b3d5f7a9c1e4'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('redaction_proposals_done',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('ruling_id', sa.Integer(), nullable=False),
    sa.Column('side', sa.Enum('claimant', 'respondent', name='proposals_done_side', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('said_by_id', sa.Integer(), nullable=False),
    sa.Column('said_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_redaction_proposals_done_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['ruling_id'], ['rulings.id'], name=op.f('fk_redaction_proposals_done_ruling_id_rulings')),
    sa.ForeignKeyConstraint(['said_by_id'], ['users.id'], name=op.f('fk_redaction_proposals_done_said_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_redaction_proposals_done')),
    sa.UniqueConstraint('ruling_id', 'side', name='uq_redaction_proposals_done_side')
    )
    with op.batch_alter_table('redaction_proposals_done', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_redaction_proposals_done_case_id'), ['case_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('redaction_proposals_done', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_redaction_proposals_done_case_id'))

    op.drop_table('redaction_proposals_done')
