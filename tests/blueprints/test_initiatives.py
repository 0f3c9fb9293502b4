"""Beheer's pages of landelijke initiatieven: the list (search, pages), adding one with its team, editing it with its
history, the link to its team where beheer invites the coördinator; bad input is a Dutch 400 and stores nothing;
nobody but beheer gets in."""
import re

import pytest

from loket.extensions import db as _db
from loket.models import Initiative, NetworkChange, Team, TeamInvitation
from tests.factories import InitiativeFactory
from tests.support.db import count_queries, count_rows, reloaded
from tests.support.mails import outbox_rows
from tests.support.pages import error_of

URL = "/beheer/initiatieven"


def _rows(page):
    return re.findall(r'<tr id="initiatief-([a-z0-9-]+)">', page)


def _stored():
    return count_rows(Initiative), count_rows(Team), count_rows(NetworkChange)


def _many(n):
    for i in range(n):
        InitiativeFactory(key=f"extra{i:02d}", name=f"Extra programma {i:02d}")
    _db.session.commit()


def test_the_list_searches_and_pages(app, login_as, network, monkeypatch):
    client = login_as("beheerder")
    InitiativeFactory(key="clubkadercoaches", name="Clubkadercoaches", email="info@kader.example")
    _db.session.commit()
    page = client.get(URL).get_data(as_text=True)
    assert _rows(page) == ["clubkadercoaches", "spn"] and "info@kader.example" in page
    assert 'href="/beheer/initiatieven/spn"' in page and 'href="/team/initiatief/spn"' in page
    assert _rows(client.get(URL + "?q=SPN").get_data(as_text=True)) == ["spn"]
    assert "Geen landelijke initiatieven gevonden met ‘zzz’" in client.get(URL + "?q=zzz").get_data(as_text=True)
    monkeypatch.setitem(app.config, "QUEUE_PAGE_SIZE", 2)
    _many(1)
    second = client.get(URL + "?pagina=2").get_data(as_text=True)
    assert _rows(second) == ["spn"] and "Pagina 2 van 2" in second
    assert client.get(URL + "?pagina=9").headers["Location"] == URL + "?pagina=2"


@pytest.mark.parametrize("q", ["a\x00b", "x" * 101])
def test_a_bad_search_is_a_dutch_400(login_as, network, q):
    response = login_as("beheerder").get(URL, query_string={"q": q})
    assert response.status_code == 400 and error_of(response.get_data(as_text=True), "f-q")


def test_the_list_uses_a_constant_number_of_queries(app, login_as, network):
    client = login_as("beheerder")
    with count_queries(app) as few:
        assert client.get(URL).status_code == 200
    _many(12)
    with count_queries(app) as many:
        assert client.get(URL).status_code == 200
    assert len(many) == len(few), "\n".join(many)


def test_the_beheer_index_links_the_list(login_as, network):
    page = login_as("beheerder").get("/beheer/").get_data(as_text=True)
    assert f'href="{URL}"' in page and "Landelijke initiatieven" in page


def test_beheer_adds_an_initiative_with_a_team_and_invites_its_coordinator(login_as, network):
    client = login_as("beheerder")
    assert client.get(URL + "/nieuw").status_code == 200
    response = client.post(URL + "/nieuw", data={
        "key": "clubkadercoaches", "name": "Clubkadercoaches", "description": "Coaches voor bestuur en kader",
        "email": "info@kader.example", "url": "https://kader.example"})
    assert response.status_code == 302 and response.headers["Location"] == URL + "/clubkadercoaches"
    initiative = _db.session.query(Initiative).filter_by(key="clubkadercoaches").one()
    assert initiative.team is not None and initiative.team.kind == "initiatief"
    page = client.get(URL + "/clubkadercoaches").get_data(as_text=True)
    assert "Clubkadercoaches is toegevoegd" in page and 'href="/team/initiatief/clubkadercoaches"' in page
    history = page.split('id="geschiedenis-titel"')[1]
    assert "Clubkadercoaches" in history and "https://kader.example" in history and network.beheerder.name in history

    # As for a bond: beheer invites the coördinator on the team page.
    assert client.post("/team/initiatief/clubkadercoaches/uitnodigen",
                       data={"email": "coord@kader.example", "team_lead": "y"}).status_code == 302
    invitation = _db.session.query(TeamInvitation).one()
    assert (invitation.initiative_id, invitation.role, invitation.team_lead) == (
        initiative.id, "initiatiefmedewerker", True)
    assert outbox_rows("team_invitation", "coord@kader.example")
    team_history = client.get(URL + "/clubkadercoaches").get_data(as_text=True).split('id="geschiedenis-titel"')[1]
    assert "coord@kader.example" in team_history  # the invitation is in the initiative's history


