"""The national overview pages: who may use them, what they show, filters, the recompute button, the
drill-down with its accessible chart and table, demand pages, and CSV/XLSX downloads."""
import csv
import io
import re
from datetime import datetime

import pytest
from sqlalchemy import func, select

from loket.extensions import db as _db
from loket.models import Category, QualityRun
from loket.models.base import utcnow
from loket.services.quality.criteria import current_set
from loket.services.quality.runs import period_of
from tests.factories import (
    MeasurementFactory,
    QualityRunFactory,
)
from tests.support.db import count_queries, count_rows
from tests.support.quality import (
    LAST_MONTH,
    THIS_MONTH,
    extend_network,
    grow_lone,
    measure_month,
    pass_audit,
    stored_request,
)

PARAMS = {"slug": "utrecht", "fmt": "csv", "per": "categorie"}
ALLOWED = ("coordinator", "beheerder")
REFUSED = ("ondersteuner", "bondsspecialist", "club_contact")


@pytest.fixture()
def quality(network):
    """utrecht voldoet (6 → 8 passing, positive audit); eemland 5 → 3; arnhem 4 (one month); bunnik none."""
    extend_network(network)
    measure_month(network.loket_utrecht, LAST_MONTH, 6)
    measure_month(network.loket_utrecht, THIS_MONTH, 8, values={"K2": 0.925},
                  details={"K2": {"numerator": 37, "denominator": 40, "count": 40}})
    pass_audit(network, network.loket_utrecht, audit_date=LAST_MONTH)
    measure_month(network.loket_eemland, LAST_MONTH, 5)
    measure_month(network.loket_eemland, THIS_MONTH, 3)
    measure_month(network.loket_arnhem, THIS_MONTH, 4)
    return network


def _routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("overzicht."):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield method, re.sub(r"<(?:[^:<>]+:)?(\w+)>", lambda m: PARAMS[m[1]], rule.rule)


def _call(client, method, path):
    return client.get(path) if method == "GET" else client.post(path)


