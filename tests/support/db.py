"""The database as tests see it: which backend, a clean slate, counting rows and SQL statements."""
import os
import uuid
from contextlib import contextmanager

from sqlalchemy import create_engine, event, func, select, text
from sqlalchemy.engine import make_url

from loket.extensions import db as _db

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")


def clean_database() -> None:
    """Empty every table, children first, and restart the id sequences (PostgreSQL), so each test starts
    from empty tables with ids from 1. Deleting from small tables is several times faster than TRUNCATE
    (PostgreSQL) or rebuilding the schema (SQLite), which is most of a short test's time."""
    if ON_POSTGRES:  # one round trip: the statements as one script (no parameters, so psycopg allows it)
        script = "".join(f'DELETE FROM "{table.name}";' for table in reversed(_db.metadata.sorted_tables))
        _db.session.connection().exec_driver_sql(
            script + "SELECT setval(c.oid::regclass, 1, false) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'S' AND n.nspname = current_schema()")
    else:
        for table in reversed(_db.metadata.sorted_tables):
            _db.session.execute(table.delete())
    _db.session.commit()


def count_rows(model, *where) -> int:
    """How many rows of `model` (optionally only those matching the `where` clauses)."""
    return _db.session.scalar(select(func.count()).select_from(model).where(*where))


def reloaded(instance):
    """The row read back from the database (what the requests committed, not what the session holds)."""
    _db.session.expire_all()
    return _db.session.get(type(instance), instance.id)


@contextmanager
def count_queries(app):
    """The SQL statements sent while the block runs (a list, filled in as they are sent)."""
    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = _db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


@contextmanager
def fresh_postgres_database(prefix: str):
    """A new, empty PostgreSQL database next to the one DATABASE_URL names (never the shared test database),
    dropped afterwards; yields its URL."""
    from config import TestingConfig

    admin_url = make_url(TestingConfig.SQLALCHEMY_DATABASE_URI)
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"[:63]
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def app_on(url: str):
    """An app whose database is `url` (an empty one a test migrates itself), beside the shared test app."""
    from config import TestingConfig
    from loket import create_app

    class EmptyDatabaseConfig(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url

    return create_app(EmptyDatabaseConfig)


@contextmanager
def logging_kept():
    """Alembic's env.py runs logging.fileConfig, which disables and reconfigures existing loggers: put every
    logger (and the root's level and handlers) back as they were."""
    import logging

    root = logging.getLogger()
    saved_root = (root.level, list(root.handlers))
    saved = {name: (logger.disabled, logger.level, logger.propagate, list(logger.handlers))
             for name, logger in logging.Logger.manager.loggerDict.items()
             if isinstance(logger, logging.Logger)}
    try:
        yield
    finally:
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


def demo_data_at(app, revision: str) -> None:
    """Migrate `app`'s empty database to `revision` and load the reference and demo data there (in the app's
    context): the rows a later migration then has to fill from."""
    import flask_migrate

    from loket.models import SupportRequest
    from loket.services.seed.demo_data import seed_demo
    from loket.services.seed.reference_data import seed_reference

    flask_migrate.upgrade(revision=revision)
    seed_reference(app.config["REFERENCE_DATA_DIR"])
    seed_demo()
    _db.session.remove()
    assert count_rows(SupportRequest) > 0
