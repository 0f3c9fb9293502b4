"""Mijn gebied for a gemeente's sport officer and an adviseur lokale sport (demo logins gemeente and adviseur), at
both widths; the start page's section; beheer's forms that grant these roles; and an adviseur clicking from the
pipeline to one gemeente."""
import pytest

from tests.support.browser import check_page

PAGES = [
    ("gebied-adviseur", "adviseur", "/mijn-gebied/"),
    ("gebied-adviseur-gemeente", "adviseur", "/mijn-gebied/gemeente/GM0344"),
    ("gebied-adviseur-gemeente-zonder-loket", "adviseur", "/mijn-gebied/gemeente/GM0310"),
    ("gebied-adviseur-vraag", "adviseur", "/mijn-gebied/vraag"),
    ("gebied-gemeente", "gemeente", "/mijn-gebied/"),
    ("gebied-gemeente-utrecht", "gemeente", "/mijn-gebied/gemeente/GM0344"),
    ("gebied-gemeente-vraag", "gemeente", "/mijn-gebied/vraag"),
    ("gebied-start-adviseur", "adviseur", "/"),
    ("gebied-start-gemeente", "gemeente", "/"),
    ("gebied-beheer-gebruiker-nieuw", "beheer", "/beheer/gebruikers/nieuw"),
]


@pytest.mark.parametrize("name, who, path", PAGES, ids=[p[0] for p in PAGES])
def test_gebied_page_works_at_both_widths(open_page, width, name, who, path):
    page = open_page(width, as_user=who)
    response = page.goto(path)
    assert response.status == 200, f"{path}: {response.status}"
    check_page(page, name, width)


def test_an_adviseur_goes_from_the_pipeline_to_a_gemeente_and_not_beyond_the_region(open_page):
    page = open_page("desktop", as_user="adviseur")
    page.goto("/")
    page.get_by_role("link", name="Naar mijn gebied").click()
    page.wait_for_load_state()
    main = page.inner_text("main")
    assert "Realisatie in Regio Utrecht" in main
    for name in ("Utrecht", "Zeist", "De Bilt"):
        assert page.get_by_role("link", name=name, exact=True).count() == 1
    assert "Amersfoort" not in main
    page.get_by_role("link", name="Zeist", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Gemeente Zeist"
    assert "Geschiedenis van de fase" in page.inner_text("main")
    assert page.goto("/mijn-gebied/gemeente/GM0307").status == 404  # Amersfoort: another region
    assert page.goto("/wachtrij/").status == 403
