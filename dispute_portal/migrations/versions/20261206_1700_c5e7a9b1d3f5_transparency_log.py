"""the transparency log: leaves, stored subtrees, checkpoints; append-only triggers

Every existing case event, security event and ruling becomes a leaf, in that order (events
by id, the security log by seq, rulings by id), hashed as the application hashes them
(integrity.models.hash_leaf, version 1). Run `flask --app wsgi audit verify` before this
migration: what the chains hold now is what the log will vouch for.

On PostgreSQL, triggers refuse UPDATE and DELETE on the append-only tables (a ruling may
only gain its printing and service dates).

Revision ID: c5e7a9b1d3f5
Revises: 0fca20f7b508
Create Date: 2026-12-06 17:00:00
"""

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from dispute_portal.integrity.merkle import Frontier
from dispute_portal.integrity.models import hash_leaf
from dispute_portal.rulings.models import LOGGED_FIELDS, ruling_record_hash

revision: str = 'c5e7a9b1d3f5'
down_revision: str | None = '0fca20f7b508'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY = ("case_events", "security_events", "log_leaves", "log_nodes", "log_checkpoints")

REFUSE = """
CREATE OR REPLACE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$
"""

RULINGS = """
CREATE OR REPLACE FUNCTION rulings_never_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE'
        OR (to_jsonb(NEW) - 'printed_at' - 'served_on')
            IS DISTINCT FROM (to_jsonb(OLD) - 'printed_at' - 'served_on')
        OR (OLD.served_on IS NOT NULL AND NEW.served_on IS DISTINCT FROM OLD.served_on)
    THEN
        RAISE EXCEPTION 'an issued ruling never changes: % refused', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$
"""


def upgrade() -> None:
    op.create_table('log_leaves',
    sa.Column('idx', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('ref', sa.BigInteger(), nullable=False),
    sa.Column('label', sa.String(length=40), nullable=False),
    sa.Column('record_hash', sa.String(length=64), nullable=False),
    sa.Column('leaf_hash', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('idx', name=op.f('pk_log_leaves'))
    )
    with op.batch_alter_table('log_leaves', schema=None) as batch_op:
        batch_op.create_index('ix_log_leaves_record', ['kind', 'case_id', 'ref'], unique=False)

    op.create_table('log_nodes',
    sa.Column('level', sa.SmallInteger(), autoincrement=False, nullable=False),
    sa.Column('idx', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('level', 'idx', name=op.f('pk_log_nodes'))
    )
    op.create_table('log_checkpoints',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('root', sa.String(length=64), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_log_checkpoints'))
    )
    with op.batch_alter_table('log_checkpoints', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_log_checkpoints_size'), ['size'], unique=False)
    with op.batch_alter_table('chain_heads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('frontier', sa.Text(), nullable=True))

    _log_existing_records()
    if op.get_bind().dialect.name == "postgresql":
        op.execute(REFUSE)
        op.execute(RULINGS)
        for name in APPEND_ONLY:
            op.execute(
                f"CREATE TRIGGER {name}_append_only BEFORE UPDATE OR DELETE ON {name} "
                "FOR EACH ROW EXECUTE FUNCTION refuse_change()"
            )
        op.execute(
            "CREATE TRIGGER rulings_append_only BEFORE UPDATE OR DELETE ON rulings "
            "FOR EACH ROW EXECUTE FUNCTION rulings_never_change()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in (*APPEND_ONLY, "rulings"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}_append_only ON {name}")
        op.execute("DROP FUNCTION IF EXISTS refuse_change()")
        op.execute("DROP FUNCTION IF EXISTS rulings_never_change()")
    op.execute("DELETE FROM chain_heads WHERE name = 'log'")
    with op.batch_alter_table('chain_heads', schema=None) as batch_op:
        batch_op.drop_column('frontier')
    with op.batch_alter_table('log_checkpoints', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_log_checkpoints_size'))

    op.drop_table('log_checkpoints')
    op.drop_table('log_nodes')
    with op.batch_alter_table('log_leaves', schema=None) as batch_op:
        batch_op.drop_index('ix_log_leaves_record')

    op.drop_table('log_leaves')


def _utc(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)  # SQLite keeps UTC without its zone
    return value


def _records(conn: sa.Connection) -> Iterator[tuple[str, int | None, int, str, str]]:
    numbers = {id_: n for id_, n in conn.execute(sa.text("SELECT id, number FROM cases"))}
    for case_id, seq, record_hash in conn.execute(
        sa.text("SELECT case_id, seq, hash FROM case_events ORDER BY id")
    ):
        yield "event", case_id, seq, numbers.get(case_id) or f"F-{case_id:06d}", record_hash
    for seq, record_hash in conn.execute(
        sa.text("SELECT seq, hash FROM security_events ORDER BY seq")
    ):
        yield "security", None, seq, "security log", record_hash
    rulings = sa.table(
        "rulings",
        *(sa.column(name) for name in LOGGED_FIELDS if name not in ("values", "issued_at")),
        sa.column("values", sa.JSON),
        sa.column("issued_at", sa.DateTime(timezone=True)),
    )
    for row in conn.execute(sa.select(rulings).order_by(rulings.c.id)):
        values = {name: _utc(value) for name, value in row._mapping.items()}
        values["signed"] = bool(values["signed"])
        code = values["verification_code"]
        label = "-".join(code[i : i + 4] for i in range(0, len(code), 4))
        yield "ruling", values["case_id"], values["id"], label, ruling_record_hash(values)


def _log_existing_records() -> None:
    conn = op.get_bind()
    tree = Frontier()
    leaves: list[dict[str, Any]] = []
    nodes: list[dict[str, Any]] = []
    now = dt.datetime.now(dt.UTC)
    if conn.dialect.name == "sqlite":
        now = now.replace(tzinfo=None)  # as the application stores it there
    leaf_table = sa.table(
        "log_leaves", *(sa.column(c) for c in ("idx", "kind", "case_id", "ref", "label",
                                               "record_hash", "leaf_hash")),
        sa.column("at", sa.DateTime(timezone=True)),
    )
    node_table = sa.table("log_nodes", sa.column("level"), sa.column("idx"), sa.column("hash"))

    def write() -> None:
        if leaves:
            conn.execute(leaf_table.insert(), leaves)
        if nodes:
            conn.execute(node_table.insert(), nodes)
        leaves.clear()
        nodes.clear()

    for kind, case_id, ref, label, record_hash in list(_records(conn)):
        leaf = hash_leaf(kind, case_id, ref, label, record_hash)
        leaves.append({"idx": tree.size, "kind": kind, "case_id": case_id, "ref": ref,
                       "label": label, "record_hash": record_hash, "leaf_hash": leaf,
                       "at": now})
        nodes.append({"level": 0, "idx": tree.size, "hash": leaf})
        made = tree.append(bytes.fromhex(leaf))
        nodes += [{"level": level, "idx": index, "hash": h.hex()} for level, index, h in made]
        if len(leaves) >= 1000:
            write()
    write()
    if tree.size:
        conn.execute(
            sa.text(
                "INSERT INTO chain_heads (name, seq, hash, frontier) "
                "VALUES ('log', :seq, :hash, :frontier)"
            ),
            {
                "seq": tree.size,
                "hash": tree.root().hex(),
                "frontier": " ".join(h.hex() for h in tree.hashes),
            },
        )
