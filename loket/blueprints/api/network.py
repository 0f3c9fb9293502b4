"""The network: loketten, bonden, landelijke initiatieven, clubs, users (beheer), and the categories anyone may
read."""
from datetime import date

from flask_login import current_user
from spectree import Response

from loket.access import ANY_USER, SUPPORTERS, allow
from loket.blueprints.api import bp, serializers
from loket.blueprints.api.openapi import spec
from loket.blueprints.api.schemas import (
    Bond,
    BondPage,
    BondPatchBody,
    CategoryList,
    Club,
    ClubBody,
    ClubPage,
    InitiativePage,
    Loket,
    LoketBody,
    LoketPage,
    LoketPatchBody,
    PageQuery,
    User,
    UserBody,
    UserPage,
)
from loket.services.errors import InvalidInput
from loket.services.network import bonden as bonden_service
from loket.services.network import clubs as clubs_service
from loket.services.network import initiatives as initiatives_service
from loket.services.network import lifecycle
from loket.services.network import loketten as loketten_service
from loket.services.network import users as users_service
from loket.services.requests.categories import available_categories

BEHEER = ("beheer",)
NETWORK_MANAGERS = ("beheer", "coordinatiepunt")
NETWERK = ["netwerk"]


@bp.get("/lokets")
@allow(*BEHEER, *SUPPORTERS)
@spec.validate(resp=Response(HTTP_200=LoketPage), tags=NETWERK)
def list_lokets(query: PageQuery):  # the view name is the published operationId: it follows the path
    """Loketten met hun gemeenten en team (beheer en ondersteuners)."""
    loketten = loketten_service.list_loketten(page=query.page, per_page=query.per_page)
    return serializers.page(loketten, serializers.loket)


@bp.post("/lokets")
@allow(*BEHEER)
@spec.validate(resp=Response(HTTP_201=Loket), tags=NETWERK)
def create_loket(json: LoketBody):
    """Richt een loket op voor een of meer gemeenten.

    Een gemeente die al door een ander loket wordt bediend, wordt geweigerd (422).
    """
    loket = loketten_service.create_loket(json.name, json.slug, json.gemeenten, json.status, actor=current_user)
    return serializers.loket(loket), 201


@bp.get("/lokets/<slug>")
@allow(*NETWORK_MANAGERS)
@spec.validate(resp=Response(HTTP_200=Loket), tags=NETWERK)
def get_loket(slug):
    """Eén loket met zijn gemeenten, contactgegevens en datum van aanhaken (beheer en coördinatiepunt)."""
    return serializers.loket(loketten_service.get_loket(slug))


@bp.patch("/lokets/<slug>")
@allow(*NETWORK_MANAGERS)
@spec.validate(resp=Response(HTTP_200=Loket), tags=NETWERK)
def update_loket(slug, json: LoketPatchBody):
    """Wijzig de naam, status, gemeenten, aanhaken of contactgegevens van een loket.

    Alleen meegestuurde velden veranderen; elke wijziging komt met `reason` in de geschiedenis van het loket.
    Wordt het loket operationeel of krijgt een operationeel loket een gemeente, dan verhuizen de wachtende
    aanvragen van die gemeenten uit de opvangwachtrij mee; bij overnemen (`take_over`) ook de open aanvragen
    die het vorige loket voor die gemeente had. Een onbekende of al bediende gemeente, of terug naar
    in_oprichting zonder reden: 422, en er is niets opgeslagen.
    """
    loket = loketten_service.get_loket(slug)
    changes = json.model_dump(exclude_unset=True, exclude={"reason", "take_over"})
    if "aangehaakt_at" in changes:
        changes["aangehaakt_at"] = _day(changes["aangehaakt_at"])
    lifecycle.update_loket(loket, actor=current_user, changes=changes, reason=json.reason,
                           take_over=bool(json.take_over))
    return serializers.loket(loket)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput({"aangehaakt_at": "Deze datum bestaat niet; schrijf hem als JJJJ-MM-DD."}) from None


@bp.get("/bonds")
@allow(*BEHEER, *SUPPORTERS)
@spec.validate(resp=Response(HTTP_200=BondPage), tags=NETWERK)
def list_bonds(query: PageQuery):  # the view name is the published operationId: it follows the path
    """Bonden met hun sporten en team (beheer en ondersteuners)."""
    return serializers.page(bonden_service.list_bonden(page=query.page, per_page=query.per_page), serializers.bond)


@bp.get("/initiatives")
@allow(*BEHEER, *SUPPORTERS)
@spec.validate(resp=Response(HTTP_200=InitiativePage), tags=NETWERK)
def list_initiatives(query: PageQuery):
    """Landelijke initiatieven met hun team (beheer en ondersteuners): waarnaar je kunt doorverwijzen of wie je kunt
    inschakelen. Clubs dienen er niet zelf bij in."""
    return serializers.page(initiatives_service.list_initiatives(page=query.page, per_page=query.per_page),
                            serializers.initiative)


@bp.patch("/bonds/<key>")
@allow(*BEHEER)
@spec.validate(resp=Response(HTTP_200=Bond), tags=NETWERK)
def update_bond(key, json: BondPatchBody):
    """Sluit een bond aan bij het netwerk, of koppel hem los."""
    return serializers.bond(bonden_service.set_bond_aangesloten(key, json.aangesloten, actor=current_user))


@bp.get("/clubs")
@allow(*BEHEER)
@spec.validate(resp=Response(HTTP_200=ClubPage), tags=NETWERK)
def list_clubs(query: PageQuery):
    """Clubs (beheer)."""
    return serializers.page(clubs_service.list_clubs(page=query.page, per_page=query.per_page), serializers.club)


@bp.post("/clubs")
@allow(*BEHEER)
@spec.validate(resp=Response(HTTP_201=Club), tags=NETWERK)
def create_club(json: ClubBody):
    """Registreer een club (sportaanbieder)."""
    club = clubs_service.create_club(json.name, json.kind, json.gemeente, json.sports)
    return serializers.club(club), 201


@bp.get("/users")
@allow(*BEHEER)
@spec.validate(resp=Response(HTTP_200=UserPage), tags=NETWERK)
def list_users(query: PageQuery):
    """Gebruikers met hun rollen (beheer)."""
    return serializers.page(users_service.list_users(page=query.page, per_page=query.per_page), serializers.user)


@bp.post("/users")
@allow(*BEHEER)
@spec.validate(resp=Response(HTTP_201=User), tags=NETWERK)
def create_user(json: UserBody):
    """Maak een gebruiker aan met een of meer rollen.

    Elke rol hoort bij precies één organisatie: club (id) voor rol club, loket (slug) voor
    clubondersteuner, bond (key) voor bondsspecialist, initiative (key) voor initiatiefmedewerker, gemeente
    (CBS-code) voor gemeente, region (id) voor adviseur; geen voor coordinatiepunt en beheer.
    """
    memberships = [users_service.MembershipSpec(role=m.role, club=m.club, loket=m.loket, bond=m.bond,
                                                initiative=m.initiative, gemeente=m.gemeente, region=m.region,
                                                team_lead=m.team_lead)
                   for m in json.memberships]
    user = users_service.create_user(email=json.email, name=json.name, password=json.password,
                                     memberships=memberships)
    return serializers.user(user), 201


@bp.get("/categories")
@allow(ANY_USER)
@spec.validate(resp=Response(HTTP_200=CategoryList), tags=NETWERK)
def list_categories():
    """De actieve categorieën voor een aanvraag."""
    return {"items": [serializers.category(c) for c in available_categories()]}
