"""login sessions and two-factor authentication

Revision ID: c13a00000002
Revises: c13a00000001
Create Date: 2026-12-02 14:05:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = 'c13a00000002'
down_revision = 'c13a00000001'
branch_labels = None
depends_on = None


def upgrade():
    pass  # H1 (sessions and 2FA) fills this in


def downgrade():
    pass
