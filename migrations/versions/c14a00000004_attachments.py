"""attachments on requests, replies and internal notes

Revision ID: c14a00000004
Revises: c14a00000003
Create Date: 2026-12-03
"""
import sqlalchemy as sa
from alembic import op

revision = 'c14a00000004'
down_revision = 'c14a00000003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("internal", sa.Boolean(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("storage_key", sa.String(length=64), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("removed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_attachments_event_id_events")),
        sa.ForeignKeyConstraint(["request_id"], ["support_requests.id"],
                                name=op.f("fk_attachments_request_id_support_requests")),
        sa.ForeignKeyConstraint(["uploaded_by_id"], ["users.id"], name=op.f("fk_attachments_uploaded_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachments")),
        sa.UniqueConstraint("storage_key", name=op.f("uq_attachments_storage_key")),
    )
    op.create_index("ix_attachments_request", "attachments", ["request_id", "id"])
    op.create_index("ix_attachments_uploaded_by", "attachments", ["uploaded_by_id"])


def downgrade():
    op.drop_index("ix_attachments_uploaded_by", table_name="attachments")
    op.drop_index("ix_attachments_request", table_name="attachments")
    op.drop_table("attachments")
