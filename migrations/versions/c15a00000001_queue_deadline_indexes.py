"""the queue in deadline order: a team's open requests (partial index) and all of them, by due_at

Revision ID: c15a00000001
Revises: c14a00000007
Create Date: 2026-12-03
"""
import sqlalchemy as sa
from alembic import op

revision = 'c15a00000001'
down_revision = 'c14a00000007'
branch_labels = None
depends_on = None

OPEN = "status IN ('nieuw', 'in_behandeling', 'wacht_op_club', 'doorverwezen')"


def upgrade():
    op.create_index("ix_support_requests_team_open_due", "support_requests", ["owner_team_id", "due_at"],
                    sqlite_where=sa.text(OPEN), postgresql_where=sa.text(OPEN))
    op.create_index("ix_support_requests_team_due", "support_requests", ["owner_team_id", "due_at"])


def downgrade():
    op.drop_index("ix_support_requests_team_due", table_name="support_requests")
    op.drop_index("ix_support_requests_team_open_due", table_name="support_requests")