@pytest.mark.parametrize("data, field, message", [
    ({"key": "spn"}, "key", "Er bestaat al een landelijk initiatief met de sleutel ‘spn’."),
    ({"key": "k\x00"}, "key", None),
    ({"key": "Met Spaties"}, "key", None),
    # /beheer/initiatieven/nieuw is the form: an initiative with that key could never be opened or edited.
    ({"key": "Nieuw"}, "key", "De sleutel ‘nieuw’ is gereserveerd; kies een andere."),
    ({"name": ""}, "name", "Vul de naam van het landelijk initiatief in."),
    ({"name": "Naam\x00"}, "name", "Gebruik geen stuurtekens (zoals een NUL- of escape-teken)."),
    ({"name": "n" * 201}, "name", None),
    ({"description": "d" * 2001}, "description", None),
    ({"email": "geen adres"}, "email", None),
    ({"url": "javascript:alert(1)"}, "url", None),
])
def test_bad_input_for_a_new_initiative_is_a_dutch_400_and_stores_nothing(login_as, network, data, field, message):
    before = _stored()
    response = login_as("beheerder").post(URL + "/nieuw", data={"key": "nieuw-programma", "name": "Nieuw programma",
                                                                 **data})
    assert response.status_code == 400
    shown = error_of(response.get_data(as_text=True), field)
    assert shown and (message is None or shown == message)
    assert _stored() == before


def test_beheer_edits_an_initiative_and_sees_the_history(login_as, network):
    client = login_as("beheerder")
    page = client.get(URL + "/spn").get_data(as_text=True)
    assert 'value="SPN procesbegeleiders"' in page
    response = client.post(URL + "/spn", data={"name": "SPN-procesbegeleiders", "description": "Procesbegeleiding",
                                               "email": "", "url": "https://spn.example"})
    assert response.status_code == 302
    spn = reloaded(network.spn)
    assert (spn.name, spn.url, spn.key) == ("SPN-procesbegeleiders", "https://spn.example", "spn")
    history = client.get(URL + "/spn").get_data(as_text=True).split('id="geschiedenis-titel"')[1]
    assert "SPN procesbegeleiders" in history and "SPN-procesbegeleiders" in history and "Beschrijving" in history


