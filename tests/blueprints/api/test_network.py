"""Beheer manages the network over the API; supporters read loketten and bonden to pick a referral target."""
from datetime import date

import pytest
from sqlalchemy import func, select

from loket.extensions import db as _db
from loket.models import Bond, Club, Gemeente, Loket, Team, User
from loket.services import errors as errors_service
from loket.services.network import bonden as bonden_service
from loket.services.network import loketten as loketten_service
from loket.services.network import teams
from loket.services.requests import categories as categories_service
from tests.support.api import assert_problem
from tests.factories import PASSWORD, GemeenteFactory, totp_code


def _count(model):
    return _db.session.scalar(select(func.count()).select_from(model))


# ---------------------------------------------------------------- loketten

@pytest.mark.parametrize("who", ["beheerder", "ondersteuner", "bondsspecialist"])
def test_lokets_are_listed_with_gemeenten_and_team_for_beheer_and_supporters(api, network, who):
    response = api(who).get("/lokets")
    assert response.status_code == 200
    body = response.get_json()
    assert body["total"] == 3 and body["page"] == 1
    eemland = next(item for item in body["items"] if item["slug"] == "eemland")
    assert eemland["team_id"] == network.loket_eemland.team.id
    assert [g["code"] for g in eemland["gemeenten"]] == ["GM0307", "GM0327"]
    assert "users" not in eemland and "members" not in eemland


@pytest.mark.parametrize("who, status", [("club_contact", 403), ("coordinator", 403), (None, 401)])
def test_lokets_list_is_closed_to_others(api, network, who, status):
    assert_problem(api(who).get("/lokets"), status)


def test_beheer_creates_a_loket_that_new_requests_route_to(api, network):
    response = api("beheerder").post("/lokets", json={"name": "Sportloket Zeist", "slug": "zeist",
                                                      "gemeenten": ["GM0355"], "status": "operationeel"})
    assert response.status_code == 201
    created = response.get_json()
    assert created["slug"] == "zeist" and created["status"] == "operationeel" and created["team_id"]
    assert created["gemeenten"] == [{"code": "GM0355", "name": "Zeist"}]
    team = _db.session.get(Team, created["team_id"])
    assert team.kind == "loket" and team.loket_id == created["id"]
    filed = api("zeist_contact").post("/requests", json={"club": network.club_zeist.id, "category": "overig",
                                                         "title": "Vraag", "description": "Tekst"})
    assert filed.get_json()["owner"] == {"type": "loket", "id": created["id"], "name": "Sportloket Zeist",
                                         "team_id": team.id}


def test_a_new_loket_starts_in_oprichting_by_default(api, network):
    response = api("beheerder").post("/lokets", json={"name": "Sportloket Zeist", "slug": "zeist",
                                                      "gemeenten": ["gm0355"]})
    assert response.status_code == 201 and response.get_json()["status"] == "in_oprichting"


def test_a_gemeente_served_by_another_loket_is_refused_and_nothing_is_stored(api, network):
    before = (_count(Loket), _count(Team))
    response = api("beheerder").post("/lokets", json={"name": "Sportloket Midden", "slug": "midden",
                                                      "gemeenten": ["GM0355", "GM0344"]})
    assert_problem(response, 422, field="gemeenten", contains="al bediend door Sportloket Utrecht")
    assert (_count(Loket), _count(Team)) == before
    assert network.zeist.loket_id is None


