"""assignment_overrides: a teacher's extra time, extra attempts and later close for one student

Revision ID: b8d2f4a61c37
Revises: 7c3e9a4d2f16
Create Date: 2026-12-03 15:15:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b8d2f4a61c37'
down_revision = '7c3e9a4d2f16'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'assignment_overrides',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('assignment_id', sa.Integer(), nullable=False),
        sa.Column('student_id', sa.Integer(), nullable=False),
        sa.Column('extra_minutes', sa.Integer(), nullable=False),
        sa.Column('extra_attempts', sa.Integer(), nullable=False),
        sa.Column('closes_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['assignment_id'], ['assignments.id']),
        sa.ForeignKeyConstraint(['student_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('assignment_id', 'student_id'),
    )
    with op.batch_alter_table('assignment_overrides', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_assignment_overrides_assignment_id'), ['assignment_id'], unique=False
        )
        batch_op.create_index(
            batch_op.f('ix_assignment_overrides_student_id'), ['student_id'], unique=False
        )


def downgrade():
    with op.batch_alter_table('assignment_overrides', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignment_overrides_student_id'))
        batch_op.drop_index(batch_op.f('ix_assignment_overrides_assignment_id'))
    op.drop_table('assignment_overrides')
