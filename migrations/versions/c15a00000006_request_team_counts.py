"""requests per owning team × status, kept current by triggers, for a queue's count over all statuses

The table and the triggers of loket/models/team_counts.py (which create_all runs), written out here so this
migration stays as it was when the models change. The table is filled from the requests there are in the same
transaction as the triggers are created (PostgreSQL: CREATE TRIGGER holds off writes to support_requests until
the commit, so no filing falls between the fill and the triggers).

Revision ID: c15a00000006
Revises: c15a00000005
Create Date: 2026-12-04
"""
import sqlalchemy as sa
from alembic import op

revision = 'c15a00000006'
down_revision = 'c15a00000005'
branch_labels = None
depends_on = None

TABLE = "request_team_counts"
KEY = "team_id, status"
TRIGGERS = ("request_team_counts_insert", "request_team_counts_delete", "request_team_counts_update")
PG_FUNCTIONS = ("request_team_counts_inserted", "request_team_counts_deleted", "request_team_counts_updated")
PG_ADD = f"ON CONFLICT ({KEY}) DO UPDATE SET requests = {TABLE}.requests + excluded.requests"
SQLITE_ADD = f"ON CONFLICT ({KEY}) DO UPDATE SET requests = requests + excluded.requests"


def _pg_function(name, body):
    return (f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n{body}\n"
            f"RETURN NULL;\nEND\n$$")


def _postgres_statements():
    inserted = (f"INSERT INTO {TABLE} ({KEY}, requests) SELECT owner_team_id, status, count(*) "
                f"FROM team_count_new_requests GROUP BY 1, 2 ORDER BY 1, 2 {PG_ADD};")
    deleted = (f"UPDATE {TABLE} t SET requests = t.requests - o.requests FROM ("
               f"SELECT owner_team_id, status, count(*) AS requests FROM team_count_old_requests GROUP BY 1, 2) o "
               f"WHERE t.team_id = o.owner_team_id AND t.status = o.status;")
    updated = (f"INSERT INTO {TABLE} ({KEY}, requests) SELECT team_id, status, sum(delta) FROM ("
               f"SELECT OLD.owner_team_id AS team_id, OLD.status AS status, -1 AS delta "
               f"UNION ALL SELECT NEW.owner_team_id, NEW.status, 1) moved "
               f"GROUP BY 1, 2 ORDER BY 1, 2 {PG_ADD};")
    return [
        _pg_function("request_team_counts_inserted", inserted),
        _pg_function("request_team_counts_deleted", deleted),
        _pg_function("request_team_counts_updated", updated),
        "DROP TRIGGER IF EXISTS request_team_counts_insert ON support_requests",
        "CREATE TRIGGER request_team_counts_insert AFTER INSERT ON support_requests "
        "REFERENCING NEW TABLE AS team_count_new_requests FOR EACH STATEMENT "
        "EXECUTE FUNCTION request_team_counts_inserted()",
        "DROP TRIGGER IF EXISTS request_team_counts_delete ON support_requests",
        "CREATE TRIGGER request_team_counts_delete AFTER DELETE ON support_requests "
        "REFERENCING OLD TABLE AS team_count_old_requests FOR EACH STATEMENT "
        "EXECUTE FUNCTION request_team_counts_deleted()",
        "DROP TRIGGER IF EXISTS request_team_counts_update ON support_requests",
        "CREATE TRIGGER request_team_counts_update AFTER UPDATE OF owner_team_id, status ON support_requests "
        "FOR EACH ROW WHEN (OLD.owner_team_id IS DISTINCT FROM NEW.owner_team_id "
        "OR OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION request_team_counts_updated()",
    ]


def _sqlite_statements():
    add = f"INSERT INTO {TABLE} ({KEY}, requests) VALUES ({{0}}.owner_team_id, {{0}}.status, 1) {SQLITE_ADD};"
    subtract = (f"UPDATE {TABLE} SET requests = requests - 1 "
                f"WHERE team_id = {{0}}.owner_team_id AND status = {{0}}.status;")
    return [
        "CREATE TRIGGER IF NOT EXISTS request_team_counts_insert AFTER INSERT ON support_requests "
        f"BEGIN {add.format('new')} END",
        "CREATE TRIGGER IF NOT EXISTS request_team_counts_delete AFTER DELETE ON support_requests "
        f"BEGIN {subtract.format('old')} END",
        "CREATE TRIGGER IF NOT EXISTS request_team_counts_update AFTER UPDATE OF owner_team_id, status "
        "ON support_requests WHEN old.owner_team_id IS NOT new.owner_team_id OR old.status IS NOT new.status "
        f"BEGIN {subtract.format('old')} {add.format('new')} END",
    ]


def upgrade():
    op.create_table(
        TABLE,
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("requests", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], name=op.f("fk_request_team_counts_team_id_teams"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("team_id", "status", name=op.f("pk_request_team_counts")),
    )
    dialect = op.get_bind().dialect.name
    statements = {"postgresql": _postgres_statements, "sqlite": _sqlite_statements}.get(dialect, list)()
    for statement in statements:
        op.execute(statement)
    op.execute(f"INSERT INTO {TABLE} ({KEY}, requests) "
               f"SELECT owner_team_id, status, count(*) FROM support_requests GROUP BY 1, 2")
    if dialect == "postgresql":
        op.execute(f"ANALYZE {TABLE}")


def downgrade():
    dialect = op.get_bind().dialect.name
    for trigger in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {trigger} ON support_requests" if dialect == "postgresql"
                   else f"DROP TRIGGER IF EXISTS {trigger}")
    if dialect == "postgresql":
        for function in PG_FUNCTIONS:
            op.execute(f"DROP FUNCTION IF EXISTS {function}()")
    op.drop_table(TABLE)