@pytest.mark.parametrize("body, field", [
    ({"name": "X", "slug": "utrecht", "gemeenten": ["GM0355"]}, "slug"),
    ({"name": "X", "slug": "Met Spaties", "gemeenten": ["GM0355"]}, "slug"),
    ({"name": " ", "slug": "x", "gemeenten": ["GM0355"]}, "name"),
    ({"name": "X", "slug": "x", "gemeenten": ["GM9999"]}, "gemeenten"),
    ({"name": "X", "slug": "x", "gemeenten": []}, "gemeenten"),
    ({"name": "X", "slug": "x", "gemeenten": "GM0355"}, "gemeenten"),
    ({"name": "X", "slug": "x", "gemeenten": [355]}, "gemeenten.0"),
    ({"name": "X", "slug": "x", "gemeenten": ["GM0355"], "status": "open"}, "status"),
    ({"name": 7, "slug": "x", "gemeenten": ["GM0355"]}, "name"),
    ({"slug": "x", "gemeenten": ["GM0355"]}, "name"),
    ({"name": "X", "slug": "x", "gemeenten": ["GM0355"], "email": "a@b.nl"}, "email"),
])
def test_invalid_loket_input_is_422_with_a_dutch_message_per_field(api, network, body, field):
    before = (_count(Loket), _count(Team))
    assert_problem(api("beheerder").post("/lokets", json=body), 422, field=field)
    assert (_count(Loket), _count(Team)) == before


@pytest.mark.parametrize("who, status", [("ondersteuner", 403), ("coordinator", 403), (None, 401)])
def test_only_beheer_creates_lokets(api, network, who, status):
    response = api(who).post("/lokets", json={"name": "X", "slug": "x", "gemeenten": ["GM0355"]})
    assert_problem(response, status)
    assert _count(Loket) == 3


def test_loket_list_is_paginated(api, network):
    body = api("beheerder").get("/lokets?per_page=2&page=2").get_json()
    assert body["per_page"] == 2 and body["page"] == 2 and body["pages"] == 2 and len(body["items"]) == 1
    assert api("beheerder").get("/lokets?page=9").get_json()["items"] == []
    for query, field in (("per_page=101", "per_page"), ("per_page=0", "per_page"), ("page=0", "page"),
                         ("page=twee", "page"), ("page=-1", "page")):
        assert_problem(api("beheerder").get(f"/lokets?{query}"), 422, field=field)


# ---------------------------------------------------------------- bonden

@pytest.mark.parametrize("who", ["beheerder", "ondersteuner", "bondsspecialist"])
def test_bonds_are_listed_with_sports_and_team(api, network, who):
    items = api(who).get("/bonds").get_json()["items"]
    knvb = next(item for item in items if item["key"] == "knvb")
    assert knvb["sports"] == ["voetbal"] and knvb["team_id"] == network.knvb.team.id and knvb["aangesloten"]
    assert knvb["kind"] == "bond"


@pytest.mark.parametrize("who, status", [("club_contact", 403), ("coordinator", 403), (None, 401)])
def test_bonds_list_is_closed_to_others(api, network, who, status):
    assert_problem(api(who).get("/bonds"), status)


def test_beheer_connects_a_bond_and_sport_specific_requests_route_to_it(api, network):
    response = api("beheerder").patch("/bonds/knltb", json={"aangesloten": True})
    assert response.status_code == 200
    body = response.get_json()
    assert body["aangesloten"] is True and date.fromisoformat(body["aangesloten_at"])
    filed = api("club_contact").post("/requests", json={
        "club": network.club_utrecht.id, "category": "sporttechnisch-competitie", "sport": "tennis",
        "title": "Competitie-indeling", "description": "Hoe werkt de nieuwe indeling?"})
    assert filed.get_json()["owner"]["name"] == "KNLTB"


def test_disconnecting_a_bond_clears_its_date(api, network):
    body = api("beheerder").patch("/bonds/knvb", json={"aangesloten": False}).get_json()
    assert body["aangesloten"] is False and body["aangesloten_at"] is None


