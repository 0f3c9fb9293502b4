"""Beheer's bonden pages: the list (search, aangesloten filter, pages), adding a bond with its team and sports,
editing names and aansluiting (a date, never in the future), sports, the team link and the history."""
import re

import pytest

from loket.extensions import db as _db
from loket.models import Bond, NetworkChange, Sport, Team
from tests.factories import BondFactory
from tests.support.db import count_queries, count_rows, reloaded
from tests.support.pages import error_of

URL = "/beheer/bonden"


def _rows(page):
    return re.findall(r'<tr id="bond-([a-z0-9-]+)">', page)


def _stored():
    return count_rows(Bond), count_rows(Sport), count_rows(Team), count_rows(NetworkChange)


def _many(n):
    for i in range(n):
        BondFactory(key=f"extra{i:02d}", name=f"Extra bond {i:02d}", aangesloten=i % 2 == 0,
                    sports=[Sport(name=f"extra sport {i:02d}")])
    _db.session.commit()


def test_the_list_searches_filters_and_pages(app, login_as, network, monkeypatch):
    client = login_as("beheerder")
    page = client.get(URL).get_data(as_text=True)
    assert _rows(page) == ["knltb", "knvb"] and "voetbal" in page
    assert _rows(client.get(URL + "?q=tennis").get_data(as_text=True)) == ["knltb"]
    assert _rows(client.get(URL + "?q=KNV").get_data(as_text=True)) == ["knvb"]
    assert _rows(client.get(URL + "?aangesloten=nee").get_data(as_text=True)) == ["knltb"]
    shown = client.get(URL + "?aangesloten=ja&q=kn").get_data(as_text=True)
    assert _rows(shown) == ["knvb"] and '<option value="ja" selected>' in shown
    assert _rows(client.get(URL + "?aangesloten=kapot").get_data(as_text=True)) == ["knltb", "knvb"]
    assert 'href="/beheer/bonden/knvb"' in page

    monkeypatch.setitem(app.config, "QUEUE_PAGE_SIZE", 2)
    _many(1)
    second = client.get(URL + "?pagina=2").get_data(as_text=True)
    assert _rows(second) == ["knvb"] and "Pagina 2 van 2" in second  # Extra bond 00, KNLTB | KNVB
    assert client.get(URL + "?pagina=9").headers["Location"] == URL + "?pagina=2"


@pytest.mark.parametrize("q", ["a\x00b", "x" * 101, "\x1b[31m"])
def test_a_bad_search_is_a_dutch_400(login_as, network, q):
    response = login_as("beheerder").get(URL, query_string={"q": q})
    assert response.status_code == 400
    assert error_of(response.get_data(as_text=True), "f-q") in (
        "Een zoekopdracht kan geen stuurtekens (zoals een NUL- of escape-teken) bevatten.",
        "Typ hooguit 100 tekens om te zoeken.")


def test_the_list_uses_a_constant_number_of_queries(app, login_as, network):
    client = login_as("beheerder")
    with count_queries(app) as few:
        assert client.get(URL + "?q=e").status_code == 200
    _many(12)
    with count_queries(app) as many:
        assert client.get(URL + "?q=e").status_code == 200
    assert len(many) == len(few), "\n".join(many)


def test_beheer_adds_a_bond_with_sports_and_a_team(login_as, network):
    client = login_as("beheerder")
    form = client.get(URL + "/nieuw").get_data(as_text=True)
    assert f'value="{network.tennis.id}"' in form
    response = client.post(URL + "/nieuw", data={"key": "nhv", "abbreviation": "NHV", "name": "Handbalverbond",
                                                 "sports": [str(network.tennis.id)], "new_sports": "handbal"})
    assert response.status_code == 302 and response.headers["Location"] == URL + "/nhv"
    bond = _db.session.query(Bond).filter_by(key="nhv").one()
    assert [s.name for s in bond.sports] == ["handbal", "tennis"] and bond.team is not None
    page = client.get(URL + "/nhv").get_data(as_text=True)
    assert "Handbalverbond is toegevoegd" in page
    assert 'href="/team/bond/nhv"' in page
    assert "Handbalverbond" in page.split("Geschiedenis")[-1]  # the history shows the new bond


@pytest.mark.parametrize("data, field, message", [
    ({"key": "knvb"}, "key", "Er bestaat al een bond met de sleutel ‘knvb’."),
    ({"key": "k\x00"}, "key", None),
    ({"name": "Bond\x00"}, "name", "Gebruik geen stuurtekens (zoals een NUL- of escape-teken)."),
    ({"sports": [str(2**31)]}, "sports", "Kies een sport uit de lijst."),
    ({"sports": ["abc"]}, "sports", "Kies een sport uit de lijst."),
    ({"kind": "vakbond"}, "kind", "Kies of dit een sportbond of een brancheorganisatie (voor ondernemingen) is."),
])
def test_bad_input_for_a_new_bond_is_a_dutch_400_and_stores_nothing(login_as, network, data, field, message):
    before = _stored()
    response = login_as("beheerder").post(URL + "/nieuw", data={
        "key": "nieuwe-bond", "abbreviation": "NW", "name": "Nieuwe bond", **data})
    assert response.status_code == 400
    shown = error_of(response.get_data(as_text=True), field)
    assert shown and (message is None or shown == message)
    assert _stored() == before


