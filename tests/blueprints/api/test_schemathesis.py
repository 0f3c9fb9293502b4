"""The API against its own OpenAPI document (issue #13 point 5): schemathesis generates requests for every
operation from the document (valid ones, and invalid ones the document forbids), sends them through the WSGI app
with a token of a role that may call the operation, and checks that no answer is a 5xx and that for a request the
document allows each status and body is one it declares."""
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from loket.access import ANY_USER, PUBLIC
from loket.services.network import api_tokens
from tests.factories import PASSWORD, totp_code

# A network user per role an operation names in its x-roles (the first one that has a user here is used).
USER_OF_ROLE = {"club": "club_contact", "clubondersteuner": "ondersteuner", "bondsspecialist": "bondsspecialist",
                "initiatiefmedewerker": "initiatiefmedewerker", "coordinatiepunt": "coordinator",
                "beheer": "beheerder", "gemeente": "gemeente_utrecht", "adviseur": "adviseur",
                ANY_USER: "ondersteuner"}
# Revoking the token would leave the rest of the walk without one.
SKIPPED = frozenset({("DELETE", "/api/v1/auth/token")})
EXAMPLES_PER_OPERATION = 3
# Requests the document allows: the answer is one it declares. Requests it forbids (an id beyond its maximum, a
# field of the wrong type): only never a 5xx (routing may answer 404 or 405 before any validation).
CONFORMANCE = [not_a_server_error, status_code_conformance, response_schema_conformance]
NO_SERVER_ERROR = [not_a_server_error]


@pytest.fixture()
def api_schema(app, network):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


def _token_for(network, roles, tokens):
    if PUBLIC in roles:
        return None
    who = next((USER_OF_ROLE[role] for role in sorted(roles) if role in USER_OF_ROLE), None)
    if who not in tokens:
        user = getattr(network, who)
        tokens[who] = api_tokens.issue_token(user.email, PASSWORD, totp_code(user)).token
    return tokens[who]


def test_no_generated_request_answers_a_server_error_or_breaks_the_document(app, network, api_schema):
    tokens, operations = {}, []
    for result in api_schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) not in SKIPPED:
            operations.append(operation)
    assert len(operations) > 25  # every operation of the document
    for operation in operations:
        token = _token_for(network, set(operation.definition.raw.get("x-roles", [])), tokens)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        for mode, checks in ((GenerationMode.POSITIVE, CONFORMANCE), (GenerationMode.NEGATIVE, NO_SERVER_ERROR)):

            @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True, database=None,
                      suppress_health_check=list(HealthCheck))
            @given(case=operation.as_strategy(generation_mode=mode))
            def answers_cleanly(case):
                case.validate_response(case.call(headers=headers), checks=checks)

            try:
                answers_cleanly()
            except Unsatisfiable:  # nothing to get wrong (no parameters, no body): the positive walk covers it
                assert mode is GenerationMode.NEGATIVE, operation.label
