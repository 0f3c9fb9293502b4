"""What the API adds to spectree's validation: the JSON checks that come before the model (415, 400),
Dutch messages per field for pydantic's errors (422), a response that breaks its model as our error, and a
cheaper look at what a view returns.

Messages are keyed by the field's path (`to.id`, `memberships.0.role`), the first problem per field.
"""
import re
from dataclasses import is_dataclass

from flask import current_app, request
from pydantic import BaseModel, ValidationError
from spectree.model_adapter.pydantic_adapter import PydanticModelAdapter
from spectree.plugins.base import Context
from spectree.plugins.flask_plugin import FlaskPlugin
from spectree.utils import get_multidict_items

from loket.blueprints.api.problems import MalformedBody, UnsupportedMediaType
from loket.blueprints.api.schemas import UNION_TAGS
from loket.input_guard import UnreadableJSON
from loket.services.errors import InvalidInput

REQUIRED_MESSAGE = "Dit veld is verplicht."
UNKNOWN_FIELD_MESSAGE = "Onbekend veld; de API kent dit veld hier niet."
FIXED_MESSAGES = {
    "missing": REQUIRED_MESSAGE,
    "extra_forbidden": UNKNOWN_FIELD_MESSAGE,
    "string_type": "Moet tekst zijn.",
    "int_type": "Moet een geheel getal zijn.",
    "int_parsing": "Moet een geheel getal zijn.",
    "int_from_float": "Moet een geheel getal zijn.",
    "bool_type": "Moet true of false zijn.",
    "bool_parsing": "Moet true of false zijn.",
    "list_type": "Moet een lijst zijn.",
    "dict_type": "Moet een object zijn.",
    "model_type": "Moet een object zijn.",
    "model_attributes_type": "Moet een object zijn.",
    "none_required": "Moet leeg (null) zijn.",
}
# Errors our own validators raise (schemas.py) already carry a Dutch message.
OWN_ERRORS = frozenset({"nul_character", "int_or_text"})
QUOTED = re.compile(r"'([^']*)'")  # pydantic lists a Literal's values as 'a', 'b' or 'c'
LENGTH_ERRORS = frozenset({"string_too_short", "string_too_long", "too_short", "too_long"})
FALLBACK_MESSAGE = "Deze waarde is hier niet geldig."
MULTIPART_MESSAGE = ("Stuur een bestand als multipart/form-data, met het bestand in het deel ‘file’ "
                     "(header ‘Content-Type: multipart/form-data; boundary=…’).")


def dutch_message(error: dict) -> str:
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind in FIXED_MESSAGES:
        return FIXED_MESSAGES[kind]
    if kind in OWN_ERRORS:
        return error["msg"]
    if kind == "literal_error":
        return f"Kies uit: {', '.join(QUOTED.findall(ctx['expected']))}."
    if kind in LENGTH_ERRORS and isinstance(error["input"], str):  # pydantic says too_short for text too
        minimum, maximum = ctx.get("min_length"), ctx.get("max_length")
        if kind.endswith("too_long"):
            return f"Mag hooguit {maximum} tekens lang zijn (nu {len(error['input'])})."
        return "Mag niet leeg zijn." if minimum == 1 else f"Moet minstens {minimum} tekens lang zijn."
    if kind == "greater_than_equal":
        return f"Moet minstens {ctx['ge']} zijn."
    if kind == "less_than_equal":
        return f"Mag hooguit {ctx['le']} zijn."
    if kind == "too_short":
        return f"Geef er minstens {ctx['min_length']}."
    if kind == "too_long":
        return f"Geef er hooguit {ctx['max_length']}."
    return FALLBACK_MESSAGE


def field_errors(error: ValidationError) -> dict[str, str]:
    """pydantic's errors as {field path: Dutch message}."""
    errors: dict[str, str] = {}
    for item in error.errors(include_url=False):
        path = ".".join(str(part) for part in item["loc"] if part not in UNION_TAGS) or "body"
        errors.setdefault(path, dutch_message(item))
    return errors


def json_object() -> dict:
    """The request's JSON object, before any field is looked at.

    :raises UnsupportedMediaType: not sent as application/json (415).
    :raises MalformedBody: not valid JSON, not a JSON object, nested too deep or with a lone surrogate (400).
    """
    if not request.is_json:
        raise UnsupportedMediaType(
            "Stuur de gegevens als JSON, met de header ‘Content-Type: application/json’.")
    raw = request.get_data(cache=True)  # reading the body enforces the size limit (413) first
    try:
        body = current_app.json.loads(raw)
    except UnreadableJSON as error:  # too deep, a lone surrogate: the Dutch reason
        raise MalformedBody(str(error)) from None
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise MalformedBody("De inhoud van het verzoek is geen geldig JSON-object.")
    return body


class LoketModelAdapter(PydanticModelAdapter):
    """spectree's pydantic adapter, told that a model is only ever a view's whole answer. Before it lets Flask
    write an answer, spectree asks whether any value inside it is a model, walking every one (3,300 for a page
    of 25 requests: 15 % of the listing's time). The views return what serializers.py builds, plain JSON values;
    a model among them would fail in Flask's JSON encoder, which the API tests would show."""

    def is_partial_model_instance(self, value) -> bool:
        return isinstance(value, BaseModel) or is_dataclass(value)


class LoketFlaskPlugin(FlaskPlugin):
    """spectree's Flask plugin, with bodies checked as JSON objects for every method (DELETE included)
    and each operation named after its view."""

    def request_validation(self, request, query, json, form, headers, cookies):
        request.context = Context(
            self.model_adapter.validate_obj(query, get_multidict_items(request.args, query)) if query else None,
            self.model_adapter.validate_obj(json, json_object()) if json else None,
            self.model_adapter.validate_obj(form, self.multipart_form(request)) if form else None,
            None, None,
        )

    def multipart_form(self, request) -> dict:
        """The fields and files of an upload (multipart/form-data only; reading it enforces the size limit)."""
        if request.mimetype != "multipart/form-data":
            raise UnsupportedMediaType(MULTIPART_MESSAGE)
        return self.fill_form(request)

    def get_func_operation_id(self, func, path, method):
        return func.__name__


def refuse_invalid_input(request, response, validation_error, instance, model_adapter):
    """spectree's `before` hook: invalid fields become a 422 problem with Dutch messages."""
    if validation_error is not None:
        raise InvalidInput(field_errors(validation_error))


class UndocumentedResponse(RuntimeError):
    """A view answered something its response model does not allow: our bug, a 500."""


def refuse_undocumented_response(request, response, validation_error, instance, model_adapter):
    """spectree's `after` hook."""
    if validation_error is not None:
        raise UndocumentedResponse(str(validation_error))
