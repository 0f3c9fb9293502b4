"""The werkgebied pages in the browser, at 1280 and at 360 px (tests.support.browser.check_page): the club
register, adding a club, a club's basiseisen, the import upload and a preview, and the bond's view.

Only the preview stores something (a ClubImport row of loket eemland, no club), so no other page changes."""
import re

from tests.support.browser import check_page


def open_as(open_page, width, who, path):
    page = open_page(width, as_user=who)
    response = page.goto(path)
    assert response.status == 200, f"{path}: {response.status}"
    return page


def test_the_register(open_page, width):
    page = open_as(open_page, width, "ondersteuner", "/werkgebied/clubs")
    assert page.locator("tbody tr").count() > 0
    check_page(page, "werkgebied-clubs", width)


def test_the_register_filtered_to_nothing(open_page, width):
    check_page(open_as(open_page, width, "ondersteuner", "/werkgebied/clubs?zoek=bestaat-echt-niet"),
               "werkgebied-clubs-leeg", width)


def test_adding_a_club(open_page, width):
    check_page(open_as(open_page, width, "ondersteuner", "/werkgebied/clubs/nieuw"), "werkgebied-club-nieuw", width)


def test_a_clubs_basiseisen(open_page, width):
    page = open_as(open_page, width, "ondersteuner", "/werkgebied/clubs")
    href = page.locator("a[href$='/basiseisen']").first.get_attribute("href")
    assert re.fullmatch(r"/werkgebied/clubs/\d+/basiseisen", href)
    page.goto(href)
    check_page(page, "werkgebied-basiseisen", width)


def test_the_import_upload_and_a_preview(open_page, width, tmp_path):
    page = open_as(open_page, width, "eemland", "/werkgebied/import")
    check_page(page, "werkgebied-import", width)
    csv = tmp_path / "clubs.csv"
    csv.write_text(f"naam;soort;gemeentecode;sporten;kvk\nBrowserclub {width};vereniging;GM0307;voetbal;\n",
                   encoding="utf-8")
    page.get_by_label("CSV-bestand").set_input_files(str(csv))
    page.get_by_role("button", name="Bestand controleren").click()
    page.wait_for_load_state()
    assert re.search(r"/werkgebied/import/\d+$", page.url), page.url
    assert page.get_by_role("button", name="Importeren").is_visible()
    check_page(page, "werkgebied-import-controle", width)


def test_the_bonds_view(open_page, width):
    check_page(open_as(open_page, width, "bond", "/werkgebied/bond/clubs"), "werkgebied-bond-clubs", width)
