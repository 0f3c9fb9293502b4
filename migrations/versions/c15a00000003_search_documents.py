"""search documents: each request's whole text as one vector, kept by triggers, searched through (team, vector)

PostgreSQL only (SQLite keeps its FTS5 tables): support_requests.document_vector (own text, club name, every
message and note) and public_document_vector (without the internal notes), the triggers that keep them, and a
GIN index on (owner_team_id, document_vector) with btree_gin. The same statements as
loket/models/search_index.py (which create_all runs), written out here so this migration stays as it was when
the models change. Filling 1,000,000 requests takes a few minutes (one pass over the events).

Revision ID: c15a00000003
Revises: c15a00000002
Create Date: 2026-12-04
"""
from alembic import op

revision = 'c15a00000003'
down_revision = 'c15a00000002'
branch_labels = None
depends_on = None

DOCUMENT_INDEX = "ix_support_requests_team_document"
OPEN_DOCUMENT_INDEX = "ix_support_requests_team_open_document"
OPEN_CONDITION = "status IN ('nieuw', 'in_behandeling', 'wacht_op_club', 'doorverwezen')"
DOCUMENT_TRIGGERS = (("support_requests", "loket_document_own"), ("events", "loket_document_events_added"),
                     ("events", "loket_document_events_changed"), ("events", "loket_document_events_removed"),
                     ("clubs", "loket_document_club_renamed"))


def _document_of(row: str, internal: str) -> str:
    """SQL for the document vector of the support_requests row `row` (NEW or a table alias)."""
    return (f"loket_request_document({row}.id, {row}.reference, {row}.title, {row}.description, {row}.club_id, "
            f"{internal})")


def _statements() -> list[str]:
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
        *_fill(),
        f"CREATE INDEX IF NOT EXISTS {DOCUMENT_INDEX} ON support_requests "
        "USING gin (owner_team_id, document_vector)",
        # The queue's default (open requests only) searches a much smaller index.
        f"CREATE INDEX IF NOT EXISTS {OPEN_DOCUMENT_INDEX} ON support_requests "
        f"USING gin (owner_team_id, document_vector) WHERE {OPEN_CONDITION}",
    ]


def _fill() -> list[str]:
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



def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in _statements():
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP INDEX IF EXISTS {DOCUMENT_INDEX}")
        op.execute(f"DROP INDEX IF EXISTS {OPEN_DOCUMENT_INDEX}")
        for table, trigger in DOCUMENT_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
        for function in ("loket_request_document_own", "loket_request_document_events_added",
                         "loket_request_document_events_changed", "loket_request_document_club_renamed"):
            op.execute(f"DROP FUNCTION IF EXISTS {function}()")
        op.execute("ALTER TABLE support_requests DROP COLUMN IF EXISTS document_vector, "
                   "DROP COLUMN IF EXISTS public_document_vector")
        op.execute("DROP FUNCTION IF EXISTS loket_request_document(integer, text, text, text, integer, boolean)")
        op.execute("DROP AGGREGATE IF EXISTS loket_tsvector_agg(tsvector)")
