"""a duplicate request merged into another of the same club

Revision ID: c14a00000007
Revises: c14a00000006
Create Date: 2026-12-03
"""
from alembic import op  # noqa: F401

revision = 'c14a00000007'
down_revision = 'c14a00000006'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
