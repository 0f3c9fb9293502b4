"""The network: loketten, bonden, clubs, users (beheer), and the categories anyone may read."""
from loket.access import ANY_USER, SUPPORTERS
from loket.blueprints.api import schemas, serializers
from loket.blueprints.api.registry import operation, page_parameters
from loket.services.network import bonden as bonden_service
from loket.services.network import clubs as clubs_service
from loket.services.network import loketten as loketten_service
from loket.services.network import users
from loket.services.network import users as users_service
from loket.services.requests.categories import available_categories

BEHEER = ("beheer",)


@operation("GET", "/lokets", who=(*BEHEER, *SUPPORTERS), tag="netwerk", response="LoketPage",
           query=page_parameters(), summary="Loketten met hun gemeenten en team (beheer en ondersteuners).")
def list_lokets(query):
    return serializers.page(loketten_service.list_lokets(page=query["page"], per_page=query["per_page"]), serializers.loket)


@operation("POST", "/lokets", who=BEHEER, tag="netwerk", status=201, response="Loket", body=schemas.LOKET_BODY,
           summary="Richt een loket op voor een of meer gemeenten.",
           description="Een gemeente die al door een ander loket wordt bediend, wordt geweigerd (422).")
def create_loket(body):
    loket = loketten_service.create_loket(body["name"], body["slug"], body["gemeenten"],
                                 body.get("status", "in_oprichting"))
    return serializers.loket(loket), 201


@operation("GET", "/bonds", who=(*BEHEER, *SUPPORTERS), tag="netwerk", response="BondPage",
           query=page_parameters(), summary="Bonden met hun sporten en team (beheer en ondersteuners).")
def list_bonds(query):
    return serializers.page(bonden_service.list_bonds(page=query["page"], per_page=query["per_page"]), serializers.bond)


@operation("PATCH", "/bonds/<key>", who=BEHEER, tag="netwerk", response="Bond", body=schemas.BOND_PATCH_BODY,
           summary="Sluit een bond aan bij het netwerk, of koppel hem los.")
def update_bond(key, body):
    return serializers.bond(bonden_service.set_bond_aangesloten(key, body["aangesloten"]))


@operation("GET", "/clubs", who=BEHEER, tag="netwerk", response="ClubPage", query=page_parameters(),
           summary="Clubs (beheer).")
def list_clubs(query):
    return serializers.page(clubs_service.list_clubs(page=query["page"], per_page=query["per_page"]), serializers.club)


@operation("POST", "/clubs", who=BEHEER, tag="netwerk", status=201, response="Club", body=schemas.CLUB_BODY,
           summary="Registreer een club (sportaanbieder).")
def create_club(body):
    club = clubs_service.create_club(body["name"], body["kind"], body["gemeente"], body.get("sports", []))
    return serializers.club(club), 201


@operation("GET", "/users", who=BEHEER, tag="netwerk", response="UserPage", query=page_parameters(),
           summary="Gebruikers met hun rollen (beheer).")
def list_users(query):
    return serializers.page(users_service.list_users(page=query["page"], per_page=query["per_page"]), serializers.user)


@operation("POST", "/users", who=BEHEER, tag="netwerk", status=201, response="User", body=schemas.USER_BODY,
           summary="Maak een gebruiker aan met een of meer rollen.",
           description="Elke rol hoort bij precies één organisatie: club (id) voor rol club, loket (slug) voor "
                       "clubondersteuner, bond (key) voor bondsspecialist; geen voor coordinatiepunt en beheer.")
def create_user(body):
    memberships = [users.MembershipSpec(role=m["role"], club=m.get("club"), loket=m.get("loket"),
                                        bond=m.get("bond"), team_lead=m.get("team_lead", False))
                   for m in body["memberships"]]
    user = users.create_user(email=body["email"], name=body["name"], password=body["password"],
                             memberships=memberships)
    return serializers.user(user), 201


@operation("GET", "/categories", who=(ANY_USER,), tag="netwerk", response="CategoryList",
           summary="De actieve categorieën voor een aanvraag.")
def list_categories():
    return {"items": [serializers.category(c) for c in available_categories()]}
