"""each side's consent to the publication of the decisions

A party states whether the award and the tribunal's other decisions may be published: the
claimant in its claim, the respondent's representative as it joins; either changes it until
the award (publication/consent.py). Cases filed before have no answer: no consent.

Revision ID: a1c3e5f7b9d2
Revises: f0b2d4e6a8c1
Create Date: 2026-12-07 20:09:33.142117
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = 'a1c3e5f7b9d2'
down_revision: str | None = 'f0b2d4e6a8c1'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('parties', schema=None) as batch_op:
        batch_op.add_column(sa.Column('publication_consent', sa.Enum('given', 'refused', name='consent', native_enum=False, create_constraint=True), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('parties', schema=None) as batch_op:
        # SQLite's copy of the table would keep the CHECK on the column it drops.
        batch_op.drop_constraint(op.f('ck_parties_consent'), type_='check')
        batch_op.drop_column('publication_consent')

