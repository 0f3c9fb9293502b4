"""attachments on requests, replies and internal notes

Revision ID: c14a00000004
Revises: c14a00000003
Create Date: 2026-12-03
"""
from alembic import op  # noqa: F401

revision = 'c14a00000004'
down_revision = 'c14a00000003'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
