"""The JSON API (v1): bearer tokens only, problem+json errors, an OpenAPI document at /api/v1/openapi.json.

Authentication is by `Authorization: Bearer <token>` alone (see access.TOKEN_ONLY_BLUEPRINTS): a browser
session never authenticates an API call, which is why the API is exempt from CSRF.
"""
from flask import Blueprint, current_app, request

from loket.blueprints.api.problems import problem_for_domain_error
from loket.services.errors import DomainError

bp = Blueprint("api", __name__, url_prefix="/api/v1")

# API bodies are small JSON objects; the app-wide MAX_CONTENT_LENGTH (if set) may allow uploads elsewhere.
DEFAULT_MAX_BODY_BYTES = 256 * 1024


@bp.before_request
def limit_body_size():
    limits = [current_app.config.get("API_MAX_CONTENT_LENGTH", DEFAULT_MAX_BODY_BYTES),
              current_app.config.get("MAX_CONTENT_LENGTH")]
    request.max_content_length = min(limit for limit in limits if limit)


@bp.errorhandler(DomainError)
def domain_error(error):
    return problem_for_domain_error(error)


from loket.blueprints.api import auth, network, openapi, quality, requests  # noqa: E402,F401
