"""The overview pages and downloads with `?indeling=<slug>`: the choice lists every region set, the loketten
table shows regions and filters by one, realisation and demand group per region (with "Niet ingedeeld"), the
downloads follow; province stays the default; an unknown slug is a 404, never a 500; queries stay constant.

The network plus extend_network: VSG "Regio Utrecht" = Utrecht, Bunnik, Zeist; "Regio Eemland" = Amersfoort,
Leusden; Barneveld and Arnhem are in no VSG region."""
import csv
import io
import re
from datetime import datetime

import pytest

from loket.extensions import db as _db
from tests.factories import ClubFactory, make_region_set
from tests.support.db import count_queries
from tests.support.quality import THIS_MONTH, extend_network, stored_request

PAGES = ("/overzicht/", "/overzicht/realisatie", "/overzicht/vraag/provincie")
DOWNLOADS = ("/overzicht/loketten.csv", "/overzicht/loketten.xlsx", "/overzicht/vraag/provincie.csv",
             "/overzicht/vraag/provincie.xlsx")


@pytest.fixture()
def grouped(network):
    extend_network(network)
    return network


def _text(response) -> str:
    return response.get_data(as_text=True)


def _body_rows(html):
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in re.findall(r"<tr>(.*?)</tr>", body, re.DOTALL)]


def _csv(response):
    return list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig")), delimiter=";"))


@pytest.mark.parametrize("path", PAGES + DOWNLOADS)
@pytest.mark.parametrize("indeling", ["bestaat-niet", "x" * 300, "vsg\x00", "%"])
def test_an_unknown_indeling_is_a_404(login_as, grouped, path, indeling):
    assert login_as("coordinator").get(path, query_string={"indeling": indeling}).status_code == 404


@pytest.mark.parametrize("path", PAGES + DOWNLOADS)
def test_province_stays_the_default(login_as, grouped, path):
    client = login_as("coordinator")
    for indeling in ("", "provincie"):
        assert client.get(path, query_string={"indeling": indeling}).status_code == 200


def test_the_choice_lists_every_region_set_and_keeps_it_in_the_tabs(login_as, grouped):
    make_region_set("GGD-regio's", {"GGD Midden": [grouped.utrecht]}, slug="ggd")
    _db.session.commit()
    html = _text(login_as("coordinator").get("/overzicht/?indeling=vsg"))
    assert '<option value="">Provincie</option>' in html
    assert '<option value="vsg" selected>VSG-regio&#39;s</option>' in html and '<option value="ggd">' in html
    assert 'href="/overzicht/realisatie?indeling=vsg"' in html and "Realisatie per regio" in html
    assert 'href="/overzicht/vraag/provincie?indeling=vsg"' in html and "Vraag per regio" in html


def test_the_loketten_table_shows_regions_and_filters_by_one(login_as, grouped):
    client = login_as("coordinator")
    rows = _body_rows(_text(client.get("/overzicht/?indeling=vsg")))
    assert [row.split(" operationeel")[0].split(" in oprichting")[0] for row in rows] == [
        "Sportloket Arnhem", "Sportloket Bunnik", "Sportloket Eemland", "Sportloket Utrecht"]
    assert "Regio Eemland, Niet ingedeeld" in rows[2] and "Regio Utrecht" in rows[3]
    html = _text(client.get("/overzicht/", query_string={"indeling": "vsg", "regio": "Niet ingedeeld"}))
    assert [row.split(" ")[1] for row in _body_rows(html)] == ["Arnhem", "Eemland"]
    assert "2 van 4 loketten in Niet ingedeeld" in html
    assert 'href="/overzicht/loketten.csv?indeling=vsg&amp;regio=Niet+ingedeeld"' in html
    # a region of another set, or a province while grouping by region, is no filter
    assert len(_body_rows(_text(client.get("/overzicht/?indeling=vsg&regio=Atlantis&provincie=Gelderland")))) == 4


