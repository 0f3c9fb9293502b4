"""criteria sets: who corrected a version not yet in force, and when

Revision ID: a41c9e07d2b3
Revises: 6c686132b54b
Create Date: 2026-12-01 22:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a41c9e07d2b3'
down_revision = '6c686132b54b'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('criteria_sets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('corrected_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('corrected_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_criteria_sets_corrected_by_id_users'), 'users',
                                    ['corrected_by_id'], ['id'])


def downgrade():
    with op.batch_alter_table('criteria_sets', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_criteria_sets_corrected_by_id_users'), type_='foreignkey')
        batch_op.drop_column('corrected_by_id')
        batch_op.drop_column('corrected_at')
