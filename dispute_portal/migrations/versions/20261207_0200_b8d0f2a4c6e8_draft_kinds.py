"""a tribunal of three deliberates on a consent award and a decision on costs too

Every decision of a tribunal of three is made by a majority of its members: the drafts the
chair puts to it are now of a kind (the award, an award embodying the parties' settlement, a
decision on costs). Drafts made before are drafts of the award. Going down, the other kinds'
drafts are removed with their approvals: their rulings, once issued, stay in the case's
record.

Revision ID: b8d0f2a4c6e8
Revises: a7c9e1b3d5f8
Create Date: 2026-12-07 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'b8d0f2a4c6e8'
down_revision: str | None = 'a7c9e1b3d5f8'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = ('award', 'consent_award', 'costs_decision')


def upgrade() -> None:
    with op.batch_alter_table('award_drafts', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'kind',
                sa.Enum(*KINDS, name='draft_kind', native_enum=False, create_constraint=True,
                        length=14),
                nullable=False,
                server_default='award',
            )
        )  # fmt: skip
    with op.batch_alter_table('award_drafts', schema=None) as batch_op:
        batch_op.alter_column('kind', server_default=None)


def downgrade() -> None:
    op.execute("DELETE FROM award_drafts WHERE kind <> 'award'")
    with op.batch_alter_table('award_drafts', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_award_drafts_draft_kind'), type_='check')
        batch_op.drop_column('kind')
