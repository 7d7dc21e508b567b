"""redaction proposals and publications of decisions

After a decision that may be published, each side proposes passages to withhold (with a
reason), the other side comments, the tribunal's chair decides each; then the decision is
published: its redacted version (a ruling of its own) with both sides' consent, else an
excerpt chosen by the tribunal (publication/redaction.py, publishing.py).

Revision ID: b3d5f7a9c1e4
Revises: a1c3e5f7b9d2
Create Date: 2026-12-07 20:21:54.643684
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = 'b3d5f7a9c1e4'
down_revision: str | None = 'a1c3e5f7b9d2'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('publications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('ruling_id', sa.Integer(), nullable=False),
    sa.Column('published_id', sa.Integer(), nullable=True),
    sa.Column('excerpt', sa.Text(), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('published_id IS NOT NULL OR excerpt IS NOT NULL', name=op.f('ck_publications_something')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_publications_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_publications_published_by_id_users')),
    sa.ForeignKeyConstraint(['published_id'], ['rulings.id'], name=op.f('fk_publications_published_id_rulings')),
    sa.ForeignKeyConstraint(['ruling_id'], ['rulings.id'], name=op.f('fk_publications_ruling_id_rulings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_publications')),
    sa.UniqueConstraint('published_id', name=op.f('uq_publications_published_id')),
    sa.UniqueConstraint('ruling_id', name=op.f('uq_publications_ruling_id'))
    )
    with op.batch_alter_table('publications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_publications_case_id'), ['case_id'], unique=False)

    op.create_table('redaction_proposals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('ruling_id', sa.Integer(), nullable=False),
    sa.Column('side', sa.Enum('claimant', 'respondent', name='redaction_side', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('passage', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('proposed_by_id', sa.Integer(), nullable=False),
    sa.Column('proposed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('commented_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('status', sa.Enum('proposed', 'approved', 'rejected', name='redaction_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=True),
    sa.CheckConstraint("status = 'proposed' OR (decided_by_id IS NOT NULL AND decided_at IS NOT NULL)", name=op.f('ck_redaction_proposals_decided')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_redaction_proposals_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_redaction_proposals_decided_by_id_users')),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['users.id'], name=op.f('fk_redaction_proposals_proposed_by_id_users')),
    sa.ForeignKeyConstraint(['ruling_id'], ['rulings.id'], name=op.f('fk_redaction_proposals_ruling_id_rulings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_redaction_proposals'))
    )
    with op.batch_alter_table('redaction_proposals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_redaction_proposals_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_redaction_proposals_ruling_id'), ['ruling_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('redaction_proposals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_redaction_proposals_ruling_id'))
        batch_op.drop_index(batch_op.f('ix_redaction_proposals_case_id'))

    op.drop_table('redaction_proposals')
    with op.batch_alter_table('publications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_publications_case_id'))

    op.drop_table('publications')
