"""the Centre's fees as data: a versioned fee schedule, and its first version

A schedule holds, per currency (KZT and USD): the lodging fee, the administrative fee on
an ad valorem scale of brackets between a minimum and a maximum, and the neutrals' hourly
and daily rates (accounts/fees.py). Version 1 is published here, as the rule sets' was.

Revision ID: d1f3b5c7e9a2
Revises: c9e1a3b5d7f9
Create Date: 2026-12-07 04:00:00
"""

import datetime
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'd1f3b5c7e9a2'
down_revision: str | None = 'c9e1a3b5d7f9'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _bracket(up_to, rate):
    return {"up_to": up_to, "rate": rate}


# Each bracket's `up_to` is where it ends (None: no end).
FIRST_SCHEDULE = {
    "KZT": {
        "lodging_fee": "150000.00",
        "administrative": {
            "mode": "scale",
            "minimum": "500000.00",
            "maximum": "75000000.00",
            "brackets": [
                _bracket("50000000.00", "0.0200"),
                _bracket("500000000.00", "0.0100"),
                _bracket("5000000000.00", "0.0050"),
                _bracket(None, "0.0010"),
            ],
        },
        "neutral_rates": {"hourly": "150000.00", "daily": "1000000.00"},
    },
    "USD": {
        "lodging_fee": "300.00",
        "administrative": {
            "mode": "scale",
            "minimum": "1000.00",
            "maximum": "150000.00",
            "brackets": [
                _bracket("100000.00", "0.0200"),
                _bracket("1000000.00", "0.0100"),
                _bracket("10000000.00", "0.0050"),
                _bracket(None, "0.0010"),
            ],
        },
        "neutral_rates": {"hourly": "300.00", "daily": "2000.00"},
    },
}


def upgrade() -> None:
    op.create_table('fee_schedules',
    sa.Column('version', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('fees', sa.JSON(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_fee_schedules_created_by_id_users')),
    sa.PrimaryKeyConstraint('version', name=op.f('pk_fee_schedules'))
    )
    schedules = sa.table(
        "fee_schedules",
        sa.column("version", sa.Integer),
        sa.column("name", sa.String),
        sa.column("fees", sa.JSON),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    op.bulk_insert(
        schedules,
        [
            {
                "version": 1,
                "name": "Schedule of fees of the Centre, 2026",
                "fees": FIRST_SCHEDULE,
                "created_at": datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
            }
        ],
    )


def downgrade() -> None:
    op.drop_table('fee_schedules')
