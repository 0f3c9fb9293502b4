"""The JSON API (v1): bearer tokens only, problem+json errors, an OpenAPI document at /api/v1/openapi.json.

Authentication is by `Authorization: Bearer <token>` alone (see access.TOKEN_ONLY_BLUEPRINTS): a browser
session never authenticates an API call, which is why the API is exempt from CSRF.

Validation and the OpenAPI document come from spectree with pydantic models (schemas.py). Chosen over
flask-smorest and APIFlask (marshmallow + apispec) because pydantic's strict mode already refuses what the
API refuses (true as a number, 1 as text) and its JSON Schema 2020-12 is OpenAPI 3.1 as is, and its typed
error codes translate cleanly to Dutch messages per field; over flask-openapi3 (and APIFlask) because
spectree decorates views on the plain Flask app and blueprint the factory already builds, with no app
subclass and no routes or error handlers of its own that would escape @allow or the problem+json format.
"""
from flask import Blueprint, current_app, request

from loket.blueprints.api.problems import DEFAULT_DETAILS, problem_for_domain_error
from loket.services.errors import DomainError, NotFound

bp = Blueprint("api", __name__, url_prefix="/api/v1")

# API bodies are small JSON objects; the app-wide MAX_CONTENT_LENGTH (if set) may allow uploads elsewhere.
DEFAULT_MAX_BODY_BYTES = 256 * 1024


# Operations that take a file (multipart/form-data): one attachment plus the form's few fields.
UPLOAD_ENDPOINTS = frozenset({"api.upload_attachment"})
UPLOAD_OVERHEAD_BYTES = 64 * 1024


@bp.before_request
def limit_body_size():
    limits = [current_app.config.get("API_MAX_CONTENT_LENGTH", DEFAULT_MAX_BODY_BYTES),
              current_app.config.get("MAX_CONTENT_LENGTH")]
    if request.endpoint in UPLOAD_ENDPOINTS:
        limits[0] = current_app.config["MAX_ATTACHMENT_BYTES"] + UPLOAD_OVERHEAD_BYTES
    request.max_content_length = min(limit for limit in limits if limit)
    if request.endpoint in UPLOAD_ENDPOINTS and (request.content_length or 0) > request.max_content_length:
        from loket.services.requests.attachments import FileTooLarge, too_large_message

        raise FileTooLarge(too_large_message())


@bp.before_request
def refuse_nul_in_path():
    """A path value with a NUL character names nothing (and PostgreSQL would refuse the query).

    Runs after the app's access check, so a caller without access still gets 401/403 first.
    """
    if any(isinstance(value, str) and "\x00" in value for value in (request.view_args or {}).values()):
        raise NotFound(DEFAULT_DETAILS[404])


@bp.errorhandler(DomainError)
def domain_error(error):
    return problem_for_domain_error(error)


from loket.blueprints.api import (  # noqa: E402,F401
    agreements, auth, conflicts, idempotency, invitations, network, openapi, public, quality, registrations, requests,
)
from loket.blueprints.api import attachments  # noqa: E402,F401
