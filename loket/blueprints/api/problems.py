"""Errors of the API as RFC 9457 problem details (application/problem+json) with a Dutch `detail`.

Status codes: 400 malformed JSON (or a body that is not a JSON object), 401 no or bad token,
403 role or action not allowed, 404 unknown or not visible (never reveals existence), 405, 409 conflict
with the current state, 413 body too large, 415 not JSON, 422 invalid fields (`errors`: field → message),
500 our fault.
"""
from http import HTTPStatus

from flask import jsonify, request
from werkzeug.exceptions import HTTPException

from loket.extensions import db
from loket.services.errors import DomainError, InvalidInput

PROBLEM_MIMETYPE = "application/problem+json"
API_PREFIX = "/api/"
DEFAULT_DETAILS = {
    400: "Het verzoek kon niet worden gelezen.",
    401: "Stuur een geldig API-token mee in de header ‘Authorization: Bearer <token>’.",
    403: "Je rol geeft geen toegang tot deze functie.",
    404: "Dit bestaat niet, of je hebt er geen toegang toe.",
    405: "Deze HTTP-methode is hier niet toegestaan.",
    409: "Dit botst met de huidige stand van zaken; haal de gegevens opnieuw op.",
    413: "Het verzoek is te groot.",
    415: "Stuur de gegevens als JSON, met de header ‘Content-Type: application/json’.",
    422: "De invoer klopt niet; zie ‘errors’ per veld.",
    429: "Je hebt dit te vaak geprobeerd. Probeer het later opnieuw.",
    500: "Er ging aan onze kant iets mis. Probeer het later opnieuw.",
    503: "Een onderdeel is even niet bereikbaar; er is niets opgeslagen. Probeer het over een paar minuten opnieuw.",
}
FALLBACK_DETAIL = "Het verzoek kon niet worden verwerkt."


class MalformedBody(DomainError):
    """The body is not JSON or not a JSON object: 400 (as opposed to invalid fields: 422)."""

    status_code = 400


class UnsupportedMediaType(DomainError):
    status_code = 415


def is_api_request() -> bool:
    """Whether the current request is addressed to the API (also when no route matched)."""
    return request.path.startswith(API_PREFIX)


def problem(status: int, detail: str | None = None, *, errors: dict[str, str] | None = None,
            headers: dict[str, str] | None = None):
    body = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail or DEFAULT_DETAILS.get(status, FALLBACK_DETAIL),
    }
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM_MIMETYPE
    if status == 401:
        response.headers["WWW-Authenticate"] = _bearer_challenge()
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _bearer_challenge() -> str:
    # RFC 6750 §3: say "invalid_token" when a token was presented but refused.
    if request.headers.get("Authorization", "").lower().startswith("bearer "):
        return 'Bearer realm="loket", error="invalid_token"'
    return 'Bearer realm="loket"'


def problem_for_http_error(error: Exception):
    """Werkzeug's HTTP errors (and unhandled exceptions, as 500) under /api/ as problem details."""
    status = error.code if isinstance(error, HTTPException) and error.code else 500
    headers = {}
    if status == 405 and getattr(error, "valid_methods", None):
        headers["Allow"] = ", ".join(sorted(error.valid_methods))
    detail = None
    if status >= 500:
        db.session.rollback()
    elif error.description != type(error).description:
        detail = error.description  # an abort() with our own Dutch description keeps it
    return problem(status, detail, headers=headers)


def problem_for_domain_error(error: DomainError):
    """A service's DomainError: its Dutch message, its status (field problems as 422). Rolls back."""
    db.session.rollback()
    if isinstance(error, InvalidInput):
        listed = "; ".join(f"{field}: {message.rstrip('.')}" for field, message in error.errors.items())
        return problem(422, f"De invoer klopt niet ({listed}).", errors=error.errors)
    status = error.status_code
    if status == 400 and not isinstance(error, MalformedBody):
        status = 422  # a rule about the input's content (e.g. an impossible status change)
    errors = {error.field: error.message} if error.field and status == 422 else None
    return problem(status, error.message, errors=errors)
