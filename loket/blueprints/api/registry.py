"""One declaration per API operation: route, who may call it, body/query schemas, responses.

`@operation(...)` registers the Flask route, applies @allow, checks the body and query against their
schemas before the view runs, and records the operation in OPERATIONS, from which openapi.py writes
the OpenAPI document. So the document cannot describe a route that does not exist, nor miss one
declared this way; a test checks no API route is declared any other way.
"""
import functools
import re
from dataclasses import dataclass, field

from flask import url_for

from loket.access import ANY_USER, PUBLIC, allow
from loket.blueprints.api import bp, validation
from loket.blueprints.api.problems import DEFAULT_DETAILS
from loket.blueprints.api.schemas import MAX_ID
from loket.services.errors import NotFound

OPERATIONS: list["Operation"] = []
MAX_PAGE = 1_000_000
_PATH_VARIABLE = re.compile(r"<(?:(?P<converter>[a-z]+)(?:\([^)]*\))?:)?(?P<name>\w+)>")


@dataclass(frozen=True)
class Operation:
    method: str
    rule: str  # the Flask rule, without the blueprint prefix
    endpoint: str  # "api.<view name>"
    summary: str
    tag: str
    who: frozenset[str]
    status: int  # the success status
    response: str | None  # component schema of the success body (None: no body)
    body: dict | None = None
    query: tuple[dict, ...] = ()
    errors: frozenset[int] = field(default_factory=frozenset)  # error statuses beyond the automatic ones
    description: str | None = None

    @property
    def path(self) -> str:
        """The OpenAPI path: /api/v1/requests/{request_id}."""
        return _PATH_VARIABLE.sub(lambda m: "{" + m["name"] + "}", bp.url_prefix + self.rule)

    @property
    def path_parameters(self) -> list[tuple[str, str]]:
        """(name, OpenAPI type) of each path variable."""
        return [(m["name"], "integer" if m["converter"] == "int" else "string")
                for m in _PATH_VARIABLE.finditer(self.rule)]

    @property
    def flask_rule(self) -> str:
        """The rule as registered: ids beyond the database's range do not match (404, not a database error)."""
        return self.rule.replace("<int:", f"<int(max={MAX_ID}):")

    @property
    def is_public(self) -> bool:
        return PUBLIC in self.who

    @property
    def error_statuses(self) -> list[int]:
        """Every error status this operation can answer, as documented."""
        statuses = {500, *self.errors}
        if not self.is_public:
            statuses.add(401)
            if ANY_USER not in self.who:
                statuses.add(403)
        if self.path_parameters:
            statuses.add(404)
        if self.body is not None:
            statuses.update({400, 413, 415, 422})
        if self.query:
            statuses.add(422)
        return sorted(statuses)


def operation(method: str, rule: str, *, who: tuple[str, ...], summary: str, tag: str, status: int = 200,
              response: str | None = None, body: dict | None = None, query: tuple[dict, ...] = (),
              errors: tuple[int, ...] = (), description: str | None = None):
    """Declare an API operation. The view receives path variables, plus `body` (the checked JSON object)
    when a body schema is given and `query` (converted query parameters) when parameters are given."""

    def decorate(view):
        @functools.wraps(view)
        def endpoint(**path_args):
            if any(isinstance(value, str) and "\x00" in value for value in path_args.values()):
                raise NotFound(DEFAULT_DETAILS[404])  # names nothing; PostgreSQL would refuse the query
            if body is not None:
                path_args["body"] = validation.json_body(body)
            if query:
                path_args["query"] = validation.query_args(list(query))
            return view(**path_args)

        declared = Operation(method=method, rule=rule, endpoint=f"{bp.name}.{view.__name__}", summary=summary,
                             tag=tag, who=frozenset(who), status=status, response=response, body=body,
                             query=tuple(query), errors=frozenset(errors), description=description)
        endpoint.api_operation = declared
        allow(*who)(endpoint)
        bp.add_url_rule(declared.flask_rule, endpoint=view.__name__, view_func=endpoint, methods=[method])
        OPERATIONS.append(declared)
        return endpoint

    return decorate


def page_parameters() -> tuple[dict, ...]:
    """The `page` and `per_page` query parameters of every list."""
    return (
        {"name": "page", "in": "query", "description": "Paginanummer, vanaf 1.",
         "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}},
        {"name": "per_page", "in": "query", "description": "Aantal per pagina (hooguit 100).",
         "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 50}},
    )


def location_of(endpoint: str, **values) -> dict[str, str]:
    """A Location header for a 201 response whose resource has its own address."""
    return {"Location": url_for(endpoint, **values)}