def test_a_bad_edit_is_a_dutch_400_and_changes_nothing(login_as, network):
    before = _stored()
    response = login_as("beheerder").post(URL + "/spn", data={"name": " ", "email": "kapot", "url": "ftp://x"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert error_of(page, "name") and error_of(page, "email") and error_of(page, "url")
    assert reloaded(network.spn).name == "SPN procesbegeleiders" and _stored() == before


def test_a_post_without_csrf_is_refused(app, network):
    browser = app.test_client()
    browser.login(network.beheerder)
    response = browser.post(URL + "/nieuw", data={"key": "nieuw", "name": "Nieuw"}, csrf=False)
    assert response.status_code == 400 and count_rows(Initiative) == 1


@pytest.mark.parametrize("path", [URL + "/bestaat-niet", URL + "/spn%00", URL + "/" + "x" * 300])
def test_unknown_initiatives_are_404(login_as, network, path):
    assert login_as("beheerder").get(path).status_code == 404
    assert login_as("beheerder").post(path, data={"name": "X"}).status_code == 404


@pytest.mark.parametrize("who", ["initiatiefmedewerker", "bondsspecialist", "ondersteuner", "coordinator",
                                 "club_contact", "adviseur", "gemeente_utrecht"])
def test_only_beheer_manages_initiatives(login_as, network, who):
    client = login_as(who)
    for path in (URL, URL + "/nieuw", URL + "/spn"):
        assert client.get(path).status_code == 403, path
    assert client.post(URL + "/nieuw", data={"key": "nieuw", "name": "Nieuw"}).status_code == 403
    assert client.post(URL + "/spn", data={"name": "Overgenomen"}).status_code == 403
    assert count_rows(Initiative) == 1 and reloaded(network.spn).name == "SPN procesbegeleiders"


# ---------------------------------------------------------------- the authorization of an initiative's member

def _closed_to_initiatives(app):
    """(method, url) of every page route an initiatiefmedewerker may not use, its parameters filled in."""
    from loket.access import ANY_USER, PUBLIC, policy_of

    def value(rule, name):
        converter = rule._converters[name]
        if hasattr(converter, "items"):  # <any(…)>: its first choice
            return min(converter.items)
        return {"key": "knvb", "slug": "utrecht", "token": "x"}.get(name, 1)

    adapter = app.url_map.bind("localhost")
    urls = []
    for rule in app.url_map.iter_rules():
        policy = policy_of(app.view_functions[rule.endpoint])
        if rule.endpoint.startswith(("api.", "static")) or policy & {PUBLIC, ANY_USER, "initiatiefmedewerker"}:
            continue
        url = adapter.build(rule.endpoint, {name: value(rule, name) for name in rule.arguments})
        urls += [(method, url) for method in ("GET", "POST") if method in rule.methods]
    return urls


def test_an_initiative_member_gets_403_on_every_page_not_meant_for_it(app, login_as, network):
    """Filing for a club, aanmeldingen, the club register, a bond's clubs, quality, the overview, beheer,
    coördinatie …: whatever the route's declaration leaves out, the initiative's member (also as its lead) gets 403
    and nothing changes."""
    from loket.models import SupportRequest
    from tests.factories import make_user
    lead_user = make_user("initiatiefmedewerker", InitiativeFactory(key="ander", name="Ander programma"),
                          team_lead=True)
    _db.session.commit()
    urls = _closed_to_initiatives(app)
    assert len(urls) > 100 and {"/wachtrij/nieuw", "/wachtrij/aanmeldingen", URL} <= {url for _, url in urls}
    before = (_stored(), count_rows(SupportRequest))
    for client in (login_as("initiatiefmedewerker"), login_as(lead_user)):
        for method, url in urls:
            response = client.post(url, data={"x": "1"}) if method == "POST" else client.get(url)
            assert response.status_code == 403, (method, url, response.status_code)
    assert (_stored(), count_rows(SupportRequest)) == before


def test_an_initiative_member_uses_every_supporter_page(login_as, network):
    client = login_as("initiatiefmedewerker")
    for path in ("/", "/wachtrij/", "/wachtrij/?weergave=inkomend", "/wachtrij/?weergave=samenwerking",
                 "/aanbod/", "/aanbod/team", f"/aanbod/team/{network.spn.team.id}", "/team/initiatief/spn",
                 "/account/"):
        response = client.get(path, follow_redirects=True)
        assert response.status_code == 200, path
    menu = client.get("/").get_data(as_text=True).split('aria-label="Hoofdmenu"')[1].split("</nav>")[0]
    assert 'href="/wachtrij/"' in menu and 'href="/team/"' in menu and 'href="/aanbod/team"' in menu
    assert "/werkgebied/" not in menu and "/kwaliteit/" not in menu


def test_the_list_and_page_say_how_big_the_team_is_and_whether_it_has_a_coordinator(login_as, network):
    client = login_as("beheerder")
    row = client.get(URL).get_data(as_text=True).split('<tr id="initiatief-spn">')[1].split("</tr>")[0]
    assert "1 lid" in row and "nog geen coördinator" in row
    page = client.get(URL + "/spn").get_data(as_text=True)
    assert "1 lid, 0 coördinatoren: nodig op de teampagina de coördinator uit" in page
    from tests.factories import make_user
    make_user("initiatiefmedewerker", network.spn, team_lead=True)
    _db.session.commit()
    row = client.get(URL).get_data(as_text=True).split('<tr id="initiatief-spn">')[1].split("</tr>")[0]
    assert "2 leden" in row and "nog geen coördinator" not in row
    assert "2 leden, 1 coördinator" in client.get(URL + "/spn").get_data(as_text=True)
