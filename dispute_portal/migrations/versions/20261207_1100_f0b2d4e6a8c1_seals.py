"""seals: what of a case is kept from the public, or also from the other side

The registry or the tribunal seals a whole case (no public entry), a party's name (read
"Confidential" in the register), a party's address and contact details, or a document (read
only by the Centre, the neutrals and the side they belong to), with reasons; a seal is
lifted the same way. The acts are in the trail; this table holds the seals and their
lifting.

Revision ID: f0b2d4e6a8c1
Revises: e8a0c2e4f6b9
Create Date: 2026-12-07 19:52:19.473097
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = 'f0b2d4e6a8c1'
down_revision: str | None = 'e8a0c2e4f6b9'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('seals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('target', sa.Enum('case', 'party_name', 'party_contact', 'document', name='seal_target', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('side', sa.Enum('claimant', 'respondent', name='seal_side', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('sealed_by_id', sa.Integer(), nullable=False),
    sa.Column('sealed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('lifted_by_id', sa.Integer(), nullable=True),
    sa.Column('lifted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('lift_reason', sa.Text(), nullable=True),
    sa.CheckConstraint("target <> 'document' OR document_id IS NOT NULL", name=op.f('ck_seals_document')),
    sa.CheckConstraint("target NOT IN ('party_name', 'party_contact') OR side IS NOT NULL", name=op.f('ck_seals_side')),
    sa.CheckConstraint('lifted_at IS NULL OR (lifted_by_id IS NOT NULL AND lift_reason IS NOT NULL)', name=op.f('ck_seals_lifted')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_seals_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_seals_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['lifted_by_id'], ['users.id'], name=op.f('fk_seals_lifted_by_id_users')),
    sa.ForeignKeyConstraint(['sealed_by_id'], ['users.id'], name=op.f('fk_seals_sealed_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_seals'))
    )
    with op.batch_alter_table('seals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_seals_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_seals_document_id'), ['document_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('seals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_seals_document_id'))
        batch_op.drop_index(batch_op.f('ix_seals_case_id'))

    op.drop_table('seals')
