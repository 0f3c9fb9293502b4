"""Support requests over the API: list, file, read, reply, claim, status, referrals, collaborators.

Who sees what is the services' rule (DESIGN §7): club contacts their clubs' requests and public
timeline; supporters the requests their team owns, is referred or invited to, with everything.
"""
from contextlib import contextmanager

from flask import url_for
from flask_login import current_user
from spectree import Response

from loket.access import SUPPORTERS, allow
from loket.blueprints.api import bp, lookups, serializers
from loket.blueprints.api.openapi import spec
from loket.blueprints.api.schemas import (
    MAX_ID,
    CollaboratorBody,
    CollaboratorEndBody,
    DeclineBody,
    MessageBody,
    Referral,
    ReferralBody,
    RequestBody,
    RequestDetail,
    RequestListQuery,
    RequestPage,
    RequestSummary,
    StatusBody,
    TeamTarget,
)
from loket.blueprints.api.schemas import Collaborator as CollaboratorShape
from loket.blueprints.api.schemas import Event as EventShape
from loket.blueprints.api.serializers import CLUB, SUPPORTER
from loket.services.errors import InvalidInput, NotFound
from loket.services.network import clubs as clubs_service
from loket.services.network import teams
from loket.services.requests import actions, categories, filing, queues, teamwork
from loket.services.requests.request_search import Search

READERS = ("club", *SUPPORTERS)
# Passed on for a sport name we do not know, so the service reports it with the other field errors.
UNKNOWN_SPORT = "onbekend"
AANVRAGEN, SAMENWERKEN = ["aanvragen"], ["samenwerken"]
# The service's names for a new contact person's fields, as the API calls them.
CONTACT_FIELDS = {"contact_name": "contact.name", "contact_email": "contact.email", "contact_phone": "contact.phone"}
TEAM_WORDS = {"loket": "loket", "bond": "bond", "initiatief": "landelijk initiatief"}
CLUB_OWN_MESSAGE = ("Een club dient zelf in via portaal, zonder contactpersoon; alleen een clubondersteuner die "
                    "namens een club indient, geeft kanaal en contactpersoon op.")


@contextmanager
def fields_named(**renames):
    """Report a service's field errors under the API's field names (the service says `team`, we `to`)."""
    try:
        yield
    except InvalidInput as error:
        raise InvalidInput({renames.get(k, k): v for k, v in error.errors.items()}) from None


def _team(target: TeamTarget, field: str):
    """The team a {type, id} target names; id is a number, a loket's slug or a bond's or initiative's key."""
    team = teams.team_of(target.type, target.id)
    if team is None:
        what = TEAM_WORDS[target.type]
        key = "id" if isinstance(target.id, int) else ("slug" if target.type == "loket" else "key")
        raise InvalidInput({f"{field}.id": f"Er is geen {what} met {key} ‘{target.id}’."})
    return team


def _access(request_id):
    return teamwork.supporter_access(current_user, request_id)


@bp.get("/requests")
@allow(*READERS)
@spec.validate(resp=Response(HTTP_200=RequestPage), tags=AANVRAGEN)
def list_requests(query: RequestListQuery):
    """De aanvragen die je mag zien, per pagina.

    Clubcontacten: de aanvragen van hun clubs. Ondersteuners: de wachtrijen van hun team.
    """
    view = query.view or query.team or lookups.default_view(current_user)
    category_id = lookups.category_id_for(query.category)
    if query.category and category_id is None:
        raise InvalidInput({"category": f"Er is geen categorie met slug ‘{query.category}’."})
    pagination = lookups.request_page(current_user, view=view, status=query.status, category_id=category_id,
                                      page=query.page, per_page=query.per_page, search=Search.of(query.q),
                                      sort=query.sort or "deadline")
    audience = CLUB if view == lookups.CLUB_VIEW else SUPPORTER
    return serializers.page(pagination, lambda r: serializers.request_summary(r, audience))