def test_bond_patch_errors(api, network):
    assert_problem(api("beheerder").patch("/bonds/nope", json={"aangesloten": True}), 404)
    assert_problem(api("beheerder").patch("/bonds/knltb", json={"aangesloten": "ja"}), 422, field="aangesloten")
    assert_problem(api("beheerder").patch("/bonds/knltb", json={"aangesloten": 1}), 422, field="aangesloten")
    assert_problem(api("beheerder").patch("/bonds/knltb", json={}), 422, field="aangesloten")
    assert_problem(api("bondsspecialist").patch("/bonds/knltb", json={"aangesloten": True}), 403)
    assert_problem(api().patch("/bonds/knltb", json={"aangesloten": True}), 401)
    _db.session.expire_all()
    assert _db.session.scalar(select(Bond).where(Bond.key == "knltb")).aangesloten is False


# ---------------------------------------------------------------- clubs

def test_beheer_registers_a_club(api, network):
    response = api("beheerder").post("/clubs", json={"name": "  KV Utrecht  ", "kind": "vereniging",
                                                     "gemeente": "GM0344", "sports": ["Voetbal", "tennis"]})
    assert response.status_code == 201
    club = response.get_json()
    assert club["name"] == "KV Utrecht" and club["sports"] == ["tennis", "voetbal"]
    assert club["gemeente"] == {"code": "GM0344", "name": "Utrecht"} and club["loket_id"] == network.loket_utrecht.id
    assert club["created_at"].endswith("Z")


@pytest.mark.parametrize("body, field", [
    ({"name": "X", "kind": "vereniging", "gemeente": "GM0344", "sports": ["curling"]}, "sports"),
    ({"name": "X", "kind": "bedrijf", "gemeente": "GM0344"}, "kind"),
    ({"name": "X", "kind": "vereniging", "gemeente": "GM9999"}, "gemeente"),
    ({"name": "", "kind": "vereniging", "gemeente": "GM0344"}, "name"),
    ({"name": "X", "kind": "vereniging", "gemeente": "GM0344", "sports": "voetbal"}, "sports"),
    ({"name": "X", "kind": "vereniging", "gemeente": 344}, "gemeente"),
])
def test_invalid_club_input_is_422_and_nothing_is_stored(api, network, body, field):
    before = _count(Club)
    assert_problem(api("beheerder").post("/clubs", json=body), 422, field=field)
    assert _count(Club) == before


@pytest.mark.parametrize("who, status", [("ondersteuner", 403), ("club_contact", 403), (None, 401)])
def test_clubs_are_beheer_only(api, network, who, status):
    assert_problem(api(who).get("/clubs"), status)
    assert_problem(api(who).post("/clubs", json={"name": "X", "kind": "vereniging", "gemeente": "GM0344"}), status)


def test_beheer_lists_clubs(api, network):
    body = api("beheerder").get("/clubs").get_json()
    assert body["total"] == 4
    assert {c["name"] for c in body["items"]} >= {"VV Utrechtse Boys", "TV Bunnik"}


# ---------------------------------------------------------------- users

def test_beheer_creates_a_user_who_can_then_use_the_api(app, api, network):
    response = api("beheerder").post("/users", json={
        "email": "Nieuw@Example.nl", "name": "Nina Nieuw", "password": "lang-genoeg-wachtwoord",
        "memberships": [{"role": "clubondersteuner", "loket": "eemland", "team_lead": True},
                        {"role": "club", "club": network.club_amersfoort.id}]})
    assert response.status_code == 201
    user = response.get_json()
    assert user["email"] == "nieuw@example.nl" and user["active"] is True
    assert user["memberships"] == [
        {"role": "clubondersteuner", "team_lead": True, "club": None, "loket": "eemland", "bond": None, "initiative": None,
         "gemeente": None, "region": None, "region_set": None, "organisation": "Sportloket Eemland"},
        {"role": "club", "team_lead": False, "club": network.club_amersfoort.id, "loket": None, "bond": None, "initiative": None,
         "gemeente": None, "region": None, "region_set": None, "organisation": "HC Amersfoort"}]
    assert "password" not in str(user) and "hash" not in str(user)
    # A team lead turns on two-factor authentication (on the web) before the API gives a token.
    refused = api().post("/auth/token", json={"email": "nieuw@example.nl", "password": "lang-genoeg-wachtwoord"})
    assert refused.status_code == 401 and "verplicht" in refused.get_json()["detail"]
    created = _db.session.get(User, user["id"])
    app.test_client().login(created, "lang-genoeg-wachtwoord")
    token = api().post("/auth/token", json={"email": "nieuw@example.nl", "password": "lang-genoeg-wachtwoord",
                                            "otp": totp_code(created)})
    assert api(token=token.get_json()["token"]).get("/requests?view=inkomend").status_code == 200


