"""Beheer's user pages: the list (search, role filter, pages), a user's page (roles with their team pages, giving
and taking away a role, switching the account off and on, history) — and every beheer page closed to other roles."""
import re

import pytest

from loket.access import policy_of
from loket.extensions import db as _db
from loket.models import Membership, NetworkChange
from loket.services.network import api_tokens
from loket.services.network.users import find_by_email
from loket.services.reporting.area import gemeenten_of
from tests.factories import (
    PASSWORD,
    GemeenteFactory,
    InitiativeFactory,
    make_region_set,
    make_user,
    totp_code,
)
from tests.support.db import count_queries, count_rows, reloaded
from tests.support.mails import outbox_rows
from tests.support.pages import error_of
from tests.support.requests import file_request

URL = "/beheer/gebruikers"
TITLE, DESCRIPTION = "GEHEIM-TITEL-beheer", "GEHEIM-OMSCHRIJVING-beheer"


def _rows(page):
    return [int(i) for i in re.findall(r'<tr id="gebruiker-(\d+)">', page)]


def _stored():
    return count_rows(Membership), count_rows(NetworkChange)


def test_the_list_searches_filters_by_role_and_pages(app, login_as, network, monkeypatch):
    client = login_as("beheerder")
    page = client.get(URL).get_data(as_text=True)
    assert len(_rows(page)) == 12 and "Clubondersteuner — Sportloket Utrecht" in page and "Nooit" in page
    assert _rows(client.get(URL + "?q=Eemland").get_data(as_text=True)) == [network.ondersteuner_eemland.id]
    assert _rows(client.get(URL + "?q=uboys").get_data(as_text=True)) == [network.club_contact.id]
    shown = client.get(URL + "?rol=bondsspecialist").get_data(as_text=True)
    assert _rows(shown) == [network.bondsspecialist.id] and '<option value="bondsspecialist" selected>' in shown
    assert f'href="/beheer/gebruikers/{network.collega.id}"' in page
    monkeypatch.setitem(app.config, "QUEUE_PAGE_SIZE", 4)
    assert "Pagina 3 van 3" in client.get(URL + "?pagina=3").get_data(as_text=True)
    assert client.get(URL + "?pagina=30").headers["Location"] == URL + "?pagina=3"


@pytest.mark.parametrize("query, message", [
    ({"rol": "superuser"}, "Kies een rol uit de lijst."),
    ({"q": "a\x00"}, "Een zoekopdracht kan geen stuurtekens (zoals een NUL- of escape-teken) bevatten."),
])
def test_a_bad_search_or_role_is_a_dutch_400(login_as, network, query, message):
    response = login_as("beheerder").get(URL, query_string=query)
    assert response.status_code == 400 and message in response.get_data(as_text=True)


def test_the_list_uses_a_constant_number_of_queries(app, login_as, network):
    client = login_as("beheerder")
    with count_queries(app) as few:
        assert client.get(URL + "?rol=clubondersteuner").status_code == 200
    for i in range(10):
        make_user("clubondersteuner", network.loket_eemland if i % 2 else network.loket_utrecht)
        make_user("bondsspecialist", network.knvb)
    _db.session.commit()
    with count_queries(app) as many:
        assert client.get(URL + "?rol=clubondersteuner").status_code == 200
    assert len(many) == len(few), "\n".join(many)


def test_the_user_page_shows_roles_with_their_team_and_no_request_contents(login_as, network):
    file_request(network, category="overig", title=TITLE, description=DESCRIPTION)
    client = login_as("beheerder")
    for person in (network.ondersteuner, network.club_contact, network.bondsspecialist):
        page = client.get(f"{URL}/{person.id}").get_data(as_text=True)
        assert person.email in page and TITLE not in page and DESCRIPTION not in page
    assert 'href="/team/loket/utrecht"' in client.get(f"{URL}/{network.ondersteuner.id}").get_data(as_text=True)
    assert 'href="/team/bond/knvb"' in client.get(f"{URL}/{network.bondsspecialist.id}").get_data(as_text=True)
    assert TITLE not in client.get(URL).get_data(as_text=True)


