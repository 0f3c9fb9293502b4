"""Shared helpers: UTC timestamps, the Dutch calendar day, and string choices checked by the database."""
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import CheckConstraint

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def utcnow() -> datetime:
    """Naive UTC: the same on SQLite and PostgreSQL; the UI converts to Europe/Amsterdam."""
    return datetime.now(UTC).replace(tzinfo=None)


def today_in_amsterdam() -> date:
    """Today's date in the Netherlands (dates such as aangesloten_at and audit dates are Dutch days)."""
    return datetime.now(AMSTERDAM).date()


def day_in_amsterdam(moment: datetime) -> date:
    """The Dutch calendar day of a naive-UTC moment (23:30 UTC on 1 December is 2 December here)."""
    return moment.replace(tzinfo=UTC).astimezone(AMSTERDAM).date()


def choice_constraint(column: str, choices, name: str | None = None) -> CheckConstraint:
    """A CHECK that keeps a string column within its allowed values."""
    values = ", ".join(f"'{choice}'" for choice in choices)
    return CheckConstraint(f"{column} IN ({values})", name=name or f"{column}_choice")
