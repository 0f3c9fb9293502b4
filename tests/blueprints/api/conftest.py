"""API fixtures: the OpenAPI document and a bearer-token client (helpers: tests/support/api.py)."""
import pytest

from loket.blueprints.api.openapi import spec
from loket.services.network import api_tokens
from tests.factories import PASSWORD, totp_code
from tests.support.api import ApiClient


@pytest.fixture(scope="session")
def openapi_document(app):
    with app.app_context():
        return spec.spec


@pytest.fixture()
def api(app, network, openapi_document):
    """api("ondersteuner") → an ApiClient with a fresh token of that network user; api() → no token."""

    second_step_tokens = {}

    def _client(who=None, *, token=None):
        if who is not None and token is None:
            user = getattr(network, who) if isinstance(who, str) else who
            # A user with two-factor authentication gives a code per token and each code works once: within a
            # test they keep the live token they got (as a script would), instead of waiting for the next code.
            token = second_step_tokens.get(user.id)
            if token is None or api_tokens.resolve_token(token) is None:
                token = api_tokens.issue_token(user.email, PASSWORD, totp_code(user)).token
                if user.has_two_factor:
                    second_step_tokens[user.id] = token
        return ApiClient(app, app.test_client(), openapi_document, token)

    return _client