def test_beheer_gives_the_read_only_roles_over_the_api(api, network):
    response = api("beheerder").post("/users", json={
        "email": "sport@gemeente.example", "name": "Saar Sportbeleid", "password": "lang-genoeg-wachtwoord",
        "memberships": [{"role": "gemeente", "gemeente": "GM0307"},
                        {"role": "adviseur", "region": network.regio_utrecht.id}]})
    assert response.status_code == 201, response.get_json()
    roles = [(m["role"], m["gemeente"], m["region"], m["region_set"], m["organisation"])
             for m in response.get_json()["memberships"]]
    assert roles == [("gemeente", "GM0307", None, None, "Amersfoort"),
                     ("adviseur", None, network.regio_utrecht.id, "vsg", "Regio Utrecht")]


@pytest.mark.parametrize("change, field", [
    ({"email": "anna@uboys.example"}, "email"),
    ({"memberships": [{"role": "gemeente", "gemeente": "GM9999"}]}, "organisation"),
    ({"memberships": [{"role": "adviseur", "region": 999999}]}, "organisation"),
    ({"memberships": [{"role": "adviseur", "gemeente": "GM0307"}]}, "organisation"),
    ({"email": "geen-adres"}, "email"),
    ({"password": "kort"}, "password"),
    ({"memberships": []}, "memberships"),
    ({"memberships": [{"role": "clubondersteuner"}]}, "organisation"),
    ({"memberships": [{"role": "clubondersteuner", "loket": "nergens"}]}, "organisation"),
    ({"memberships": [{"role": "beheer", "bond": "knvb"}]}, "organisation"),
    ({"memberships": [{"role": "koning"}]}, "memberships.0.role"),
    ({"memberships": [{"role": "club", "club": "1"}]}, "memberships.0.club"),
    ({"memberships": [{"role": "club", "club": True}]}, "memberships.0.club"),
    ({"memberships": [{"role": "club", "club": 1, "admin": True}]}, "memberships.0.admin"),
    ({"name": None}, "name"),
])
def test_invalid_user_input_is_422_and_nothing_is_stored(api, network, change, field):
    before = _count(User)
    body = {"email": "nieuw@example.nl", "name": "Nina", "password": "lang-genoeg-wachtwoord",
            "memberships": [{"role": "beheer"}], **change}
    assert_problem(api("beheerder").post("/users", json=body), 422, field=field)
    assert _count(User) == before


@pytest.mark.parametrize("who, status", [("ondersteuner", 403), ("coordinator", 403), (None, 401)])
def test_users_are_beheer_only(api, network, who, status):
    assert_problem(api(who).get("/users"), status)
    assert_problem(api(who).post("/users", json={"email": "x@example.nl", "name": "X", "password": PASSWORD,
                                                 "memberships": [{"role": "beheer"}]}), status)


def test_beheer_lists_users_with_roles_and_no_secrets(api, network):
    body = api("beheerder").get("/users?per_page=100").get_json()
    assert body["total"] == 12  # the network's users, the read-only roles and the initiative member included
    bas = next(u for u in body["items"] if u["name"] == "Bas Bond")
    assert bas["memberships"][0]["bond"] == "knvb"
    assert all("password_hash" not in u for u in body["items"])


# ---------------------------------------------------------------- categories

