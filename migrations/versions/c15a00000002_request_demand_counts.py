"""requests filed per month × gemeente × category, kept current by triggers, for the demand statistics

The table and the triggers of loket/models/demand.py (which create_all runs), written out here so this migration
stays as it was when the models change. The table is filled from the requests there are, in the same
transaction as the triggers are created (PostgreSQL: CREATE TRIGGER holds off writes to support_requests and
clubs until the commit, so no filing falls between the fill and the triggers).

Revision ID: c15a00000002
Revises: c15a00000001
Create Date: 2026-12-04
"""
import sqlalchemy as sa
from alembic import op

revision = 'c15a00000002'
down_revision = 'c15a00000001'
branch_labels = None
depends_on = None

TABLE = "request_demand_counts"
KEY = "month, gemeente_id, category_id"
TRIGGERS = {  # trigger → its table
    "request_demand_counts_insert": "support_requests",
    "request_demand_counts_delete": "support_requests",
    "request_demand_counts_update": "support_requests",
    "request_demand_counts_club": "clubs",
}
PG_FUNCTIONS = ("request_demand_counts_inserted", "request_demand_counts_deleted", "request_demand_counts_updated",
                "request_demand_counts_club_moved")

PG_MONTH = "date_trunc('month', {0}.created_at)::date"
PG_ADD = f"ON CONFLICT ({KEY}) DO UPDATE SET requests = {TABLE}.requests + excluded.requests"
SQLITE_MONTH = "date({0}.created_at, 'start of month')"
SQLITE_ADD = f"ON CONFLICT ({KEY}) DO UPDATE SET requests = requests + excluded.requests"


def _pg_function(name, body):
    return (f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n{body}\n"
            f"RETURN NULL;\nEND\n$$")


def _postgres_statements():
    inserted = (
        f"INSERT INTO {TABLE} ({KEY}, requests) "
        f"SELECT {PG_MONTH.format('n')}, c.gemeente_id, n.category_id, count(*) "
        f"FROM demand_new_requests n JOIN clubs c ON c.id = n.club_id "
        f"GROUP BY 1, 2, 3 ORDER BY 1, 2, 3 {PG_ADD};")
    deleted = (
        f"UPDATE {TABLE} d SET requests = d.requests - o.requests FROM ("
        f"SELECT {PG_MONTH.format('o')} AS month, c.gemeente_id, o.category_id, count(*) AS requests "
        f"FROM demand_old_requests o JOIN clubs c ON c.id = o.club_id GROUP BY 1, 2, 3) o "
        f"WHERE d.month = o.month AND d.gemeente_id = o.gemeente_id AND d.category_id = o.category_id;")
    updated = (
        f"INSERT INTO {TABLE} ({KEY}, requests) "
        f"SELECT month, gemeente_id, category_id, sum(delta) FROM ("
        f"SELECT {PG_MONTH.format('OLD')} AS month, (SELECT gemeente_id FROM clubs WHERE id = OLD.club_id) "
        f"AS gemeente_id, OLD.category_id AS category_id, -1 AS delta "
        f"UNION ALL SELECT {PG_MONTH.format('NEW')}, (SELECT gemeente_id FROM clubs WHERE id = NEW.club_id), "
        f"NEW.category_id, 1) moved "
        f"GROUP BY 1, 2, 3 ORDER BY 1, 2, 3 {PG_ADD};")
    club_moved = (
        f"INSERT INTO {TABLE} ({KEY}, requests) "
        f"SELECT r.month, g.gemeente_id, r.category_id, g.sign * r.requests FROM ("
        f"SELECT {PG_MONTH.format('support_requests')} AS month, category_id, count(*) AS requests "
        f"FROM support_requests WHERE club_id = NEW.id GROUP BY 1, 2) r "
        f"CROSS JOIN (VALUES (OLD.gemeente_id, -1), (NEW.gemeente_id, 1)) AS g (gemeente_id, sign) "
        f"ORDER BY 1, 2, 3 {PG_ADD};")
    counted_change = ("date_trunc('month', OLD.created_at) IS DISTINCT FROM date_trunc('month', NEW.created_at) "
                      "OR OLD.category_id IS DISTINCT FROM NEW.category_id OR OLD.club_id IS DISTINCT FROM NEW.club_id")
    return [
        _pg_function("request_demand_counts_inserted", inserted),
        _pg_function("request_demand_counts_deleted", deleted),
        _pg_function("request_demand_counts_updated", updated),
        _pg_function("request_demand_counts_club_moved", club_moved),
        "DROP TRIGGER IF EXISTS request_demand_counts_insert ON support_requests",
        "CREATE TRIGGER request_demand_counts_insert AFTER INSERT ON support_requests "
        "REFERENCING NEW TABLE AS demand_new_requests FOR EACH STATEMENT "
        "EXECUTE FUNCTION request_demand_counts_inserted()",
        "DROP TRIGGER IF EXISTS request_demand_counts_delete ON support_requests",
        "CREATE TRIGGER request_demand_counts_delete AFTER DELETE ON support_requests "
        "REFERENCING OLD TABLE AS demand_old_requests FOR EACH STATEMENT "
        "EXECUTE FUNCTION request_demand_counts_deleted()",
        "DROP TRIGGER IF EXISTS request_demand_counts_update ON support_requests",
        "CREATE TRIGGER request_demand_counts_update AFTER UPDATE OF created_at, category_id, club_id "
        f"ON support_requests FOR EACH ROW WHEN ({counted_change}) "
        "EXECUTE FUNCTION request_demand_counts_updated()",
        "DROP TRIGGER IF EXISTS request_demand_counts_club ON clubs",
        "CREATE TRIGGER request_demand_counts_club AFTER UPDATE OF gemeente_id ON clubs FOR EACH ROW "
        "WHEN (OLD.gemeente_id IS DISTINCT FROM NEW.gemeente_id) "
        "EXECUTE FUNCTION request_demand_counts_club_moved()",
    ]


