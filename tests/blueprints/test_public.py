"""The public pages (no login): the start page, Vind je loket, every gemeente's and loket's page; cacheable
for visitors, private for users; nothing on them but public contact data."""
import re

import pytest

from loket.extensions import db as _db
from tests.factories import GemeenteFactory, SupportOfferFactory
from tests.support.db import count_queries
from tests.support.pages import error_of
from tests.support.requests import file_request


def _text(response) -> str:
    return response.get_data(as_text=True)


def _main(response) -> str:
    """The page without the shared header and footer."""
    return _text(response).split('<main id="inhoud"', 1)[1].split("</main>", 1)[0]


# ---------------------------------------------------------------- start page and search

def test_the_start_page_explains_the_loket_and_offers_one_search(client, network):
    page = _text(client.get("/"))
    assert "sport- en beweegloket" in page
    form = page.split('<form method="get" action="/vind-je-loket"', 1)[1].split("</form>", 1)[0]
    assert 'type="search"' in form and 'name="q"' in form
    assert ">Vind je loket</button>" in form
    assert page.count('class="button"') == 1  # one primary action
    assert 'href="/inloggen"' in _main(client.get("/"))
    assert "landelijk coördinatiepunt" in page


def test_visitors_find_vind_je_loket_in_the_menu_and_users_do_not(client, login_as):
    visitor = _text(client.get("/"))
    header = visitor.split("</header>", 1)[0]
    assert 'href="/vind-je-loket"' in header and 'href="/inloggen"' in header
    users = _text(login_as("club_contact").get("/")).split("</header>", 1)[0]
    assert 'href="/vind-je-loket"' not in users


def test_the_search_page_offers_every_gemeente_for_autocomplete(client, network):
    response = client.get("/vind-je-loket")
    assert response.status_code == 200
    page = _text(response)
    assert 'list="gemeenten"' in page
    datalist = page.split('<datalist id="gemeenten">', 1)[1].split("</datalist>", 1)[0]
    assert re.findall(r'<option value="([^"]+)">', datalist) == ["Amersfoort", "Bunnik", "Leusden", "Utrecht", "Zeist"]
    assert "gevonden" not in _main(response)
    assert 'aria-current="page"' in page.split("</header>", 1)[0]


@pytest.mark.parametrize("typed, code", [
    ("Utrecht", "GM0344"), ("utrecht", "GM0344"), ("GM0307", "GM0307"), ("leus", "GM0327"),
    ("gemeente Zeist", "GM0355"),
])
def test_an_exact_or_only_hit_goes_straight_to_the_gemeente(client, network, typed, code):
    GemeenteFactory(name="Utrechtse Heuvelrug")  # "Utrecht" is still exact
    _db.session.commit()
    response = client.get("/vind-je-loket", query_string={"q": typed})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/gemeenten/{code}"


def test_several_hits_are_listed_as_links(client, network):
    heuvelrug = GemeenteFactory(name="Utrechtse Heuvelrug")
    _db.session.commit()
    response = client.get("/vind-je-loket?q=utr")
    assert response.status_code == 200
    results = _main(response).split('class="search-results"', 1)[1]
    assert "2 gemeenten gevonden bij ‘utr’" in results
    assert results.index('href="/gemeenten/GM0344"') < results.index(f'href="/gemeenten/{heuvelrug.code}"')
    assert "Sportloket Utrecht" in results and "nog geen loket" in results
    assert 'value="utr"' in _text(response)  # what was typed stays in the box


def test_no_hit_says_so_with_a_hint(client, network):
    response = client.get("/vind-je-loket?q=Atlantis")
    assert response.status_code == 200
    page = _main(response)
    assert "Geen gemeente gevonden" in page and "‘Atlantis’" in page
    assert "Tip:" in page and "zonder het woord ‘gemeente’" in page


@pytest.mark.parametrize("typed", ["a" * 101, "Utrecht\x00", "Utr\x07echt"])
def test_a_search_that_cannot_be_a_gemeente_is_a_400_with_the_message_beside_the_field(client, network, typed):
    response = client.get("/vind-je-loket", query_string={"q": typed})
    assert response.status_code == 400
    page = _text(response)
    assert error_of(page, "q")
    assert 'class="error-summary"' in page and 'href="#q"' in page
    assert 'aria-invalid="true"' in page
    assert "Cache-Control" not in response.headers or "public" not in response.headers["Cache-Control"]


