"""Beheer's user pages: the list (search, role filter, pages), a user's page (roles with their team pages, giving
and taking away a role, switching the account off and on, history) — and every beheer page closed to other roles."""
import re

import pytest

from loket.access import policy_of
from loket.extensions import db as _db
from loket.models import Membership, NetworkChange
from tests.factories import make_user
from tests.support.db import count_queries, count_rows, reloaded
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
              "membership_id": network.collega.memberships[0].id, "category_id": 1, "outbox_id": 1}
    adapter = app.url_map.bind("localhost")
    urls = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("beheer."):
            assert policy_of(app.view_functions[rule.endpoint]) == {"beheer"}, rule.endpoint
            url = adapter.build(rule.endpoint, {name: values[name] for name in rule.arguments})
            urls += [(method, url) for method in ("GET", "POST") if method in rule.methods]
    return urls


@pytest.mark.parametrize("who", ["club_contact", "ondersteuner", "bondsspecialist", "coordinator"])
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
