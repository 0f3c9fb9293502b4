"""The netwerk pages: beheer and the coördinatiepunt manage loketten (list, new, page with history, edit) and
the gemeenten' stages; the overview's realisation table and targets move with them."""
import re

import pytest

from loket.extensions import db as _db
from loket.models import Gemeente, Loket, NetworkChange, Team
from tests.factories import GemeenteFactory, LoketFactory, make_user
from tests.support.db import count_queries, count_rows, reloaded
from tests.support.pages import error_of, form_values
from tests.support.requests import file_request

MANAGERS = ["beheerder", "coordinator"]
OTHERS = ["ondersteuner", "bondsspecialist", "club_contact"]
GET_PAGES = ["/netwerk/loketten", "/netwerk/loketten/nieuw", "/netwerk/loketten/utrecht",
             "/netwerk/loketten/utrecht/bewerken", "/netwerk/gemeenten", "/overzicht/realisatie"]
POSTS = ["/netwerk/loketten/nieuw", "/netwerk/loketten/bunnik/bewerken", "/netwerk/gemeenten/GM0355/verkennen",
         "/netwerk/gemeenten/GM0355/niet-verkennen"]


def _text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).replace(" ,", ",")


def _stored():
    return (count_rows(Loket), count_rows(Team), count_rows(NetworkChange),
            count_rows(Gemeente, Gemeente.loket_id.is_(None)), count_rows(Gemeente, Gemeente.exploring_since.is_not(None)))


def _edit_form(client, slug, **changes):
    data = form_values(client.get(f"/netwerk/loketten/{slug}/bewerken").get_data(as_text=True),
                       f"/netwerk/loketten/{slug}/bewerken")
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


# ---------------------------------------------------------------- access

@pytest.mark.parametrize("who", MANAGERS)
@pytest.mark.parametrize("path", GET_PAGES)
def test_every_page_opens_for_beheer_and_the_coordinatiepunt(login_as, network, who, path):
    response = login_as(who).get(path)
    assert response.status_code == 200, path
    assert response.get_data(as_text=True).count("<h1") == 1


@pytest.mark.parametrize("who", OTHERS)
def test_the_pages_are_closed_to_supporters_and_clubs(login_as, network, who):
    client = login_as(who)
    before = _stored()
    for path in GET_PAGES:
        assert client.get(path).status_code == 403, path
    for path in POSTS:
        assert client.post(path, data={"name": "X", "slug": "x", "gemeenten": "GM0355"}).status_code == 403, path
    assert _stored() == before


def test_anonymous_visitors_are_sent_to_log_in(client, network):
    for path in GET_PAGES:
        response = client.get(path)
        assert response.status_code == 302 and "/inloggen" in response.headers["Location"]


def test_an_unknown_loket_or_gemeente_is_a_404(login_as, network):
    client = login_as("beheerder")
    assert client.get("/netwerk/loketten/bestaat-niet").status_code == 404
    assert client.get("/netwerk/loketten/bestaat-niet/bewerken").status_code == 404
    assert client.get("/netwerk/loketten/utr%00echt").status_code == 404
    assert client.post("/netwerk/loketten/bestaat-niet/bewerken", data={"name": "X"}).status_code == 404
    assert client.post("/netwerk/gemeenten/GM9999/verkennen").status_code == 404
    assert client.post("/netwerk/gemeenten/GM%00/verkennen").status_code == 404


# ---------------------------------------------------------------- lists

def test_the_loketten_list_searches_filters_and_pages(app, login_as, network, monkeypatch):
    client = login_as("coordinator")
    page = _text(client.get("/netwerk/loketten"))
    assert "3 loketten" in page and "Sportloket Bunnik" in page and "Amersfoort, Leusden" in page
    assert "Sportloket Eemland" in _text(client.get("/netwerk/loketten?q=leusden"))
    assert "1 loket gevonden met ‘gm0327’" in _text(client.get("/netwerk/loketten?q=gm0327"))
    assert "0 loketten gevonden met ‘100%’" in _text(client.get("/netwerk/loketten?q=100%25"))
    in_oprichting = _text(client.get("/netwerk/loketten?status=in_oprichting"))
    assert "1 loket" in in_oprichting and "Sportloket Bunnik" in in_oprichting
    assert "3 loketten" in _text(client.get("/netwerk/loketten?status=kapot"))
    refused = client.get("/netwerk/loketten?q=a%00b")
    assert refused.status_code == 400 and "stuurtekens" in refused.get_data(as_text=True)
    monkeypatch.setitem(app.config, "QUEUE_PAGE_SIZE", 2)
    assert "Pagina 1 van 2" in _text(client.get("/netwerk/loketten"))
    beyond = client.get("/netwerk/loketten?pagina=9")
    assert beyond.status_code == 302 and "pagina=2" in beyond.headers["Location"]


