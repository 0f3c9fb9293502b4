"""Support requests over the API: list, file, read, reply, claim, status, referrals, collaborators.

Who sees what is the services' rule (DESIGN §7): club contacts their clubs' requests and public
timeline; supporters the requests their team owns, is referred or invited to, with everything.
"""
from contextlib import contextmanager

from flask_login import current_user

from loket.access import SUPPORTERS
from loket.blueprints.api import lookups, schemas, serializers
from loket.blueprints.api.registry import location_of, operation, page_parameters
from loket.blueprints.api.serializers import CLUB, SUPPORTER
from loket.models import STATUSES
from loket.services.errors import Forbidden, InvalidInput, NotFound
from loket.services.network import clubs as clubs_service
from loket.services.network import teams
from loket.services.requests import actions, filing, queues, teamwork

READERS = ("club", *SUPPORTERS)
# Passed on for a sport name we do not know, so the service reports it with the other field errors.
UNKNOWN_SPORT = "onbekend"
VIEW_PARAMETER = {"type": "string", "enum": list(lookups.VIEWS)}
LIST_PARAMETERS = (
    {"name": "view", "in": "query", "schema": VIEW_PARAMETER,
     "description": "club: de aanvragen van je clubs (standaard voor clubcontacten). team: jullie wachtrij "
                    "(standaard voor ondersteuners); inkomend: aan jullie doorverwezen; uitgaand: door jullie "
                    "doorverwezen; samenwerking: waar jullie zijn ingeschakeld."},
    {"name": "team", "in": "query", "schema": VIEW_PARAMETER, "description": "Synoniem van `view`."},
    {"name": "status", "in": "query", "schema": {"type": "string", "enum": [*STATUSES, "open"]},
     "description": "Een status, of ‘open’ voor alles wat nog loopt. Zonder: alle statussen."},
    {"name": "category", "in": "query", "schema": {"type": "string", "maxLength": 80},
     "description": "De slug van een categorie."},
    *page_parameters(),
)


@contextmanager
def fields_named(**renames):
    """Report a service's field errors under the API's field names (the service says `team`, we `to`)."""
    try:
        yield
    except InvalidInput as error:
        raise InvalidInput({renames.get(k, k): v for k, v in error.errors.items()}) from None


def _team(target: dict, field: str):
    """The team a {type, id} target names; id is a number, a loket's slug or a bond's key."""
    team = teams.team_of(target["type"], target["id"])
    if team is None:
        what = "loket" if target["type"] == "loket" else "bond"
        key = "id" if isinstance(target["id"], int) else ("slug" if what == "loket" else "key")
        raise InvalidInput({f"{field}.id": f"Er is geen {what} met {key} ‘{target['id']}’."})
    return team


def _access(request_id):
    return teamwork.supporter_access(current_user, request_id)


@operation("GET", "/requests", who=READERS, tag="aanvragen", response="RequestPage", query=LIST_PARAMETERS,
           summary="De aanvragen die je mag zien, per pagina.",
           description="Clubcontacten: de aanvragen van hun clubs. Ondersteuners: de wachtrijen van hun team.")
def list_requests(query):
    view = query["view"] or query["team"] or lookups.default_view(current_user)
    category_id = lookups.category_id_for(query["category"])
    if query["category"] and category_id is None:
        raise InvalidInput({"category": f"Er is geen categorie met slug ‘{query['category']}’."})
    pagination = lookups.request_page(current_user, view=view, status=query["status"], category_id=category_id,
                                      page=query["page"], per_page=query["per_page"])
    audience = CLUB if view == lookups.CLUB_VIEW else SUPPORTER
    return serializers.page(pagination, lambda r: serializers.request_summary(r, audience))


@operation("POST", "/requests", who=("club",), tag="aanvragen", status=201, response="RequestSummary",
           body=schemas.REQUEST_BODY, summary="Dien een aanvraag in voor een van je clubs.",
           description="De aanvraag wordt direct gerouteerd: `owner` zegt welk loket, welke bond of de opvang "
                       "van het coördinatiepunt hem behandelt.")
def create_request(body):
    sport = clubs_service.sport_by_name(body["sport"]) if body.get("sport") else None
    try:
        filed = filing.create_request(
            actor=current_user, club_id=body["club"], category_id=lookups.category_id_for(body["category"]),
            sport_id=sport.id if sport else (UNKNOWN_SPORT if body.get("sport") else None),
            title=body["title"], description=body["description"])
    except (NotFound, Forbidden) as error:
        # An unknown club and someone else's club get the same answer: existence is not revealed.
        raise InvalidInput({"club": "Kies een club waarvan je contactpersoon bent."}) from error
    return (serializers.request_summary(filed, CLUB), 201,
            location_of("api.get_request", request_id=filed.id))


@operation("GET", "/requests/<int:request_id>", who=READERS, tag="aanvragen", response="RequestDetail",
           summary="Een aanvraag met de tijdlijn die je mag zien.",
           description="Clubcontacten zien alleen de publieke stappen; ondersteuners alles, ook interne notities.")
def get_request(request_id):
    audience, subject = lookups.request_for(current_user, request_id)
    support_request = subject.request if audience == SUPPORTER else subject
    events = queues.timeline(support_request, include_internal=audience == SUPPORTER)
    return serializers.request_detail(support_request, events, audience,
                                      access=subject if audience == SUPPORTER else None)