def _sqlite_add(row):
    return (f"INSERT INTO {TABLE} ({KEY}, requests) SELECT {SQLITE_MONTH.format(row)}, c.gemeente_id, "
            f"{row}.category_id, 1 FROM clubs c WHERE c.id = {row}.club_id {SQLITE_ADD};")


def _sqlite_subtract(row):
    return (f"UPDATE {TABLE} SET requests = requests - 1 WHERE month = {SQLITE_MONTH.format(row)} "
            f"AND category_id = {row}.category_id "
            f"AND gemeente_id = (SELECT gemeente_id FROM clubs WHERE id = {row}.club_id);")


def _sqlite_club_counts(gemeente, sign):
    return (f"INSERT INTO {TABLE} ({KEY}, requests) SELECT {SQLITE_MONTH.format('r')}, {gemeente}, r.category_id, "
            f"{sign}count(*) FROM support_requests r WHERE r.club_id = new.id GROUP BY 1, 3 {SQLITE_ADD};")


def _sqlite_statements():
    counted_change = (f"{SQLITE_MONTH.format('old')} IS NOT {SQLITE_MONTH.format('new')} "
                      "OR old.category_id IS NOT new.category_id OR old.club_id IS NOT new.club_id")
    return [
        "CREATE TRIGGER IF NOT EXISTS request_demand_counts_insert AFTER INSERT ON support_requests "
        f"BEGIN {_sqlite_add('new')} END",
        "CREATE TRIGGER IF NOT EXISTS request_demand_counts_delete AFTER DELETE ON support_requests "
        f"BEGIN {_sqlite_subtract('old')} END",
        "CREATE TRIGGER IF NOT EXISTS request_demand_counts_update AFTER UPDATE OF created_at, category_id, club_id "
        f"ON support_requests WHEN {counted_change} BEGIN {_sqlite_subtract('old')} {_sqlite_add('new')} END",
        "CREATE TRIGGER IF NOT EXISTS request_demand_counts_club AFTER UPDATE OF gemeente_id ON clubs "
        f"WHEN old.gemeente_id IS NOT new.gemeente_id BEGIN {_sqlite_club_counts('old.gemeente_id', '-')} "
        f"{_sqlite_club_counts('new.gemeente_id', '')} END",
    ]


def upgrade():
    op.create_table(
        TABLE,
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("gemeente_id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("requests", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["category_id"], ["categories.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["gemeente_id"], ["gemeenten.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("month", "gemeente_id", "category_id"),
    )
    op.create_index("ix_request_demand_counts_gemeente", TABLE, ["gemeente_id", "month"])
    dialect = op.get_bind().dialect.name
    statements = {"postgresql": _postgres_statements, "sqlite": _sqlite_statements}.get(dialect, list)()
    for statement in statements:
        op.execute(statement)
    month = PG_MONTH.format("r") if dialect == "postgresql" else SQLITE_MONTH.format("r")
    op.execute(f"INSERT INTO {TABLE} ({KEY}, requests) "
               f"SELECT {month}, c.gemeente_id, r.category_id, count(*) "
               f"FROM support_requests r JOIN clubs c ON c.id = r.club_id GROUP BY 1, 2, 3")
    if dialect == "postgresql":
        op.execute(f"ANALYZE {TABLE}")  # the planner knows its size at once, not after autovacuum's first look


def downgrade():
    dialect = op.get_bind().dialect.name
    for trigger, table in TRIGGERS.items():
        op.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}" if dialect == "postgresql"
                   else f"DROP TRIGGER IF EXISTS {trigger}")
    if dialect == "postgresql":
        for function in PG_FUNCTIONS:
            op.execute(f"DROP FUNCTION IF EXISTS {function}()")
    op.drop_index("ix_request_demand_counts_gemeente", table_name=TABLE)
    op.drop_table(TABLE)
