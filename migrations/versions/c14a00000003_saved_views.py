"""saved queue views: a named filter and order, per user or per team

Revision ID: c14a00000003
Revises: c14a00000002
Create Date: 2026-12-03
"""
import sqlalchemy as sa
from alembic import op

revision = 'c14a00000003'
down_revision = 'c14a00000002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "saved_views",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("queue_view", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=True),
        sa.Column("category_id", sa.Integer(), nullable=True),
        sa.Column("assignee", sa.String(length=12), nullable=True),
        sa.Column("search", sa.String(length=100), nullable=True),
        sa.Column("sort", sa.String(length=20), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "(user_id IS NULL AND team_id IS NOT NULL) OR (user_id IS NOT NULL AND team_id IS NULL)",
            name=op.f("ck_saved_views_one_owner")),
        sa.ForeignKeyConstraint(["category_id"], ["categories.id"], name=op.f("fk_saved_views_category_id_categories")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_saved_views_created_by_id_users")),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], name=op.f("fk_saved_views_team_id_teams")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_saved_views_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_views")),
        sa.UniqueConstraint("team_id", "name", name="uq_saved_views_team_name"),
        sa.UniqueConstraint("user_id", "name", name="uq_saved_views_user_name"),
    )


def downgrade():
    op.drop_table("saved_views")
