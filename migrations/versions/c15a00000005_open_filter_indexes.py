"""the queue's filters on open requests: partial indexes on (owner_team_id, category_id) and (owner_team_id,
assignee_id) for open requests only, so counting a filtered queue reads a small index and no rows

Revision ID: c15a00000005
Revises: c15a00000004
Create Date: 2026-12-04
"""
import sqlalchemy as sa
from alembic import op

revision = 'c15a00000005'
down_revision = 'c15a00000004'
branch_labels = None
depends_on = None

OPEN = "status IN ('nieuw', 'in_behandeling', 'wacht_op_club', 'doorverwezen')"


def upgrade():
    op.create_index("ix_support_requests_team_open_category", "support_requests", ["owner_team_id", "category_id"],
                    sqlite_where=sa.text(OPEN), postgresql_where=sa.text(OPEN))
    op.create_index("ix_support_requests_team_open_assignee", "support_requests", ["owner_team_id", "assignee_id"],
                    sqlite_where=sa.text(OPEN), postgresql_where=sa.text(OPEN))


def downgrade():
    op.drop_index("ix_support_requests_team_open_assignee", table_name="support_requests")
    op.drop_index("ix_support_requests_team_open_category", table_name="support_requests")