@pytest.mark.parametrize("who", ["club_contact", "ondersteuner", "coordinator", "beheerder"])
def test_anyone_logged_in_reads_the_active_categories(api, network, who):
    items = api(who).get("/categories").get_json()["items"]
    assert {"slug": "sporttechnisch-competitie", "name": "Sporttechnisch & competitie",
            "scope": "sportspecifiek"} in items
    assert len(items) == 12


def test_inactive_categories_are_not_listed(api, network):
    category = categories_service.available_categories()[0]
    category.active = False
    _db.session.commit()
    items = api("club_contact").get("/categories").get_json()["items"]
    assert category.slug not in {c["slug"] for c in items}


def test_categories_need_a_token(api, network):
    assert_problem(api().get("/categories"), 401)


# ---------------------------------------------------------------- the service below

def test_team_of_finds_lokets_and_bonds_by_id_slug_or_key(network):
    assert teams.team_of("loket", "utrecht") == network.loket_utrecht.team
    assert teams.team_of("loket", network.loket_utrecht.id) == network.loket_utrecht.team
    assert teams.team_of("bond", "knvb") == network.knvb.team
    assert teams.team_of("bond", network.knvb.id) == network.knvb.team
    assert teams.team_of("bond", "utrecht") is None
    assert teams.team_of("fallback", 1) is None
    assert teams.team_of("loket", True) is None


def test_connecting_a_bond_without_a_team_creates_its_team(network):
    bond = Bond(key="nhv", abbreviation="NHV", name="Handbal", aangesloten=False)
    _db.session.add(bond)
    _db.session.commit()
    bonden_service.set_bond_aangesloten("nhv", True, today=date(2026, 3, 2))
    assert bond.team is not None and bond.aangesloten_at == date(2026, 3, 2)


def test_two_lokets_cannot_claim_the_same_gemeente(network):
    gemeente = GemeenteFactory(code="GM0001", name="Nieuwegein")
    _db.session.commit()
    loketten_service.create_loket("Loket A", "loket-a", ["GM0001"])
    with pytest.raises(errors_service.InvalidInput):
        loketten_service.create_loket("Loket B", "loket-b", ["GM0001"])
    assert _db.session.get(Gemeente, gemeente.id).loket.slug == "loket-a"
    assert _db.session.scalar(select(Loket).where(Loket.slug == "loket-b")) is None


def test_a_gemeente_taken_between_check_and_write_is_not_stolen(network, monkeypatch):
    """Simulates a concurrent create: the check saw the gemeente free, another loket took it before our update."""
    gemeente = GemeenteFactory(code="GM0002", name="Houten")
    _db.session.commit()
    loketten_service.create_loket("Loket A", "loket-a", ["GM0002"])
    monkeypatch.setattr(loketten_service, "gemeenten_to_serve", lambda errors, codes, **_: [gemeente])
    with pytest.raises(errors_service.InvalidInput) as raised:
        loketten_service.create_loket("Loket B", "loket-b", ["GM0002"])
    assert "net aan een ander loket" in raised.value.errors["gemeenten"]
    _db.session.expire_all()
    assert _db.session.get(Gemeente, gemeente.id).loket.slug == "loket-a"
    assert _db.session.scalar(select(Loket).where(Loket.slug == "loket-b")) is None
    assert _count(Team) == 8  # fallback, three lokets, two bonds, one initiative, loket-a


def test_supporters_and_beheer_list_the_initiatives_to_refer_to(api, network):
    for who in ("ondersteuner", "bondsspecialist", "initiatiefmedewerker", "beheerder"):
        response = api(who).get("/initiatives")
        assert response.status_code == 200, who
        assert response.get_json()["items"] == [{
            "id": network.spn.id, "key": "spn", "name": "SPN procesbegeleiders", "description": None, "email": None,
            "url": None, "team_id": network.spn.team.id}]
    for who in ("club_contact", "coordinator"):
        assert api(who).get("/initiatives").status_code == 403