@operation("POST", "/requests/<int:request_id>/messages", who=READERS, tag="aanvragen", status=201,
           response="Event", body=schemas.MESSAGE_BODY, errors=(409,),
           summary="Reageer (publiek) of schrijf een interne notitie.",
           description="Clubcontacten kunnen alleen reageren: internal=true geeft 403.")
def post_message(request_id, body):
    audience, subject = lookups.request_for(current_user, request_id)
    internal = body.get("internal", False)
    if audience == SUPPORTER:
        event = teamwork.post_message(subject, actor=current_user, body=body["body"], internal=internal)
    else:
        event = actions.add_message(subject, actor=current_user, body=body["body"], internal=internal,
                                             as_supporter=False)
    return serializers.event(event, audience), 201


@operation("POST", "/requests/<int:request_id>/claim", who=SUPPORTERS, tag="aanvragen", response="RequestSummary",
           errors=(409,), summary="Pak de aanvraag op (alleen het behandelende team).")
def claim_request(request_id):
    access = _access(request_id)
    teamwork.claim(access, actor=current_user)
    return serializers.request_summary(access.request, SUPPORTER)


@operation("POST", "/requests/<int:request_id>/status", who=SUPPORTERS, tag="aanvragen",
           response="RequestSummary", body=schemas.STATUS_BODY, errors=(409,),
           summary="Wijzig de status (alleen het behandelende team).",
           description="Met `version` wordt een tussentijdse wijziging door een ander een 409 in plaats van "
                       "een stille overschrijving. Een onmogelijke statusovergang geeft 422.")
def change_status(request_id, body):
    access = _access(request_id)
    teamwork.change_status(access, body["status"], actor=current_user, expected_version=body.get("version"))
    return serializers.request_summary(access.request, SUPPORTER)


@operation("POST", "/requests/<int:request_id>/referrals", who=SUPPORTERS, tag="samenwerken", status=201,
           response="Referral", body=schemas.REFERRAL_BODY, errors=(409,),
           summary="Verwijs de aanvraag door naar een loket of bond.",
           description="`to.id` is het numerieke id, of de slug van het loket / de key van de bond. Het andere "
                       "team accepteert of wijst af binnen 3 werkdagen.")
def propose_referral(request_id, body):
    access = _access(request_id)
    team = _team(body["to"], "to")
    with fields_named(team="to"):
        referral = teamwork.propose_referral(access, actor=current_user, to_team_id=team.id, reason=body["reason"])
    return serializers.referral(referral), 201


@operation("POST", "/referrals/<int:referral_id>/accept", who=SUPPORTERS, tag="samenwerken", response="Referral",
           errors=(409,), summary="Accepteer een doorverwijzing aan jouw team: jullie worden eigenaar.")
def accept_referral(referral_id):
    referral, access = lookups.open_referral_for(current_user, referral_id)
    teamwork.accept_referral(access, actor=current_user)
    return serializers.referral(referral)


@operation("POST", "/referrals/<int:referral_id>/decline", who=SUPPORTERS, tag="samenwerken",
           response="Referral", body=schemas.DECLINE_BODY, errors=(409,),
           summary="Wijs een doorverwijzing af, met reden; de aanvraag gaat terug naar de verwijzer.")
def decline_referral(referral_id, body):
    referral, access = lookups.open_referral_for(current_user, referral_id)
    teamwork.decline_referral(access, actor=current_user, reason=body["reason"])
    return serializers.referral(referral)


@operation("POST", "/requests/<int:request_id>/collaborators", who=SUPPORTERS, tag="samenwerken", status=201,
           response="Collaborator", body=schemas.COLLABORATOR_BODY, errors=(409,),
           summary="Schakel een ander team in om mee te werken (eigenaarschap blijft).")
def invite_collaborator(request_id, body):
    access = _access(request_id)
    team = _team(body["team"], "team")
    collaboration = teamwork.invite_team(access, actor=current_user, team_id=team.id, reason=body.get("reason"))
    return serializers.collaborator(collaboration), 201


@operation("DELETE", "/requests/<int:request_id>/collaborators", who=SUPPORTERS, tag="samenwerken", status=204,
           body=schemas.COLLABORATOR_END_BODY,
           summary="Beëindig een samenwerking (het behandelende team, of het meewerkende team zelf).")
def end_collaboration(request_id, body):
    access = _access(request_id)
    teamwork.end_invitation(access, actor=current_user, team_id=_team(body["team"], "team").id)
    return "", 204


@operation("DELETE", "/requests/<int:request_id>/collaborators/<kind>/<identifier>", who=SUPPORTERS,
           tag="samenwerken", status=204,
           summary="Beëindig een samenwerking; het team staat in het pad (loket/{id of slug}, bond/{id of key}).")
def end_collaboration_by_path(request_id, kind, identifier):
    access = _access(request_id)
    numeric = identifier.isascii() and identifier.isdigit() and int(identifier) <= schemas.MAX_ID
    team = teams.team_of(kind, int(identifier) if numeric else identifier)
    if team is None:
        raise NotFound("Dit team werkt niet (meer) mee aan deze aanvraag.")
    teamwork.end_invitation(access, actor=current_user, team_id=team.id)
    return "", 204
