"""Requests per owning team × status (issue #15): a queue's count over all statuses, or one closed status, reads
a few rows of this table instead of counting a busy team's whole history (100,000 index entries, 7–12 ms at
1,000,000 requests, growing with every year kept). The database keeps it current in the same transaction as each
write that changes it, as models.demand does for the demand statistics.

Triggers, so filing, a status change, a referral accepted (the owner changes), a relocation, the bench
generator's COPY, seed and test data all count without the application doing anything:

- PostgreSQL: statement-level triggers with transition tables on INSERT and DELETE (a COPY of 20,000 requests is
  one grouped upsert in key order), a row-level trigger on UPDATE of owner_team_id or status, only when one of
  them changes (`WHEN`), whose two rows are taken in key order. (A trigger on a column list cannot have
  transition tables.)
- SQLite: row-level triggers for the same three writes.

A count that drops to 0 stays as a row of 0; a delete only lowers existing rows. The triggers are not mapped:
`create_all` gets them from the `after_create` hook below; migrations/versions/c15a00000006 creates the same and
fills the table from the requests there are.
"""
from sqlalchemy import ForeignKey, String, event, text
from sqlalchemy.orm import Mapped, mapped_column

from loket.extensions import db

TABLE = "request_team_counts"
KEY = "team_id, status"


class RequestTeamCount(db.Model):
    __tablename__ = TABLE

    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True)
    status: Mapped[str] = mapped_column(String(20), primary_key=True)
    requests: Mapped[int] = mapped_column(default=0)

    def __repr__(self):
        return f"<RequestTeamCount team {self.team_id} {self.status}: {self.requests}>"


# ---------------------------------------------------------------------------------------------- PostgreSQL

PG_ADD = f"ON CONFLICT ({KEY}) DO UPDATE SET requests = {TABLE}.requests + excluded.requests"


def _pg_function(name: str, body: str) -> str:
    return (f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n{body}\n"
            f"RETURN NULL;\nEND\n$$")


def postgres_statements() -> list[str]:
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


# -------------------------------------------------------------------------------------------------- SQLite

SQLITE_ADD = f"ON CONFLICT ({KEY}) DO UPDATE SET requests = requests + excluded.requests"


def _sqlite_add(row: str) -> str:
    return (f"INSERT INTO {TABLE} ({KEY}, requests) VALUES ({row}.owner_team_id, {row}.status, 1) {SQLITE_ADD};")


def _sqlite_subtract(row: str) -> str:
    return (f"UPDATE {TABLE} SET requests = requests - 1 "
            f"WHERE team_id = {row}.owner_team_id AND status = {row}.status;")


def sqlite_statements() -> list[str]:
    return [
        "CREATE TRIGGER IF NOT EXISTS request_team_counts_insert AFTER INSERT ON support_requests "
        f"BEGIN {_sqlite_add('new')} END",
        "CREATE TRIGGER IF NOT EXISTS request_team_counts_delete AFTER DELETE ON support_requests "
        f"BEGIN {_sqlite_subtract('old')} END",
        "CREATE TRIGGER IF NOT EXISTS request_team_counts_update AFTER UPDATE OF owner_team_id, status "
        "ON support_requests WHEN old.owner_team_id IS NOT new.owner_team_id OR old.status IS NOT new.status "
        f"BEGIN {_sqlite_subtract('old')} {_sqlite_add('new')} END",
    ]


def statements_for(dialect: str) -> list[str]:
    return {"postgresql": postgres_statements, "sqlite": sqlite_statements}.get(dialect, list)()


@event.listens_for(db.metadata, "after_create")
def _create_team_count_triggers(target, connection, **kw):
    for statement in statements_for(connection.dialect.name):
        connection.execute(text(statement))
