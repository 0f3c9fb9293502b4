"""canned replies (sjablonen) per team

Revision ID: c14a00000005
Revises: c14a00000004
Create Date: 2026-12-03
"""
import sqlalchemy as sa
from alembic import op

revision = 'c14a00000005'
down_revision = 'c14a00000004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "canned_replies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_canned_replies_created_by_id_users")),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], name=op.f("fk_canned_replies_team_id_teams")),
        sa.ForeignKeyConstraint(["updated_by_id"], ["users.id"], name=op.f("fk_canned_replies_updated_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_canned_replies")),
        sa.UniqueConstraint("team_id", "title", name="uq_canned_replies_team_title"),
    )


def downgrade():
    op.drop_table("canned_replies")
