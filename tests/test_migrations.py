"""The Alembic migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from config import TestingConfig
from loket.extensions import db as _db
from loket.models import search_index
from tests.support.db import app_on, fresh_postgres_database

ON_POSTGRES = make_url(TestingConfig.SQLALCHEMY_DATABASE_URI).get_backend_name() == "postgresql"


@pytest.fixture(autouse=True)
def logging_put_back(keep_logging):
    """Every test here runs Alembic."""


@pytest.fixture()
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'empty.db'}"


@pytest.fixture()
def postgres_url():
    """A freshly created, empty PostgreSQL database next to the one DATABASE_URL names."""
    if not ON_POSTGRES:
        pytest.skip("needs DATABASE_URL pointing at PostgreSQL")
    with fresh_postgres_database("loket_migrations") as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_database_url(request):
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url")


def model_tables() -> set[str]:
    return set(_db.metadata.tables)


def test_upgrade_creates_every_table_and_matches_the_models(empty_database_url):
    app = app_on(empty_database_url)
    with app.app_context():
        assert inspect(_db.engine).get_table_names() == []

        flask_migrate.upgrade()

        tables = {name for name in inspect(_db.engine).get_table_names() if not search_index.is_search_table(name)}
        assert tables == model_tables() | {"alembic_version"}
        with _db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={
                "compare_type": True, "include_object": search_index.outside_search_index})
            assert context.get_current_revision() is not None
            differences = compare_metadata(context, _db.metadata)
        assert differences == [], f"models and migrations differ: {differences}"
        # The full-text index, which the comparison leaves out, is there as create_all makes it.
        inspector = inspect(_db.engine)
        for table in search_index.INDEXED:
            if _db.engine.dialect.name == "sqlite":
                assert search_index.fts_table(table) in inspector.get_table_names()
            else:
                assert "search_vector" in {column["name"] for column in inspector.get_columns(table)}
                assert f"ix_{table}_search" in {index["name"] for index in inspector.get_indexes(table)}
        _db.engine.dispose()


def test_migrated_schema_accepts_the_reference_seed(empty_database_url):
    """Not only the same tables: the migrated constraints and indexes accept real data."""
    from loket.services.seed.reference_data import seed_reference

    app = app_on(empty_database_url)
    with app.app_context():
        flask_migrate.upgrade()
        summary = seed_reference(app.config["REFERENCE_DATA_DIR"])
        assert summary.gemeenten.added == 342
        with _db.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM teams WHERE kind = 'fallback'")).scalar() == 1
        _db.session.remove()
        _db.engine.dispose()


def test_downgrade_to_base_removes_every_table(sqlite_url):
    app = app_on(sqlite_url)
    with app.app_context():
        flask_migrate.upgrade()
        assert model_tables() <= set(inspect(_db.engine).get_table_names())

        flask_migrate.downgrade(revision="base")

        assert set(inspect(_db.engine).get_table_names()) <= {"alembic_version"}  # the search tables too
        with _db.engine.connect() as connection:
            assert MigrationContext.configure(connection).get_current_revision() is None

        flask_migrate.upgrade()  # and back up again
        assert model_tables() <= set(inspect(_db.engine).get_table_names())
        _db.engine.dispose()


def test_the_comparison_would_notice_a_drift(sqlite_url):
    """Guard for the test above: a schema that lost an index and a column type is reported."""
    app = app_on(sqlite_url)
    with app.app_context():
        flask_migrate.upgrade()
        with _db.engine.begin() as connection:
            connection.execute(text("DROP INDEX ix_support_requests_queue"))
            connection.execute(text("ALTER TABLE loketten ADD COLUMN legacy_code INTEGER"))
        with _db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, _db.metadata)
        kinds = {(d[0], getattr(d[1], "name", None)) for d in differences if isinstance(d, tuple)}
        assert ("add_index", "ix_support_requests_queue") in kinds
        assert ("remove_column", "loketten") in {(d[0], d[2]) for d in differences
                                              if isinstance(d, tuple) and d[0] == "remove_column"}
        _db.engine.dispose()


BEFORE_TABLE_RENAME = "3229fed618e5"  # the tables were still called lokets and bonds


def _row_counts(connection, tables) -> dict[str, int]:
    return {table: connection.execute(text(f'SELECT count(*) FROM "{table}"')).scalar() for table in tables}


def _dangling_references(connection) -> list:
    """Rows whose loket_id / bond_id points at nothing, whatever the tables are called."""
    loketten, bonden = ("loketten", "bonden") if "loketten" in inspect(connection).get_table_names() \
        else ("lokets", "bonds")
    checks = [("gemeenten", "loket_id", loketten), ("teams", "loket_id", loketten), ("teams", "bond_id", bonden),
              ("memberships", "loket_id", loketten), ("memberships", "bond_id", bonden),
              ("bond_sports", "bond_id", bonden)]
    return [(table, column) for table, column, target in checks if connection.execute(text(
        f'SELECT count(*) FROM "{table}" t WHERE t.{column} IS NOT NULL '
        f'AND NOT EXISTS (SELECT 1 FROM "{target}" x WHERE x.id = t.{column})')).scalar()]


def test_renaming_lokets_and_bonds_keeps_every_row_and_reference(empty_database_url):
    """On a database filled with the reference and demo data: down to the old table names and up again."""
    from loket.models import Loket
    from loket.services.seed.demo_data import seed_demo
    from loket.services.seed.reference_data import seed_reference

    app = app_on(empty_database_url)
    with app.app_context():
        flask_migrate.upgrade()
        seed_reference(app.config["REFERENCE_DATA_DIR"])
        seed_demo()
        _db.session.remove()
        kept = ("gemeenten", "teams", "memberships", "bond_sports", "support_requests", "clubs")
        with _db.engine.connect() as connection:
            before = _row_counts(connection, ("loketten", "bonden", *kept))
            # What the old schema cannot hold goes on the way down (the initiatives' teams with their offers, the
            # roles added in issue #12); every other row is kept.
            before["teams"] -= connection.execute(text("SELECT count(*) FROM teams WHERE kind = 'initiatief'")).scalar()
            before["memberships"] -= connection.execute(text(
                "SELECT count(*) FROM memberships WHERE role IN ('initiatiefmedewerker', 'gemeente', 'adviseur')"
            )).scalar()
            slugs = connection.execute(text("SELECT id, slug FROM loketten ORDER BY id")).all()
        assert before["loketten"] > 0 and before["bonden"] > 0 and before["support_requests"] > 0

        flask_migrate.downgrade(revision=BEFORE_TABLE_RENAME)
        with _db.engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
            assert {"lokets", "bonds"} <= tables and not {"loketten", "bonden"} & tables
            assert _row_counts(connection, ("lokets", "bonds", *kept)) == {
                "lokets": before["loketten"], "bonds": before["bonden"], **{t: before[t] for t in kept}}
            assert _dangling_references(connection) == []

        flask_migrate.upgrade()
        with _db.engine.connect() as connection:
            assert _row_counts(connection, ("loketten", "bonden", *kept)) == before
            assert connection.execute(text("SELECT id, slug FROM loketten ORDER BY id")).all() == slugs
            assert _dangling_references(connection) == []
            context = MigrationContext.configure(connection, opts={
                "compare_type": True, "include_object": search_index.outside_search_index})
            assert compare_metadata(context, _db.metadata) == []
        # The id sequence still hands out fresh ids after the rename (PostgreSQL), and the renamed
        # unique constraint still refuses a taken slug.
        _db.session.add(Loket(name="Nieuw loket", slug="nieuw-loket", status="in_oprichting"))
        _db.session.commit()
        assert _db.session.scalar(text("SELECT max(id) FROM loketten")) == max(i for i, _ in slugs) + 1
        _db.session.add(Loket(name="Dubbel", slug="nieuw-loket", status="in_oprichting"))
        with pytest.raises(IntegrityError):
            _db.session.commit()
        _db.session.rollback()
        _db.session.remove()
        _db.engine.dispose()
