"""API tokens: issue one with email + password; revoke the one in use."""
from flask import g

from loket.access import ANY_USER, PUBLIC
from loket.blueprints.api import schemas, serializers
from loket.blueprints.api.registry import operation
from loket.services.network import api_tokens

NO_STORE = {"Cache-Control": "no-store"}


@operation("POST", "/auth/token", who=(PUBLIC,), tag="auth", status=201, response="Token",
           body=schemas.TOKEN_BODY, errors=(401,),
           summary="Maak een API-token aan met e-mailadres en wachtwoord.",
           description="Het token wordt één keer getoond; bewaard wordt alleen een hash. Het verloopt na 90 "
                       "dagen, bij intrekken, en zodra het account niet meer actief is.")
def create_token(body):
    issued = api_tokens.issue_token(body["email"], body["password"])
    return serializers.token(issued), 201, NO_STORE


@operation("DELETE", "/auth/token", who=(ANY_USER,), tag="auth", status=204,
           summary="Trek het token in waarmee dit verzoek is gedaan.")
def revoke_token():
    api_tokens.revoke_token(g.api_token)
    return "", 204
