"""Strict checks of JSON bodies and query strings against the same schemas the OpenAPI document shows.

Supports the subset of JSON Schema the API uses (type, properties, required, additionalProperties,
items, enum, minLength, maxLength, minItems, maxItems, minimum, maximum, oneOf of types); `SUPPORTED`
lists it, and a test keeps every schema inside it. Booleans are never integers; unknown fields are
refused, and so is text with NUL characters. Messages are Dutch, keyed by the field's path (`to.id`,
`memberships.0.role`).
"""
from flask import request

from loket.blueprints.api.problems import MalformedBody, UnsupportedMediaType
from loket.services.errors import InvalidInput

SUPPORTED = frozenset({
    "type", "properties", "required", "additionalProperties", "items", "enum", "minLength", "maxLength",
    "minItems", "maxItems", "minimum", "maximum", "oneOf", "description", "examples", "default", "format",
})
TYPE_MESSAGES = {
    "string": "Moet tekst zijn.",
    "integer": "Moet een geheel getal zijn.",
    "boolean": "Moet true of false zijn.",
    "array": "Moet een lijst zijn.",
    "object": "Moet een object zijn.",
    "null": "Moet leeg (null) zijn.",
}
REQUIRED_MESSAGE = "Dit veld is verplicht."
UNKNOWN_FIELD_MESSAGE = "Onbekend veld; de API kent dit veld hier niet."


def _has_type(value, type_name: str) -> bool:
    if type_name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, {"string": str, "boolean": bool, "array": list, "object": dict,
                              "null": type(None)}[type_name])


def check(schema: dict, value, errors: dict[str, str], path: str = "") -> None:
    """Add a Dutch message to `errors` for each way `value` breaks `schema` (first problem per field)."""
    if "oneOf" in schema:
        matching = [s for s in schema["oneOf"] if _has_type(value, s["type"])]
        if not matching:
            errors[path or "body"] = " Of: ".join(TYPE_MESSAGES[s["type"]] for s in schema["oneOf"])
            return
        schema = matching[0]
    types = schema.get("type")
    types = [types] if isinstance(types, str) else types or []
    if types and not any(_has_type(value, t) for t in types):
        errors[path or "body"] = TYPE_MESSAGES[next(t for t in types if t != "null")]
        return
    if "enum" in schema and value not in schema["enum"]:
        errors[path] = f"Kies uit: {', '.join(str(v) for v in schema['enum'])}."
    elif isinstance(value, str):
        if "\x00" in value:  # PostgreSQL cannot store NUL in text; no real input contains it
            errors[path] = "Mag geen NUL-teken (\\u0000) bevatten."
        elif len(value) < schema.get("minLength", 0):
            errors[path] = "Mag niet leeg zijn." if schema["minLength"] == 1 else \
                f"Moet minstens {schema['minLength']} tekens lang zijn."
        elif "maxLength" in schema and len(value) > schema["maxLength"]:
            errors[path] = f"Mag hooguit {schema['maxLength']} tekens lang zijn (nu {len(value)})."
    elif _has_type(value, "integer"):
        if "minimum" in schema and value < schema["minimum"]:
            errors[path] = f"Moet minstens {schema['minimum']} zijn."
        elif "maximum" in schema and value > schema["maximum"]:
            errors[path] = f"Mag hooguit {schema['maximum']} zijn."
    elif isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            errors[path] = f"Geef er minstens {schema['minItems']}."
        elif "maxItems" in schema and len(value) > schema["maxItems"]:
            errors[path] = f"Geef er hooguit {schema['maxItems']}."
        elif "items" in schema:
            for index, item in enumerate(value):
                check(schema["items"], item, errors, f"{path}.{index}" if path else str(index))
    elif isinstance(value, dict):
        properties = schema.get("properties", {})
        for name in schema.get("required", ()):
            if name not in value:
                errors[_join(path, name)] = REQUIRED_MESSAGE
        for name, item in value.items():
            if name in properties:
                check(properties[name], item, errors, _join(path, name))
            elif schema.get("additionalProperties", True) is False:
                errors[_join(path, name)] = UNKNOWN_FIELD_MESSAGE


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def json_body(schema: dict) -> dict:
    """The request's JSON object, checked against `schema`.

    :raises UnsupportedMediaType: not sent as application/json (415).
    :raises MalformedBody: not valid JSON, or not a JSON object (400).
    :raises InvalidInput: fields missing, unknown or of the wrong type (422).
    """
    if not request.is_json:
        raise UnsupportedMediaType(
            "Stuur de gegevens als JSON, met de header ‘Content-Type: application/json’.")
    body = request.get_json(silent=True)  # reading the body enforces the size limit (413) first
    if not isinstance(body, dict):
        raise MalformedBody("De inhoud van het verzoek is geen geldig JSON-object.")
    errors: dict[str, str] = {}
    check(schema, body, errors)
    if errors:
        raise InvalidInput(errors)
    return body


def query_args(parameters: list[dict]) -> dict:
    """The query string converted and checked against OpenAPI parameter objects (`in: query`).

    Parameters not described are ignored; described ones missing get their schema default.
    """
    values: dict = {}
    errors: dict[str, str] = {}
    for parameter in parameters:
        name, schema = parameter["name"], parameter["schema"]
        raw = request.args.get(name)
        if raw is None or raw == "":
            values[name] = schema.get("default")
            continue
        value = raw
        if schema.get("type") == "integer":
            if not raw.isascii() or not raw.isdigit():
                errors[name] = TYPE_MESSAGES["integer"]
                continue
            value = int(raw)
        check(schema, value, errors, name)
        values[name] = value
    if errors:
        raise InvalidInput(errors)
    return values
