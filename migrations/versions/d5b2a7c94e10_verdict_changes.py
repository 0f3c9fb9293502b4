"""verdict changes: when each loket started or stopped meeting the criteria

Revision ID: d5b2a7c94e10
Revises: c3e81f0a9d42
Create Date: 2026-12-02 00:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd5b2a7c94e10'
down_revision = 'c3e81f0a9d42'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'verdict_changes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('loket_id', sa.Integer(), nullable=False),
        sa.Column('voldoet', sa.Boolean(), nullable=False),
        sa.Column('changed_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['loket_id'], ['loketten.id'], name=op.f('fk_verdict_changes_loket_id_loketten'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_verdict_changes')),
    )
    with op.batch_alter_table('verdict_changes', schema=None) as batch_op:
        batch_op.create_index('ix_verdict_changes_loket_changed', ['loket_id', 'changed_at'], unique=False)


def downgrade():
    with op.batch_alter_table('verdict_changes', schema=None) as batch_op:
        batch_op.drop_index('ix_verdict_changes_loket_changed')
    op.drop_table('verdict_changes')
