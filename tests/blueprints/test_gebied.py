"""Mijn gebied: what a gemeente's sport officer and an adviseur lokale sport see — their own gemeenten or region,
the realisation pipeline, the loketten's quality and audit verdicts, demand in the area — and that they see no
request contents or contact data and may use nothing else (DESIGN §7)."""
import re

import pytest
from werkzeug.routing import AnyConverter, IntegerConverter

from loket.access import ANY_USER, PUBLIC, policy_of
from loket.models.base import utcnow
from loket.models.region import RegionGemeente
from loket.services.network import api_tokens, lifecycle
from tests.factories import (
    PASSWORD,
    GemeenteFactory,
    LoketFactory,
    make_region_set,
    make_user,
    region_named,
)
from tests.support.db import count_queries
from tests.support.quality import LAST_MONTH, measure_month, pass_audit, stored_request
from tests.support.requests import DESCRIPTION, TITLE, file_request

READERS = ("gemeente_utrecht", "adviseur")
PAGES = ("/mijn-gebied/", "/mijn-gebied/gemeente/GM0344", "/mijn-gebied/vraag")


@pytest.mark.parametrize("who", READERS)
@pytest.mark.parametrize("path", PAGES)
def test_the_pages_open_for_both_roles(login_as, network, who, path):
    assert login_as(who).get(path).status_code == 200


@pytest.mark.parametrize("who", ["ondersteuner", "bondsspecialist", "initiatiefmedewerker", "club_contact",
                                 "coordinator", "beheerder"])
@pytest.mark.parametrize("path", PAGES)
def test_other_roles_are_refused(login_as, network, who, path):
    assert login_as(who).get(path).status_code == 403


def test_visitors_are_sent_to_log_in(client, network):
    assert client.get("/mijn-gebied/").status_code == 302


def test_the_gemeente_officer_sees_utrecht_only(login_as, network):
    browser = login_as("gemeente_utrecht")
    html = browser.get("/mijn-gebied/").get_data(as_text=True)
    assert "Sportloket Utrecht" in html and "/mijn-gebied/gemeente/GM0344" in html
    for other in ("Zeist", "Bunnik", "Amersfoort", "Eemland"):
        assert other not in html
    for code in ("GM0307", "GM0355", "GM0312", "GM9999", "nonsense"):
        assert browser.get(f"/mijn-gebied/gemeente/{code}").status_code == 404


def test_the_adviseur_sees_the_region_and_its_pipeline(login_as, network):
    browser = login_as("adviseur")
    html = browser.get("/mijn-gebied/").get_data(as_text=True)
    assert "Realisatie in Regio Utrecht" in html and "VSG-regio" in html
    for name in ("Utrecht", "Bunnik", "Zeist"):
        assert f">{name}</a>" in html
    assert "Amersfoort" not in html and "Eemland" not in html
    assert _pipeline(html) == [1, 0, 1, 0, 1]  # geen (Zeist), in oprichting (Bunnik), aangehaakt (Utrecht)
    for code in ("GM0344", "GM0312", "gm0355"):
        assert browser.get(f"/mijn-gebied/gemeente/{code}").status_code == 200
    assert browser.get("/mijn-gebied/gemeente/GM0307").status_code == 404  # Amersfoort: Regio Eemland


def _pipeline(html):
    """The five counts of the pipeline list, in order."""
    section = html.split('aria-label="Gemeenten van Regio Utrecht per fase"', 1)[1].split("</ol>", 1)[0]
    return [int(n) for n in re.findall(r'<strong style="font-size: 2rem">(\d+)</strong>', section)]


def test_the_pipeline_follows_a_change_of_stage(login_as, network):
    browser = login_as("adviseur")
    lifecycle.set_exploring(network.zeist, True, actor=network.coordinator)
    lifecycle.update_loket(network.loket_bunnik, actor=network.beheerder, changes={"status": "operationeel",
                                                                                  "aangehaakt": False})
    assert _pipeline(browser.get("/mijn-gebied/").get_data(as_text=True)) == [0, 1, 0, 1, 1]
    page = browser.get("/mijn-gebied/gemeente/GM0355").get_data(as_text=True)
    assert "Geschiedenis van de fase" in page and "Verkent een loket" in page


def test_a_gemeente_page_shows_measurements_and_audit_verdicts(login_as, network):
    measure_month(network.loket_utrecht, LAST_MONTH, 3)
    pass_audit(network, network.loket_utrecht, verdict="negatief")
    html = login_as("gemeente_utrecht").get("/mijn-gebied/gemeente/GM0344").get_data(as_text=True)
    assert "Metingen per criterium" in html and "K1" in html
    assert "oordeel negatief" in html and "Waarom het loket (nog) niet voldoet" in html


