"""OAuth 2.0 clients of government systems and their access tokens (digests only)

Revision ID: f2a4c6e8b0d3
Revises: e9f1b3d5a7c2
Create Date: 2026-12-08 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = 'f2a4c6e8b0d3'
down_revision: str | None = 'e9f1b3d5a7c2'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('oauth_clients',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('client_id', sa.String(length=40), nullable=False),
    sa.Column('secret_digest', sa.String(length=64), nullable=False),
    sa.Column('scope', sa.Enum('read', 'read_write', name='oauth_client_scope', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('acts_for_id', sa.Integer(), nullable=False),
    sa.Column('respondent', sa.String(length=300), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['acts_for_id'], ['users.id'], name=op.f('fk_oauth_clients_acts_for_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_oauth_clients')),
    sa.UniqueConstraint('client_id', name=op.f('uq_oauth_clients_client_id'))
    )
    with op.batch_alter_table('oauth_clients', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_oauth_clients_acts_for_id'), ['acts_for_id'], unique=False)

    op.create_table('oauth_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('scope', sa.Enum('read', 'read_write', name='oauth_token_scope', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['oauth_clients.id'], name=op.f('fk_oauth_tokens_client_id_oauth_clients'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_oauth_tokens')),
    sa.UniqueConstraint('digest', name=op.f('uq_oauth_tokens_digest'))
    )
    with op.batch_alter_table('oauth_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_oauth_tokens_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_oauth_tokens_expires_at'), ['expires_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('oauth_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_oauth_tokens_expires_at'))
        batch_op.drop_index(batch_op.f('ix_oauth_tokens_client_id'))

    op.drop_table('oauth_tokens')
    with op.batch_alter_table('oauth_clients', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_oauth_clients_acts_for_id'))

    op.drop_table('oauth_clients')
