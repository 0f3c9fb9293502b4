"""Shared column helpers: UTC timestamps and string choices checked by the database."""
from datetime import UTC, datetime

from sqlalchemy import CheckConstraint


def utcnow() -> datetime:
    """Naive UTC: the same on SQLite and PostgreSQL; the UI converts to Europe/Amsterdam."""
    return datetime.now(UTC).replace(tzinfo=None)


def choice_constraint(column: str, choices, name: str | None = None) -> CheckConstraint:
    """A CHECK that keeps a string column within its allowed values."""
    values = ", ".join(f"'{choice}'" for choice in choices)
    return CheckConstraint(f"{column} IN ({values})", name=name or f"{column}_choice")
