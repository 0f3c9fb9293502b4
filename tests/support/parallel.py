"""Running the suite in several processes (pytest-xdist, `make test` uses one per CPU).

Each process has its own SQLite databases and redis-servers already (in memory, temporary files, free ports).
What the environment names once has to be split: with DATABASE_URL every xdist worker gets a PostgreSQL
database of its own beside the named one (created when missing), and with REDIS_URL a Redis db number of its
own (LOKET_TEST_REDIS_DB, 15 for the first worker, 14 for the next, …). Called at the very top of
tests/conftest.py, before config.py reads the environment.
"""
import os

from sqlalchemy.engine import make_url

FIRST_REDIS_DB = 15


def worker_number() -> int | None:
    """0, 1, … under pytest-xdist; None in a single process."""
    name = os.environ.get("PYTEST_XDIST_WORKER", "")
    return int(name[2:]) if name.startswith("gw") and name[2:].isdigit() else None


def give_this_worker_its_own_services() -> None:
    number = worker_number()
    if number is None:
        return
    if number >= FIRST_REDIS_DB:
        raise RuntimeError(f"at most {FIRST_REDIS_DB} test processes: Redis has a db number for each")
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        os.environ["DATABASE_URL"] = _own_postgres_database(url, number)
    if os.environ.get("REDIS_URL") and "LOKET_TEST_REDIS_DB" not in os.environ:
        os.environ["LOKET_TEST_REDIS_DB"] = str(FIRST_REDIS_DB - number)


def _own_postgres_database(url: str, number: int) -> str:
    import psycopg

    base = make_url(url)
    name = f"{base.database or 'postgres'}_xdist{number}"[:63]
    dsn = base.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
    return base.set(database=name).render_as_string(hide_password=False)