def test_beheer_gives_and_takes_away_a_role(login_as, network):
    client = login_as("beheerder")
    response = client.post(f"{URL}/{network.collega.id}/rollen", data={
        "role": "clubondersteuner", "loket": "eemland", "club": "", "bond": "", "team_lead": "y"})
    assert response.status_code == 302
    collega = reloaded(network.collega)
    added = next(m for m in collega.memberships if m.loket_id == network.loket_eemland.id)
    assert added.is_team_lead
    page = client.get(f"{URL}/{collega.id}").get_data(as_text=True)
    assert "Clubondersteuner — Sportloket Eemland (coördinator)" in page.split('id="geschiedenis-titel"')[1]
    assert 'href="/team/loket/eemland"' in page

    assert client.post(f"{URL}/{collega.id}/rollen/{added.id}/verwijderen").status_code == 302
    assert reloaded(network.collega).loket_ids == [network.loket_utrecht.id]
    last = reloaded(network.collega).memberships[0]
    refused = client.post(f"{URL}/{collega.id}/rollen/{last.id}/verwijderen")
    assert refused.status_code == 409 and "enige rol" in refused.get_data(as_text=True)
    assert client.post(f"{URL}/{collega.id}/rollen/{2**31 - 1}/verwijderen").status_code == 404
    assert client.post(f"{URL}/{network.beheerder.id}/rollen/{last.id}/verwijderen").status_code == 404


@pytest.mark.parametrize("data, field", [
    ({"role": "superuser"}, "role"),
    ({"role": ""}, "role"),
    ({"role": "clubondersteuner", "loket": "nergens"}, "organisation"),
    ({"role": "clubondersteuner", "loket": "utr\x00echt"}, "organisation"),
    ({"role": "bondsspecialist", "bond": "nope"}, "organisation"),
    ({"role": "club", "club": str(2**31)}, "organisation"),
    ({"role": "club", "club": "12\x00"}, "organisation"),
    ({"role": "clubondersteuner", "loket": "utrecht"}, "organisation"),  # already holds it
    ({"role": "coordinatiepunt", "team_lead": "y"}, "team_lead"),
])
def test_a_wrong_role_is_a_dutch_400_and_nothing_stored(login_as, network, data, field):
    before = _stored()
    response = login_as("beheerder").post(f"{URL}/{network.collega.id}/rollen",
                                          data={"club": "", "loket": "", "bond": "", **data})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Controleer het formulier" in page and re.search(r"(bestaat niet|hoort|rol|teamleider)", page)
    assert _stored() == before


def test_beheer_switches_an_account_off_and_on(app, login_as, network):
    person = login_as("collega")
    client = login_as("beheerder")
    response = client.post(f"{URL}/{network.collega.id}/uitzetten", data={"reason": "Uit dienst"})
    assert response.status_code == 302
    assert person.get("/wachtrij/").status_code == 302  # logged out on the next request
    page = client.get(f"{URL}/{network.collega.id}").get_data(as_text=True)
    assert "Account weer aanzetten" in page and "Uit dienst" in page
    assert "Uitgezet" in client.get(URL + "?q=Cees").get_data(as_text=True)
    assert client.post(f"{URL}/{network.collega.id}/aanzetten").status_code == 302
    assert reloaded(network.collega).active


def test_beheer_cannot_switch_itself_off(login_as, network):
    client = login_as("beheerder")
    assert "Je kunt het niet zelf uitzetten" in client.get(f"{URL}/{network.beheerder.id}").get_data(as_text=True)
    response = client.post(f"{URL}/{network.beheerder.id}/uitzetten", data={"reason": ""})
    assert response.status_code == 409
    assert "Je kunt je eigen account niet uitzetten" in response.get_data(as_text=True)
    assert reloaded(network.beheerder).active and count_rows(NetworkChange) == 0


