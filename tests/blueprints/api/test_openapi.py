"""The OpenAPI document matches the real routes, documents security and errors, and is valid OpenAPI 3.1."""
import re

import pytest
from openapi_spec_validator import validate
from pydantic import ValidationError

from loket.blueprints.api import validation
from loket.blueprints.api.openapi import spec
from loket.blueprints.api.problems import PROBLEM_MIMETYPE

API = "/api/v1"
AUTOMATIC_METHODS = {"HEAD", "OPTIONS"}


def _api_routes(app) -> set[tuple[str, str]]:
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] == "api":
            path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
            routes |= {(path, method.lower()) for method in rule.methods - AUTOMATIC_METHODS}
    return routes


def _operations(document):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


@pytest.fixture()
def document(client):
    response = client.get(API + "/openapi.json")  # public: no token
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.get_json()


def test_document_is_valid_openapi_3_1(document):
    assert document["openapi"].startswith("3.1")
    validate(document)


def test_document_describes_exactly_the_api_routes(app, document):
    documented = {(path, method) for path, method, _ in _operations(document)}
    assert documented == _api_routes(app)
    assert len(documented) == len(spec.operations(app))


def test_every_api_route_is_declared_through_the_registry(app):
    """Every API view goes through spectree's validation (and so is in the document it writes)."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            assert spec.get_function_metadata(app.view_functions[rule.endpoint]) is not None, rule.endpoint


def test_every_operation_documents_security_and_problem_responses(document):
    for path, method, operation in _operations(document):
        where = f"{method.upper()} {path}"
        assert "security" in operation, where
        public = operation["security"] == []
        assert public or operation["security"] == [{"bearerAuth": []}], where
        assert operation["x-roles"], where
        responses = operation["responses"]
        successes = [code for code in responses if code.startswith("2")]
        assert len(successes) == 1, where
        errors = {code for code in responses if code[0] in "45"}
        assert "500" in errors, where
        if not public:
            assert "401" in errors, where
        if "{" in path:
            assert "404" in errors, where
        if "requestBody" in operation:
            assert {"400", "413", "415", "422"} <= errors, where
            # JSON, or a file upload (the attachments) as multipart/form-data
            assert list(operation["requestBody"]["content"]) in (["application/json"], ["multipart/form-data"]), where
        for code in errors:
            name = responses[code]["$ref"].rsplit("/", 1)[1]
            content = document["components"]["responses"][name]["content"]
            assert list(content) == [PROBLEM_MIMETYPE], where
            assert content[PROBLEM_MIMETYPE]["schema"] == {"$ref": "#/components/schemas/Problem"}


def test_only_token_and_document_routes_are_public(document):
    public = {(path, method) for path, method, op in _operations(document) if op["security"] == []}
    assert public == {(API + "/auth/token", "post"), (API + "/openapi.json", "get"),
                      # a forgotten password: whoever asks has no token yet
                      (API + "/auth/password-reset", "post"), (API + "/auth/password-reset/confirm", "post"),
                      # registering a club with one's own account: there is no account yet
                      (API + "/registrations", "post"), (API + "/registrations/confirm", "post"),
                      # accepting a team invitation: the invitee may have no account yet
                      (API + "/invitations/accept", "post"),
                      # the public directory: where a club finds its loket
                      (API + "/public/gemeenten", "get"), (API + "/public/gemeenten/{code}", "get")}


def test_path_parameters_are_documented_with_their_types(document):
    for path, method, operation in _operations(document):
        names = re.findall(r"{(\w+)}", path)
        parameters = {p["name"]: p for p in operation.get("parameters", []) if p["in"] == "path"}
        assert set(parameters) == set(names), f"{method} {path}"
        for name in names:
            assert parameters[name]["required"] is True
            expected = "integer" if name.endswith("_id") else "string"
            assert parameters[name]["schema"]["type"] == expected, f"{method} {path} {name}"


def _walk(schema, document):
    """The schema and every schema inside it, following $refs into the document's components."""
    if "$ref" in schema:
        yield from _walk(document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]], document)
        return
    yield schema
    for key in ("properties",):
        for sub in schema.get(key, {}).values():
            yield from _walk(sub, document)
    for key in ("items",):
        if key in schema:
            yield from _walk(schema[key], document)
    for sub in [*schema.get("oneOf", []), *schema.get("anyOf", [])]:
        yield from _walk(sub, document)


# The JSON Schema keywords pydantic writes for our input models and enforces, plus annotations.
SUPPORTED = frozenset({
    "type", "properties", "required", "additionalProperties", "items", "enum", "minLength", "maxLength",
    "minItems", "maxItems", "minimum", "maximum", "oneOf", "anyOf", "description", "examples", "default",
    "format", "title",
})


def _input_schemas(document):
    """(where, schema part) for every part of every parameter and body schema."""
    for path, method, operation in _operations(document):
        schemas = [p["schema"] for p in operation.get("parameters", [])]
        if "requestBody" in operation:
            schemas.extend(body["schema"] for body in operation["requestBody"]["content"].values())
        for schema in schemas:
            for part in _walk(schema, document):
                yield f"{method} {path}", part


def test_body_and_query_schemas_use_only_what_the_validator_checks(document):
    for where, part in _input_schemas(document):
        assert set(part) <= SUPPORTED, f"{where}: {set(part) - SUPPORTED}"
        if part.get("type") == "object":
            assert part.get("additionalProperties") is False, f"{where}: open object"


def test_documented_body_schemas_are_the_enforced_ones(app, document):
    """The validator refuses what the document forbids (an unknown field) for every operation with a body."""
    for declared in spec.operations(app):
        if declared.body is None:
            continue
        with pytest.raises(ValidationError) as refused:
            declared.body.model_validate({"surely_unknown": 1})
        errors = validation.field_errors(refused.value)
        assert errors.get("surely_unknown") == validation.UNKNOWN_FIELD_MESSAGE, declared.endpoint
        required = document["components"]["schemas"][declared.body.__name__]["required"]
        assert all(errors.get(name) == validation.REQUIRED_MESSAGE for name in required)


def test_every_integer_input_is_bounded(document):
    """Unbounded integers would reach the database as out-of-range values (a 500 on PostgreSQL)."""
    for where, part in _input_schemas(document):
        if part.get("type") == "integer":
            assert "maximum" in part and "minimum" in part, f"{where}: {part}"
