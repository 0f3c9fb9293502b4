"""The OpenAPI 3.1 document, written from the operations declared with registry.operation.

Public (no token needed): it describes the interface, not data, and a client needs it before it has
a token.
"""
from http import HTTPStatus

from loket.access import ANY_USER, PUBLIC
from loket.blueprints.api import schemas
from loket.blueprints.api.problems import DEFAULT_DETAILS, PROBLEM_MIMETYPE
from loket.blueprints.api.registry import OPERATIONS, operation

DESCRIPTION = """\
De API van Loket: dezelfde rechten als de webpagina's (DESIGN §7).

**Inloggen.** Vraag met `POST /api/v1/auth/token` een token aan en stuur het mee als
`Authorization: Bearer <token>`. Alleen het token telt: een sessiecookie van de website geeft geen toegang
tot de API (daarom is CSRF-bescherming hier niet nodig). Een token verloopt na 90 dagen, bij intrekken
(`DELETE /api/v1/auth/token`) en zodra het account niet meer actief is.

**Verzoeken.** Bodies zijn JSON-objecten met `Content-Type: application/json` (anders 415), hooguit 256 KiB
(anders 413). Velden worden strikt gecontroleerd op type (een getal is geen tekst, `true` is geen getal);
onbekende velden worden geweigerd (422). Onbekende query-parameters worden genegeerd.

**Fouten** zijn `application/problem+json` (RFC 9457) met een Nederlandse `detail`:
400 onleesbare JSON of geen JSON-object; 401 geen of ongeldig token; 403 je rol of je team mag dit niet;
404 bestaat niet of je hebt er geen toegang toe (het verschil wordt nooit verteld); 409 botst met de huidige
stand (al opgepakt, al doorverwezen, tussentijds gewijzigd); 413 te groot; 415 geen JSON;
422 ongeldige velden, met `errors` per veld; 500 onze fout. Na een fout is niets opgeslagen.

**Tijden** zijn ISO 8601 in UTC met `Z`; datums `JJJJ-MM-DD`. Lijsten zijn gepagineerd met `page` en
`per_page` (hooguit 100).
"""
TAGS = [
    {"name": "auth", "description": "Tokens."},
    {"name": "netwerk", "description": "Loketten, bonden, clubs, gebruikers en categorieën."},
    {"name": "aanvragen", "description": "Ondersteuningsvragen."},
    {"name": "samenwerken", "description": "Doorverwijzen en inschakelen."},
    {"name": "kwaliteit", "description": "Het landelijk overzicht en de herberekening van de metingen."},
    {"name": "documentatie", "description": "Dit document."},
]


def build_document() -> dict:
    """The whole OpenAPI document (paths from OPERATIONS, shapes from schemas.COMPONENTS)."""
    paths: dict[str, dict] = {}
    for declared in OPERATIONS:
        paths.setdefault(declared.path, {})[declared.method.lower()] = _operation_object(declared)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Loket API", "version": "1.0.0", "description": DESCRIPTION},
        "tags": TAGS,
        "paths": paths,
        "components": {
            "schemas": schemas.COMPONENTS,
            "responses": {_problem_name(status): _problem_response(status) for status in sorted(DEFAULT_DETAILS)},
            "securitySchemes": {"bearerAuth": {
                "type": "http", "scheme": "bearer",
                "description": "Een token van POST /api/v1/auth/token, als `Authorization: Bearer <token>`.",
            }},
        },
    }


def _operation_object(declared) -> dict:
    parameters = [{"name": name, "in": "path", "required": True, "schema": _path_schema(kind)}
                  for name, kind in declared.path_parameters]
    parameters += [dict(parameter) for parameter in declared.query]
    operation_object = {
        "operationId": declared.endpoint.split(".", 1)[1],
        "summary": declared.summary,
        "tags": [declared.tag],
        "security": [] if declared.is_public else [{"bearerAuth": []}],
        "x-roles": sorted(declared.who),
        "responses": {str(declared.status): _success_response(declared)},
    }
    if declared.description:
        operation_object["description"] = declared.description
    if not declared.is_public:
        who = "ieder ingelogde gebruiker" if ANY_USER in declared.who else ", ".join(sorted(declared.who))
        operation_object["description"] = f"{operation_object.get('description', '')}\n\nToegang: {who}.".strip()
    if parameters:
        operation_object["parameters"] = parameters
    if declared.body is not None:
        operation_object["requestBody"] = {"required": True,
                                           "content": {"application/json": {"schema": declared.body}}}
    for status in declared.error_statuses:
        operation_object["responses"][str(status)] = {"$ref": f"#/components/responses/{_problem_name(status)}"}
    return operation_object


def _path_schema(kind: str) -> dict:
    return {"type": "integer", "minimum": 0, "maximum": schemas.MAX_ID} if kind == "integer" else {"type": "string"}


def _success_response(declared) -> dict:
    response = {"description": HTTPStatus(declared.status).phrase}
    if declared.response is not None:
        response["content"] = {"application/json": {"schema": schemas.ref(declared.response)}}
    return response


def _problem_name(status: int) -> str:
    return "".join(word.capitalize() for word in HTTPStatus(status).phrase.replace("-", " ").split())


def _problem_response(status: int) -> dict:
    return {"description": DEFAULT_DETAILS[status],
            "content": {PROBLEM_MIMETYPE: {"schema": schemas.ref("Problem")}}}


@operation("GET", "/openapi.json", who=(PUBLIC,), tag="documentatie", response="OpenApiDocument",
           summary="Dit OpenAPI-document (openbaar).")
def openapi_document():
    return build_document()
