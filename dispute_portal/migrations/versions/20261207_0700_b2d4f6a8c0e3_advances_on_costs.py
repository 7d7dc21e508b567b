"""advances on costs; rule set version 3 (the case account's time limits)

The registry's requests for an advance on costs, each side's share an invoice of its own
(invoices.advance_id). Rule set version 3 adds the time limits of the case account: the
advance's payment, the payment in substitution, and how long a suspension for non-payment
lasts before the case may be discontinued. Versions 1 and 2 stay as they are; a case under
them runs these new limits by version 3's (deadlines.rules.with_defaults).

Revision ID: b2d4f6a8c0e3
Revises: f5b7d9e1a3c6
Create Date: 2026-12-07 14:37:22
"""

import datetime
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from dispute_portal.deadlines.rules import RULES_V3

revision: str = 'b2d4f6a8c0e3'
down_revision: str | None = 'f5b7d9e1a3c6'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RULE_SETS = sa.table(
    "rule_sets",
    sa.column("version", sa.Integer),
    sa.column("name", sa.String),
    sa.column("rules", sa.JSON),
    sa.column("created_at", sa.DateTime(timezone=True)),
)
NAME = "Rules of the Centre, 2026 (with the case account)"


def upgrade() -> None:
    op.create_table('advance_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.Enum('mediation', 'tribunal', 'further', name='advance_stage', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('currency', sa.Enum('KZT', 'USD', 'EUR', 'CNY', name='advance_cur', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('amount', sa.Numeric(precision=20, scale=2), nullable=False),
    sa.Column('claimant_share', sa.Numeric(precision=20, scale=2), nullable=False),
    sa.Column('respondent_share', sa.Numeric(precision=20, scale=2), nullable=False),
    sa.Column('split_reason', sa.Text(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('amount > 0', name=op.f('ck_advance_requests_amount_positive')),
    sa.CheckConstraint('claimant_share >= 0 AND respondent_share >= 0 AND round((claimant_share + respondent_share - amount) * 100) = 0', name=op.f('ck_advance_requests_shares_add_up')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_advance_requests_case_id_cases')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_advance_requests_requested_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_advance_requests'))
    )
    with op.batch_alter_table('advance_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_advance_requests_case_id'), ['case_id'], unique=False)

    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('advance_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_invoices_advance_id'), ['advance_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_invoices_advance_id_advance_requests'), 'advance_requests', ['advance_id'], ['id'])

    # After the newest version, whatever the admin published before.
    bind = op.get_bind()
    newest = bind.execute(sa.select(sa.func.max(RULE_SETS.c.version))).scalar() or 0
    op.bulk_insert(
        RULE_SETS,
        [
            {
                "version": newest + 1,
                "name": NAME,
                "rules": RULES_V3,
                "created_at": datetime.datetime(2026, 12, 7, tzinfo=datetime.UTC),
            }
        ],
    )


def downgrade() -> None:
    # Cases registered under version 3 (and their deadlines) move back to the one before.
    bind = op.get_bind()
    version = bind.execute(sa.select(RULE_SETS.c.version).where(RULE_SETS.c.name == NAME)).scalar()
    if version is not None:
        for table, column in (("cases", "rule_set_version"), ("deadlines", "rule_version")):
            bind.execute(
                sa.text(f"UPDATE {table} SET {column} = :before WHERE {column} = :version"),
                {"before": version - 1, "version": version},
            )
        bind.execute(sa.delete(RULE_SETS).where(RULE_SETS.c.version == version))
    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_invoices_advance_id_advance_requests'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_invoices_advance_id'))
        batch_op.drop_column('advance_id')

    with op.batch_alter_table('advance_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_advance_requests_case_id'))

    op.drop_table('advance_requests')
