"""a case may end without an award: the state "discontinued"

A proceeding discontinued (by agreement of the parties, at one party's request, or for
failure to act) ends in a state of its own. Only a registered case can be discontinued, so
a discontinued case carries its number. The column grows by one character ("discontinued"
is the longest state). Going down, a discontinued case reads as withdrawn, the nearest
ending the older schema knows; its trail still says what happened.

Revision ID: a4c6e8f0b2d5
Revises: f2b4d6e8a0c1
Create Date: 2026-12-07 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = 'a4c6e8f0b2d5'
down_revision: str | None = 'f2b4d6e8a0c1'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATES = (
    "draft", "submitted", "returned", "registered", "mediation", "settled", "impasse",
    "arbitration", "awarded", "dismissed", "withdrawn", "closed",
)
NUMBERED = ("arbitration", "awarded", "impasse", "mediation", "registered", "settled")


def _quoted(values: Sequence[str]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def _constraints(states: Sequence[str], numbered: Sequence[str], length: int) -> None:
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_cases_state'), type_='check')
        batch_op.drop_constraint(op.f('ck_cases_numbered'), type_='check')
        batch_op.alter_column(
            'state', existing_type=sa.String(), type_=sa.String(length), existing_nullable=False
        )
        batch_op.create_check_constraint(op.f('ck_cases_state'), f"state IN ({_quoted(states)})")
        batch_op.create_check_constraint(
            op.f('ck_cases_numbered'),
            f"state NOT IN ({_quoted(numbered)}) OR number IS NOT NULL",
        )


def upgrade() -> None:
    _constraints(
        (*STATES[:-1], "discontinued", STATES[-1]),
        sorted((*NUMBERED, "discontinued")),
        12,
    )


def downgrade() -> None:
    op.execute("UPDATE cases SET state = 'withdrawn' WHERE state = 'discontinued'")
    _constraints(STATES, NUMBERED, 11)
