"""a proposal for disqualification may end moot: every person it names left the case

A challenged person who resigns before the decision leaves nothing to decide: the proposal
ends as "moot" (no ruling, no one decided it). The outcome's CHECK constraint gains the
value; the column (eight characters) already holds it. Going down, a moot proposal reads as
upheld, the older outcome whose effect it shares (the person left the case, the seat was
vacant); its trail still says what happened.

Revision ID: a7c9e1b3d5f8
Revises: f2b4d6a8c0e1
Create Date: 2026-12-07 01:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = 'a7c9e1b3d5f8'
down_revision: str | None = 'f2b4d6a8c0e1'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _outcomes(*values: str) -> None:
    listed = ", ".join(f"'{v}'" for v in values)
    with op.batch_alter_table('challenges', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_challenges_outcome'), type_='check')
        batch_op.create_check_constraint(op.f('ck_challenges_outcome'), f"outcome IN ({listed})")


def upgrade() -> None:
    _outcomes('upheld', 'rejected', 'moot')


def downgrade() -> None:
    op.execute("UPDATE challenges SET outcome = 'upheld' WHERE outcome = 'moot'")
    _outcomes('upheld', 'rejected')
