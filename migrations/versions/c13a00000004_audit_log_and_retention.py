"""audit log; contacts removed by anonymising; retention marks on requests and outbox rows

Revision ID: c13a00000004
Revises: c13a00000003
Create Date: 2026-12-02 14:40:00

"""
from alembic import op
import sqlalchemy as sa

# Written out so the migration stays what it was when the model's lists change again.
ACTIONS = ("'login', 'login_failed', 'logout', 'permission_denied', 'role_granted', 'role_removed', "
           "'request_read', 'export', 'erasure', 'retention'")
SUBJECTS = "'user', 'request', 'email', 'route', 'system'"

# revision identifiers, used by Alembic.
revision = 'c13a00000004'
down_revision = 'c13a00000003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('subject_kind', sa.String(length=10), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=True),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('client_address', sa.String(length=45), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.CheckConstraint(f"action IN ({ACTIONS})", name=op.f('ck_audit_log_action_choice')),
    sa.CheckConstraint(f"subject_kind IN ({SUBJECTS})", name=op.f('ck_audit_log_subject_kind_choice')),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_log_actor_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index('ix_audit_log_action_id', ['action', 'id'], unique=False)
        batch_op.create_index('ix_audit_log_actor_id', ['actor_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)
        batch_op.create_index('ix_audit_log_subject', ['subject_kind', 'subject_id', 'id'], unique=False)

    with op.batch_alter_table('club_contacts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('removed_at', sa.DateTime(), nullable=True))

    with op.batch_alter_table('support_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('anonymised_at', sa.DateTime(), nullable=True))
        batch_op.create_index('ix_support_requests_requester', ['requester_id'], unique=False)
        batch_op.create_index('ix_support_requests_retention', ['anonymised_at', 'closed_at'], unique=False)

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index('ix_events_actor', ['actor_id', 'id'], unique=False)

    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('anonymised_at', sa.DateTime(), nullable=True))
        batch_op.create_index('ix_outbox_retention', ['anonymised_at', 'created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_retention')
        batch_op.drop_column('anonymised_at')

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_actor')

    with op.batch_alter_table('support_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_support_requests_retention')
        batch_op.drop_index('ix_support_requests_requester')
        batch_op.drop_column('anonymised_at')

    # The older schema has no tombstones: a removed contact is gone there (it holds no personal data anyway).
    op.execute("DELETE FROM club_contacts WHERE removed_at IS NOT NULL")
    with op.batch_alter_table('club_contacts', schema=None) as batch_op:
        batch_op.drop_column('removed_at')

    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_subject')
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))
        batch_op.drop_index('ix_audit_log_actor_id')
        batch_op.drop_index('ix_audit_log_action_id')

    op.drop_table('audit_log')