# ---------------------------------------------------------------- gemeente and loket pages

@pytest.fixture()
def published(network):
    loket = network.loket_utrecht
    loket.phone, loket.address = "030 123 45 67", "Stadsplateau 1, 3521 AZ Utrecht"
    loket.opening_hours, loket.url = "ma–vr 9:00–17:00", "https://www.sportloket-utrecht.example"
    SupportOfferFactory(organisation=loket, title="Vrijwilligersspreekuur", description="Elke woensdag.")
    SupportOfferFactory(organisation=loket, title="Verlopen aanbod", active=False)
    _db.session.commit()
    return network


def test_a_gemeente_page_shows_its_loket_how_to_reach_it_what_it_offers_and_the_bonds(client, published):
    response = client.get("/gemeenten/GM0344")
    assert response.status_code == 200
    page = _main(response)
    assert "<h1>Gemeente Utrecht</h1>" in page
    assert "Je loket: Sportloket Utrecht" in page
    for shown in ('href="mailto:info@utrecht.example"', 'href="tel:0301234567"', "Stadsplateau 1, 3521 AZ Utrecht",
                  "ma–vr 9:00–17:00", 'href="https://www.sportloket-utrecht.example"', 'href="/loketten/utrecht"',
                  "Vrijwilligersspreekuur", "Elke woensdag.", 'href="/inloggen"'):
        assert shown in page, shown
    assert "Verlopen aanbod" not in page
    sports = page.split('id="sports-title"', 1)[1]
    assert re.search(r"voetbal</td>\s*<td[^>]*>KNVB</td>\s*<td[^>]*>ja</td>", sports)
    assert re.search(r"tennis</td>\s*<td[^>]*>KNLTB</td>\s*<td[^>]*>nog niet", sports)


def test_a_gemeente_without_loket_says_its_requests_are_taken_in_nationally(client, network):
    page = _main(client.get("/gemeenten/GM0355"))
    assert "Zeist heeft nog geen loket dat vragen aanneemt" in page
    assert "landelijk coördinatiepunt" in page and "geeft het coördinatiepunt je vraag" in page
    assert 'href="/inloggen"' in page and "Meld je club eerst aan" in page
    assert "Je loket:" not in page and "/loketten/" not in page


def test_a_gemeente_whose_loket_is_in_oprichting_links_to_it_and_says_requests_go_national(client, network):
    page = _main(client.get("/gemeenten/GM0312"))
    assert "Bunnik heeft nog geen loket dat vragen aanneemt" in page
    assert 'href="/loketten/bunnik"' in page and "wordt op dit moment opgericht" in page
    assert "info@bunnik.example" not in page  # its details are on its own page, with its state


def test_a_loket_page_lists_its_gemeenten(client, network):
    SupportOfferFactory(organisation=network.loket_eemland, title="Bestuursavond Eemland")
    _db.session.commit()
    page = _main(client.get("/loketten/eemland"))
    assert "<h1>Sportloket Eemland</h1>" in page
    assert "voor clubs in\n  Amersfoort en Leusden." in page
    assert 'href="/gemeenten/GM0307"' in page and 'href="/gemeenten/GM0327"' in page
    assert 'href="mailto:info@eemland.example"' in page and "Bestuursavond Eemland" in page
    assert "in oprichting" not in page


def test_a_loket_in_oprichting_says_so_clearly(client, network):
    response = client.get("/loketten/bunnik")
    assert response.status_code == 200
    page = _main(response)
    assert "Dit loket is nog in oprichting" in page and "neemt nog geen vragen aan" in page
    assert "landelijk coördinatiepunt" in page


@pytest.mark.parametrize("path, canonical", [
    ("/gemeenten/gm0344", "/gemeenten/GM0344"),
    ("/loketten/UTRECHT", "/loketten/utrecht"),
])
def test_each_gemeente_and_loket_has_one_address(client, network, path, canonical):
    response = client.get(path)
    assert response.status_code == 301 and response.headers["Location"] == canonical


