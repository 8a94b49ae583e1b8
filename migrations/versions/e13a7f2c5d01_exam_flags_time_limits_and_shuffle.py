"""round_items.flagged (a question flagged to come back to), assignments.time_limit_minutes
and assignments.shuffle (existing assignments: no limit, no shuffle)

Revision ID: e13a7f2c5d01
Revises: 5b7e2c1a9f40
Create Date: 2026-12-03 13:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e13a7f2c5d01'
down_revision = '5b7e2c1a9f40'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('time_limit_minutes', sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column('shuffle', sa.Boolean(), nullable=False, server_default=sa.false())
        )

    with op.batch_alter_table('round_items', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('flagged', sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade():
    with op.batch_alter_table('round_items', schema=None) as batch_op:
        batch_op.drop_column('flagged')

    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_column('shuffle')
        batch_op.drop_column('time_limit_minutes')
