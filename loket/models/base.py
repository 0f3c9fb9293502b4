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


def last_months(count: int, today: date) -> tuple[date, ...]:
    """The first days of the `count` calendar months up to and including today's, oldest first."""
    index = today.year * 12 + today.month - 1
    return tuple(date((i // 12), i % 12 + 1, 1) for i in range(index - count + 1, index + 1))


def next_month(first: date) -> date:
    """The first day of the month after the one starting on `first`."""
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def choice_constraint(column: str, choices, name: str | None = None) -> CheckConstraint:
    """A CHECK that keeps a string column within its allowed values."""
    values = ", ".join(f"'{choice}'" for choice in choices)
    return CheckConstraint(f"{column} IN ({values})", name=name or f"{column}_choice")
