"""idempotency keys of API writes and one-time form tokens

Revision ID: c13a00000003
Revises: c13a00000002
Create Date: 2026-12-02 14:05:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = 'c13a00000003'
down_revision = 'c13a00000002'
branch_labels = None
depends_on = None


def upgrade():
    pass  # H6 (idempotent writes) fills this in


def downgrade():
    pass
