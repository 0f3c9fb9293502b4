"""canned replies (sjablonen) per team

Revision ID: c14a00000005
Revises: c14a00000004
Create Date: 2026-12-03
"""
from alembic import op  # noqa: F401

revision = 'c14a00000005'
down_revision = 'c14a00000004'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