def test_the_gemeenten_list_filters_by_province_stage_and_text(login_as, network):
    GemeenteFactory(code="GM0363", name="Amsterdam", province="Noord-Holland")
    _db.session.commit()
    client = login_as("beheerder")
    assert "6 gemeenten" in _text(client.get("/netwerk/gemeenten"))
    assert "1 gemeente" in _text(client.get("/netwerk/gemeenten?provincie=Noord-Holland"))
    none = _text(client.get("/netwerk/gemeenten?fase=geen"))
    assert "2 gemeenten" in none and "Zeist" in none and "Amsterdam" in none
    assert "Bunnik" in _text(client.get("/netwerk/gemeenten?fase=in_oprichting"))
    assert "1 gemeente gevonden met ‘GM0355’" in _text(client.get("/netwerk/gemeenten?q=GM0355"))
    assert "6 gemeenten" in _text(client.get("/netwerk/gemeenten?provincie=Atlantis&fase=maan"))
    assert client.get("/netwerk/gemeenten?q=%1b").status_code == 400


def test_lists_and_the_loket_page_use_a_constant_number_of_queries(app, login_as, network, lead):
    client = login_as("beheerder")
    client.post("/netwerk/loketten/utrecht/bewerken", data=_edit_form(client, "utrecht", phone="030 2"))
    paths = ("/netwerk/loketten", "/netwerk/gemeenten", "/netwerk/loketten/utrecht", "/overzicht/realisatie")
    few = {}
    for path in paths:
        with count_queries(app) as statements:
            assert client.get(path).status_code == 200
        few[path] = len(statements)
    for i in range(6):
        gemeente = GemeenteFactory(code=f"GM08{i:02d}", name=f"Extra {i}")
        LoketFactory(slug=f"extra-{i}", gemeenten=[gemeente])
    make_user("clubondersteuner", network.loket_utrecht, name="Tweede Lead", team_lead=True)
    _db.session.commit()
    client.post("/netwerk/loketten/utrecht/bewerken", data=_edit_form(client, "utrecht", phone="030 1",
                                                                      gemeenten="GM0344\nGM0800"))
    for path in paths:
        with count_queries(app) as statements:
            assert client.get(path).status_code == 200
        assert len(statements) == few[path], path


# ---------------------------------------------------------------- creating and editing a loket

