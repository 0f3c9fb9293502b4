"""The full-text index behind search (issue #14), kept current by the database itself.

PostgreSQL: a stored generated `tsvector` column (configuration `dutch`: stemming, so "vrijwilligers" finds
"vrijwilliger") on support_requests (reference and title weigh more than the description), on events (a reply's
or a note's body) and on clubs (the name), each with a GIN index.

SQLite (the embedded default): FTS5 tables over the same columns (external content: they index the rows, they
do not copy them), kept current by triggers. FTS5 has no Dutch stemmer; services/requests/request_search.py
stems the typed words and searches them as prefixes, which comes close.

The columns and tables are not mapped: only the search service reads them. `create_all` (tests, `make run` on a
fresh file) gets them from the `after_create` hook below; migrations/versions/c14a00000001 creates the same.
"""
from sqlalchemy import event, text

from loket.extensions import db

INDEXED = {  # table → its indexed text, in the order FTS5 columns are declared
    "support_requests": ("reference", "title", "description"),
    "events": ("body",),
    "clubs": ("name",),
}


def fts_table(table: str) -> str:
    return f"{table}_fts"


POSTGRES_VECTORS = {
    "support_requests": "setweight(to_tsvector('dutch', coalesce(reference, '')), 'A') || "
                        "setweight(to_tsvector('dutch', coalesce(title, '')), 'A') || "
                        "setweight(to_tsvector('dutch', coalesce(description, '')), 'B')",
    "events": "to_tsvector('dutch', coalesce(body, ''))",
    "clubs": "to_tsvector('dutch', coalesce(name, ''))",
}


def postgres_statements() -> list[str]:
    statements = []
    for table, vector in POSTGRES_VECTORS.items():
        statements += [
            f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS search_vector tsvector "
            f"GENERATED ALWAYS AS ({vector}) STORED",
            f"CREATE INDEX IF NOT EXISTS ix_{table}_search ON {table} USING gin (search_vector)",
        ]
    return statements


def sqlite_statements() -> list[str]:
    statements = []
    for table, columns in INDEXED.items():
        fts, listed = fts_table(table), ", ".join(columns)
        new = ", ".join(f"new.{column}" for column in columns)
        old = ", ".join(f"old.{column}" for column in columns)
        statements += [
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({listed}, content='{table}', "
            f"content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
            f"CREATE TRIGGER IF NOT EXISTS {fts}_insert AFTER INSERT ON {table} BEGIN "
            f"INSERT INTO {fts}(rowid, {listed}) VALUES (new.id, {new}); END",
            f"CREATE TRIGGER IF NOT EXISTS {fts}_delete AFTER DELETE ON {table} BEGIN "
            f"INSERT INTO {fts}({fts}, rowid, {listed}) VALUES ('delete', old.id, {old}); END",
            f"CREATE TRIGGER IF NOT EXISTS {fts}_update AFTER UPDATE OF {listed} ON {table} BEGIN "
            f"INSERT INTO {fts}({fts}, rowid, {listed}) VALUES ('delete', old.id, {old}); "
            f"INSERT INTO {fts}(rowid, {listed}) VALUES (new.id, {new}); END",
            f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
        ]
    return statements


def sqlite_drop_statements() -> list[str]:
    return [f"DROP TABLE IF EXISTS {fts_table(table)}" for table in INDEXED]


def statements_for(dialect: str) -> list[str]:
    return {"postgresql": postgres_statements, "sqlite": sqlite_statements}.get(dialect, list)()


@event.listens_for(db.metadata, "after_create")
def _create_search_index(target, connection, **kw):
    for statement in statements_for(connection.dialect.name):
        connection.execute(text(statement))


@event.listens_for(db.metadata, "before_drop")
def _drop_search_index(target, connection, **kw):
    if connection.dialect.name == "sqlite":
        for statement in sqlite_drop_statements():
            connection.execute(text(statement))


def outside_search_index(object_, name, type_, reflected, compare_to) -> bool:
    """Alembic's include_object: leave the search index's columns, indexes and FTS5 tables out of a schema
    comparison (they are not mapped; migrations/env.py and tests/test_migrations.py)."""
    if type_ == "column" and name == "search_vector":
        return False
    if type_ == "index" and name in {f"ix_{table}_search" for table in INDEXED}:
        return False
    return not (type_ == "table" and is_search_table(name))


def is_search_table(name: str) -> bool:
    """An FTS5 table or one of its shadow tables (SQLite)."""
    return any(name.startswith(fts_table(table)) for table in INDEXED)
