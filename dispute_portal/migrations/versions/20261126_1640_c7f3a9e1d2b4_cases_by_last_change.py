"""the case lists page by the latest change (keyset on updated_at, id)

Revision ID: c7f3a9e1d2b4
Revises: b5d2e3f4a6c7
Create Date: 2026-11-26 16:40:00
"""

from collections.abc import Sequence

from alembic import op


revision: str = 'c7f3a9e1d2b4'
down_revision: str | None = 'b5d2e3f4a6c7'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index('ix_cases_updated', ['updated_at', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_updated')
