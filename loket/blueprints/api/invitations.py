"""Team invitations over the API: a loket's, bond's or landelijk initiatief's lead (or beheer) invites a colleague
by email; the invitee accepts with the token from the mailed link (no API token needed) and can then ask for an API
token of their own.

Accepting for an address that already has an account takes that account's password; a wrong one is refused with
the words of a wrong token (400), so the answer never tells whether the address has an account.
"""
from flask_login import current_user
from spectree import Response

from loket.access import PUBLIC, SUPPORTERS, allow
from loket.blueprints.api import bp, serializers
from loket.blueprints.api.invitation_schemas import AcceptBody, Invitation, InvitationBody
from loket.blueprints.api.openapi import spec
from loket.blueprints.api.problems import problem
from loket.blueprints.api.schemas import User
from loket.blueprints.auth.limits import login_failed, login_limit
from loket.extensions import limiter
from loket.services.network import invitations, teams
from loket.services.network.account import InvalidLink

NETWERK = ["netwerk"]
MANAGERS = ("beheer", *SUPPORTERS)
# The same bucket as the accept form (blueprints/team): per client address, failures only.
ACCEPT_SCOPE = "team-invitation"


@bp.post("/lokets/<slug>/invitations")
@allow(*MANAGERS)
@spec.validate(resp=Response("HTTP_409", HTTP_201=Invitation), tags=NETWERK)
def create_loket_invitation(slug, json: InvitationBody):
    """Nodig een collega uit voor het team van dit loket (coördinatoren van dit loket en beheer).

    De genodigde krijgt een mail met een link die `TEAM_INVITATION_DAYS` dagen (standaard 7) en één keer werkt;
    een oudere openstaande uitnodiging van hetzelfde adres voor dit team vervalt. Alleen beheer nodigt uit als
    coördinator (`team_lead`). 403 voor wie geen coördinator van dit loket is, 409 als het adres al lid is.
    """
    return _invite("loket", slug, json)


@bp.post("/bonds/<key>/invitations")
@allow(*MANAGERS)
@spec.validate(resp=Response("HTTP_409", HTTP_201=Invitation), tags=NETWERK)
def create_bond_invitation(key, json: InvitationBody):
    """Nodig een collega uit voor het team van deze bond (coördinatoren van deze bond en beheer).

    Als bij een loket: een link per mail, alleen beheer nodigt uit als coördinator, 409 als het adres al lid is.
    """
    return _invite("bond", key, json)


@bp.post("/initiatives/<key>/invitations")
@allow(*MANAGERS)
@spec.validate(resp=Response("HTTP_409", HTTP_201=Invitation), tags=NETWERK)
def create_initiative_invitation(key, json: InvitationBody):
    """Nodig een collega uit voor het team van dit landelijk initiatief (coördinatoren ervan en beheer).

    Als bij een loket of een bond: een link per mail, alleen beheer nodigt uit als coördinator, 409 als het adres al
    lid is.
    """
    return _invite("initiatief", key, json)


@bp.post("/invitations/accept")
@allow(PUBLIC)
@limiter.shared_limit(login_limit, scope=ACCEPT_SCOPE, deduct_when=login_failed)
@spec.validate(resp=Response("HTTP_409", "HTTP_429", HTTP_201=User), tags=NETWERK)
def accept_invitation(json: AcceptBody):
    """Neem een uitnodiging aan met het token uit de mail (geen API-token nodig).

    Zonder account met dit e-mailadres wordt er een gemaakt met `name` en `password` (het adres telt als
    bevestigd). Met een account geef je het wachtwoord daarvan; je krijgt de rol erbij. Een onjuist, verlopen,
    ingetrokken of al gebruikt token, of een verkeerd wachtwoord: 400. Daarna kun je met `POST /api/v1/auth/token`
    een token aanvragen. Mislukte pogingen zijn beperkt per IP-adres (429).
    """
    try:
        user = invitations.accept(json.token, name=json.name, password=json.password)
    except InvalidLink as error:
        return problem(400, error.message, errors={"token": error.message})
    return serializers.user(user), 201


def _invite(kind: str, key: str, json: InvitationBody):
    invitation = invitations.invite(current_user, kind, key, email=json.email, name=json.name,
                                    team_lead=json.team_lead)
    organisation = invitation.organisation
    return {"id": invitation.id, "email": invitation.email, "name": invitation.name,
            "team": {"type": kind, "key": teams.organisation_key(organisation),
                     "name": organisation.name}, "team_lead": invitation.team_lead,
            "created_at": serializers.iso(invitation.created_at),
            "expires_at": serializers.iso(invitation.expires_at)}, 201