def test_a_reason_with_a_nul_is_refused(login_as, network):
    response = login_as("beheerder").post(f"{URL}/{network.collega.id}/uitzetten", data={"reason": "a\x00"})
    assert response.status_code == 400 and error_of(response.get_data(as_text=True), "reason")
    assert reloaded(network.collega).active


def test_unknown_users_are_404(login_as, network):
    client = login_as("beheerder")
    assert client.get(f"{URL}/9999").status_code == 404
    assert client.get(f"{URL}/{2**31}").status_code == 404
    assert client.post(f"{URL}/{2**40}/uitzetten").status_code == 404


def _beheer_urls(app, network):
    """(method, url) of every beheer route, its parameters filled in with things that exist."""
    values = {"key": "knvb", "sport_id": network.voetbal.id, "user_id": network.collega.id,
              "membership_id": network.collega.memberships[0].id, "category_id": 1, "outbox_id": 1,
              "slug": network.vsg.slug}
    adapter = app.url_map.bind("localhost")
    urls = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("beheer."):
            assert policy_of(app.view_functions[rule.endpoint]) == {"beheer"}, rule.endpoint
            url = adapter.build(rule.endpoint, {name: values[name] for name in rule.arguments})
            urls += [(method, url) for method in ("GET", "POST") if method in rule.methods]
    return urls


@pytest.mark.parametrize("who", ["club_contact", "ondersteuner", "bondsspecialist", "coordinator", "initiatiefmedewerker",
                                 "gemeente_utrecht", "adviseur"])
def test_every_beheer_page_is_closed_to_every_other_role(app, login_as, network, who):
    lead = make_user("clubondersteuner", network.loket_utrecht, team_lead=True)
    _db.session.commit()
    before = _stored()
    urls = _beheer_urls(app, network)
    assert len(urls) >= 20
    for client in (login_as(who), login_as(lead)):
        for method, url in urls:
            data = {"role": "beheer", "reason": "x"}
            response = client.post(url, data=data) if method == "POST" else client.get(url)
            assert response.status_code == 403, (who, method, url)
    assert _stored() == before and reloaded(network.collega).active


def test_the_beheer_index_links_every_area(login_as, network):
    page = login_as("beheerder").get("/beheer/").get_data(as_text=True)
    for href in ("/netwerk/loketten", "/netwerk/gemeenten", "/beheer/bonden", "/beheer/gebruikers",
                 "/beheer/categorieen", "/beheer/uitgaand"):
        assert f'href="{href}"' in page, href


# ---------------------------------------------------------------- the roles of issue #12: initiative, gemeente, region

def test_the_role_form_offers_initiatives_gemeenten_and_regions(login_as, network):
    page = login_as("beheerder").get(f"{URL}/{network.collega.id}").get_data(as_text=True)
    assert '<option value="spn">SPN procesbegeleiders</option>' in page
    assert '<option value="GM0344">Utrecht (GM0344)</option>' in page
    assert f'<option value="{network.regio_utrecht.id}">VSG-regio&#39;s — Regio Utrecht</option>' in page
    assert "Adviseur lokale sport" in page and "Gemeente (sportbeleid)" in page


@pytest.mark.parametrize("data, label, attribute", [
    ({"role": "gemeente", "gemeente": "GM0355"}, "Gemeente (sportbeleid) — Zeist", "gemeente_ids"),
    ({"role": "adviseur", "region": "{region}"}, "Adviseur lokale sport — Regio Utrecht", "region_ids"),
    ({"role": "initiatiefmedewerker", "initiative": "spn", "team_lead": "y"},
     "Medewerker landelijk initiatief — SPN procesbegeleiders (coördinator)", "initiative_ids"),
])
def test_beheer_gives_the_new_roles(login_as, network, data, label, attribute):
    client = login_as("beheerder")
    data = {k: v.format(region=network.regio_utrecht.id) for k, v in data.items()}
    response = client.post(f"{URL}/{network.collega.id}/rollen", data={"club": "", "loket": "", "bond": "", **data})
    assert response.status_code == 302, error_of(response.get_data(as_text=True), "organisation")
    collega = reloaded(network.collega)
    assert len(getattr(collega, attribute)) == 1 and collega.has_role(data["role"])
    page = client.get(f"{URL}/{collega.id}").get_data(as_text=True)
    assert label in page.split('id="geschiedenis-titel"')[1]
    if data["role"] == "adviseur":
        assert "VSG-regio&#39;s — Regio Utrecht" in page
    if data["role"] == "initiatiefmedewerker":
        assert 'href="/team/initiatief/spn"' in page