@bp.post("/requests")
@allow("club", "clubondersteuner", "bondsspecialist")
@spec.validate(resp=Response("HTTP_404", HTTP_201=RequestSummary), tags=AANVRAGEN)
def create_request(json: RequestBody):
    """Dien een aanvraag in: voor een van je clubs, of als clubondersteuner namens een club.

    De aanvraag wordt direct gerouteerd: `owner` zegt welk loket, welke bond of de opvang van het
    coördinatiepunt hem behandelt. Een club waarvan de aanmelding nog niet is goedgekeurd, kan nog niets
    indienen (403). Een club waarvan je geen contactpersoon bent, geeft 404.

    Een clubondersteuner dient in namens een goedgekeurde club in het werkgebied van zijn loket (anders 404),
    met `channel` (telefoon, bezoek of e-mail) en de contactpersoon die de vraag stelde: `contact_id` of een
    nieuwe `contact`. De routering is die van de club zelf; de contactpersonen van de club krijgen de
    bevestiging en kunnen de aanvraag volgen. Een bondsspecialist of medewerker van een landelijk initiatief
    dient niet namens clubs in (403).
    """
    club_id = json.club
    sport = clubs_service.sport_by_name(json.sport) if json.sport else None
    category = categories.by_slug(json.category)  # the whole row: filing then finds it in the session
    fields = {"category_id": category.id if category else None,
              "sport_id": sport.id if sport else (UNKNOWN_SPORT if json.sport else None),
              "title": json.title, "description": json.description}
    if current_user.has_role(*SUPPORTERS) and club_id not in current_user.club_ids:
        contact = json.contact.model_dump() if json.contact is not None else None
        with fields_named(**CONTACT_FIELDS):
            filed = filing.file_for_club(actor=current_user, club_id=club_id, channel=json.channel or "",
                                         contact_id=json.contact_id, contact=contact, **fields).request
        return (serializers.request_summary(filed, SUPPORTER), 201,
                {"Location": url_for("api.get_request", request_id=filed.id)})
    if json.channel not in (None, "portaal") or json.contact_id is not None or json.contact is not None:
        raise InvalidInput({"channel" if json.channel not in (None, "portaal") else "contact": CLUB_OWN_MESSAGE})
    filed = filing.create_request(actor=current_user, club_id=club_id, **fields)
    return (serializers.request_summary(filed, CLUB), 201,
            {"Location": url_for("api.get_request", request_id=filed.id)})


@bp.get("/requests/<int:request_id>")
@allow(*READERS)
@spec.validate(resp=Response(HTTP_200=RequestDetail), tags=AANVRAGEN)
def get_request(request_id):
    """Een aanvraag met de tijdlijn die je mag zien.

    Clubcontacten zien alleen de publieke stappen; ondersteuners alles, ook interne notities.
    """
    audience, subject = lookups.request_for(current_user, request_id)
    support_request = subject.request if audience == SUPPORTER else subject
    events = queues.timeline(support_request, include_internal=audience == SUPPORTER)
    return serializers.request_detail(support_request, events, audience,
                                      access=subject if audience == SUPPORTER else None)


@bp.post("/requests/<int:request_id>/messages")
@allow(*READERS)
@spec.validate(resp=Response("HTTP_409", HTTP_201=EventShape), tags=AANVRAGEN)
def post_message(request_id, json: MessageBody):
    """Reageer (publiek) of schrijf een interne notitie.

    Clubcontacten kunnen alleen reageren: internal=true geeft 403.
    """
    audience, subject = lookups.request_for(current_user, request_id)
    if audience == SUPPORTER:
        event = teamwork.post_message(subject, actor=current_user, body=json.body, internal=json.internal)
    else:
        event = actions.add_message(subject, actor=current_user, body=json.body, internal=json.internal,
                                    as_supporter=False)
    return serializers.event(event, audience), 201


@bp.post("/requests/<int:request_id>/claim")
@allow(*SUPPORTERS)
@spec.validate(resp=Response("HTTP_409", HTTP_200=RequestSummary), tags=AANVRAGEN)
def claim_request(request_id):
    """Pak de aanvraag op (alleen het behandelende team)."""
    access = _access(request_id)
    teamwork.claim(access, actor=current_user)
    return serializers.request_summary(access.request, SUPPORTER)


