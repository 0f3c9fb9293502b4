"""Ids as they arrive from a form, a URL or a JSON body: the one rule for which of them can name a row."""
from loket.extensions import db

ID_MAX = 2**31 - 1  # ids are 32-bit in the database: PostgreSQL refuses a larger number


def row_by_id(model, value):
    """The row of `model` with this id: an int or ASCII digits within 1..ID_MAX; None for anything else (a
    larger number, other text, a bool, a float), which names no row, without asking the database."""
    text = str(value) if type(value) is int or isinstance(value, str) else ""
    number = int(text) if text.isascii() and text.isdigit() and len(text) <= 10 else 0
    return db.session.get(model, number) if 1 <= number <= ID_MAX else None
