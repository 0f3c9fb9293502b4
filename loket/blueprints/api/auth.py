"""API tokens: issue one with email + password; revoke the one in use."""
from flask import g
from spectree import Response

from loket.access import ANY_USER, PUBLIC, allow
from loket.blueprints.api import bp, serializers
from loket.blueprints.api.openapi import spec
from loket.blueprints.api.schemas import Token, TokenBody
from loket.services.network import api_tokens

NO_STORE = {"Cache-Control": "no-store"}


@bp.post("/auth/token")
@allow(PUBLIC)
@spec.validate(resp=Response("HTTP_401", HTTP_201=Token), tags=["auth"])
def create_token(json: TokenBody):
    """Maak een API-token aan met e-mailadres en wachtwoord.

    Het token wordt één keer getoond; bewaard wordt alleen een hash. Het verloopt na 90 dagen, bij
    intrekken, en zodra het account niet meer actief is.
    """
    issued = api_tokens.issue_token(json.email, json.password)
    return serializers.token(issued), 201, NO_STORE


@bp.delete("/auth/token")
@allow(ANY_USER)
@spec.validate(resp=Response("HTTP_204"), tags=["auth"])
def revoke_token():
    """Trek het token in waarmee dit verzoek is gedaan."""
    api_tokens.revoke_token(g.api_token)
    return "", 204
