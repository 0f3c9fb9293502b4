"""The test network, built once per test process and put back for each test.

Building it with the factories (seeded categories and criteria, 14 users with hashed passwords, one flush per
object) takes 130 ms on SQLite and 230 ms on PostgreSQL, and most tests need it: a third of the suite's time.
The first test of a process builds it with `factories.build_network()` and keeps every row of every table; each
later test gets the same rows back with one multi-row INSERT per table (and the id sequences moved past them on
PostgreSQL), so the database and every id are exactly what the factories made.

The namespace holds only (model, primary key) per name; an object is loaded from the session the first time a
test reads it, as the factories' objects were after their commit (which expired them).
"""
from types import SimpleNamespace

from sqlalchemy import inspect, select, text

from loket.extensions import db
from tests import factories
from tests.support.db import ON_POSTGRES


class _Snapshot:
    def __init__(self, rows: dict, keys: dict, sequences: dict):
        self.rows = rows            # table name → list of row dicts, tables in dependency order
        self.keys = keys            # network attribute → (model class, primary key)
        self.sequences = sequences  # table name → the highest id (PostgreSQL's sequences go on from there)


_snapshot: _Snapshot | None = None


class Network(SimpleNamespace):
    """factories.build_network()'s namespace, loading each object on first use."""

    def __init__(self, keys: dict):
        super().__init__()
        object.__setattr__(self, "_keys", keys)

    def __getattr__(self, name):
        keys = object.__getattribute__(self, "_keys")
        if name not in keys:
            raise AttributeError(name)
        model, key = keys[name]
        instance = db.session.get(model, key)
        setattr(self, name, instance)
        return instance


def network() -> SimpleNamespace:
    """The network on a clean database (tests/support/db.clean_database has just run)."""
    global _snapshot
    if _snapshot is None:
        built = factories.build_network()
        _snapshot = _take(built)
        return built
    _restore(_snapshot)
    return Network(_snapshot.keys)


def _take(built: SimpleNamespace) -> _Snapshot:
    rows, sequences = {}, {}
    for table in db.metadata.sorted_tables:
        found = [dict(row) for row in db.session.execute(select(table)).mappings()]
        if found:
            rows[table.name] = found
            if "id" in table.c and isinstance(found[0].get("id"), int):
                sequences[table.name] = max(row["id"] for row in found)
    keys = {}
    for name, instance in vars(built).items():
        state = inspect(instance)
        keys[name] = (type(instance), state.identity[0] if len(state.identity) == 1 else state.identity)
    return _Snapshot(rows, keys, sequences)


def _restore(snapshot: _Snapshot) -> None:
    tables = db.metadata.tables
    for name, rows in snapshot.rows.items():
        db.session.execute(tables[name].insert(), rows)
    if ON_POSTGRES and snapshot.sequences:
        moves = ", ".join(f"setval(pg_get_serial_sequence('{name}', 'id'), {highest})"
                          for name, highest in snapshot.sequences.items())
        db.session.execute(text(f"SELECT {moves}"))
    db.session.commit()
