"""A request that wrote nothing ends its transaction with COMMIT, anything else with the rollback of every
request (services/transaction.end_read_only): psycopg forgets its prepared statements on a ROLLBACK, so only
then does a page's SQL stay planned from one request to the next."""
import pytest
from sqlalchemy import event, text

from loket.extensions import db as _db
from loket.models import CATEGORY_SCOPES, Category, SavedView
from loket.services import transaction
from tests.support.db import ON_POSTGRES, count_rows


@pytest.fixture()
def endings(app):
    """The ways the database transactions ended, in order ("commit" / "rollback")."""
    seen = []
    with app.app_context():
        engine = _db.engine
    listeners = {"commit": lambda conn: seen.append("commit"), "rollback": lambda conn: seen.append("rollback")}
    for name, listener in listeners.items():
        event.listen(engine, name, listener)
    yield seen
    for name, listener in listeners.items():
        event.remove(engine, name, listener)


def test_a_page_that_only_reads_ends_with_a_commit(login_as, endings):
    client = login_as("ondersteuner")
    endings.clear()
    assert client.get("/wachtrij/").status_code == 200
    assert endings and endings[-1] == "commit"
    assert "rollback" not in endings


def test_a_transaction_that_flushed_a_change_is_not_committed(db, network, endings):
    db.session.add(Category(slug="proef", name="Proef", scope=CATEGORY_SCOPES[0], position=99))
    db.session.flush()
    transaction.end_read_only()
    assert endings == []
    db.session.rollback()
    assert count_rows(Category, Category.slug == "proef") == 0


def test_a_change_not_yet_flushed_is_neither_written_nor_committed(db, network, endings):
    category = db.session.scalars(db.select(Category)).first()
    category.name = "Gewijzigd"
    transaction.end_read_only()
    assert endings == []
    db.session.rollback()
    assert db.session.get(Category, category.id).name != "Gewijzigd"


def test_a_statement_that_is_no_select_is_not_committed(db, network, endings):
    db.session.execute(text("UPDATE categories SET name = 'Via SQL'"))
    transaction.end_read_only()
    assert endings == []
    db.session.rollback()
    assert count_rows(Category, Category.name == "Via SQL") == 0


def test_a_read_after_a_commit_starts_clean(db, network, endings):
    """The flag belongs to one transaction: a write committed earlier does not keep the next read from its
    commit."""
    db.session.add(SavedView(name="Open", user_id=network.ondersteuner.id, queue_view="team", sort="deadline",
                              created_by_id=network.ondersteuner.id))
    transaction.commit()
    endings.clear()
    db.session.scalars(db.select(Category)).all()
    transaction.end_read_only()
    assert endings == ["commit"]


def test_a_held_write_is_left_to_its_release(db, network, endings):
    db.session.scalars(db.select(Category)).all()
    transaction.hold()
    try:
        transaction.end_read_only()
        assert endings == []
    finally:
        transaction.abandon()


@pytest.mark.skipif(not ON_POSTGRES, reason="prepared statements are PostgreSQL's")
def test_a_pages_statements_stay_prepared_from_one_request_to_the_next(app, login_as):
    client = login_as("ondersteuner")
    used = set()

    def note_connection(conn, cursor, statement, parameters, context, executemany):
        used.add(conn.connection.driver_connection)

    with app.app_context():
        engine = _db.engine
    event.listen(engine, "before_cursor_execute", note_connection)
    try:
        for _ in range(8):  # psycopg prepares what a connection has run five times
            assert client.get("/wachtrij/").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", note_connection)
    prepared = 0
    for connection in used:  # each idle in the pool now: asked directly, then put back as it was
        prepared += connection.execute("SELECT count(*) FROM pg_prepared_statements "
                                       "WHERE statement LIKE '%FROM support_requests%'").fetchone()[0]
        connection.rollback()
    assert prepared > 0



def test_a_select_with_a_common_table_expression_only_reads_unless_it_writes(db, network, endings):
    db.session.execute(text("WITH named AS (SELECT id FROM categories) SELECT count(*) FROM named"))
    transaction.end_read_only()
    assert endings == ["commit"]
    endings.clear()
    db.session.execute(text("WITH old AS (SELECT id FROM saved_views) "
                            "DELETE FROM saved_views WHERE id IN (SELECT id FROM old)"))
    transaction.end_read_only()
    assert endings == []
    db.session.rollback()
