"""challenges, resignations and vacancies: proposals for disqualification, the persons
each names and the other members' votes; an appointment may end (a resignation, a
disqualification), leaving its seat vacant

Revision ID: f2b4d6a8c0e1
Revises: e4a6c8e0f2b5
Create Date: 2026-12-07 00:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'f2b4d6a8c0e1'
down_revision: str | None = 'e4a6c8e0f2b5'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('challenges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('side', sa.Enum('claimant', 'respondent', name='side', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('filed_by_id', sa.Integer(), nullable=False),
    sa.Column('filed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('facts', sa.Text(), nullable=False),
    sa.Column('learned_on', sa.Date(), nullable=False),
    sa.Column('observations', sa.Text(), nullable=True),
    sa.Column('observed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('observed_by_id', sa.Integer(), nullable=True),
    sa.Column('pleadings_closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('outcome', sa.Enum('upheld', 'rejected', name='outcome', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('by_centre', sa.Boolean(), nullable=True),
    sa.CheckConstraint('decided_at IS NULL OR pleadings_closed_at IS NOT NULL', name=op.f('ck_challenges_in_order')),
    sa.CheckConstraint('outcome IS NULL OR decided_at IS NOT NULL', name=op.f('ck_challenges_decided')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_challenges_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_challenges_decided_by_id_users')),
    sa.ForeignKeyConstraint(['filed_by_id'], ['users.id'], name=op.f('fk_challenges_filed_by_id_users')),
    sa.ForeignKeyConstraint(['observed_by_id'], ['users.id'], name=op.f('fk_challenges_observed_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_challenges'))
    )
    with op.batch_alter_table('challenges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_challenges_case_id'), ['case_id'], unique=False)

    op.create_table('challenge_targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('challenge_id', sa.Integer(), nullable=False),
    sa.Column('appointment_id', sa.Integer(), nullable=False),
    sa.Column('comments', sa.Text(), nullable=True),
    sa.Column('commented_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['appointment_id'], ['appointments.id'], name=op.f('fk_challenge_targets_appointment_id_appointments')),
    sa.ForeignKeyConstraint(['challenge_id'], ['challenges.id'], name=op.f('fk_challenge_targets_challenge_id_challenges'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_challenge_targets')),
    sa.UniqueConstraint('challenge_id', 'appointment_id', name=op.f('uq_challenge_targets_challenge_id'))
    )
    with op.batch_alter_table('challenge_targets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_challenge_targets_appointment_id'), ['appointment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_challenge_targets_challenge_id'), ['challenge_id'], unique=False)

    op.create_table('challenge_votes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('challenge_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('vote', sa.Enum('uphold', 'reject', 'undecided', name='vote', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('reasons', sa.Text(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['challenge_id'], ['challenges.id'], name=op.f('fk_challenge_votes_challenge_id_challenges'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_challenge_votes_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_challenge_votes')),
    sa.UniqueConstraint('challenge_id', 'user_id', name=op.f('uq_challenge_votes_challenge_id'))
    )
    with op.batch_alter_table('challenge_votes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_challenge_votes_challenge_id'), ['challenge_id'], unique=False)

    # An appointment may end: a new status, when and why (each with its CHECK).
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('ended_reason', sa.String(length=12), nullable=True))
        batch_op.create_check_constraint(
            op.f('ck_appointments_end_reason'), "ended_reason IN ('resigned', 'disqualified')"
        )
        batch_op.drop_constraint(op.f('ck_appointments_appt_status'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_appointments_appt_status'),
            "status IN ('proposed', 'accepted', 'declined', 'ended')",
        )
        batch_op.create_check_constraint(
            op.f('ck_appointments_ended_at'), "status <> 'ended' OR ended_at IS NOT NULL"
        )


def downgrade() -> None:
    # An ended appointment had left the case: it reads as declined (off the case) again.
    op.execute("UPDATE appointments SET status = 'declined' WHERE status = 'ended'")
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_appointments_ended_at'), type_='check')
        batch_op.drop_constraint(op.f('ck_appointments_appt_status'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_appointments_appt_status'), "status IN ('proposed', 'accepted', 'declined')"
        )
        batch_op.drop_constraint(op.f('ck_appointments_end_reason'), type_='check')
        batch_op.drop_column('ended_reason')
        batch_op.drop_column('ended_at')

    with op.batch_alter_table('challenge_votes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_challenge_votes_challenge_id'))

    op.drop_table('challenge_votes')
    with op.batch_alter_table('challenge_targets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_challenge_targets_challenge_id'))
        batch_op.drop_index(batch_op.f('ix_challenge_targets_appointment_id'))

    op.drop_table('challenge_targets')
    with op.batch_alter_table('challenges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_challenges_case_id'))

    op.drop_table('challenges')
