"""The region set pages (beheer's list, a set's detail, the preview of an upload with a bad row) and the
overview grouped by the demo region set, at both widths; and beheer importing a set from the browser, finding
it in the overview's "Indeling" choice, and deleting it again."""
import pytest

from tests.support.browser import check_page

DEMO_SET = "sportregios-demo"
PAGES = [
    ("beheer-regio-indelingen", "beheer", "/beheer/regio-indelingen"),
    ("beheer-regio-indeling", "beheer", f"/beheer/regio-indelingen/{DEMO_SET}"),
    ("overzicht-per-regio", "coordinatie", f"/overzicht/?indeling={DEMO_SET}"),
    ("overzicht-per-regio-gefilterd", "coordinatie", f"/overzicht/?indeling={DEMO_SET}&regio=Regio+Utrecht"),
    ("overzicht-realisatie-per-regio", "coordinatie", f"/overzicht/realisatie?indeling={DEMO_SET}"),
    ("overzicht-vraag-per-regio", "beheer", f"/overzicht/vraag/provincie?indeling={DEMO_SET}"),
]
CSV_WITH_AN_ERROR = "regio;gemeentecode\nNoord;GM0344\nZuid;GM0344\nOost;GM9999\n"


@pytest.mark.parametrize("name, who, path", PAGES, ids=[p[0] for p in PAGES])
def test_region_page_works_at_both_widths(open_page, width, name, who, path):
    page = open_page(width, as_user=who)
    response = page.goto(path)
    assert response.status == 200, f"{path}: {response.status}"
    check_page(page, name, width)


def test_the_preview_marks_bad_rows_at_both_widths(open_page, width, tmp_path):
    upload = tmp_path / "regios.csv"
    upload.write_text(CSV_WITH_AN_ERROR, encoding="utf-8")
    page = open_page(width, as_user="beheer")
    page.goto("/beheer/regio-indelingen")
    page.get_by_label("Naam van de indeling").fill("Foute indeling")
    page.get_by_label("CSV-bestand").set_input_files(str(upload))
    page.get_by_role("button", name="Bestand controleren").click()
    page.wait_for_load_state()
    assert "2 regels met een fout" in page.inner_text("main")
    assert page.get_by_role("button", name="Indeling opslaan").count() == 0
    check_page(page, "beheer-regio-controle-fouten", width)


def test_beheer_imports_a_set_the_overview_groups_by_it_and_beheer_deletes_it(open_page, tmp_path):
    upload = tmp_path / "ggd.csv"
    upload.write_text("regio;gemeentecode\nGGD Midden;GM0344\nGGD Midden;GM0355\nGGD Oost;GM0307\n",
                      encoding="utf-8-sig")
    page = open_page("desktop", as_user="beheer")
    page.goto("/beheer/")
    page.get_by_role("link", name="Regio-indelingen").first.click()
    page.get_by_label("Naam van de indeling").fill("GGD-regio's (browsertest)")
    page.get_by_label("CSV-bestand").set_input_files(str(upload))
    page.get_by_role("button", name="Bestand controleren").click()
    page.wait_for_load_state()
    check_page(page, "beheer-regio-controle", "desktop")
    assert "GGD Midden: 2 gemeenten" in page.inner_text("main")
    page.get_by_role("button", name="Indeling opslaan").click()
    page.wait_for_load_state()
    assert page.url.endswith("/beheer/regio-indelingen/ggd-regio-s-browsertest")
    assert "is opgeslagen" in page.inner_text("body")

    page.goto("/overzicht/realisatie")
    page.get_by_label("Indeling", exact=True).select_option(label="GGD-regio's (browsertest)")
    page.get_by_role("button", name="Tonen").click()
    page.wait_for_load_state()
    table = page.locator("table", has_text="Gemeenten per fase en regio").inner_text()
    assert "GGD Midden" in table and "GGD Oost" in table and "Niet ingedeeld" in table

    page.goto("/beheer/regio-indelingen/ggd-regio-s-browsertest")
    page.get_by_role("button", name="Indeling ‘GGD-regio's (browsertest)’ verwijderen").click()
    page.wait_for_load_state()
    assert page.url.endswith("/beheer/regio-indelingen") and "is verwijderd" in page.inner_text("body")
