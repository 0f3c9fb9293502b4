"""Rules for text typed by people: required, trimmed, within its limit, with the Dutch message to show; slugs."""
import functools
import re
import unicodedata
from datetime import date, datetime

SLUG_MAX = 80
# The message for typed text with a control character (has_control_characters), where no other words fit better.
CONTROL_MESSAGE = "Gebruik geen stuurtekens (zoals een NUL- of escape-teken)."
EMAIL_MAX = 254  # the longest address SMTP allows (RFC 5321)
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# A CBS gemeente code (GM0344): checked before any query, which also keeps NUL and long text from the database.
GEMEENTE_CODE_PATTERN = re.compile(r"^GM\d{4}$")


def required_text(errors: dict, field: str, value: str | None, *, missing: str, limit: int, what: str) -> str:
    """The trimmed text; records `missing` or a too-long message under `field` in `errors`."""
    value = (value or "").strip()
    if not value:
        errors[field] = missing
    elif len(value) > limit:
        errors[field] = f"{what} mag maximaal {limit} tekens lang zijn (nu {len(value)})."
    return value


def clean_name(errors: dict, name: str | None, limit: int, *, missing: str) -> str:
    """A name with its whitespace collapsed; records a message under `name` when empty or too long."""
    name = " ".join((name or "").split())
    if not name:
        errors["name"] = missing
    elif len(name) > limit:
        errors["name"] = f"De naam mag maximaal {limit} tekens lang zijn (nu {len(name)})."
    return name


# The one input-cleaning rule for every text that enters (forms, query strings, paths, API JSON, the CLI, inbound
# mail): no control character (C0, DEL, C1: NUL, escape, …) and no lone surrogate (half a UTF-16 pair, which no
# database or encoder can store). Longer texts may keep their line breaks and tabs (LINE_CHARACTERS).
LINE_CHARACTERS = "\t\n\r"
_CONTROLS = [chr(code) for code in (*range(0x00, 0x20), *range(0x7F, 0xA0))]


@functools.lru_cache(maxsize=32)
def _refused(allowed: str) -> re.Pattern:
    """The characters refused when `allowed` may stay, compiled once per `allowed`."""
    kept = "".join(re.escape(char) for char in _CONTROLS if char not in allowed)
    return re.compile(f"[{kept}\ud800-\udfff]")


def has_control_characters(text: str, *, allowed: str = "") -> bool:
    """Whether typed text holds a control character (NUL, escape, …) that no name has, or a lone surrogate;
    PostgreSQL refuses NUL. `allowed` lists those that may stay (LINE_CHARACTERS in a longer text)."""
    return _refused(allowed).search(text) is not None


def without_control_characters(text: str, *, allowed: str = LINE_CHARACTERS) -> str:
    """The text with what has_control_characters refuses taken out (for text nobody can be asked to retype, such as
    an inbound mail: it is cleaned, not refused)."""
    return _refused(allowed).sub("", text)


def has_lone_surrogates(text: str) -> bool:
    """Whether the text holds half a UTF-16 pair (JSON's "\\ud800"): not Unicode, so nothing can store it."""
    return _SURROGATE.search(text) is not None


_SURROGATE = re.compile("[\ud800-\udfff]")


def control_character_problem(text: str, *, allowed: str = "") -> str | None:
    """CONTROL_MESSAGE when the text breaks the rule, else None (for callers that collect Dutch messages)."""
    return CONTROL_MESSAGE if has_control_characters(text, allowed=allowed) else None


WEB_SCHEMES = ("https", "http")


def is_web_address(url: str) -> bool:
    """Whether typed text is a web address a page may link: http(s), a host after it, no spaces or control
    characters (a `javascript:` link would run)."""
    scheme, _, rest = url.partition("://")
    return (scheme.lower() in WEB_SCHEMES and bool(rest.strip("/")) and not has_control_characters(url)
            and not any(c.isspace() for c in url))


def slugify(name: str) -> str:
    """'Financiën, subsidies & fondsen' → 'financien-subsidies-fondsen'."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:SLUG_MAX].rstrip("-")


def url_key_problem(key: str, *, format_message: str, limit: int, reserved=frozenset(), word: str = "sleutel"
                    ) -> str | None:
    """What is wrong with a new slug or key that names a row in URLs (a loket's slug, a bond's or initiative's key),
    as the Dutch message, or None. `key` is trimmed and lower-cased already; whether it is taken is the caller's.

    A key of digits only is refused: API paths take an id or a key (/collaborators/bond/7), so "7" would name
    row 7. Reserved keys are paths beside the row's own page (…/nieuw)."""
    if not key or len(key) > limit or not SLUG_PATTERN.match(key):
        return format_message
    if key in reserved:
        return f"De {word} ‘{key}’ is gereserveerd; kies een andere."
    if key.isdigit():
        return f"De {word} ‘{key}’ bestaat alleen uit cijfers: de API leest dat als een nummer (id). Voeg een letter toe."
    return None


def typed_day(value) -> date | None:
    """A day typed as 2026-03-31 or 31-03-2026 (a date passes through; empty is None).

    :raises ValueError: text that is no such day (the caller words the Dutch message for its field)."""
    if value is None or isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        return None
    for parse in (date.fromisoformat, lambda t: datetime.strptime(t, "%d-%m-%Y").date()):
        try:
            return parse(text)
        except ValueError:
            continue
    raise ValueError(text)
