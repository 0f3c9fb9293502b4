"""criteria corrections: every correction kept (who, when, what changed) instead of only the latest

Revision ID: c3e81f0a9d42
Revises: a41c9e07d2b3
Create Date: 2026-12-02 00:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3e81f0a9d42'
down_revision = 'a41c9e07d2b3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'criteria_corrections',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('criteria_set_id', sa.Integer(), nullable=False),
        sa.Column('corrected_at', sa.DateTime(), nullable=False),
        sa.Column('corrected_by_id', sa.Integer(), nullable=True),
        sa.Column('changes', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['corrected_by_id'], ['users.id'],
                                name=op.f('fk_criteria_corrections_corrected_by_id_users')),
        sa.ForeignKeyConstraint(['criteria_set_id'], ['criteria_sets.id'],
                                name=op.f('fk_criteria_corrections_criteria_set_id_criteria_sets'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_criteria_corrections')),
    )
    with op.batch_alter_table('criteria_corrections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_criteria_corrections_criteria_set_id'), ['criteria_set_id'],
                              unique=False)
    # The latest correction recorded so far becomes the first entry of its history (what it changed is unknown).
    op.execute("INSERT INTO criteria_corrections (criteria_set_id, corrected_at, corrected_by_id, changes) "
               "SELECT id, corrected_at, corrected_by_id, '[]' FROM criteria_sets WHERE corrected_at IS NOT NULL")
    with op.batch_alter_table('criteria_sets', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_criteria_sets_corrected_by_id_users'), type_='foreignkey')
        batch_op.drop_column('corrected_by_id')
        batch_op.drop_column('corrected_at')


def downgrade():
    with op.batch_alter_table('criteria_sets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('corrected_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('corrected_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_criteria_sets_corrected_by_id_users'), 'users',
                                    ['corrected_by_id'], ['id'])
    op.execute("UPDATE criteria_sets SET corrected_at = (SELECT max(corrected_at) FROM criteria_corrections c "
               "WHERE c.criteria_set_id = criteria_sets.id)")
    op.execute("UPDATE criteria_sets SET corrected_by_id = (SELECT c.corrected_by_id FROM criteria_corrections c "
               "WHERE c.criteria_set_id = criteria_sets.id ORDER BY c.id DESC LIMIT 1)")
    with op.batch_alter_table('criteria_corrections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_criteria_corrections_criteria_set_id'))
    op.drop_table('criteria_corrections')
