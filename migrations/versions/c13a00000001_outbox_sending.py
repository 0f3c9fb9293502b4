"""outbox rows record "sending" (and since when) before a mail is handed to SendGrid

Revision ID: c13a00000001
Revises: 366dd848bf79
Create Date: 2026-12-02 14:20:00

"""
import sqlalchemy as sa
from alembic import op

# Written out so the migration stays what it was when the model's statuses change again.
OLD = "status IN ('pending', 'enqueued', 'sent', 'failed')"
NEW = "status IN ('pending', 'enqueued', 'sending', 'sent', 'failed')"

# revision identifiers, used by Alembic.
revision = 'c13a00000001'
down_revision = '366dd848bf79'
branch_labels = None
depends_on = None


def _status_check(expression):
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_outbox_status_choice"), type_="check")
        batch_op.create_check_constraint("status_choice", expression)


def upgrade():
    _status_check(NEW)
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sending_at", sa.DateTime(), nullable=True))


def downgrade():
    # A row caught mid-send goes back to "enqueued": the dispatcher's visibility timeout decides it again.
    op.execute("UPDATE outbox SET status = 'enqueued', enqueued_at = sending_at WHERE status = 'sending'")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("sending_at")
    _status_check(OLD)
