"""rule set version 2: the time limits of challenges, objections, provisional measures,
discontinuance and the other incidents of real proceedings

Version 1 stays as it is: a case registered under it keeps its limits, and the new kinds of
deadline (which version 1 does not name) run by version 2's (deadlines.rules.with_defaults).

Revision ID: e1a3c5e7f9b2
Revises: d7f9b1c3e5a7
Create Date: 2026-12-06 23:00:00
"""

import datetime
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from dispute_portal.deadlines.rules import RULES_V2

revision: str = "e1a3c5e7f9b2"
down_revision: str | None = "d7f9b1c3e5a7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RULE_SETS = sa.table(
    "rule_sets",
    sa.column("version", sa.Integer),
    sa.column("name", sa.String),
    sa.column("rules", sa.JSON),
    sa.column("created_at", sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    # An installation whose admin already published a version 2 gets this one after it.
    bind = op.get_bind()
    newest = bind.execute(sa.select(sa.func.max(RULE_SETS.c.version))).scalar() or 0
    op.bulk_insert(
        RULE_SETS,
        [
            {
                "version": newest + 1,
                "name": "Rules of the Centre, 2026 (with the incidents of proceedings)",
                "rules": RULES_V2,
                "created_at": datetime.datetime(2026, 12, 6, tzinfo=datetime.UTC),
            }
        ],
    )


def downgrade() -> None:
    # Cases registered under the version (and their deadlines) move back to the one before.
    bind = op.get_bind()
    name = "Rules of the Centre, 2026 (with the incidents of proceedings)"
    version = bind.execute(sa.select(RULE_SETS.c.version).where(RULE_SETS.c.name == name)).scalar()
    if version is None:
        return
    for table in ("cases", "deadlines"):
        column = "rule_set_version" if table == "cases" else "rule_version"
        bind.execute(
            sa.text(f"UPDATE {table} SET {column} = :before WHERE {column} = :version"),
            {"before": version - 1, "version": version},
        )
    bind.execute(sa.delete(RULE_SETS).where(RULE_SETS.c.version == version))
