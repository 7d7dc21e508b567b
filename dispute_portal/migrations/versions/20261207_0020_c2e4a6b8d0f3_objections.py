"""preliminary objections and the pleadings of the written phase

Each objection (manifest lack of legal merit, or to jurisdiction with its request for
bifurcation) is a row of its own; a submission may be a pleading (memorial, counter-memorial,
reply, rejoinder), filed by the act that meets its deadline.

The audit trail records every act on an objection and every pleading filed, so going up
after a downgrade makes the objections and the pleadings' kinds again from it (nothing is
lost by a downgrade and an upgrade).

Revision ID: c2e4a6b8d0f3
Revises: b1d3f5a7c9e2
Create Date: 2026-12-06 23:02:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from dispute_portal.clock import ALMATY
from dispute_portal.db import UTCDateTime

revision: str = "c2e4a6b8d0f3"
down_revision: str | None = "b1d3f5a7c9e2"
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
    _from_the_trail()


EVENTS = sa.table(
    "case_events",
    sa.column("id", sa.Integer),
    sa.column("case_id", sa.Integer),
    sa.column("action", sa.String),
    sa.column("actor_id", sa.Integer),
    sa.column("at", UTCDateTime),
    sa.column("note", sa.Text),
    sa.column("data", sa.JSON),
)
OBJECTIONS = sa.table(
    "objections",
    sa.column("case_id", sa.Integer),
    sa.column("ground", sa.String),
    sa.column("side", sa.String),
    sa.column("filed_by_id", sa.Integer),
    sa.column("filed_at", UTCDateTime),
    sa.column("grounds", sa.Text),
    sa.column("bifurcation", sa.String),
    sa.column("last_submission_on", sa.Date),
    sa.column("outcome", sa.String),
    sa.column("decided_at", UTCDateTime),
)
SUBMISSIONS = sa.table(
    "submissions",
    sa.column("id", sa.Integer),
    sa.column("case_id", sa.Integer),
    sa.column("side", sa.String),
    sa.column("title", sa.String),
    sa.column("pleading", sa.String),
)
PLEADINGS = ("memorial", "counter_memorial", "reply", "rejoinder")
OUTCOMES = {
    "uphold_merit_objection": "upheld",
    "reject_merit_objection": "rejected",
    "decline_jurisdiction": "upheld",
    "uphold_jurisdiction": "rejected",
    "join_objection": "joined",
}
ACTS = (
    "object_merit",
    "object_jurisdiction",
    "request_bifurcation",
    "decide_bifurcation",
    "close_merit_objection",
    "close_jurisdiction_objection",
    *OUTCOMES,
    *(f"file_{key}" for key in PLEADINGS),
)


def _from_the_trail() -> None:
    """The objections, and which submissions are pleadings, as the trail records them."""
    bind = op.get_bind()
    events = bind.execute(
        sa.select(EVENTS).where(EVENTS.c.action.in_(ACTS)).order_by(EVENTS.c.at, EVENTS.c.id)
    ).all()
    made: list[dict[str, object]] = []
    latest: dict[tuple[int, str], dict[str, object]] = {}
    for event in events:
        data = event.data or {}
        if event.action.startswith("file_"):
            _mark_pleading(bind, event, event.action.removeprefix("file_"), data)
            continue
        ground = "merit" if "merit" in event.action else "jurisdiction"
        if event.action.startswith("object_"):
            if event.actor_id is None:
                continue  # its author's account is gone: the trail keeps it
            latest[(event.case_id, ground)] = objection = {
                "case_id": event.case_id, "ground": ground,
                "side": data.get("side") or "respondent", "filed_by_id": event.actor_id,
                "filed_at": event.at, "grounds": event.note or "", "bifurcation": None,
                "last_submission_on": None, "outcome": None, "decided_at": None,
            }  # fmt: skip
            made.append(objection)
            continue
        objection = latest.get((event.case_id, ground))
        if objection is None:
            continue
        if event.action == "request_bifurcation":
            objection["bifurcation"] = "requested"
        elif event.action == "decide_bifurcation" and data.get("granted"):
            objection["bifurcation"] = "granted"
        elif event.action == "decide_bifurcation":
            objection.update(bifurcation="refused", outcome="joined", decided_at=event.at)
        elif event.action.startswith("close_"):
            objection["last_submission_on"] = event.at.astimezone(ALMATY).date()
        else:
            objection.update(outcome=OUTCOMES[event.action], decided_at=event.at)
    if made:
        op.bulk_insert(OBJECTIONS, made)


def _mark_pleading(bind: sa.Connection, event: sa.Row, pleading: str, data: dict) -> None:
    if pleading not in PLEADINGS:
        return
    first = bind.execute(
        sa.select(SUBMISSIONS.c.id)
        .where(
            SUBMISSIONS.c.case_id == event.case_id,
            SUBMISSIONS.c.side == data.get("side"),
            SUBMISSIONS.c.title == data.get("title"),
            SUBMISSIONS.c.pleading.is_(None),
        )
        .order_by(SUBMISSIONS.c.id)
        .limit(1)
    ).scalar()
    if first is not None:
        bind.execute(
            SUBMISSIONS.update().where(SUBMISSIONS.c.id == first).values(pleading=pleading)
        )


def downgrade() -> None:
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_submissions_pleading"), type_="check")
        batch_op.drop_column("pleading")

    with op.batch_alter_table("objections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_objections_case_id"))

    op.drop_table("objections")
