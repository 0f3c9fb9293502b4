"""tables lokets -> loketten and bonds -> bonden (the glossary's Dutch plurals); all data kept

Revision ID: 6c686132b54b
Revises: 3229fed618e5
Create Date: 2026-12-01 21:40:00

Renaming keeps every row and every reference. The constraint names follow the naming convention
(they carry the table name), so they are renamed too: on PostgreSQL all of them (with their indexes and
the id sequences); on SQLite the table SQL is rebuilt with the new unique and check names (ALTER TABLE
RENAME already rewrote the REFERENCES clauses of the other tables; SQLite keeps the primary and foreign
key names inside the old SQL, and nothing compares or shows them).
"""
import re

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6c686132b54b'
down_revision = '3229fed618e5'
branch_labels = None
depends_on = None

RENAMES = {"lokets": "loketten", "bonds": "bonden"}
# Per new table name: its unique column and its named CHECK constraints, as they are at this revision.
UNIQUE_COLUMN = {"loketten": "slug", "bonden": "key"}
CHECKS = {"loketten": {"status_choice": "status IN ('in_oprichting', 'operationeel')"}}


def upgrade():
    _rename(RENAMES)


def downgrade():
    _rename({new: old for old, new in RENAMES.items()})


def _rename(renames: dict[str, str]) -> None:
    for old, new in renames.items():
        op.rename_table(old, new)
    if op.get_bind().dialect.name == "postgresql":
        _rename_postgresql_names(renames)
    else:
        for old, new in renames.items():
            _rebuild_sqlite_table(old, new)


def _renamed(name: str, renames: dict[str, str]) -> str:
    """A convention name with the old table name replaced where it stands as a whole `_`-separated word."""
    for old, new in renames.items():
        name = re.sub(rf"(?<![a-z0-9]){old}(?![a-z0-9])", new, name)
    return name


def _rename_postgresql_names(renames: dict[str, str]) -> None:
    bind = op.get_bind()
    pattern = "|".join(renames)
    constraints = bind.execute(sa.text(
        "SELECT c.relname, con.conname FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND con.conname ~ :pattern"),
        {"pattern": rf"(^|_)({pattern})(_|$)"}).all()
    for table, constraint in constraints:
        new_name = _renamed(constraint, renames)
        if new_name != constraint:
            op.execute(f'ALTER TABLE "{table}" RENAME CONSTRAINT "{constraint}" TO "{new_name}"')
    for old, new in renames.items():
        op.execute(f'ALTER SEQUENCE IF EXISTS "{old}_id_seq" RENAME TO "{new}_id_seq"')


def _rebuild_sqlite_table(old: str, new: str) -> None:
    key = new if new in UNIQUE_COLUMN else old
    column = UNIQUE_COLUMN[key]
    with op.batch_alter_table(new, recreate="always") as batch_op:
        batch_op.drop_constraint(op.f(f"uq_{old}_{column}"), type_="unique")
        batch_op.create_unique_constraint(op.f(f"uq_{new}_{column}"), [column])
        for name, condition in CHECKS.get(key, {}).items():
            batch_op.drop_constraint(op.f(f"ck_{old}_{name}"), type_="check")
            batch_op.create_check_constraint(op.f(f"ck_{new}_{name}"), sa.text(condition))
