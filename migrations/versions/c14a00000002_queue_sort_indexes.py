"""the queue's other orders: a team's requests by filing time and by last activity

Revision ID: c14a00000002
Revises: c14a00000001
Create Date: 2026-12-03
"""
from alembic import op

revision = 'c14a00000002'
down_revision = 'c14a00000001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_support_requests_team_created", "support_requests", ["owner_team_id", "created_at"])
    op.create_index("ix_support_requests_team_updated", "support_requests", ["owner_team_id", "updated_at"])


def downgrade():
    op.drop_index("ix_support_requests_team_updated", table_name="support_requests")
    op.drop_index("ix_support_requests_team_created", table_name="support_requests")
