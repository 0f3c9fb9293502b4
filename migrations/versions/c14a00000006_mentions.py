"""mentions of a colleague in an internal note

Revision ID: c14a00000006
Revises: c14a00000005
Create Date: 2026-12-03
"""
from alembic import op  # noqa: F401

revision = 'c14a00000006'
down_revision = 'c14a00000005'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
