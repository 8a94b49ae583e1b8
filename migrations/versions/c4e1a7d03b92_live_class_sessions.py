"""live_sessions, live_steps, live_participants: live class sessions (issue 14)

Revision ID: c4e1a7d03b92
Revises: e13a7f2c5d01
Create Date: 2026-12-03 14:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4e1a7d03b92'
down_revision = 'e13a7f2c5d01'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'live_sessions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('classroom_id', sa.Integer(), nullable=False),
        sa.Column('assignment_id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=6), nullable=False),
        sa.Column('questions', sa.JSON(), nullable=False),
        sa.Column('version_ids', sa.JSON(), nullable=False),
        sa.Column('question_count', sa.Integer(), nullable=False),
        sa.Column('seconds_per_question', sa.Integer(), nullable=True),
        sa.Column('speed_points', sa.Boolean(), nullable=False),
        sa.Column('show_top_five', sa.Boolean(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('results_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_action_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['assignment_id'], ['assignments.id']),
        sa.ForeignKeyConstraint(['classroom_id'], ['classrooms.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('assignment_id'),
    )
    with op.batch_alter_table('live_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_live_sessions_classroom_id'), ['classroom_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_live_sessions_code'), ['code'], unique=False)

    op.create_table(
        'live_steps',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('session_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['session_id'], ['live_sessions.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('session_id', 'position'),
    )
    with op.batch_alter_table('live_steps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_live_steps_session_id'), ['session_id'], unique=False)

    op.create_table(
        'live_participants',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('session_id', sa.Integer(), nullable=False),
        sa.Column('student_id', sa.Integer(), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('joined_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['round_id'], ['rounds.id']),
        sa.ForeignKeyConstraint(['session_id'], ['live_sessions.id']),
        sa.ForeignKeyConstraint(['student_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('round_id'),
        sa.UniqueConstraint('session_id', 'student_id'),
    )
    with op.batch_alter_table('live_participants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_live_participants_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_live_participants_student_id'), ['student_id'], unique=False)


def downgrade():
    op.drop_table('live_participants')
    op.drop_table('live_steps')
    op.drop_table('live_sessions')