def test_beheer_creates_a_loket_for_two_gemeenten(login_as, network):
    GemeenteFactory(code="GM0340", name="Rhenen")
    _db.session.commit()
    client = login_as("beheerder")
    response = client.post("/netwerk/loketten/nieuw", data={"name": "Sportloket Heuvelrug", "slug": "heuvelrug",
                                                            "status": "in_oprichting",
                                                            "gemeenten": "GM0355 Zeist\nGM0340 Rhenen"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/netwerk/loketten/heuvelrug")
    page = _text(client.get("/netwerk/loketten/heuvelrug"))
    assert "Sportloket Heuvelrug is opgericht voor 2 gemeenten" in page
    assert "Rhenen" in page and "Zeist" in page and "Loket in oprichting" in page
    assert "Loket opgericht" in page and network.beheerder.name in page
    assert {g.code for g in reloaded(network.zeist).loket.gemeenten} == {"GM0340", "GM0355"}


@pytest.mark.parametrize("data, field, message", [
    ({"gemeenten": "GM0344"}, "gemeenten", "Gemeente Utrecht (GM0344) wordt al bediend door Sportloket Utrecht"),
    ({"gemeenten": "GM9999"}, "gemeenten", "Onbekende gemeentecode(s): GM9999"),
    ({"gemeenten": ""}, "gemeenten", "Kies minstens één gemeente"),
    ({"gemeenten": "Zeist"}, "gemeenten", "GM met vier cijfers"),
    ({"slug": "Zeist Loket"}, "slug", "kleine letters"),
    ({"slug": "utrecht"}, "slug", "al in gebruik"),
    ({"slug": "nieuw"}, "slug", "gereserveerd"),
    ({"name": ""}, "name", "Geef het loket een naam"),
    ({"name": "Loket\x00"}, "name", "stuurtekens"),
    ({"status": "gesloten"}, "status", "Kies de status"),
])
def test_a_new_loket_with_bad_input_is_refused_in_dutch_and_nothing_is_stored(login_as, network, data, field,
                                                                              message):
    client = login_as("coordinator")
    before = _stored()
    form = {"name": "Sportloket Zeist", "slug": "zeist", "status": "in_oprichting", "gemeenten": "GM0355", **data}
    response = client.post("/netwerk/loketten/nieuw", data=form)
    assert response.status_code == 400
    assert message in error_of(response.get_data(as_text=True), field)
    assert _stored() == before


def test_a_form_without_csrf_token_is_refused(login_as, network):
    client = login_as("beheerder")
    before = _stored()
    response = client.post("/netwerk/loketten/nieuw", csrf=False,
                           data={"name": "Sportloket Zeist", "slug": "zeist", "gemeenten": "GM0355"})
    assert response.status_code == 400 and "Het formulier is verlopen" in response.get_data(as_text=True)
    assert client.post("/netwerk/gemeenten/GM0355/verkennen", csrf=False).status_code == 400
    assert _stored() == before


def test_the_edit_form_shows_the_loket_as_it_is(login_as, network):
    data = _edit_form(login_as("coordinator"), "eemland")
    assert data["name"] == "Sportloket Eemland" and data["status"] == "operationeel"
    assert data["gemeenten"].splitlines() == ["GM0307 Amersfoort", "GM0327 Leusden"]
    assert "take_over" not in data and data["email"] == "info@eemland.example"


def test_editing_a_loket_keeps_its_history_on_its_page(login_as, network):
    client = login_as("coordinator")
    network.loket_bunnik.aangehaakt = False
    _db.session.commit()
    response = client.post("/netwerk/loketten/bunnik/bewerken", data=_edit_form(
        client, "bunnik", status="operationeel", aangehaakt="y", aangehaakt_at="2026-03-01",
        reason="Team compleet", phone="030 656 00 00"))
    assert response.status_code == 302
    loket = reloaded(network.loket_bunnik)
    assert (loket.status, loket.aangehaakt, loket.aangehaakt_at.isoformat(), loket.phone) == (
        "operationeel", True, "2026-03-01", "030 656 00 00")
    page = _text(client.get("/netwerk/loketten/bunnik"))
    assert "De wijzigingen aan Sportloket Bunnik zijn opgeslagen" in page
    assert "Aangehaakt Ja, sinds 1 mrt 2026" in page or "sinds 1 maart 2026" in page
    history = page.split("Geschiedenis", 1)[1]
    assert f"{network.coordinator.name} Status In oprichting Operationeel Team compleet" in history
    assert "Fase van de gemeente Bunnik Loket in oprichting Loket operationeel" in history
    assert "Telefoonnummer — 030 656 00 00" in history


def test_going_back_without_a_reason_is_refused_on_the_page(login_as, network):
    client = login_as("beheerder")
    before = _stored()
    response = client.post("/netwerk/loketten/utrecht/bewerken",
                           data=_edit_form(client, "utrecht", status="in_oprichting", reason=""))
    assert response.status_code == 400
    assert "alleen met een reden" in error_of(response.get_data(as_text=True), "reason")
    assert reloaded(network.loket_utrecht).status == "operationeel" and _stored() == before


@pytest.mark.parametrize("changes, field, message", [
    ({"gemeenten": "GM0344\nGM0307"}, "gemeenten", "wordt al bediend door Sportloket Eemland"),
    ({"gemeenten": "GM0344, GM9998"}, "gemeenten", "Onbekende gemeentecode(s): GM9998"),
    ({"gemeenten": ""}, "gemeenten", "minstens één gemeente"),
    ({"aangehaakt_at": "2026-02-30"}, "aangehaakt_at", "bestaande datum"),
    ({"aangehaakt_at": "2999-01-01"}, "aangehaakt_at", "toekomst"),
    ({"email": "geen adres"}, "email", "geldig e-mailadres"),
    ({"url": "www.utrecht.nl"}, "url", "https://"),
    ({"phone": "030\x1b"}, "phone", "stuurtekens"),
    ({"reason": "x" * 1001}, "reason", "maximaal 1000 tekens"),
])
def test_bad_edits_are_refused_in_dutch_and_nothing_is_stored(login_as, network, changes, field, message):
    client = login_as("beheerder")
    before = _stored()
    response = client.post("/netwerk/loketten/utrecht/bewerken", data=_edit_form(client, "utrecht", **changes))
    assert response.status_code == 400
    assert message in error_of(response.get_data(as_text=True), field)
    assert _stored() == before and reloaded(network.loket_utrecht).phone is None


def test_taking_over_needs_the_checkbox_and_moves_the_open_requests(login_as, network):
    request = file_request(network, who="other_club_contact", club="club_amersfoort")
    client = login_as("beheerder")
    data = _edit_form(client, "utrecht", gemeenten="GM0344\nGM0307")
    assert client.post("/netwerk/loketten/utrecht/bewerken", data=data).status_code == 400
    assert reloaded(request).owner_team_id == network.loket_eemland.team.id
    response = client.post("/netwerk/loketten/utrecht/bewerken", data={**data, "take_over": "y"})
    assert response.status_code == 302
    assert reloaded(request).owner_team_id == network.loket_utrecht.team.id
    assert reloaded(request).events[-1].kind == "moved"
    assert "Gemeente Amersfoort Sportloket Eemland Sportloket Utrecht" in _text(client.get("/netwerk/loketten/eemland"))


def test_the_loket_page_lists_its_leads_and_links_to_its_team(login_as, network, lead):
    page = login_as("coordinator").get("/netwerk/loketten/utrecht").get_data(as_text=True)
    assert lead.name in page and network.collega.name not in page
    assert 'href="/team/loket/utrecht"' in page


# ---------------------------------------------------------------- gemeenten: exploring

def test_a_gemeente_without_a_loket_is_set_to_exploring_and_back(login_as, network):
    client = login_as("coordinator")
    response = client.post("/netwerk/gemeenten/GM0355/verkennen?fase=geen&q=zei")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/netwerk/gemeenten?q=zei&fase=geen")
    assert reloaded(network.zeist).exploring_since is not None
    page = _text(client.get("/netwerk/gemeenten?q=zeist"))
    assert "Gemeente Zeist verkent nu een loket" in page and "Verkent een loket sinds" in page
    assert client.post("/netwerk/gemeenten/GM0355/niet-verkennen").status_code == 302
    assert reloaded(network.zeist).exploring_since is None
    assert count_rows(NetworkChange, NetworkChange.field == "stage") == 2


def test_a_gemeente_with_a_loket_cannot_be_set_to_exploring(login_as, network):
    response = login_as("beheerder").post("/netwerk/gemeenten/GM0344/verkennen")
    assert response.status_code == 400
    assert "wordt al bediend door Sportloket Utrecht" in response.get_data(as_text=True)
    assert reloaded(network.utrecht).exploring_since is None and count_rows(NetworkChange) == 0


# ---------------------------------------------------------------- the overview follows

def test_the_overview_counts_change_when_a_loket_becomes_operational_and_aangehaakt(login_as, network):
    client = login_as("coordinator")
    network.loket_bunnik.aangehaakt = False
    _db.session.commit()
    before = _text(client.get("/overzicht/"))
    assert "3 gemeenten gedekt door een operationeel loket" in before
    assert "2 loketten aangehaakt bij het coördinatiepunt" in before
    realisation = _text(client.get("/overzicht/realisatie"))
    assert "Utrecht 1 0 1 3 5" in realisation  # geen, verkennen, in oprichting, operationeel, totaal

    client.post("/netwerk/loketten/bunnik/bewerken",
                data=_edit_form(client, "bunnik", status="operationeel", aangehaakt="y"))

    after = _text(client.get("/overzicht/"))
    assert "4 gemeenten gedekt door een operationeel loket" in after
    assert "3 loketten aangehaakt bij het coördinatiepunt" in after
    realisation = _text(client.get("/overzicht/realisatie"))
    assert "Utrecht 1 0 0 4 5" in realisation
    # This month's column of the table over time has the new count.
    assert re.search(r"Loket operationeel( \d+){11} 4", realisation)
