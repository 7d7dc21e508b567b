"""staff bind an authenticator only through a single-use link e-mailed to them

Revision ID: b4d6f8a0c2e3
Revises: a3c5e7f9b1d2
Create Date: 2026-12-06 08:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = 'b4d6f8a0c2e3'
down_revision: str | None = 'a3c5e7f9b1d2'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('mfa_enrol_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_mfa_enrol_links_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mfa_enrol_links')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_mfa_enrol_links_token_hash'))
    )
    with op.batch_alter_table('mfa_enrol_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mfa_enrol_links_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('mfa_enrol_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mfa_enrol_links_user_id'))

    op.drop_table('mfa_enrol_links')
