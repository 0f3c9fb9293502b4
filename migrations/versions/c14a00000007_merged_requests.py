"""a duplicate request merged into another of the same club; contacts told about a request besides its requester

Revision ID: c14a00000007
Revises: c14a00000006
Create Date: 2026-12-03
"""
import sqlalchemy as sa
from alembic import op

revision = 'c14a00000007'
down_revision = 'c14a00000006'
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN with its foreign key: on SQLite a batch copy of the table would drop the search
    # index's triggers, and Alembic adds no constraint there otherwise.
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE support_requests ADD COLUMN merged_into_id INTEGER "
                   "CONSTRAINT fk_support_requests_merged_into_id_support_requests REFERENCES support_requests (id)")
    else:
        op.add_column("support_requests", sa.Column("merged_into_id", sa.Integer(), nullable=True))
        op.create_foreign_key(op.f("fk_support_requests_merged_into_id_support_requests"), "support_requests",
                              "support_requests", ["merged_into_id"], ["id"])
    op.create_table(
        "request_contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["request_id"], ["support_requests.id"],
                                name=op.f("fk_request_contacts_request_id_support_requests")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_request_contacts_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_request_contacts")),
        sa.UniqueConstraint("request_id", "user_id", name="uq_request_contacts_request_user"),
    )
    op.create_index("ix_request_contacts_user", "request_contacts", ["user_id"])


def downgrade():
    op.drop_index("ix_request_contacts_user", table_name="request_contacts")
    op.drop_table("request_contacts")
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint(op.f("fk_support_requests_merged_into_id_support_requests"), "support_requests",
                           type_="foreignkey")
    op.drop_column("support_requests", "merged_into_id")
