"""the parties may constitute the tribunal: the record that they do, and who chose each seat

Revision ID: b1d3f5a7c9e2
Revises: a4c6e8f0b2d5
Create Date: 2026-12-06 23:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = 'b1d3f5a7c9e2'
down_revision: str | None = 'a4c6e8f0b2d5'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('constitutions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('size', sa.Enum('sole', 'three', name='tribunal_size', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('basis', sa.Enum('registry', 'agreement', name='constitution_basis', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_constitutions_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_constitutions_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_constitutions'))
    )
    with op.batch_alter_table('constitutions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_constitutions_case_id'), ['case_id'], unique=True)

    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('side', sa.Enum('claimant', 'respondent', name='appt_side', native_enum=False, create_constraint=True), nullable=True))
        batch_op.add_column(sa.Column('chosen_by', sa.Enum('claimant', 'respondent', 'parties', 'co_arbitrators', 'centre', name='appt_chosen_by', native_enum=False, create_constraint=True), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        # The enums' CHECKs name the columns: on SQLite they go first, or the copy fails.
        batch_op.drop_constraint(op.f('ck_appointments_appt_chosen_by'), type_='check')
        batch_op.drop_constraint(op.f('ck_appointments_appt_side'), type_='check')
        batch_op.drop_column('chosen_by')
        batch_op.drop_column('side')

    with op.batch_alter_table('constitutions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_constitutions_case_id'))

    op.drop_table('constitutions')
