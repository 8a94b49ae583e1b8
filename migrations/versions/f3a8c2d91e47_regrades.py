"""regrades (the history of regrading a teacher's question after an edit) and
mark_changes.regrade_id (which regrade a change was part of)

Revision ID: f3a8c2d91e47
Revises: 9d4f2b7e6a31
Create Date: 2026-12-03 18:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f3a8c2d91e47'
down_revision = '9d4f2b7e6a31'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'regrades',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('question_id', sa.Integer(), nullable=False),
        sa.Column('version_id', sa.Integer(), nullable=False),
        sa.Column('teacher_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('replaced_manual', sa.Boolean(), nullable=False),
        sa.Column('changed', sa.Integer(), nullable=False),
        sa.Column('unchanged', sa.Integer(), nullable=False),
        sa.Column('kept_manual', sa.Integer(), nullable=False),
        sa.Column('cannot', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['question_id'], ['teacher_questions.id']),
        sa.ForeignKeyConstraint(['version_id'], ['question_versions.id']),
        sa.ForeignKeyConstraint(['teacher_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('regrades', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_regrades_question_id'), ['question_id'], unique=False)

    with op.batch_alter_table('mark_changes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('regrade_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_mark_changes_regrade_id'), ['regrade_id'], unique=False)
        batch_op.create_foreign_key(
            'fk_mark_changes_regrade_id_regrades', 'regrades', ['regrade_id'], ['id']
        )


def downgrade():
    with op.batch_alter_table('mark_changes', schema=None) as batch_op:
        batch_op.drop_constraint('fk_mark_changes_regrade_id_regrades', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_mark_changes_regrade_id'))
        batch_op.drop_column('regrade_id')

    with op.batch_alter_table('regrades', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_regrades_question_id'))
    op.drop_table('regrades')
