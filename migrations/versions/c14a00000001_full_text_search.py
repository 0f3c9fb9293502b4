"""full-text search: stored tsvector columns with GIN indexes (PostgreSQL), FTS5 tables kept by triggers (SQLite)

The same statements as loket/models/search_index.py (which create_all runs), written out here so this
migration stays as it was when the models change.

Revision ID: c14a00000001
Revises: c13a00000004
Create Date: 2026-12-03
"""
from alembic import op

revision = 'c14a00000001'
down_revision = 'c13a00000004'
branch_labels = None
depends_on = None

POSTGRES_VECTORS = {
    "support_requests": "setweight(to_tsvector('dutch', coalesce(reference, '')), 'A') || "
                        "setweight(to_tsvector('dutch', coalesce(title, '')), 'A') || "
                        "setweight(to_tsvector('dutch', coalesce(description, '')), 'B')",
    "events": "to_tsvector('dutch', coalesce(body, ''))",
    "clubs": "to_tsvector('dutch', coalesce(name, ''))",
}
INDEXED = {"support_requests": ("reference", "title", "description"), "events": ("body",), "clubs": ("name",)}


def _sqlite_statements():
    for table, columns in INDEXED.items():
        fts, listed = f"{table}_fts", ", ".join(columns)
        new = ", ".join(f"new.{column}" for column in columns)
        old = ", ".join(f"old.{column}" for column in columns)
        yield (f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({listed}, content='{table}', "
               f"content_rowid='id', tokenize='unicode61 remove_diacritics 2')")
        yield (f"CREATE TRIGGER IF NOT EXISTS {fts}_insert AFTER INSERT ON {table} BEGIN "
               f"INSERT INTO {fts}(rowid, {listed}) VALUES (new.id, {new}); END")
        yield (f"CREATE TRIGGER IF NOT EXISTS {fts}_delete AFTER DELETE ON {table} BEGIN "
               f"INSERT INTO {fts}({fts}, rowid, {listed}) VALUES ('delete', old.id, {old}); END")
        yield (f"CREATE TRIGGER IF NOT EXISTS {fts}_update AFTER UPDATE OF {listed} ON {table} BEGIN "
               f"INSERT INTO {fts}({fts}, rowid, {listed}) VALUES ('delete', old.id, {old}); "
               f"INSERT INTO {fts}(rowid, {listed}) VALUES (new.id, {new}); END")
        yield f"INSERT INTO {fts}({fts}) VALUES ('rebuild')"  # what is already there


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        for table, vector in POSTGRES_VECTORS.items():
            op.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS search_vector tsvector "
                       f"GENERATED ALWAYS AS ({vector}) STORED")
            op.execute(f"CREATE INDEX IF NOT EXISTS ix_{table}_search ON {table} USING gin (search_vector)")
    elif dialect == "sqlite":
        for statement in _sqlite_statements():
            op.execute(statement)


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        for table in POSTGRES_VECTORS:
            op.execute(f"DROP INDEX IF EXISTS ix_{table}_search")
            op.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector")
    elif dialect == "sqlite":
        for table in INDEXED:
            for suffix in ("insert", "delete", "update"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_fts_{suffix}")
            op.execute(f"DROP TABLE IF EXISTS {table}_fts")
