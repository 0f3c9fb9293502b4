"""mentions of a colleague in an internal note

Revision ID: c14a00000006
Revises: c14a00000005
Create Date: 2026-12-03
"""
import sqlalchemy as sa
from alembic import op

revision = 'c14a00000006'
down_revision = 'c14a00000005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "mentions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("seen_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_mentions_event_id_events")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_mentions_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentions")),
        sa.UniqueConstraint("event_id", "user_id", name="uq_mentions_event_user"),
    )
    op.create_index("ix_mentions_user_seen", "mentions", ["user_id", "seen_at", "event_id"])


def downgrade():
    op.drop_index("ix_mentions_user_seen", table_name="mentions")
    op.drop_table("mentions")
