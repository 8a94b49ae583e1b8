"""assignments.due_at (attempts finished after it are late) and rounds.is_review (mistake review)

Revision ID: 5b7e2c1a9f40
Revises: d72c4489c818
Create Date: 2026-11-25 21:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b7e2c1a9f40'
down_revision = 'd72c4489c818'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('due_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('is_review', sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade():
    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.drop_column('is_review')

    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_column('due_at')
