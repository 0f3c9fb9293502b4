"""account tokens: set_password, the first password of an account someone else made

Revision ID: e4a1c2b7d9f0
Revises: 0153b2663a3f
Create Date: 2026-12-02 04:20:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'e4a1c2b7d9f0'
down_revision = '0153b2663a3f'
branch_labels = None
depends_on = None

OLD = "purpose IN ('confirm_email', 'reset_password', 'change_email')"
NEW = "purpose IN ('confirm_email', 'reset_password', 'change_email', 'set_password')"


def upgrade():
    with op.batch_alter_table('account_tokens', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_account_tokens_purpose_choice'), type_='check')
        batch_op.create_check_constraint('purpose_choice', NEW)


def downgrade():
    op.execute("DELETE FROM account_tokens WHERE purpose = 'set_password'")
    with op.batch_alter_table('account_tokens', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_account_tokens_purpose_choice'), type_='check')
        batch_op.create_check_constraint('purpose_choice', OLD)
