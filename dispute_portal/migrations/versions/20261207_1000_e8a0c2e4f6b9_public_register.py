"""the public register: an entry for each registered case; a neutral's nationality

Each registered case has a public entry (publication/entries.py keeps it): the number, the
parties' names, the sector and basis of consent, the stage, the sitting neutrals with their
nationality (a new column of users), the outcome. The table starts empty; `flask init-db`
fills it from the cases once the schema is up to date (publication.entries.fill_if_empty),
as a migration cannot run the portal's code of a later revision.

Revision ID: e8a0c2e4f6b9
Revises: d6f8a0c2e4b7
Create Date: 2026-12-07 19:22:49.232033
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = 'e8a0c2e4f6b9'
down_revision: str | None = 'd6f8a0c2e4b7'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('register_entries',
    sa.Column('case_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('registered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('claimant', sa.String(length=300), nullable=True),
    sa.Column('claimant_country', sa.String(length=2), nullable=True),
    sa.Column('respondent', sa.String(length=300), nullable=True),
    sa.Column('sector', sa.Enum('agriculture', 'construction', 'energy', 'finance', 'information', 'extractive', 'services', 'tourism', 'transport', 'water', 'other_industry', name='reg_sector', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('basis', sa.Enum('treaty', 'investment_contract', 'investment_law', 'other', name='reg_basis', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('stage', sa.Enum('registered', 'mediation', 'arbitration', 'concluded', name='reg_stage', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('outcome', sa.Enum('settled', 'awarded', 'dismissed', 'withdrawn', 'discontinued', name='reg_outcome', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('concluded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('neutrals', sa.JSON(), nullable=False),
    sa.Column('terms', sa.Text(), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_register_entries_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('case_id', name=op.f('pk_register_entries')),
    sa.UniqueConstraint('number', name=op.f('uq_register_entries_number'))
    )
    with op.batch_alter_table('register_entries', schema=None) as batch_op:
        batch_op.create_index('ix_register_entries_order', ['registered_at', 'case_id'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('nationality', sa.String(length=2), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('nationality')

    with op.batch_alter_table('register_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_register_entries_order')

    op.drop_table('register_entries')
