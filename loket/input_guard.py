"""What no view has to check: the request's bytes and shape, refused before anything reads them.

The text rule itself is services/text.has_control_characters (NUL, other control characters, lone surrogates).
Each field's typed value is checked where it is used, so its Dutch message stands beside that field and the person
keeps what they typed (the services' InvalidInput; the API's pydantic models, schemas.text). What has no field to
stand beside is refused here, once, before any view, limiter or access check reads the request:

- a path with a control character or a byte sequence that is not UTF-8 names no page: 404;
- a query string or form body that is not UTF-8 (Werkzeug would keep the bytes percent-encoded or replace them):
  400 with a Dutch message (a parameter no view reads is ignored, whatever its name);
- JSON (the API's bodies) is parsed by LoketJSONProvider: nested deeper than MAX_JSON_DEPTH or carrying a lone
  surrogate (`"\\ud800"`, which no database can store) is unreadable, as invalid JSON is (the API answers 400).

Inbound mail (the `inbound` blueprint) is exempt from the body checks: SendGrid cannot retype a mail, so its
service strips what the rule refuses (text.without_control_characters) and answers 200 either way.
"""
from urllib.parse import unquote_to_bytes

from flask import render_template, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import NotFound

from loket.services.text import has_control_characters, has_lone_surrogates

MAX_JSON_DEPTH = 32  # API bodies are objects a few levels deep; far below Python's recursion limit
RAW_TEXT_BLUEPRINTS = frozenset({"inbound"})
FORM_MIMETYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})
NOT_UTF8_MESSAGE = ("Het verzoek bevat tekens die geen geldige UTF-8 zijn. Stuur het formulier opnieuw vanaf de "
                    "pagina zelf.")
TOO_DEEP_MESSAGE = f"De JSON is te diep genest: hooguit {MAX_JSON_DEPTH} niveaus."
SURROGATE_MESSAGE = ("De JSON bevat een ongeldig teken (een losse surrogaat zoals \\ud800) in ‘{path}’; zo'n teken "
                     "kan niet worden opgeslagen.")


class UnreadableJSON(ValueError):
    """JSON that parses but may not be used (too deep, a lone surrogate); the message is Dutch."""


def init_app(app):
    app.json = LoketJSONProvider(app)
    # First of all before_request hooks: nothing (CSRF, the limiter's keys, the access check) reads a request
    # this refuses.
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_unreadable_request)


def refuse_unreadable_request():
    if not _is_utf8(request.environ.get("PATH_INFO", "").encode("latin-1", "replace")) or \
            has_control_characters(request.path):
        return _answer(404, None)
    if not _is_utf8(unquote_to_bytes(request.query_string.replace(b"+", b" "))):
        return _answer(400, NOT_UTF8_MESSAGE)
    if request.method in ("GET", "HEAD", "OPTIONS") or request.mimetype not in FORM_MIMETYPES or \
            request.blueprint in RAW_TEXT_BLUEPRINTS:
        return None
    if request.mimetype == "application/x-www-form-urlencoded" and not _is_utf8(
            unquote_to_bytes(request.get_data(cache=True).replace(b"+", b" "))):
        return _answer(400, NOT_UTF8_MESSAGE)
    return None


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _answer(code: int, message: str | None):
    from loket.blueprints.api.problems import is_api_request, problem

    if is_api_request():
        return problem(code, message)
    return render_template("errors/error.html", code=code, error=NotFound() if code == 404 else None,
                           message=message), code


class LoketJSONProvider(DefaultJSONProvider):
    """Flask's JSON, reading only what may be used: every request.get_json (the API's bodies, the limiter's key
    functions) gets None or a 400 for JSON that is too deep or holds a lone surrogate, never a RecursionError."""

    def loads(self, s, **kwargs):
        try:
            value = super().loads(s, **kwargs)
        except RecursionError:
            raise UnreadableJSON(TOO_DEEP_MESSAGE) from None
        check_json_value(value)
        return value


def check_json_value(value) -> None:
    """:raises UnreadableJSON: nested deeper than MAX_JSON_DEPTH, or a lone surrogate in a key or a text.
    Other control characters are the fields' business (schemas.text), so their message names the field."""
    pending = [(value, 1, "")]
    while pending:
        item, depth, path = pending.pop()
        if isinstance(item, str):
            if has_lone_surrogates(item):
                raise UnreadableJSON(SURROGATE_MESSAGE.format(path=path or "body"))
            continue
        if not isinstance(item, (dict, list)):
            continue
        if depth > MAX_JSON_DEPTH:
            raise UnreadableJSON(TOO_DEEP_MESSAGE)
        pairs = item.items() if isinstance(item, dict) else enumerate(item)
        for key, child in pairs:
            if isinstance(key, str) and has_lone_surrogates(key):  # the message names the object holding the key
                raise UnreadableJSON(SURROGATE_MESSAGE.format(path=path or "body"))
            where = f"{path}.{key}" if path else str(key)
            pending.append((child, depth + 1, where))

