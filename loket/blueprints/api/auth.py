"""API tokens: issue one with email + password; revoke the one in use. A forgotten password: ask for a mailed
link, and set a new password with the token from it."""
from flask import g, request
from spectree import Response

from loket.access import ANY_USER, PUBLIC, allow
from loket.blueprints.api import bp, serializers
from loket.blueprints.api.account_schemas import PasswordResetAccepted, PasswordResetBody, PasswordResetConfirmBody
from loket.blueprints.api.openapi import spec
from loket.blueprints.api.problems import problem
from loket.blueprints.api.schemas import Token, TokenBody
from loket.blueprints.auth.limits import email_key, login_failed, login_limit, password_reset_limit
from loket.extensions import limiter
from loket.services.network import account, api_tokens

NO_STORE = {"Cache-Control": "no-store"}
RESET_ACCEPTED = ("Als er een account bij dit adres hoort, hebben we een link gestuurd waarmee je een nieuw "
                  "wachtwoord kiest.")


def _email_in_body() -> str:
    """Counting key of the address in the JSON body (the limits are per client address and per email)."""
    body = request.get_json(silent=True)
    return email_key(body.get("email") if isinstance(body, dict) else None)


@bp.post("/auth/token")
@allow(PUBLIC)
@limiter.limit(login_limit, deduct_when=login_failed)
@limiter.limit(login_limit, deduct_when=login_failed, key_func=_email_in_body)
@spec.validate(resp=Response("HTTP_401", "HTTP_403", "HTTP_429", HTTP_201=Token), tags=["auth"])
def create_token(json: TokenBody):
    """Maak een API-token aan met e-mailadres, wachtwoord en (bij tweestapsverificatie) de code.

    Het token wordt één keer getoond; bewaard wordt alleen een hash. Het verloopt na 90 dagen, bij
    intrekken, bij "overal uitloggen" of een nieuw wachtwoord, en zodra het account niet meer actief is.
    Een account waarvan het e-mailadres nog niet is bevestigd, krijgt 403 (alleen bij het juiste
    wachtwoord). Staat tweestapsverificatie aan, dan is `otp` nodig: de code uit de authenticator-app of een
    herstelcode; ontbreekt die of klopt die niet, dan 401 met die reden. Voor coördinatiepunt, beheer en
    teamleiders is tweestapsverificatie verplicht: zonder krijgen zij 401 tot ze haar hebben aangezet.
    Mislukte pogingen zijn beperkt per IP-adres en per e-mailadres (429, met `Retry-After`).
    """
    issued = api_tokens.issue_token(json.email, json.password, json.otp, client_address=request.remote_addr)
    return serializers.token(issued), 201, NO_STORE


@bp.delete("/auth/token")
@allow(ANY_USER)
@spec.validate(resp=Response("HTTP_204"), tags=["auth"])
def revoke_token():
    """Trek het token in waarmee dit verzoek is gedaan."""
    api_tokens.revoke_token(g.api_token)
    return "", 204


@bp.post("/auth/password-reset")
@allow(PUBLIC)
@limiter.limit(password_reset_limit)
@limiter.limit(password_reset_limit, key_func=_email_in_body)
@spec.validate(resp=Response("HTTP_429", HTTP_202=PasswordResetAccepted), tags=["auth"])
def request_password_reset(json: PasswordResetBody):
    """Vraag een link aan om een nieuw wachtwoord te kiezen.

    Altijd 202 met hetzelfde antwoord, of er een account bij het adres hoort of niet. Alleen een actief
    account krijgt een mail; de link daarin eindigt op het token voor
    `POST /api/v1/auth/password-reset/confirm` en werkt één keer, een beperkte tijd (standaard 60 minuten).
    Beperkt per IP-adres en per e-mailadres (429).
    """
    account.request_password_reset(json.email)
    return {"detail": RESET_ACCEPTED}, 202, NO_STORE


@bp.post("/auth/password-reset/confirm")
@allow(PUBLIC)
@spec.validate(resp=Response("HTTP_400", HTTP_204=None), tags=["auth"])
def confirm_password_reset(json: PasswordResetConfirmBody):
    """Kies een nieuw wachtwoord met het token uit de mail.

    Daarna werkt het oude wachtwoord niet meer, is het token gebruikt, zijn alle sessies en API-tokens van
    het account beëindigd, en krijgt het adres een mail. Een fout, verlopen of al gebruikt token: 400.
    Een te zwak wachtwoord: 422 met de regel in `errors.password`.
    """
    try:
        account.reset_password(json.token, json.password)
    except account.InvalidLink as error:
        return problem(400, error.message)
    return "", 204
