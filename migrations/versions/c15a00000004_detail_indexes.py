"""the request page's merge candidates: a club's requests of one team that are neither closed nor merged, newest first

Revision ID: c15a00000004
Revises: c15a00000003
Create Date: 2026-12-04
"""
import sqlalchemy as sa
from alembic import op

revision = 'c15a00000004'
down_revision = 'c15a00000003'
branch_labels = None
depends_on = None

MERGEABLE = "merged_into_id IS NULL AND status <> 'gesloten'"


def upgrade():
    op.create_index("ix_support_requests_club_team_mergeable", "support_requests",
                    ["club_id", "owner_team_id", "created_at", "id"],
                    sqlite_where=sa.text(MERGEABLE), postgresql_where=sa.text(MERGEABLE))


def downgrade():
    op.drop_index("ix_support_requests_club_team_mergeable", table_name="support_requests")
