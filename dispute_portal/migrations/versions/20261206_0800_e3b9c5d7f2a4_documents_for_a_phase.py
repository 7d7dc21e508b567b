"""a document for the neutrals is for the mediator or for the tribunal, not for both

Revision ID: e3b9c5d7f2a4
Revises: d2a8b4c6e1f3
Create Date: 2026-12-06 08:00:00

A document filed "for the mediator or tribunal" goes to the neutrals of the phase it was
filed in: the mediator's if it was uploaded before the mediation ended (the first event that
took the case out of mediation: a settlement, an impasse, a lapse, a withdrawal), or if it
never ended; the tribunal's if it was uploaded at or after that moment. The audit events
about such documents keep their "neutrals" (they are hash-chained): the policy reads them
by the document they name, or the state they were recorded in (policy.event_visibility).
Going down, both become "neutrals" again.
"""

from collections.abc import Sequence

from alembic import op


revision: str = 'e3b9c5d7f2a4'
down_revision: str | None = 'd2a8b4c6e1f3'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MEDIATION_ENDED = (
    "EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = documents.case_id "
    "AND e.from_state = 'mediation' AND e.to_state <> 'mediation' "
    "AND e.at <= documents.uploaded_at)"
)


def _check(values: str) -> None:
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_check_constraint(op.f('ck_documents_visibility'), f"visibility IN ({values})")


def _drop_check() -> None:
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_documents_visibility'), type_='check')


def upgrade() -> None:
    _drop_check()
    op.execute(
        "UPDATE documents SET visibility = CASE WHEN "  # noqa: S608 (constants only)
        f"{MEDIATION_ENDED} THEN 'tribunal' ELSE 'mediator' END WHERE visibility = 'neutrals'"
    )
    _check("'parties', 'mediator', 'tribunal', 'clerk'")


def downgrade() -> None:
    _drop_check()
    op.execute(
        "UPDATE documents SET visibility = 'neutrals' WHERE visibility IN ('mediator', 'tribunal')"
    )
    _check("'parties', 'neutrals', 'clerk'")
