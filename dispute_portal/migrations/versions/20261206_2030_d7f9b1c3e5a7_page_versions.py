"""the page cache's data version: one row whose token every writing commit replaces

The row is written by the first commit that writes (until then no page is kept), so a new
installation has no row here and a restore meets an empty table.

Revision ID: d7f9b1c3e5a7
Revises: c5e7a9b1d3f5
Create Date: 2026-12-06 20:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d7f9b1c3e5a7"
down_revision: str | None = "c5e7a9b1d3f5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "page_versions",
        sa.Column("name", sa.String(length=20), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_page_versions")),
    )


def downgrade() -> None:
    op.drop_table("page_versions")
