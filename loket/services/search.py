"""Searching a list by typed text: the one rule for what a search box accepts, and a case-insensitive
"contains" condition that treats the typed text literally (a % or _ is no wildcard)."""
from sqlalchemy import or_

from loket.services.errors import InvalidInput
from loket.services.text import has_control_characters

SEARCH_MAX = 100
SEARCH_TOO_LONG = f"Typ hooguit {SEARCH_MAX} tekens om te zoeken."
SEARCH_CONTROL = "Een zoekopdracht kan geen stuurtekens (zoals een NUL- of escape-teken) bevatten."


def search_text(raw: str | None, *, field: str = "q") -> str:
    """The typed search text with its whitespace collapsed ('' searches nothing).

    :raises InvalidInput: {field: Dutch message} for a control character (PostgreSQL refuses NUL) or too long.
    """
    text = " ".join((raw or "").split())
    if has_control_characters(raw or ""):
        raise InvalidInput({field: SEARCH_CONTROL})
    if len(text) > SEARCH_MAX:
        raise InvalidInput({field: SEARCH_TOO_LONG})
    return text


def contains(text: str, *columns):
    """Any of the columns contains `text`, ignoring case."""
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return or_(*(column.ilike(pattern, escape="\\") for column in columns))
