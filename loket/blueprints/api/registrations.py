"""Club registrations over the API: registering (no token), confirming, and the loket's decisions.

Registering answers 202 with the same body whether or not the address already has an account (no account
enumeration); the mailed link carries the token that `POST /registrations/confirm` takes. A registration that
the caller may not decide is a 404, also for another loket's supporter (existence is never told).
"""
from flask import current_app, request
from flask_login import current_user
from spectree import Response

from loket.access import PUBLIC, allow
from loket.blueprints.api import bp, serializers
from loket.blueprints.api.openapi import spec
from loket.blueprints.api.problems import problem
from loket.blueprints.api.registration_schemas import (
    ConfirmBody,
    Confirmed,
    PendingRegistrationPage,
    RegistrationAccepted,
    RegistrationBody,
    RegistrationQuery,
    RegistrationState,
    RejectBody,
)
from loket.extensions import limiter
from loket.services.errors import InvalidInput
from loket.services.network import registrations
from loket.services.network.users import normalise_email
from loket.services.text import EMAIL_MAX

DECIDERS = ("clubondersteuner", "coordinatiepunt")
AANMELDEN = ["netwerk"]
ACCEPTED_DETAIL = ("Kijk in je mail: klik op de link om je e-mailadres te bevestigen. Daarna beoordeelt het loket "
                   "je aanmelding.")


# The same buckets as the registration forms (blueprints/aanmelden): per client address and per email address.
def _registration_limit() -> str:
    return current_app.config["REGISTRATION_RATE_LIMIT"]


def _posted_email() -> str:
    """The address in the posted body, as the per-address limit counts it (case and spaces ignored)."""
    body = request.get_json(silent=True)
    contact = body.get("contact") if isinstance(body, dict) else None
    email = contact.get("email") if isinstance(contact, dict) else None
    return "email:" + normalise_email(email if isinstance(email, str) else "")[:EMAIL_MAX]


@bp.post("/registrations")
@allow(PUBLIC)
@limiter.shared_limit(_registration_limit, scope="registration")
@limiter.shared_limit(_registration_limit, scope="registration-email", key_func=_posted_email)
@spec.validate(resp=Response("HTTP_429", HTTP_202=RegistrationAccepted), tags=AANMELDEN)
def create_registration(json: RegistrationBody):
    """Meld een club aan, met je eigen account (geen token nodig).

    Je krijgt een mail met een link om je e-mailadres te bevestigen; daarna ligt de aanmelding bij het loket
    van de gemeente (of, zonder operationeel loket, bij het landelijk coördinatiepunt). Het antwoord is altijd
    202 met dezelfde inhoud, ook als er al een account met dit adres bestaat: de houder daarvan krijgt dan een
    mail. Ongeldige velden (onbekende gemeente of sport, een KvK-nummer dat geen 8 cijfers is, een te zwak
    wachtwoord): 422, en er is niets opgeslagen.
    """
    submitted = registrations.register_club(json.club.model_dump(), json.contact.model_dump())
    return {"email": submitted.email, "detail": ACCEPTED_DETAIL}, 202


@bp.post("/registrations/confirm")
@allow(PUBLIC)
@spec.validate(resp=Response(HTTP_200=Confirmed), tags=AANMELDEN)
def confirm_registration(json: ConfirmBody):
    """Bevestig je e-mailadres met het token uit de mail (geen token in de header nodig).

    Een onjuist, verlopen of al gebruikt token: 400 met een melding bij `token`.
    """
    try:
        registration = registrations.confirm_registration(json.token)
    except InvalidInput as error:  # the link does not work (any more): nothing was changed
        return problem(400, error.errors["token"], errors=error.errors)
    return {"email_confirmed": True,
            "registration": _state(registration) if registration is not None else None}


@bp.get("/registrations")
@allow(*DECIDERS)
@spec.validate(resp=Response(HTTP_200=PendingRegistrationPage), tags=AANMELDEN)
def list_registrations(query: RegistrationQuery):
    """De aanmeldingen die op jouw besluit wachten, oudste eerst, met mogelijke dubbele clubs.

    Een clubondersteuner ziet die uit de gemeenten van zijn loket; het coördinatiepunt die uit gemeenten zonder
    operationeel loket, zonder persoonsgegevens en KvK-nummer.
    """
    pagination = registrations.pending_for(current_user, page=query.page, per_page=query.per_page)
    return serializers.page(pagination, _pending)


@bp.post("/registrations/<int:registration_id>/approve")
@allow(*DECIDERS)
@spec.validate(resp=Response("HTTP_409", HTTP_200=RegistrationState), tags=AANMELDEN)
def approve_registration(registration_id):
    """Keur een aanmelding goed: de club wordt actief en kan aanvragen indienen. De aanmelder krijgt een mail."""
    return _state(registrations.approve(registration_id, current_user))


@bp.post("/registrations/<int:registration_id>/reject")
@allow(*DECIDERS)
@spec.validate(resp=Response("HTTP_409", HTTP_200=RegistrationState), tags=AANMELDEN)
def reject_registration(registration_id, json: RejectBody):
    """Wijs een aanmelding af met een reden; de aanmelder krijgt die per mail. De club blijft onzichtbaar."""
    return _state(registrations.reject(registration_id, current_user, json.reason))


def _state(registration) -> dict:
    club = registration.club
    return {"id": registration.id, "kind": registration.kind, "state": registration.state,
            "club": {"id": club.id, "name": club.name, "kind": club.kind, "status": club.status}}


def _pending(item: registrations.PendingRegistration) -> dict:
    return {
        "id": item.id, "kind": item.kind,
        "club": {"id": item.club_id, "name": item.club_name, "kind": item.club_kind,
                 "kvk_number": item.kvk_number, "sports": list(item.sports)},
        "gemeente": {"code": item.gemeente_code, "name": item.gemeente},
        "contact": None if item.details_hidden else {"name": item.person_name, "email": item.person_email,
                                                     "function": item.function},
        "confirmed_at": serializers.iso(item.confirmed_at),
        "possible_duplicates": [{"id": d.id, "name": d.name, "gemeente": d.gemeente, "reason": d.reason}
                                for d in item.possible_duplicates],
    }