def test_demand_counts_only_the_area(login_as, network):
    now = utcnow()
    for club in (network.club_utrecht, network.club_utrecht, network.club_zeist, network.club_amersfoort):
        stored_request(club, "overig", now)
    officer = login_as("gemeente_utrecht").get("/mijn-gebied/vraag").get_data(as_text=True)
    adviseur = login_as("adviseur").get("/mijn-gebied/vraag").get_data(as_text=True)
    assert "<th scope=\"row\">Utrecht</th>" in officer and "Zeist" not in officer and "Amersfoort" not in officer
    assert _total(officer, "per-gemeente") == 2 and _total(adviseur, "per-gemeente") == 3
    assert _total(adviseur, "per-categorie") == 3
    assert "Amersfoort" not in adviseur


def _total(html, table):
    part = html.split(f'id="{table}"', 1)[1].split("</table>", 1)[0].split("<tfoot>", 1)[1]
    return int(re.search(r"<strong>(\d+)</strong>", part)[1])


def test_no_request_contents_or_contact_data_on_any_page(login_as, network):
    file_request(network, club="club_utrecht")
    file_request(network, who="zeist_contact", club="club_zeist")
    for who in READERS:
        browser = login_as(who)
        for path in (*PAGES, "/"):
            html = browser.get(path).get_data(as_text=True)
            for secret in (TITLE, DESCRIPTION, "anna@uboys.example", "Anna de Vries", "Zoë Zeist",
                           network.loket_utrecht.email):
                assert secret not in html, (who, path, secret)


def test_the_start_page_shows_the_area(login_as, network):
    html = login_as("adviseur").get("/").get_data(as_text=True)
    assert "Mijn gebied: Regio Utrecht (VSG-regio" in html and 'href="/mijn-gebied/"' in html
    html = login_as("gemeente_utrecht").get("/").get_data(as_text=True)
    assert "1 van 1</strong> loket voldoet" in html or "0 van 1</strong> loketten voldoen" in html


@pytest.mark.parametrize("who", READERS)
def test_the_new_roles_are_refused_every_other_page(app, login_as, network, who):
    """Queue, requests, clubs, werkgebied, netwerk, beheer, …: every route whose policy leaves them out is a 403,
    whatever its method (the check runs before the view)."""
    browser = login_as(who)
    refused = []
    for rule in app.url_map.iter_rules():
        policy = policy_of(app.view_functions[rule.endpoint])
        if rule.endpoint == "static" or rule.endpoint.startswith(("api.", "inbound.")):
            continue
        if policy & {"gemeente", "adviseur", ANY_USER, PUBLIC}:
            continue
        values = {name: (min(c.items) if isinstance(c, AnyConverter) else
                         1 if isinstance(c, IntegerConverter) else "x") for name, c in rule._converters.items()}
        url = app.url_map.bind("localhost").build(rule.endpoint, values)
        method = "GET" if "GET" in rule.methods else "POST"
        response = browser.get(url) if method == "GET" else browser.post(url)  # a post carries its CSRF token
        assert response.status_code == 403, (method, url, response.status_code)
        refused.append(url)
    for path in ("/wachtrij/", "/wachtrij/1", "/club/aanvragen", "/coordinatie/opvang", "/overzicht/", "/beheer/",
                 "/netwerk/loketten"):
        assert path in refused, path


@pytest.mark.parametrize("who", READERS)
def test_the_new_roles_get_403_on_the_requests_api(app, network, who):
    file_request(network)
    user = getattr(network, who)
    token = api_tokens.issue_token(user.email, PASSWORD).token
    api = app.test_client()
    for path in ("/api/v1/requests", "/api/v1/requests/1"):
        assert api.get(path, headers={"Authorization": f"Bearer {token}"}).status_code == 403, path


@pytest.mark.parametrize("path", [*PAGES, "/"])
def test_pages_use_a_constant_number_of_queries(app, login_as, network, db, path):
    browser = login_as("adviseur")
    with count_queries(app) as few:
        assert browser.get(path).status_code == 200
    for i in range(5):
        gemeente = GemeenteFactory(name=f"Extra {i}")
        LoketFactory(gemeenten=[gemeente])
        db.session.add(RegionGemeente(region_set_id=network.vsg.id, gemeente_id=gemeente.id,
                                      region_id=network.regio_utrecht.id))
        stored_request(network.club_utrecht, "overig", utcnow())
    measure_month(network.loket_utrecht, LAST_MONTH, 3)
    db.session.commit()
    with count_queries(app) as many:
        assert browser.get(path).status_code == 200
    assert len(many) == len(few), "\n".join(many)


def test_an_adviseur_of_an_empty_region_gets_empty_pages_not_errors(login_as, network, db):
    empty = make_region_set("Leeg", {"Niemandsland": []}, slug="leeg")
    lonely = make_user("adviseur", region_named(empty, "Niemandsland"), name="Eenzame Adviseur")
    db.session.commit()
    browser = login_as(lonely)
    assert "Er zijn (nog) geen gemeenten" in browser.get("/mijn-gebied/").get_data(as_text=True)
    assert browser.get("/mijn-gebied/vraag").status_code == 200
    assert browser.get("/").status_code == 200
    assert browser.get("/mijn-gebied/gemeente/GM0344").status_code == 404
