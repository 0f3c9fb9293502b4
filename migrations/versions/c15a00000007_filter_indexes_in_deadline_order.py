"""the queue's category and assignee filters in deadline order: (owner_team_id, category_id / assignee_id,
due_at), all requests and open ones, so a filtered page's ids come in index order and its LIMIT stops early
however many requests match (the plan PostgreSQL keeps for a prepared statement sorted every match)

Revision ID: c15a00000007
Revises: c15a00000006
Create Date: 2026-12-04
"""
import sqlalchemy as sa
from alembic import op

revision = 'c15a00000007'
down_revision = 'c15a00000006'
branch_labels = None
depends_on = None

OPEN = "status IN ('nieuw', 'in_behandeling', 'wacht_op_club', 'doorverwezen')"
# index → (its filter column, whether it holds open requests only)
INDEXES = {
    "ix_support_requests_team_category": ("category_id", False),
    "ix_support_requests_team_assignee": ("assignee_id", False),
    "ix_support_requests_team_open_category": ("category_id", True),
    "ix_support_requests_team_open_assignee": ("assignee_id", True),
}


def _create(name, columns, open_only):
    where = {"sqlite_where": sa.text(OPEN), "postgresql_where": sa.text(OPEN)} if open_only else {}
    op.create_index(name, "support_requests", columns, **where)


def upgrade():
    for name, (column, open_only) in INDEXES.items():
        op.drop_index(name, table_name="support_requests")
        _create(name, ["owner_team_id", column, "due_at"], open_only)


def downgrade():
    for name, (column, open_only) in INDEXES.items():
        op.drop_index(name, table_name="support_requests")
        _create(name, ["owner_team_id", column], open_only)
