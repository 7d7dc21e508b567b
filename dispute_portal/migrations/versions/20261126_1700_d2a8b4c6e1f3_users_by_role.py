"""users are found by role (the lists of neutrals and staff) without reading every account

Revision ID: d2a8b4c6e1f3
Revises: c7f3a9e1d2b4
Create Date: 2026-11-26 17:00:00
"""

from collections.abc import Sequence

from alembic import op


revision: str = 'd2a8b4c6e1f3'
down_revision: str | None = 'c7f3a9e1d2b4'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_role'), ['role'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_role'))
