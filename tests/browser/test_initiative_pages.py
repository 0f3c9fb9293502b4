"""Landelijke initiatieven in the browser, at 1280 and 360 px: beheer's list, an initiative's page and the form to add
one; the initiative's team page and its member's queue; and the journey of issue #12 point 3: the demo loket
supporter `ondersteuner` files a request for a club that phoned, refers it to SPN procesbegeleiders, and the
initiative's member `initiatief` accepts it, after which it is in the initiative's own queue.

The live server's data is shared by every browser test: the journey files its own request (a unique title) for a
club no other browser test files for, and changes nothing else."""
import re
import uuid

import pytest

from tests.support.browser import check_page

SPN = "SPN procesbegeleiders"
CLUB = "Padelcentrum Leidsche Rijn B.V."  # a Utrecht club no other browser test files for

PAGES = [
    ("beheer-initiatieven", "beheer", "/beheer/initiatieven"),
    ("beheer-initiatief", "beheer", "/beheer/initiatieven/spn-procesbegeleiders"),
    ("beheer-initiatief-nieuw", "beheer", "/beheer/initiatieven/nieuw"),
    ("team-initiatief", "initiatief", "/team/initiatief/spn-procesbegeleiders"),
    ("wachtrij-initiatief", "initiatief", "/wachtrij/"),
    ("wachtrij-initiatief-inkomend", "initiatief", "/wachtrij/?weergave=inkomend"),
    ("aanbod-initiatief", "initiatief", "/aanbod/team"),
]


@pytest.mark.parametrize("name, who, path", PAGES, ids=[p[0] for p in PAGES])
def test_initiative_page_works_at_both_widths(open_page, width, name, who, path):
    page = open_page(width, as_user=who)
    response = page.goto(path)
    assert response.status == 200, f"{path}: {response.status}"
    check_page(page, name, width)


def test_a_bad_new_initiative_shows_its_errors(open_page, width):
    page = open_page(width, as_user="beheer")
    page.goto("/beheer/initiatieven/nieuw")
    page.get_by_label("Sleutel").fill("spn-procesbegeleiders")
    page.get_by_role("button", name="Landelijk initiatief toevoegen").click()
    page.wait_for_load_state()
    assert page.get_by_text("Er bestaat al een landelijk initiatief met de sleutel").first.is_visible()
    assert page.get_by_text("Vul de naam van het landelijk initiatief in.").first.is_visible()
    check_page(page, "beheer-initiatief-nieuw-fouten", width)


def _select_starting_with(select, text: str) -> None:
    options = [o for o in select.locator("option").all_inner_texts() if o.startswith(text)]
    assert options, f"no option starting with {text!r}"
    select.select_option(label=options[0])


def test_a_loket_refers_a_request_to_spn_which_accepts_it(open_page):
    title = f"Begeleiding bij een fusie {uuid.uuid4().hex[:6]}"
    loket = open_page(as_user="ondersteuner")
    loket.goto("/wachtrij/nieuw")
    loket.get_by_label("Zoek een club op naam").fill("Padelcentrum")
    loket.get_by_role("button", name="Zoeken").click()
    loket.wait_for_load_state()
    _select_starting_with(loket.get_by_label("Club", exact=True), CLUB)
    loket.get_by_role("button", name="Verder met deze club").click()
    loket.wait_for_load_state()
    loket.get_by_role("radio", name="Telefoon").check()
    _select_starting_with(loket.get_by_label("Contactpersoon van de club"), "Ravi Ramdin")
    loket.get_by_label("Waar gaat de vraag over?").select_option(label="Vrijwilligers & kader")
    loket.get_by_label("Korte titel").fill(title)
    loket.get_by_label("De vraag van de club").fill("Ravi belde: twee padelclubs willen samengaan en zoeken hulp.")
    loket.get_by_role("button", name="Aanvraag indienen").click()
    loket.wait_for_load_state()
    assert re.search(r"/wachtrij/\d+$", loket.url), loket.url
    request_path = loket.url.split("127.0.0.1", 1)[1].split("/", 1)[1]

    # The choice list groups the teams: the initiative is under 'Landelijke initiatieven'.
    choice = loket.get_by_label("Doorverwijzen naar")
    assert choice.locator("optgroup[label='Landelijke initiatieven'] option", has_text=SPN).count() == 1
    choice.select_option(label=SPN)
    loket.get_by_label("Waarom dit team?").fill("Een fusie: daar begeleidt SPN bij.")
    loket.get_by_role("button", name="Doorverwijzing voorstellen").click()
    loket.wait_for_load_state()
    assert loket.get_by_text("Doorverwijzing voorgesteld.").is_visible()
    assert loket.get_by_role("heading", name=f"Doorverwijzing: Sportloket Utrecht → {SPN}").is_visible()
    check_page(loket, "journey-initiatief-doorverwezen", "desktop")

    member = open_page(as_user="initiatief")
    member.goto("/wachtrij/?weergave=inkomend")
    member.get_by_role("link", name=re.compile(re.escape(title))).click()
    member.wait_for_load_state()
    assert member.get_by_text("Een fusie: daar begeleidt SPN bij.").first.is_visible()
    assert member.get_by_text("Besluit uiterlijk").is_visible()
    check_page(member, "journey-initiatief-besluiten", "desktop")
    member.get_by_role("button", name="Accepteren en overnemen").click()
    member.wait_for_load_state()
    assert member.get_by_text("Doorverwijzing geaccepteerd: de aanvraag staat nu in jullie wachtrij.").is_visible()
    member.goto("/wachtrij/")
    assert member.get_by_role("link", name=re.compile(re.escape(title))).is_visible()
    check_page(member, "journey-initiatief-wachtrij", "desktop")

    response = loket.goto("/" + request_path)  # handed over: the loket no longer sees it
    assert response.status == 404
