"""The netwerk pages (loketten, a loket with its history, editing it, gemeenten and their stage) and the
overview's realisation page, at both widths; and beheer setting up a loket for two gemeenten from the browser."""
import re

import pytest

from tests.support.browser import check_page

PAGES = [
    ("netwerk-loketten", "beheer", "/netwerk/loketten"),
    ("netwerk-loketten-zoeken", "coordinatie", "/netwerk/loketten?q=amersfoort&status=operationeel"),
    ("netwerk-loket-nieuw", "beheer", "/netwerk/loketten/nieuw"),
    ("netwerk-loket", "coordinatie", "/netwerk/loketten/eemland"),
    ("netwerk-loket-bewerken", "beheer", "/netwerk/loketten/gooi/bewerken"),
    ("netwerk-gemeenten", "coordinatie", "/netwerk/gemeenten"),
    ("netwerk-gemeenten-verkennen", "beheer", "/netwerk/gemeenten?fase=verkennen"),
    ("overzicht-realisatie", "coordinatie", "/overzicht/realisatie"),
]


@pytest.mark.parametrize("name, who, path", PAGES, ids=[p[0] for p in PAGES])
def test_netwerk_page_works_at_both_widths(open_page, width, name, who, path):
    page = open_page(width, as_user=who)
    response = page.goto(path)
    assert response.status == 200, f"{path}: {response.status}"
    check_page(page, name, width)


def _figure(page, label: str) -> int:
    """A number on the overview's target cards: '<n> gemeenten gedekt'."""
    text = " ".join(page.locator(".card").all_inner_texts())
    return int(re.search(rf"(\d+)\s+{label}", text).group(1))


def test_beheer_sets_up_a_loket_for_two_gemeenten_and_the_overview_counts_it(open_page):
    """Woudenberg and Renswoude have no loket in the demo data, so no other page depends on them."""
    page = open_page("desktop", as_user="beheer")
    page.goto("/overzicht/")
    covered, hooked = _figure(page, "gemeenten gedekt"), _figure(page, "loketten aangehaakt")

    page.goto("/netwerk/loketten")
    page.get_by_role("link", name="Nieuw loket oprichten").click()
    page.get_by_label("Naam").fill("Sportloket Woudenberg-Renswoude")
    page.get_by_label("Korte code (slug)").fill("woudenberg-renswoude")
    page.get_by_label("Gemeenten die het loket bedient").fill("GM0351 Woudenberg\nGM0339 Renswoude")
    page.get_by_role("button", name="Loket oprichten").click()
    page.wait_for_load_state()
    assert page.url.endswith("/netwerk/loketten/woudenberg-renswoude")
    check_page(page, "journey-netwerk-loket-opgericht", "desktop")
    assert "Renswoude" in page.inner_text("main") and "Loket in oprichting" in page.inner_text("main")

    page.get_by_role("link", name="Loket wijzigen").click()
    page.get_by_label("Status", exact=True).select_option("operationeel")
    page.get_by_label("Aangehaakt bij het landelijk coördinatiepunt").check()
    page.get_by_label("Reden (optioneel; verplicht bij terugzetten naar ‘in oprichting’)").fill("Team compleet")
    page.get_by_role("button", name="Wijzigingen opslaan").click()
    page.wait_for_load_state()
    check_page(page, "journey-netwerk-loket-operationeel", "desktop")
    history = page.locator("table", has_text="Wijzigingen van Sportloket Woudenberg-Renswoude").inner_text()
    assert "Operationeel" in history and "Team compleet" in history

    page.goto("/overzicht/")
    assert _figure(page, "gemeenten gedekt") == covered + 2
    assert _figure(page, "loketten aangehaakt") == hooked + 1
