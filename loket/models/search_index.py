"""The full-text index behind search (issue #14), kept current by the database itself.

PostgreSQL: a stored generated `tsvector` column (configuration `dutch`: stemming, so "vrijwilligers" finds
"vrijwilliger") on support_requests (reference and title weigh more than the description), on events (a reply's
or a note's body) and on clubs (the name), each with a GIN index; and per request its whole text as one
document vector kept by triggers (below), which the search reads.

SQLite (the embedded default): FTS5 tables over the same columns (external content: they index the rows, they
do not copy them), kept current by triggers. FTS5 has no Dutch stemmer; services/requests/request_search.py
stems the typed words and searches them as prefixes, which comes close.

The columns and tables are not mapped: only the search service reads them. `create_all` (tests, `make run` on a
fresh file) gets them from the `after_create` hook below; migrations/versions/c14a00000001 creates the same.
"""
from sqlalchemy import event, text

from loket.extensions import db
from loket.models.request import OPEN_STATUS_CONDITION

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
    return statements + postgres_document_statements()


# A request's whole text as one vector (PostgreSQL), so a search is one index scan instead of an EXISTS over
# millions of events: `document_vector` holds its reference and title (weight A), description (B), club name
# (C) and every message and note (D) — what a team working on it may read; `public_document_vector` the same
# without the internal notes — what its club may read. Kept current by triggers: a request's own insert or
# edit sets both; new events are appended; events changed (the AVG's erasure, retention), moved to another
# request (merging) or removed, and a club renamed, rebuild the requests concerned. (The ORM refuses to change
# an event; those writes are bulk UPDATEs, which the statement-level triggers see once per statement.) The queue searches through a GIN index on
# (owner_team_id, document_vector) (btree_gin), which finds a team's matching requests in the index alone.
DOCUMENT_COLUMNS = ("document_vector", "public_document_vector")
DOCUMENT_INDEX = "ix_support_requests_team_document"
OPEN_DOCUMENT_INDEX = "ix_support_requests_team_open_document"
OPEN_CONDITION = OPEN_STATUS_CONDITION
DOCUMENT_TRIGGERS = (("support_requests", "loket_document_own"), ("events", "loket_document_events_added"),
                     ("events", "loket_document_events_changed"), ("events", "loket_document_events_removed"),
                     ("clubs", "loket_document_club_renamed"))


def _document_of(row: str, internal: str) -> str:
    """SQL for the document vector of the support_requests row `row` (NEW or a table alias)."""
    return (f"loket_request_document({row}.id, {row}.reference, {row}.title, {row}.description, {row}.club_id, "
            f"{internal})")


