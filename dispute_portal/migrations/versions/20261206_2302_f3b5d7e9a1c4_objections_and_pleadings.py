"""preliminary objections and the pleadings of the written phase

Each objection (manifest lack of legal merit, or to jurisdiction with its request for
bifurcation) is a row of its own; a submission may be a pleading (memorial, counter-memorial,
reply, rejoinder), filed by the act that meets its deadline.

Revision ID: f3b5d7e9a1c4
Revises: e1a3c5e7f9b2
Create Date: 2026-12-06 23:02:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f3b5d7e9a1c4"
down_revision: str | None = "e1a3c5e7f9b2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "objections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column(
            "ground",
            sa.Enum(
                "merit",
                "jurisdiction",
                name="objection_ground",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "side",
            sa.Enum(
                "claimant", "respondent", name="side", native_enum=False, create_constraint=True
            ),
            nullable=False,
        ),
        sa.Column("filed_by_id", sa.Integer(), nullable=False),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("grounds", sa.Text(), nullable=False),
        sa.Column(
            "bifurcation",
            sa.Enum(
                "requested",
                "granted",
                "refused",
                name="objection_bifurcation",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("last_submission_on", sa.Date(), nullable=True),
        sa.Column(
            "outcome",
            sa.Enum(
                "upheld",
                "rejected",
                "joined",
                name="objection_outcome",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "ground = 'jurisdiction' OR bifurcation IS NULL", name=op.f("ck_objections_bifurcation")
        ),
        sa.CheckConstraint(
            "outcome IS NULL OR decided_at IS NOT NULL", name=op.f("ck_objections_decided_at")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_objections_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["filed_by_id"], ["users.id"], name=op.f("fk_objections_filed_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_objections")),
    )
    with op.batch_alter_table("objections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_objections_case_id"), ["case_id"], unique=False)

    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pleading", sa.String(length=20), nullable=True))
        batch_op.create_check_constraint(
            op.f("ck_submissions_pleading"),
            "pleading IS NULL OR pleading IN ('memorial', 'counter_memorial', 'reply', "
            "'rejoinder')",
        )


def downgrade() -> None:
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_submissions_pleading"), type_="check")
        batch_op.drop_column("pleading")

    with op.batch_alter_table("objections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_objections_case_id"))

    op.drop_table("objections")
