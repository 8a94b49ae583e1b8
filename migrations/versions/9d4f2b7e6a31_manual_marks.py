"""answers.graded_score, marked_by and mark_comment (a teacher's manual mark), and
mark_changes (the history of every change of an answer's mark)

Revision ID: 9d4f2b7e6a31
Revises: b8d2f4a61c37
Create Date: 2026-12-03 18:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9d4f2b7e6a31'
down_revision = 'b8d2f4a61c37'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('graded_score', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('marked_by', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('mark_comment', sa.Text(), nullable=True))
        batch_op.create_foreign_key('fk_answers_marked_by_users', 'users', ['marked_by'], ['id'])

    op.create_table(
        'mark_changes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('answer_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('old_score', sa.Float(), nullable=False),
        sa.Column('new_score', sa.Float(), nullable=False),
        sa.Column('comment', sa.Text(), nullable=False),
        sa.Column('changed_by', sa.Integer(), nullable=False),
        sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['answer_id'], ['answers.id']),
        sa.ForeignKeyConstraint(['changed_by'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('mark_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mark_changes_answer_id'), ['answer_id'], unique=False)


def downgrade():
    with op.batch_alter_table('mark_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mark_changes_answer_id'))
    op.drop_table('mark_changes')

    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.drop_constraint('fk_answers_marked_by_users', type_='foreignkey')
        batch_op.drop_column('mark_comment')
        batch_op.drop_column('marked_by')
        batch_op.drop_column('graded_score')