def postgres_document_statements() -> list[str]:
    return [
        "CREATE EXTENSION IF NOT EXISTS btree_gin",
        "CREATE OR REPLACE AGGREGATE loket_tsvector_agg(tsvector) "
        "(SFUNC = tsvector_concat, STYPE = tsvector, INITCOND = '')",
        """CREATE OR REPLACE FUNCTION loket_request_document(request_id integer, reference text, title text,
               description text, club_id integer, internal boolean) RETURNS tsvector LANGUAGE sql STABLE AS $$
             SELECT setweight(to_tsvector('dutch', coalesce(reference, '')), 'A')
                 || setweight(to_tsvector('dutch', coalesce(title, '')), 'A')
                 || setweight(to_tsvector('dutch', coalesce(description, '')), 'B')
                 || setweight(coalesce((SELECT c.search_vector FROM clubs c WHERE c.id = club_id), ''), 'C')
                 || coalesce((SELECT loket_tsvector_agg(e.search_vector ORDER BY e.id) FROM events e
                              WHERE e.request_id = loket_request_document.request_id
                                AND (internal OR e.is_public)), '')
           $$""",
        "ALTER TABLE support_requests ADD COLUMN IF NOT EXISTS document_vector tsvector, "
        "ADD COLUMN IF NOT EXISTS public_document_vector tsvector",
        f"""CREATE OR REPLACE FUNCTION loket_request_document_own() RETURNS trigger LANGUAGE plpgsql AS $$
           BEGIN
             NEW.document_vector := {_document_of("NEW", "true")};
             NEW.public_document_vector := {_document_of("NEW", "false")};
             RETURN NEW;
           END $$""",
        # Statement-level, with transition tables: a statement adding or changing many events (a bulk load,
        # the nightly retention, a merge) rebuilds each request once.
        """CREATE OR REPLACE FUNCTION loket_request_document_events_added() RETURNS trigger LANGUAGE plpgsql AS $$
           BEGIN
             UPDATE support_requests r
                SET document_vector = coalesce(r.document_vector, '') || added.everything,
                    public_document_vector = coalesce(r.public_document_vector, '') || coalesce(added.public, '')
               FROM (SELECT request_id, loket_tsvector_agg(search_vector ORDER BY id) AS everything,
                            loket_tsvector_agg(search_vector ORDER BY id) FILTER (WHERE is_public) AS public
                       FROM new_events GROUP BY request_id) added
              WHERE r.id = added.request_id;
             RETURN NULL;
           END $$""",
        f"""CREATE OR REPLACE FUNCTION loket_request_document_events_changed() RETURNS trigger LANGUAGE plpgsql
           AS $$
           BEGIN
             IF TG_OP = 'DELETE' THEN
               UPDATE support_requests r
                  SET document_vector = {_document_of("r", "true")},
                      public_document_vector = {_document_of("r", "false")}
                WHERE r.id IN (SELECT request_id FROM old_events);
             ELSE
               UPDATE support_requests r
                  SET document_vector = {_document_of("r", "true")},
                      public_document_vector = {_document_of("r", "false")}
                WHERE r.id IN (SELECT o.request_id FROM old_events o JOIN new_events n ON n.id = o.id
                                WHERE n.body IS DISTINCT FROM o.body OR n.is_public <> o.is_public
                                   OR n.request_id <> o.request_id
                               UNION
                               SELECT n.request_id FROM old_events o JOIN new_events n ON n.id = o.id
                                WHERE n.request_id <> o.request_id);
             END IF;
             RETURN NULL;
           END $$""",
        f"""CREATE OR REPLACE FUNCTION loket_request_document_club_renamed() RETURNS trigger LANGUAGE plpgsql
           AS $$
           BEGIN
             UPDATE support_requests r
                SET document_vector = {_document_of("r", "true")},
                    public_document_vector = {_document_of("r", "false")}
              WHERE r.club_id = NEW.id;
             RETURN NULL;
           END $$""",
        "DROP TRIGGER IF EXISTS loket_document_own ON support_requests",
        "CREATE TRIGGER loket_document_own BEFORE INSERT OR UPDATE OF reference, title, description, club_id "
        "ON support_requests FOR EACH ROW EXECUTE FUNCTION loket_request_document_own()",
        "DROP TRIGGER IF EXISTS loket_document_events_added ON events",
        "CREATE TRIGGER loket_document_events_added AFTER INSERT ON events REFERENCING NEW TABLE AS new_events "
        "FOR EACH STATEMENT EXECUTE FUNCTION loket_request_document_events_added()",
        "DROP TRIGGER IF EXISTS loket_document_events_changed ON events",
        "CREATE TRIGGER loket_document_events_changed AFTER UPDATE ON events "
        "REFERENCING OLD TABLE AS old_events NEW TABLE AS new_events "
        "FOR EACH STATEMENT EXECUTE FUNCTION loket_request_document_events_changed()",
        "DROP TRIGGER IF EXISTS loket_document_events_removed ON events",
        "CREATE TRIGGER loket_document_events_removed AFTER DELETE ON events REFERENCING OLD TABLE AS old_events "
        "FOR EACH STATEMENT EXECUTE FUNCTION loket_request_document_events_changed()",
        "DROP TRIGGER IF EXISTS loket_document_club_renamed ON clubs",
        "CREATE TRIGGER loket_document_club_renamed AFTER UPDATE OF name ON clubs "
        "FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) "
        "EXECUTE FUNCTION loket_request_document_club_renamed()",
        *postgres_document_fill(),
        f"CREATE INDEX IF NOT EXISTS {DOCUMENT_INDEX} ON support_requests "
        "USING gin (owner_team_id, document_vector)",
        # The queue's default (open requests only) searches a much smaller index.
        f"CREATE INDEX IF NOT EXISTS {OPEN_DOCUMENT_INDEX} ON support_requests "
        f"USING gin (owner_team_id, document_vector) WHERE {OPEN_CONDITION}",
    ]


def postgres_document_fill() -> list[str]:
    """Fill the documents of requests that have none (existing rows; a bulk load with the event trigger off):
    set-based, one pass over the events."""
    return [
        """UPDATE support_requests r
              SET document_vector = own.vector || coalesce(e.everything, ''),
                  public_document_vector = own.vector || coalesce(e.public, '')
             FROM (SELECT s.id, setweight(to_tsvector('dutch', coalesce(s.reference, '')), 'A')
                                || setweight(to_tsvector('dutch', coalesce(s.title, '')), 'A')
                                || setweight(to_tsvector('dutch', coalesce(s.description, '')), 'B')
                                || setweight(coalesce(c.search_vector, ''), 'C') AS vector
                     FROM support_requests s JOIN clubs c ON c.id = s.club_id
                    WHERE s.document_vector IS NULL) own
             LEFT JOIN (SELECT request_id, loket_tsvector_agg(search_vector ORDER BY id) AS everything,
                               loket_tsvector_agg(search_vector ORDER BY id) FILTER (WHERE is_public) AS public
                          FROM events GROUP BY request_id) e ON e.request_id = own.id
            WHERE r.id = own.id""",
    ]


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
    if type_ == "column" and name in ("search_vector", *DOCUMENT_COLUMNS):
        return False
    if type_ == "index" and name in {f"ix_{table}_search" for table in INDEXED} | {DOCUMENT_INDEX, OPEN_DOCUMENT_INDEX}:
        return False
    return not (type_ == "table" and is_search_table(name))


def is_search_table(name: str) -> bool:
    """An FTS5 table or one of its shadow tables (SQLite)."""
    return any(name.startswith(fts_table(table)) for table in INDEXED)