def test_the_loketten_download_follows_the_grouping(login_as, grouped):
    client = login_as("coordinator")
    rows = _csv(client.get("/overzicht/loketten.csv", query_string={"indeling": "vsg", "regio": "Regio Utrecht"}))
    assert rows[0][4] == "Regio’s in VSG-regio's" and [row[0] for row in rows[1:]] == ["bunnik", "utrecht"]
    response = client.get("/overzicht/loketten.csv?indeling=vsg")
    assert "loket-loketten-vsg-" in response.headers["Content-Disposition"]


def test_realisation_per_region_adds_up(login_as, grouped):
    client = login_as("coordinator")
    html = _text(client.get("/overzicht/realisatie?indeling=vsg"))
    assert "Gemeenten per fase en regio, nu" in html and "<th scope=\"col\">Regio</th>" in html
    rows = _body_rows(html.split('id="provincies-caption"', 1)[1])
    assert [row.split(" ")[0:2] for row in rows] == [["Regio", "Eemland"], ["Regio", "Utrecht"], ["Niet", "ingedeeld"]]
    assert rows[0].endswith(" 2") and rows[1].endswith(" 3") and rows[2].endswith(" 2")  # totals per region
    province_html = _text(client.get("/overzicht/realisatie"))
    total = re.search(r"<tfoot>(.*?)</tfoot>", html, re.DOTALL)[1]
    assert total == re.search(r"<tfoot>(.*?)</tfoot>", province_html, re.DOTALL)[1]


def test_demand_per_region_page_and_download(login_as, grouped):
    this_month = datetime.combine(THIS_MONTH, datetime.min.time())
    stored_request(grouped.club_utrecht, "overig", this_month)
    stored_request(grouped.club_zeist, "overig", this_month)
    stored_request(ClubFactory(gemeente=grouped.arnhem), "overig", this_month)
    client = login_as("beheerder")
    html = _text(client.get("/overzicht/vraag/provincie?indeling=vsg"))
    assert "<h1>Vraag per regio (VSG-regio&#39;s)</h1>" in html
    rows = {row.rsplit(" ", 1)[0].split(" 0 ")[0]: row.rsplit(" ", 1)[1] for row in _body_rows(html)}
    assert rows == {"Regio Eemland": "0", "Regio Utrecht": "2", "Niet ingedeeld": "1"}
    download = client.get("/overzicht/vraag/provincie.csv?indeling=vsg")
    table = _csv(download)
    assert table[0][0] == "Regio" and [(row[0], row[-1]) for row in table[1:]] == [
        ("Regio Eemland", "0"), ("Regio Utrecht", "2"), ("Niet ingedeeld", "1"), ("Totaal", "3")]
    assert "loket-vraag-per-regio-vsg-" in download.headers["Content-Disposition"]
    # per category ignores the indeling
    assert "Vraag per categorie" in _text(client.get("/overzicht/vraag/categorie?indeling=vsg"))


@pytest.mark.parametrize("who", ["ondersteuner", "bondsspecialist", "club_contact"])
def test_others_still_cannot_open_the_overview(login_as, grouped, who):
    assert login_as(who).get("/overzicht/?indeling=vsg").status_code == 403


def test_grouped_pages_run_a_constant_number_of_queries(app, login_as, grouped):
    client = login_as("coordinator")

    def counted():
        counts = {}
        for path in PAGES + ("/overzicht/loketten.csv", "/overzicht/vraag/provincie.csv"):
            with count_queries(app) as statements:
                assert client.get(path, query_string={"indeling": "vsg"}).status_code == 200
            counts[path] = len(statements)
        return counts

    before = counted()
    make_region_set("Groot", {f"R{i}": [] for i in range(6)}, slug="groot")
    make_region_set("Nog een", {"Alles": [grouped.utrecht, grouped.arnhem]}, slug="nog-een")
    for _ in range(5):
        stored_request(ClubFactory(gemeente=grouped.arnhem), "overig",
                       datetime.combine(THIS_MONTH, datetime.min.time()))
    assert counted() == before
