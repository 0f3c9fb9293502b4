"""The Alembic migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""
import logging
import uuid

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from config import TestingConfig
from loket import create_app
from loket.extensions import db as _db

ON_POSTGRES = make_url(TestingConfig.SQLALCHEMY_DATABASE_URI).get_backend_name() == "postgresql"


@pytest.fixture(autouse=True)
def keep_logging():
    """Alembic's env.py runs logging.fileConfig, which disables existing loggers; put them back."""
    root = logging.getLogger()
    saved_root = (root.level, list(root.handlers))
    saved = {name: (logger.disabled, logger.level, logger.propagate, list(logger.handlers))
             for name, logger in logging.Logger.manager.loggerDict.items()
             if isinstance(logger, logging.Logger)}
    yield
    root.setLevel(saved_root[0])
    root.handlers[:] = saved_root[1]
    for name, logger in list(logging.Logger.manager.loggerDict.items()):
        if not isinstance(logger, logging.Logger):
            continue
        if name in saved:
            logger.disabled, level, logger.propagate, handlers = saved[name]
            logger.setLevel(level)
            logger.handlers[:] = handlers
        else:
            logger.disabled = False


def app_for(url: str):
    class EmptyDatabaseConfig(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url

    return create_app(EmptyDatabaseConfig)


@pytest.fixture()
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'empty.db'}"


@pytest.fixture()
def postgres_url():
    """A freshly created, empty PostgreSQL database next to the one DATABASE_URL names."""
    if not ON_POSTGRES:
        pytest.skip("needs DATABASE_URL pointing at PostgreSQL")
    admin_url = make_url(TestingConfig.SQLALCHEMY_DATABASE_URI)
    name = f"loket_migrations_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_database_url(request):
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url")


def model_tables() -> set[str]:
    return set(_db.metadata.tables)


def test_upgrade_creates_every_table_and_matches_the_models(empty_database_url):
    app = app_for(empty_database_url)
    with app.app_context():
        assert inspect(_db.engine).get_table_names() == []

        flask_migrate.upgrade()

        tables = set(inspect(_db.engine).get_table_names())
        assert tables == model_tables() | {"alembic_version"}
        with _db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert context.get_current_revision() is not None
            differences = compare_metadata(context, _db.metadata)
        assert differences == [], f"models and migrations differ: {differences}"
        _db.engine.dispose()


def test_migrated_schema_accepts_the_reference_seed(empty_database_url):
    """Not only the same tables: the migrated constraints and indexes accept real data."""
    from loket.services.seed.reference_data import seed_reference

    app = app_for(empty_database_url)
    with app.app_context():
        flask_migrate.upgrade()
        summary = seed_reference(app.config["REFERENCE_DATA_DIR"])
        assert summary.gemeenten.added == 342
        with _db.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM teams WHERE kind = 'fallback'")).scalar() == 1
        _db.session.remove()
        _db.engine.dispose()


def test_downgrade_to_base_removes_every_table(sqlite_url):
    app = app_for(sqlite_url)
    with app.app_context():
        flask_migrate.upgrade()
        assert model_tables() <= set(inspect(_db.engine).get_table_names())

        flask_migrate.downgrade(revision="base")

        assert set(inspect(_db.engine).get_table_names()) <= {"alembic_version"}
        with _db.engine.connect() as connection:
            assert MigrationContext.configure(connection).get_current_revision() is None

        flask_migrate.upgrade()  # and back up again
        assert model_tables() <= set(inspect(_db.engine).get_table_names())
        _db.engine.dispose()


def test_the_comparison_would_notice_a_drift(sqlite_url):
    """Guard for the test above: a schema that lost an index and a column type is reported."""
    app = app_for(sqlite_url)
    with app.app_context():
        flask_migrate.upgrade()
        with _db.engine.begin() as connection:
            connection.execute(text("DROP INDEX ix_support_requests_queue"))
            connection.execute(text("ALTER TABLE lokets ADD COLUMN legacy_code INTEGER"))
        with _db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, _db.metadata)
        kinds = {(d[0], getattr(d[1], "name", None)) for d in differences if isinstance(d, tuple)}
        assert ("add_index", "ix_support_requests_queue") in kinds
        assert ("remove_column", "lokets") in {(d[0], d[2]) for d in differences
                                              if isinstance(d, tuple) and d[0] == "remove_column"}
        _db.engine.dispose()