def test_beheer_connects_a_bond_from_a_date_and_sees_the_history(login_as, network):
    client = login_as("beheerder")
    page = client.get(URL + "/knltb").get_data(as_text=True)
    assert 'href="/team/bond/knltb"' in page and "Nog geen wijzigingen vastgelegd." in page
    response = client.post(URL + "/knltb", data={"name": "KNLTB", "abbreviation": "KNLTB", "aangesloten": "y",
                                                 "aangesloten_at": "2026-01-15"})
    assert response.status_code == 302
    knltb = reloaded(network.knltb)
    assert knltb.aangesloten and knltb.aangesloten_at.isoformat() == "2026-01-15"
    page = client.get(URL + "/knltb").get_data(as_text=True)
    history = page.split('id="geschiedenis-titel"')[1]
    assert "Aangesloten sinds" in history and "2026-01-15" in history and network.beheerder.name in history


def test_a_date_in_the_future_is_refused(login_as, network):
    response = login_as("beheerder").post(URL + "/knltb", data={
        "name": "Andere naam", "abbreviation": "KNLTB", "aangesloten": "y", "aangesloten_at": "2999-01-01"})
    assert response.status_code == 400
    assert error_of(response.get_data(as_text=True), "aangesloten_at") == (
        "De datum van aansluiten kan niet in de toekomst liggen.")
    knltb = reloaded(network.knltb)
    assert (knltb.name, knltb.aangesloten) == ("KNLTB", False) and count_rows(NetworkChange) == 0


def test_sports_are_added_and_removed_on_the_page(login_as, network):
    client = login_as("beheerder")
    assert client.post(URL + "/knvb/sporten", data={"sport": str(network.tennis.id)}).status_code == 302
    assert client.post(URL + "/knvb/sporten", data={"sport": "", "new_sport": "futsal"}).status_code == 302
    assert sorted(s.name for s in reloaded(network.knvb).sports) == ["futsal", "tennis", "voetbal"]
    refused = client.post(URL + "/knvb/sporten", data={"sport": "", "new_sport": ""})
    assert refused.status_code == 400
    assert error_of(refused.get_data(as_text=True), "sport") == (
        "Kies één sport uit de lijst, of typ de naam van één nieuwe sport.")
    response = client.post(f"{URL}/knvb/sporten/{network.tennis.id}/verwijderen")
    assert response.status_code == 302
    assert sorted(s.name for s in reloaded(network.knvb).sports) == ["futsal", "voetbal"]
    assert client.post(f"{URL}/knvb/sporten/{network.tennis.id}/verwijderen").status_code == 404


def test_unknown_bonds_are_404(login_as, network):
    client = login_as("beheerder")
    assert client.get(URL + "/nope").status_code == 404
    assert client.get(URL + "/kn%00vb").status_code == 404
    assert client.post(URL + "/nope", data={"name": "x", "abbreviation": "x"}).status_code == 404
    assert client.post(f"{URL}/knvb/sporten/{2**31}/verwijderen").status_code == 404


def test_beheer_adds_a_brancheorganisatie_and_filters_the_list_by_kind(login_as, network):
    client = login_as("beheerder")
    response = client.post(URL + "/nieuw", data={"key": "fitnesswerk", "abbreviation": "FNL", "kind": "brancheorganisatie",
                                                 "name": "Fitnessbranche Nederland", "new_sports": "fitness"})
    assert response.status_code == 302
    assert _db.session.query(Bond).filter_by(key="fitnesswerk").one().kind == "brancheorganisatie"
    branche = client.get(URL + "?soort=brancheorganisatie").get_data(as_text=True)
    assert "Fitnessbranche Nederland" in branche and "KNVB" not in branche
    bonds = client.get(URL + "?soort=bond").get_data(as_text=True)
    assert "KNVB" in bonds and "Fitnessbranche Nederland" not in bonds


def test_changing_a_bonds_kind_is_kept_in_its_history(login_as, network):
    client = login_as("beheerder")
    data = {"name": "KNVB", "abbreviation": network.knvb.abbreviation, "kind": "brancheorganisatie",
            "aangesloten": "y", "aangesloten_at": ""}
    assert client.post(URL + "/knvb", data=data).status_code == 302
    assert reloaded(network.knvb).kind == "brancheorganisatie"
    history = client.get(URL + "/knvb").get_data(as_text=True).split("Geschiedenis")[-1]
    assert "Soort" in history and "Sportbond" in history and "Brancheorganisatie" in history