def test_a_new_adviseur_sees_their_region(login_as, network):
    client = login_as("beheerder")
    response = client.post(f"{URL}/nieuw", data={
        "email": "adje@regio.example", "name": "Adje Adviseur", "role": "adviseur", "club": "", "loket": "",
        "bond": "", "region": str(network.regio_utrecht.id)})
    assert response.status_code == 302
    assert outbox_rows("account_welcome", to="adje@regio.example")
    adje = find_by_email("adje@regio.example")
    assert [g.name for g in gemeenten_of(adje)] == ["Bunnik", "Utrecht", "Zeist"]


@pytest.mark.parametrize("data", [
    {"role": "gemeente", "gemeente": "GM9999"},
    {"role": "gemeente", "gemeente": "GM03\x0044"},
    {"role": "gemeente"},
    {"role": "adviseur", "region": "abc"},
    {"role": "adviseur", "region": str(2**31)},
    {"role": "adviseur", "region": "9999"},
    {"role": "adviseur", "gemeente": "GM0344"},
    {"role": "gemeente", "gemeente": "GM0344", "region": "{region}"},
    {"role": "initiatiefmedewerker", "initiative": "onbekend"},
    {"role": "gemeente", "gemeente": "GM0344", "team_lead": "y"},
    {"role": "clubondersteuner", "loket": "utrecht", "gemeente": "GM0344"},
])
def test_a_wrong_new_role_is_a_dutch_400_and_nothing_stored(login_as, network, data):
    before = _stored()
    data = {k: v.format(region=network.regio_utrecht.id) for k, v in data.items()}
    response = login_as("beheerder").post(f"{URL}/{network.collega.id}/rollen",
                                          data={"club": "", "loket": "", "bond": "", **data})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Controleer het formulier" in page and re.search(r"(bestaat niet|hoort|teamleider)", page)
    assert _stored() == before


def test_the_user_page_uses_a_constant_number_of_queries_however_many_choices(app, login_as, network):
    client = login_as("beheerder")
    with count_queries(app) as few:
        assert client.get(f"{URL}/{network.adviseur.id}").status_code == 200
    gemeenten = [GemeenteFactory() for _ in range(5)]
    make_region_set("GGD-regio's", {f"GGD {i}": [g] for i, g in enumerate(gemeenten)}, slug="ggd")
    for _ in range(3):
        InitiativeFactory()
    _db.session.commit()
    with count_queries(app) as many:
        assert client.get(f"{URL}/{network.adviseur.id}").status_code == 200
    assert len(many) == len(few), "\n".join(many)


def test_the_users_api_names_the_gemeente_the_region_and_the_initiative(app, network):
    token = api_tokens.issue_token(network.beheerder.email, PASSWORD, totp_code(network.beheerder)).token
    body = app.test_client().get("/api/v1/users?per_page=100", headers={"Authorization": f"Bearer {token}"})
    assert body.status_code == 200
    memberships = {user["email"]: user["memberships"][0] for user in body.get_json()["items"]}
    officer, adviseur = memberships[network.gemeente_utrecht.email], memberships[network.adviseur.email]
    assert (officer["role"], officer["gemeente"], officer["region"], officer["organisation"]) == (
        "gemeente", "GM0344", None, "Utrecht")
    assert (adviseur["role"], adviseur["region"], adviseur["region_set"], adviseur["gemeente"]) == (
        "adviseur", network.regio_utrecht.id, "vsg", None)
    assert memberships[network.initiatiefmedewerker.email]["initiative"] == "spn"
