"""Ids and keys as they arrive from a form, a URL or a JSON body: the one rule for which of them can name a row."""
from loket.extensions import db
from loket.services.text import SLUG_MAX

ID_MAX = 2**31 - 1  # ids are 32-bit in the database: PostgreSQL refuses a larger number


def as_id(value) -> int | None:
    """The id this value names: an int or ASCII digits (spaces around them allowed) within 1..ID_MAX; None for
    anything else (a larger number, other text, a bool, a float), which names no row."""
    text = str(value) if type(value) is int else value.strip() if isinstance(value, str) else ""
    number = int(text) if text.isascii() and text.isdigit() and len(text) <= 10 else 0
    return number if 1 <= number <= ID_MAX else None


def as_key(value, limit: int = SLUG_MAX) -> str | None:
    """The slug or key this value can be (a loket's slug, a bond's, initiative's or region set's key): non-empty
    printable text of at most `limit` characters; None for anything else (too long, a NUL, not text), which names
    no row without asking the database."""
    return value if isinstance(value, str) and value and len(value) <= limit and value.isprintable() else None


def row_by_id(model, value):
    """The row of `model` with this id, or None when the value names no row (without asking the database)."""
    number = as_id(value)
    return db.session.get(model, number) if number is not None else None
