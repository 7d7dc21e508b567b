"""each case keeps the schedule of fees in force when its claim was first filed

Cases filed before this revision were filed under version 1, the only one there was: they
get it. A draft gets its version when it is filed.

Revision ID: e3a5c7e9b1d4
Revises: d1f3b5c7e9a2
Create Date: 2026-12-07 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'e3a5c7e9b1d4'
down_revision: str | None = 'd1f3b5c7e9a2'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fee_schedule_version', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_cases_fee_schedule_version_fee_schedules'), 'fee_schedules', ['fee_schedule_version'], ['version'])
    op.execute("UPDATE cases SET fee_schedule_version = 1 WHERE submitted_at IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_cases_fee_schedule_version_fee_schedules'), type_='foreignkey')
        batch_op.drop_column('fee_schedule_version')

