"""provisional measures, third-party funding disclosures (with the neutrals'
re-confirmations of their declarations) and non-disputing parties' applications

Revision ID: e4a6c8e0f2b5
Revises: d3f5b7c9e1a4
Create Date: 2026-12-07 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e4a6c8e0f2b5"
down_revision: str | None = "d3f5b7c9e1a4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "funding_disclosures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column(
            "side",
            sa.Enum(
                "claimant", "respondent", name="side", native_enum=False, create_constraint=True
            ),
            nullable=False,
        ),
        sa.Column("funder_name", sa.String(length=300), nullable=False),
        sa.Column("funder_address", sa.Text(), nullable=False),
        sa.Column("disclosed_by_id", sa.Integer(), nullable=False),
        sa.Column("disclosed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("replaces_id", sa.Integer(), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "ending",
            sa.Enum(
                "updated",
                "withdrawn",
                name="funding_ending",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.CheckConstraint(
            "(ended_at IS NULL) = (ending IS NULL)", name=op.f("ck_funding_disclosures_ended_how")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_funding_disclosures_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["disclosed_by_id"],
            ["users.id"],
            name=op.f("fk_funding_disclosures_disclosed_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["replaces_id"],
            ["funding_disclosures.id"],
            name=op.f("fk_funding_disclosures_replaces_id_funding_disclosures"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_funding_disclosures")),
    )
    with op.batch_alter_table("funding_disclosures", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_funding_disclosures_case_id"), ["case_id"], unique=False
        )

    op.create_table(
        "provisional_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column(
            "side",
            sa.Enum(
                "claimant", "respondent", name="side", native_enum=False, create_constraint=True
            ),
            nullable=False,
        ),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("measures", sa.Text(), nullable=False),
        sa.Column("grounds", sa.Text(), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("observations", sa.Text(), nullable=True),
        sa.Column("observed_by_id", sa.Integer(), nullable=True),
        sa.Column("observed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "outcome",
            sa.Enum(
                "granted",
                "partly_granted",
                "refused",
                name="pm_outcome",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "(observations IS NULL) = (observed_at IS NULL)",
            name=op.f("ck_provisional_requests_observed_when"),
        ),
        sa.CheckConstraint(
            "(outcome IS NULL) = (decided_at IS NULL)",
            name=op.f("ck_provisional_requests_decided_with_outcome"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_provisional_requests_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["observed_by_id"],
            ["users.id"],
            name=op.f("fk_provisional_requests_observed_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["users.id"],
            name=op.f("fk_provisional_requests_requested_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provisional_requests")),
    )
    with op.batch_alter_table("provisional_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_provisional_requests_case_id"), ["case_id"], unique=False
        )

    op.create_table(
        "declaration_reconfirmations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("appointment_id", sa.Integer(), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["appointment_id"],
            ["appointments.id"],
            name=op.f("fk_declaration_reconfirmations_appointment_id_appointments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_declaration_reconfirmations_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_declaration_reconfirmations")),
    )
    with op.batch_alter_table("declaration_reconfirmations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_declaration_reconfirmations_appointment_id"),
            ["appointment_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_declaration_reconfirmations_case_id"), ["case_id"], unique=False
        )

    op.create_table(
        "non_disputing_applications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("applicant_name", sa.String(length=300), nullable=False),
        sa.Column(
            "applicant_kind",
            sa.Enum(
                "person",
                "organisation",
                "state",
                name="ndp_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("interest", sa.Text(), nullable=False),
        sa.Column(
            "received_by",
            sa.Enum(
                "email",
                "post",
                "hand",
                name="ndp_received",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimant_observations", sa.Text(), nullable=True),
        sa.Column("claimant_observed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("respondent_observations", sa.Text(), nullable=True),
        sa.Column("respondent_observed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "decision",
            sa.Enum(
                "granted", "refused", name="ndp_decision", native_enum=False, create_constraint=True
            ),
            nullable=True,
        ),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "(claimant_observations IS NULL) = (claimant_observed_at IS NULL)",
            name=op.f("ck_non_disputing_applications_claimant_observed_when"),
        ),
        sa.CheckConstraint(
            "(decision IS NULL) = (decided_at IS NULL)",
            name=op.f("ck_non_disputing_applications_decided_when"),
        ),
        sa.CheckConstraint(
            "(respondent_observations IS NULL) = (respondent_observed_at IS NULL)",
            name=op.f("ck_non_disputing_applications_respondent_observed_when"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_non_disputing_applications_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_non_disputing_applications_document_id_documents"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_non_disputing_applications_recorded_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_non_disputing_applications")),
    )
    with op.batch_alter_table("non_disputing_applications", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_non_disputing_applications_case_id"), ["case_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("non_disputing_applications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_non_disputing_applications_case_id"))

    op.drop_table("non_disputing_applications")
    with op.batch_alter_table("declaration_reconfirmations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_declaration_reconfirmations_case_id"))
        batch_op.drop_index(batch_op.f("ix_declaration_reconfirmations_appointment_id"))

    op.drop_table("declaration_reconfirmations")
    with op.batch_alter_table("provisional_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_provisional_requests_case_id"))

    op.drop_table("provisional_requests")
    with op.batch_alter_table("funding_disclosures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_funding_disclosures_case_id"))

    op.drop_table("funding_disclosures")