@bp.post("/requests/<int:request_id>/status")
@allow(*SUPPORTERS)
@spec.validate(resp=Response("HTTP_409", HTTP_200=RequestSummary), tags=AANVRAGEN)
def change_status(request_id, json: StatusBody):
    """Wijzig de status (alleen het behandelende team).

    Met `version` wordt een tussentijdse wijziging door een ander een 409 in plaats van een stille
    overschrijving. Een onmogelijke statusovergang geeft 422.
    """
    access = _access(request_id)
    teamwork.change_status(access, json.status, actor=current_user, expected_version=json.version)
    return serializers.request_summary(access.request, SUPPORTER)


@bp.post("/requests/<int:request_id>/referrals")
@allow(*SUPPORTERS)
@spec.validate(resp=Response("HTTP_409", HTTP_201=Referral), tags=SAMENWERKEN)
def propose_referral(request_id, json: ReferralBody):
    """Verwijs de aanvraag door naar een loket, bond of landelijk initiatief (`to.type`: loket, bond, initiatief).

    `to.id` is het numerieke id, of de slug van het loket / de key van de bond of het initiatief. Het andere team
    accepteert of wijst af binnen 3 werkdagen.
    """
    access = _access(request_id)
    team = _team(json.to, "to")
    with fields_named(team="to"):
        referral = teamwork.propose_referral(access, actor=current_user, to_team_id=team.id, reason=json.reason)
    return serializers.referral(referral), 201


@bp.post("/referrals/<int:referral_id>/accept")
@allow(*SUPPORTERS)
@spec.validate(resp=Response("HTTP_409", HTTP_200=Referral), tags=SAMENWERKEN)
def accept_referral(referral_id):
    """Accepteer een doorverwijzing aan jouw team: jullie worden eigenaar."""
    referral, access = lookups.open_referral_for(current_user, referral_id)
    teamwork.accept_referral(access, actor=current_user)
    return serializers.referral(referral)


@bp.post("/referrals/<int:referral_id>/decline")
@allow(*SUPPORTERS)
@spec.validate(resp=Response("HTTP_409", HTTP_200=Referral), tags=SAMENWERKEN)
def decline_referral(referral_id, json: DeclineBody):
    """Wijs een doorverwijzing af, met reden; de aanvraag gaat terug naar de verwijzer."""
    referral, access = lookups.open_referral_for(current_user, referral_id)
    teamwork.decline_referral(access, actor=current_user, reason=json.reason)
    return serializers.referral(referral)


@bp.post("/requests/<int:request_id>/collaborators")
@allow(*SUPPORTERS)
@spec.validate(resp=Response("HTTP_409", HTTP_201=CollaboratorShape), tags=SAMENWERKEN)
def invite_collaborator(request_id, json: CollaboratorBody):
    """Schakel een ander team in om mee te werken (eigenaarschap blijft)."""
    access = _access(request_id)
    team = _team(json.team, "team")
    collaboration = teamwork.invite_team(access, actor=current_user, team_id=team.id, reason=json.reason)
    return serializers.collaborator(collaboration), 201


@bp.delete("/requests/<int:request_id>/collaborators")
@allow(*SUPPORTERS)
@spec.validate(resp=Response("HTTP_204"), tags=SAMENWERKEN)
def end_collaboration(request_id, json: CollaboratorEndBody):
    """Beëindig een samenwerking (het behandelende team, of het meewerkende team zelf)."""
    access = _access(request_id)
    teamwork.end_invitation(access, actor=current_user, team_id=_team(json.team, "team").id)
    return "", 204


@bp.delete("/requests/<int:request_id>/collaborators/<kind>/<identifier>")
@allow(*SUPPORTERS)
@spec.validate(resp=Response("HTTP_204"), tags=SAMENWERKEN)
def end_collaboration_by_path(request_id, kind, identifier):
    """Beëindig een samenwerking; het team staat in het pad (loket/{id of slug}, bond/{id of key},
    initiatief/{id of key})."""
    access = _access(request_id)
    numeric = identifier.isascii() and identifier.isdigit() and int(identifier) <= MAX_ID
    team = teams.team_of(kind, int(identifier) if numeric else identifier)
    if team is None:
        raise NotFound("Dit team werkt niet (meer) mee aan deze aanvraag.")
    teamwork.end_invitation(access, actor=current_user, team_id=team.id)
    return "", 204