def _text(response):
    """The page's text: tags dropped, whitespace collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).replace(" ,", ",")


# ---------------------------------------------------------------- access

def test_every_overview_route_is_declared_for_coordinatiepunt_and_beheer_only(app):
    from loket.access import policy_of

    endpoints = [e for e in app.view_functions if e.startswith("overzicht.")]
    assert len(endpoints) == 9
    for endpoint in endpoints:
        assert policy_of(app.view_functions[endpoint]) == {"coordinatiepunt", "beheer"}, endpoint


@pytest.mark.parametrize("who", ALLOWED)
def test_coordinatiepunt_and_beheer_may_use_every_overview_route(app, login_as, quality, who):
    client = login_as(who)
    for method, path in _routes(app):
        response = _call(client, method, path)
        assert response.status_code == (302 if method == "POST" else 200), (method, path, response.status_code)


@pytest.mark.parametrize("who", REFUSED)
def test_other_roles_get_403_on_every_overview_route(app, login_as, quality, who):
    client = login_as(who)
    runs_before = count_rows(QualityRun)
    for method, path in _routes(app):
        assert _call(client, method, path).status_code == 403, (method, path)
    assert count_rows(QualityRun) == runs_before


def test_anonymous_visitors_are_sent_to_the_login_page(app, client, quality):
    for method, path in _routes(app):
        response = _call(client, method, path)
        assert response.status_code == 302 and "/inloggen" in response.headers["Location"], (method, path)
    assert count_rows(QualityRun) == 0


def test_the_coordinatiepunt_finds_the_overview_in_the_menu(login_as, network):
    assert 'href="/overzicht/"' in login_as("coordinator").get("/").get_data(as_text=True)
    assert 'href="/overzicht/"' not in login_as("ondersteuner").get("/").get_data(as_text=True)


# ---------------------------------------------------------------- targets, table, filters

def test_targets_at_a_glance(login_as, quality):
    text = _text(login_as("coordinator").get("/overzicht/"))
    # What there is, out of how many exist, and the goal, each said separately (not "1 van 100 loketten").
    assert "5 gemeenten gedekt door een operationeel loket, van de 7 gemeenten" in text
    assert "Doel 2026: alle 342" in text
    assert "3 loketten aangehaakt bij het coördinatiepunt, van de 4 loketten" in text
    assert "1 loket voldoet aan de landelijke kwaliteitscriteria, van de 4 loketten" in text
    assert "Doel 2026: minstens 100 (1 % bereikt)" in text
    assert "1 bond aangesloten op het netwerk, van de 2 bonden" in text


def test_loketten_voldoen_names_how_many_loketten_exist_beside_the_goal(login_as, quality):
    text = _text(login_as("coordinator").get("/overzicht/"))
    assert "1 loket voldoet aan de landelijke kwaliteitscriteria, van de 4 loketten" in text
    assert "Doel 2026: minstens 100" in text


def _table_rows(html):
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [re.sub(r"<[^>]+>", " ", row) for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_the_loketten_table_shows_verdicts_criteria_and_trend(login_as, quality):
    html = login_as("coordinator").get("/overzicht/").get_data(as_text=True)
    rows = {re.search(r"Sportloket (\w+)", row)[1]: " ".join(row.split()) for row in _table_rows(html)}
    assert list(rows) == ["Arnhem", "Bunnik", "Eemland", "Utrecht"]
    assert "voldoet ✓ voldoet ✓ voldoet" in rows["Utrecht"]
    assert "Beter (6 → 8 criteria gehaald)" in rows["Utrecht"]
    assert rows["Utrecht"].count("✗") == 0 and rows["Eemland"].count("✗") == 5
    assert "Slechter" in rows["Eemland"] and "Gelderland, Utrecht" in rows["Eemland"]
    assert "in oprichting" in rows["Bunnik"] and rows["Bunnik"].count("geen gegevens") == 10
    assert '<abbr title="Snelle eerste reactie">K2</abbr>' in html


@pytest.mark.parametrize("query, expected", [
    ("provincie=Gelderland", ["Arnhem", "Eemland"]),
    ("status=voldoet", ["Utrecht"]),
    ("status=in_oprichting", ["Bunnik"]),
    ("provincie=Gelderland&status=voldoet_niet", ["Arnhem", "Eemland"]),
    ("provincie=Atlantis&status=kapot", ["Arnhem", "Bunnik", "Eemland", "Utrecht"]),
])


def test_filters_narrow_the_table_and_its_download(login_as, quality, query, expected):
    client = login_as("coordinator")
    html = client.get(f"/overzicht/?{query}").get_data(as_text=True)
    assert [re.search(r"Sportloket (\w+)", row)[1] for row in _table_rows(html)] == expected
    rows = _csv(client.get(f"/overzicht/loketten.csv?{query}"))
    assert [row[1] for row in rows[1:]] == [f"Sportloket {name}" for name in expected]


def test_no_match_says_so(login_as, quality):
    assert "Geen loketten met deze filters." in _text(login_as("coordinator").get(
        "/overzicht/?provincie=Gelderland&status=voldoet"))


# ---------------------------------------------------------------- recompute

def test_the_recompute_button_queues_a_run_and_the_page_shows_its_progress(login_as, quality):
    client = login_as("coordinator")
    response = client.post("/overzicht/herberekenen")
    assert response.status_code == 302 and response.headers["Location"].endswith("/overzicht/")
    run = _db.session.scalar(select(QualityRun))
    assert run.requested_by_id == quality.coordinator.id and run.state == "done"  # inline jobs in tests
    text = _text(client.get("/overzicht/"))
    assert "Herberekening aangevraagd: klaar." in text
    assert f"criteria {run.criteria_done} van {run.criteria_total}" in text and run.criteria_total == 8


def test_recompute_without_a_csrf_token_is_refused(login_as, quality):
    response = login_as("beheerder").post("/overzicht/herberekenen", csrf=False)
    assert response.status_code == 400
    assert count_rows(QualityRun) == 0


def test_recompute_is_post_only(login_as, quality):
    assert login_as("coordinator").get("/overzicht/herberekenen").status_code == 405


@pytest.mark.parametrize("state, done, expected", [
    ("queued", 0, "in de wachtrij, criteria 0 van 8"),
    ("running", 3, "bezig, criteria 3 van 8"),
    ("failed", 2, "De herberekening is mislukt"),
])


def test_the_latest_runs_state_is_shown(login_as, quality, state, done, expected):
    QualityRunFactory(state=state, period=period_of(utcnow()), criteria_done=done, criteria_total=8,
                      error="OperationalError: geheime details")
    _db.session.commit()
    response = login_as("coordinator").get("/overzicht/")
    text = _text(response)
    assert expected in text
    assert ("<progress" in response.get_data(as_text=True)) == (state in ("queued", "running"))
    assert "geheime details" not in text  # the error text is for beheer
    if state == "failed":
        assert "geheime details" in _text(login_as("beheerder").get("/overzicht/"))


# ---------------------------------------------------------------- drill-down

def test_drill_down_shows_an_accessible_chart_and_a_table_per_metric_criterion(login_as, quality):
    html = login_as("coordinator").get("/overzicht/loketten/utrecht").get_data(as_text=True)
    svgs = re.findall(r"<svg[^>]*>.*?</svg>", html, re.S)
    assert len(svgs) == 8
    k2 = next(svg for svg in svgs if 'aria-label="K2 Snelle eerste reactie: Sportloket Utrecht"' in svg)
    assert 'role="img"' in k2 and 'aria-describedby="grafiek-k2-desc"' in k2
    assert re.search(r'<desc id="grafiek-k2-desc">2 maanden gemeten.*laatste 92,5 %.*norm is ≥ 90 %', k2, re.S)
    assert k2.count("<circle") == 2  # both months passed (filled circles)
    section = html.split('id="criterium-k2"', 1)[1].split("</section>", 1)[0]
    assert "<caption>K2 per maand (aandeel (0–1))</caption>" in section
    rows = _table_rows(section)
    assert len(rows) == 2 and "92,5 %" in rows[0] and "37 van 40" in rows[0] and "voldoet" in rows[0]
    assert '<th scope="row"><time' in section and '<th scope="col">Waarde</th>' in section


def test_drill_down_explains_why_a_loket_does_not_voldoen(login_as, quality):
    text = _text(login_as("coordinator").get("/overzicht/loketten/eemland"))
    assert "Waarom het loket (nog) niet voldoet" in text and "K4: voldoet niet in de laatste meting." in text
    assert "Er is nog geen afgeronde audit." in text


def test_drill_down_of_an_unknown_loket_is_404(login_as, quality):
    assert login_as("coordinator").get("/overzicht/loketten/bestaat-niet").status_code == 404
    assert login_as("coordinator").get("/overzicht/loketten/bestaat-niet/metingen.csv").status_code == 404


def test_a_loket_without_measurements_has_no_charts(login_as, quality):
    html = login_as("coordinator").get("/overzicht/loketten/bunnik").get_data(as_text=True)
    assert "<svg" not in html and html.count("Nog niet gemeten.") == 8


# ---------------------------------------------------------------- demand

def test_demand_per_category_page_has_charts_and_a_table(login_as, quality):
    this_month = datetime.combine(THIS_MONTH, datetime.min.time())
    stored_request(quality.club_utrecht, "sport-en-zorg", this_month)
    stored_request(quality.club_zeist, "sport-en-zorg", this_month)
    stored_request(quality.club_utrecht, "overig", datetime.combine(LAST_MONTH, datetime.min.time()))
    html = login_as("coordinator").get("/overzicht/vraag/categorie").get_data(as_text=True)
    active = _db.session.scalar(select(func.count()).select_from(Category).where(Category.active.is_(True)))
    assert html.count('role="img"') == 1 + active  # the total and one per active category
    assert "3 aanvragen van" in html
    rows = {" ".join(r.split()).split(" ")[0]: " ".join(r.split()) for r in _table_rows(html)}
    assert rows["Sport"].endswith("0 0 0 0 0 0 0 0 0 0 0 2 2")
    assert rows["Overig"].endswith("0 0 0 0 0 0 0 0 0 0 1 0 1")
    assert "<caption id=\"vraag-caption\">Aanvragen per categorie per maand</caption>" in html


def test_demand_per_province_page(login_as, quality):
    stored_request(quality.club_utrecht, "overig", datetime.combine(THIS_MONTH, datetime.min.time()))
    html = login_as("beheerder").get("/overzicht/vraag/provincie").get_data(as_text=True)
    rows = [" ".join(r.split()) for r in _table_rows(html)]
    assert rows == ["Gelderland 0 0 0 0 0 0 0 0 0 0 0 0 0", "Utrecht 0 0 0 0 0 0 0 0 0 0 0 1 1"]


# ---------------------------------------------------------------- downloads

def _csv(response):
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"), newline=""), delimiter=";"))


def test_loketten_csv_equals_the_table_on_the_page(login_as, quality):
    client = login_as("coordinator")
    response = client.get("/overzicht/loketten.csv")
    today = utcnow().date().isoformat()
    assert response.headers["Content-Disposition"] == f'attachment; filename="loket-loketten-{today}.csv"'
    rows = _csv(response)
    assert rows[0][:7] == ["Slug", "Loket", "Status", "Provincies", "Gemeenten", "Aangehaakt", "Voldoet"]
    assert rows[4] == ["utrecht", "Sportloket Utrecht", "operationeel", "Utrecht", "1", "ja", "ja",
                       *(["ja"] * 10), "beter"]
    page_rows = [" ".join(r.split()) for r in _table_rows(client.get("/overzicht/").get_data(as_text=True))]
    for csv_row, page_row in zip(rows[1:], page_rows):
        assert page_row.startswith(csv_row[1])
        marks = re.findall(r"voldoet niet|voldoet|geen gegevens", page_row.split(" ", 2 + len(csv_row[1].split()))[-1])
        assert marks[1:] == [{"ja": "voldoet", "nee": "voldoet niet", "": "geen gegevens"}[v] for v in csv_row[7:17]]


def test_xlsx_download_has_typed_cells(login_as, quality):
    from openpyxl import load_workbook

    client = login_as("coordinator")
    response = client.get("/overzicht/loketten/utrecht/metingen.xlsx?criterium=K2")
    assert response.headers["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert response.headers["Content-Disposition"].startswith('attachment; filename="loket-metingen-utrecht-k2-')
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Code", "Criterium", "Maand", "Waarde")
    assert rows[2][:4] == ("K2", "Snelle eerste reactie", datetime.combine(THIS_MONTH, datetime.min.time()), 0.925)
    assert rows[2][5:10] == ("ja", ">= 90 %", 37, 40, 40)
    targets = load_workbook(io.BytesIO(client.get("/overzicht/doelen.xlsx").get_data())).active
    assert list(targets.iter_rows(values_only=True))[1] == ("Gemeenten gedekt door een operationeel loket", 5, 342)


def test_demand_csv_matches_the_page(login_as, quality):
    stored_request(quality.club_utrecht, "overig", datetime.combine(THIS_MONTH, datetime.min.time()))
    rows = _csv(login_as("coordinator").get("/overzicht/vraag/provincie.csv"))
    assert rows[0][0] == "Provincie" and rows[0][-2] == THIS_MONTH.strftime("%Y-%m")
    assert rows[1:] == [["Gelderland", *["0"] * 13], ["Utrecht", *["0"] * 11, "1", "1"],
                        ["Totaal", *["0"] * 11, "1", "1"]]


# ---------------------------------------------------------------- query counts

@pytest.mark.parametrize("path", ["/overzicht/", "/overzicht/loketten.csv", "/overzicht/loketten.xlsx",
                                  "/overzicht/loketten/utrecht", "/overzicht/loketten/utrecht/metingen.csv",
                                  "/overzicht/vraag/provincie", "/overzicht/vraag/categorie"])


def test_overview_pages_use_a_constant_number_of_queries(app, lone, path):
    """One loket, then nine: the same number of queries (no query per loket, month or request)."""
    client = app.test_client()
    client.login(lone.coordinator)
    with count_queries(app) as few:
        assert client.get(path).status_code == 200
    grow_lone(lone, 8)
    with count_queries(app) as many:
        assert client.get(path).status_code == 200
    assert len(many) == len(few), "\n".join(many)
    if path == "/overzicht/":
        assert "9 loketten aangehaakt bij het coördinatiepunt, van de 9 loketten" in _text(client.get(path))  # it grew


# ---------------------------------------------------------------- charts

def test_small_multiples_share_one_scale(login_as, quality):
    this_month = datetime.combine(THIS_MONTH, datetime.min.time())
    for _ in range(3):
        stored_request(quality.club_utrecht, "sport-en-zorg", this_month)
    stored_request(quality.club_utrecht, "overig", this_month)
    html = login_as("coordinator").get("/overzicht/vraag/categorie").get_data(as_text=True)
    small = re.findall(r'<svg[^>]*aria-label="Aanvragen per maand: [^"]*".*?</svg>', html, re.S)
    assert len(small) == 12  # one per active category
    scales = {tuple(re.findall(r'text-anchor="end">([^<]*)</text>', svg)) for svg in small}
    assert scales == {("0", "1", "2", "3")}


def test_chart_values_read_the_dutch_way():
    from loket.blueprints.overzicht import charts

    assert charts.format_value(0.925, "percent") == "92,5 %"
    assert charts.format_value(1, "dagen") == "1 dag" and charts.format_value(12.5, "werkdagen") == "12,5 werkdagen"
    assert charts.format_value(None, "score") == "—" and charts.format_value(4.26, "score") == "4,3"
    assert charts.format_norm(">=", 0.9, "percent") == "≥ 90 %"
    assert charts.format_norm("<=", 15, "werkdagen") == "≤ 15 werkdagen"
    assert charts._axis(201) == (300, 100) and charts._axis(3, integer=True) == (3, 1)
    assert charts._axis(0) == (1.0, 0.25)


def test_a_failed_month_is_a_square_and_an_unmeasurable_one_an_open_circle(login_as, quality):
    measure_month(quality.loket_arnhem, LAST_MONTH, 0)  # arnhem: last month all fail, this month K1-K4 pass
    html = login_as("coordinator").get("/overzicht/loketten/arnhem").get_data(as_text=True)
    k5 = re.search(r'<svg[^>]*aria-label="K5 [^"]*".*?</svg>', html, re.S)[0]
    assert k5.count("<rect") == 2 and k5.count("<circle") == 0  # failed in both months
    k1 = re.search(r'<svg[^>]*aria-label="K1 [^"]*".*?</svg>', html, re.S)[0]
    assert k1.count("<rect") == 1 and k1.count('fill="#1f7a3a"') == 1
    assert "in 1 daarvan voldeed het loket" in k1
    k5 = next(c for c in current_set().criteria if c.code == "K5")
    MeasurementFactory(loket=quality.loket_bunnik, criterion=k5, period=THIS_MONTH, value=4.5, passed=None,
                       details={"count": 3})
    _db.session.commit()
    html = login_as("coordinator").get("/overzicht/loketten/bunnik").get_data(as_text=True)
    svg = re.search(r'<svg[^>]*aria-label="K5 [^"]*".*?</svg>', html, re.S)[0]
    assert svg.count('<circle') == 1 and 'fill="#fff" stroke="#58606b"' in svg and "(niet meetbaar)" in svg


def test_the_demand_page_explains_its_months_in_words(login_as, quality):
    text = _text(login_as("coordinator").get("/overzicht/vraag/categorie"))
    assert "UTC" not in text and "telt nog bij de maand ervoor" in text
