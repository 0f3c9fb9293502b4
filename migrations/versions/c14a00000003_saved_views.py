"""saved queue views: a named filter and order, per user or per team

Revision ID: c14a00000003
Revises: c14a00000002
Create Date: 2026-12-03
"""
from alembic import op  # noqa: F401

revision = 'c14a00000003'
down_revision = 'c14a00000002'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
