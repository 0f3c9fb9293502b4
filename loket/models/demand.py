"""Requests filed per month × gemeente × category (issue #15): the demand statistics read this small table
instead of grouping every request of the window, and the database keeps it current in the same transaction as
each write that changes it.

What a row counts is what reporting.demand showed before the table: the requests whose `created_at` falls in
`month` (UTC calendar months: stored times are naive UTC), whose club is in `gemeente_id` *now* (a club that
moves takes its requests along) and whose category is `category_id`. Every demand figure (per category,
province, region or gemeente, also restricted to some gemeenten) is a sum over these rows.

Triggers keep it current, so filing, the bench generator's COPY, a category change, a club moving gemeente,
seed and test data all count without the application doing anything:

- PostgreSQL: statement-level triggers with transition tables on INSERT and DELETE of support_requests (a COPY
  of 20,000 requests is one grouped upsert), row-level triggers on UPDATE of the counted columns of
  support_requests and on UPDATE of clubs.gemeente_id, only when a counted value changes (`WHEN`). Every upsert
  takes its rows in key order, so two writers never wait for each other in opposite orders.
- SQLite: row-level triggers for the same four writes.

A count that drops to 0 stays as a row of 0 (readers skip them); a delete only lowers existing rows. The
triggers are not mapped: `create_all` (tests, `make run` on a fresh file) gets them from the `after_create`
hook below; migrations/versions/c15a00000002 creates the same and fills the table from the requests there are.
"""
from datetime import date

from sqlalchemy import Date, ForeignKey, Index, event, text
from sqlalchemy.orm import Mapped, mapped_column

from loket.extensions import db

TABLE = "request_demand_counts"
KEY = "month, gemeente_id, category_id"


class RequestDemandCount(db.Model):
    __tablename__ = TABLE
    __table_args__ = (
        # Demand restricted to some gemeenten (the area roles): their rows of the window.
        Index("ix_request_demand_counts_gemeente", "gemeente_id", "month"),
    )

    # The first day of the UTC calendar month in which the requests were filed; the window scans the key.
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeenten.id", ondelete="CASCADE"), primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id", ondelete="CASCADE"), primary_key=True)
    requests: Mapped[int] = mapped_column(default=0)

    def __repr__(self):
        return (f"<RequestDemandCount {self.month} gemeente {self.gemeente_id} category {self.category_id}: "
                f"{self.requests}>")


# ---------------------------------------------------------------------------------------------- PostgreSQL

PG_MONTH = "date_trunc('month', {0}.created_at)::date"
PG_ADD = (f"ON CONFLICT ({KEY}) DO UPDATE SET requests = {TABLE}.requests + excluded.requests")


def _pg_function(name: str, body: str) -> str:
    return (f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n{body}\n"
            f"RETURN NULL;\nEND\n$$")


def postgres_statements() -> list[str]:
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
    # One request's key changed: -1 under the old one, +1 under the new one, in key order.
    updated = (
        f"INSERT INTO {TABLE} ({KEY}, requests) "
        f"SELECT month, gemeente_id, category_id, sum(delta) FROM ("
        f"SELECT {PG_MONTH.format('OLD')} AS month, (SELECT gemeente_id FROM clubs WHERE id = OLD.club_id) "
        f"AS gemeente_id, OLD.category_id AS category_id, -1 AS delta "
        f"UNION ALL SELECT {PG_MONTH.format('NEW')}, (SELECT gemeente_id FROM clubs WHERE id = NEW.club_id), "
        f"NEW.category_id, 1) moved "
        f"GROUP BY 1, 2, 3 ORDER BY 1, 2, 3 {PG_ADD};")
    # A club moved gemeente: its requests' counts go from the old gemeente to the new one, in key order.
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


# -------------------------------------------------------------------------------------------------- SQLite

SQLITE_MONTH = "date({0}.created_at, 'start of month')"
SQLITE_ADD = f"ON CONFLICT ({KEY}) DO UPDATE SET requests = requests + excluded.requests"


def _sqlite_add(row: str) -> str:
    """+1 for the request `row` (new or old) under its club's current gemeente."""
    return (f"INSERT INTO {TABLE} ({KEY}, requests) SELECT {SQLITE_MONTH.format(row)}, c.gemeente_id, "
            f"{row}.category_id, 1 FROM clubs c WHERE c.id = {row}.club_id {SQLITE_ADD};")


def _sqlite_subtract(row: str) -> str:
    return (f"UPDATE {TABLE} SET requests = requests - 1 WHERE month = {SQLITE_MONTH.format(row)} "
            f"AND category_id = {row}.category_id "
            f"AND gemeente_id = (SELECT gemeente_id FROM clubs WHERE id = {row}.club_id);")


def _sqlite_club_counts(gemeente: str, sign: str) -> str:
    return (f"INSERT INTO {TABLE} ({KEY}, requests) SELECT {SQLITE_MONTH.format('r')}, {gemeente}, r.category_id, "
            f"{sign}count(*) FROM support_requests r WHERE r.club_id = new.id GROUP BY 1, 3 {SQLITE_ADD};")


def sqlite_statements() -> list[str]:
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


def statements_for(dialect: str) -> list[str]:
    return {"postgresql": postgres_statements, "sqlite": sqlite_statements}.get(dialect, list)()


@event.listens_for(db.metadata, "after_create")
def _create_demand_triggers(target, connection, **kw):
    for statement in statements_for(connection.dialect.name):
        connection.execute(text(statement))
