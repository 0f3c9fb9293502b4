"""API test helpers: a client that sends a bearer token and checks every answer against the OpenAPI document.

Each response must be documented for its operation and status, and its body must match the documented
schema (problem+json for errors), so the document cannot drift from what the API really does.
"""
import jsonschema
from werkzeug.exceptions import MethodNotAllowed, NotFound

from loket.blueprints.api.problems import PROBLEM_MIMETYPE

API = "/api/v1"


class ApiClient:
    """Calls the API with `Authorization: Bearer <token>` (when given) and JSON bodies."""

    def __init__(self, app, client, document, token=None):
        self.app, self.client, self.document, self.token = app, client, document, token

    def call(self, method, path, *, json=None, headers=None, check=True, **kwargs):
        headers = dict(headers or {})
        if self.token and "Authorization" not in headers:
            headers["Authorization"] = f"Bearer {self.token}"
        if json is not None:
            kwargs["json"] = json
        response = self.client.open(API + path, method=method, headers=headers, **kwargs)
        if check:
            check_documented(self.app, self.document, method, API + path.split("?")[0], response)
        return response

    def get(self, path, **kwargs):
        return self.call("GET", path, **kwargs)

    def post(self, path, json=None, **kwargs):
        return self.call("POST", path, json=json, **kwargs)

    def patch(self, path, json=None, **kwargs):
        return self.call("PATCH", path, json=json, **kwargs)

    def put(self, path, json=None, **kwargs):
        return self.call("PUT", path, json=json, **kwargs)

    def delete(self, path, json=None, **kwargs):
        return self.call("DELETE", path, json=json, **kwargs)


def check_documented(app, document, method, path, response):
    """The response's status is documented for this operation and its body matches the schema."""
    adapter = app.url_map.bind("localhost")
    try:
        endpoint, _ = adapter.match(path, method=method)
    except (NotFound, MethodNotAllowed):
        assert response.status_code in (404, 405), response.status_code
        assert response.mimetype == PROBLEM_MIMETYPE
        _validate(document, "Problem", response.get_json())
        return
    operation = next(op for ops in document["paths"].values() for m, op in ops.items()
                     if op["operationId"] == endpoint.split(".", 1)[1] and m == method.lower())
    status = str(response.status_code)
    assert status in operation["responses"], (
        f"{method} {path} answered {status}, not documented: {response.get_data(as_text=True)[:300]}")
    documented = operation["responses"][status]
    if "$ref" in documented:  # a problem response
        assert response.mimetype == PROBLEM_MIMETYPE, response.mimetype
        _validate(document, "Problem", response.get_json())
        return
    content = documented.get("content")
    if content is None:
        assert response.get_data() == b"", response.get_data(as_text=True)
        return
    if "*/*" in content:  # a download: the bytes of a file, of any type
        return
    assert response.mimetype == "application/json"
    _validate(document, content["application/json"]["schema"]["$ref"].rsplit("/", 1)[1], response.get_json())


def _validate(document, schema_name, instance):
    schema = {"$ref": f"#/components/schemas/{schema_name}", "components": document["components"]}
    jsonschema.Draft202012Validator(schema).validate(instance)


def assert_problem(response, status, *, field=None, contains=None):
    """An RFC 9457 problem with a Dutch detail (and a message for `field` when given)."""
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == PROBLEM_MIMETYPE
    problem = response.get_json()
    assert problem["status"] == status and looks_dutch(problem["detail"]), problem
    if field is not None:
        assert field in problem.get("errors", {}), problem
    if contains is not None:
        assert contains in (problem["errors"][field] if field else problem["detail"]), problem
    return problem


ENGLISH_WORDS = {"the", "you", "not", "this", "was", "please", "could", "server", "found", "requested", "method"}
DUTCH_WORDS = {"de", "het", "een", "je", "niet", "dit", "deze", "kies", "veld", "alleen", "bestaat", "geen", "uit"}
DUTCH_PATTERNS = ("ij", "oe", "aa", "ee", "uu", "sch", " je ", " de ", " het ", " een ", " niet")


def looks_dutch(text: str) -> bool:
    """A rough check that a message is Dutch rather than Werkzeug's English defaults."""
    words = {w.strip(".,;:‘’'()").lower() for w in (text or "").split()}
    return bool(text) and not words & ENGLISH_WORDS and (
        bool(words & DUTCH_WORDS) or any(p in f" {text.lower()} " for p in DUTCH_PATTERNS))