@pytest.mark.parametrize("path", [
    "/gemeenten/GM9999", "/gemeenten/Utrecht", "/gemeenten/GM0344%00", "/gemeenten/%00", "/gemeenten/" + "9" * 5000,
    "/loketten/onbekend", "/loketten/utrecht%00", "/loketten/" + "u" * 5000, "/loketten/%E2%80%AE",
])
def test_unknown_or_odd_codes_and_slugs_are_the_404_page(client, network, path):
    response = client.get(path)
    assert response.status_code == 404
    page = _text(response)
    assert "<h1>Niet gevonden</h1>" in page and "Vind je loket" in page
    assert "public" not in response.headers.get("Cache-Control", "")


# ---------------------------------------------------------------- caching

PUBLIC_PAGES = ["/vind-je-loket", "/vind-je-loket?q=e", "/gemeenten/GM0344", "/gemeenten/GM0355",
                "/loketten/utrecht", "/loketten/bunnik"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_visitors_pages_are_cacheable_and_a_repeat_visit_is_a_304(client, network, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=300"
    assert "Cookie" in response.headers["Vary"]
    assert "Set-Cookie" not in response.headers
    etag = response.headers["ETag"]
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    assert again.headers["ETag"] == etag


def test_a_changed_page_gets_a_new_etag(client, published):
    etag = client.get("/gemeenten/GM0344").headers["ETag"]
    published.loket_utrecht.phone = "030 765 43 21"
    _db.session.commit()
    changed = client.get("/gemeenten/GM0344", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and "030 765 43 21" in _text(changed)


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_a_logged_in_users_page_is_private_and_not_stored(login_as, path):
    response = login_as("club_contact").get(path)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "ETag" not in response.headers
    assert "Uitloggen" in _text(response)


def test_a_visitors_page_showing_a_flash_message_is_not_stored(client, network):
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Je bent uitgelogd.")]
    response = client.get("/gemeenten/GM0344")
    assert "Je bent uitgelogd." in _text(response)
    assert response.headers["Cache-Control"] == "private, no-store"


# ---------------------------------------------------------------- privacy and queries

def test_nothing_but_public_contact_data_appears(client, published):
    loket = published.loket_utrecht
    loket.sla_first_response_days, loket.sla_resolution_days = 4321, 8765
    SupportOfferFactory(organisation=loket, title="Openbaar aanbod", contact="GEHEIM-AANBODCONTACT")
    _db.session.commit()
    file_request(published, title="GEHEIM-AANVRAAG-TITEL", description="GEHEIM-OMSCHRIJVING")
    secrets = ("4321", "8765", "GEHEIM", "VV Utrechtse Boys", "HC Amersfoort", "Anna de Vries", "anna@uboys.example",
               "Ofelia Ondersteuner", "Cees Collega", "Bas Bond", published.ondersteuner.email)
    for path in ["/", "/vind-je-loket", "/vind-je-loket?q=u", "/gemeenten/GM0344", "/loketten/utrecht",
                 "/loketten/eemland", "/gemeenten/GM0355"]:
        page = _text(client.get(path))
        assert [secret for secret in secrets if secret in page] == [], path
    assert "Openbaar aanbod" in _text(client.get("/gemeenten/GM0344"))


def _queries(app, client, path) -> int:
    client.get(path)
    with count_queries(app) as statements:
        assert client.get(path).status_code == 200
    return len(statements)


@pytest.mark.parametrize("path", ["/gemeenten/GM0344", "/loketten/utrecht", "/vind-je-loket?q=u"])
def test_public_pages_take_a_constant_number_of_queries(app, client, network, path):
    SupportOfferFactory(organisation=network.loket_utrecht)
    _db.session.commit()
    few = _queries(app, client, path)
    for _ in range(6):
        SupportOfferFactory(organisation=network.loket_utrecht, slugs=("overig", "sport-en-zorg"))
    network.loket_utrecht.gemeenten.extend(GemeenteFactory.create_batch(5, name="Utrechtse wijk"))
    _db.session.commit()
    assert _queries(app, client, path) == few
    assert few <= 6  # five for the directory, one for per sport where a question goes (agreements)
