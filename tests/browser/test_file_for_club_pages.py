"""'Aanvraag voor een club' and the contact-moment form, at 1280 and 360 px, and the journey of the issue: the
demo collega files a request for a club that phoned, logs the call, and the club's contact finds it."""
import re
import uuid

from tests.support.browser import check_page

CLUB = "MHC Vechtzoom"  # a Utrecht club no other browser test files for


def _select_starting_with(select, text: str) -> None:
    options = [o for o in select.locator("option").all_inner_texts() if o.startswith(text)]
    assert options, f"no option starting with {text!r}"
    select.select_option(label=options[0])


def _choose_club(page, name: str = CLUB) -> None:
    page.goto("/wachtrij/")
    page.get_by_role("link", name="Aanvraag voor een club").click()
    page.wait_for_load_state()
    page.get_by_label("Zoek een club op naam").fill(name.split()[-1])
    page.get_by_role("button", name="Zoeken").click()
    page.wait_for_load_state()
    _select_starting_with(page.get_by_label("Club", exact=True), name)
    page.get_by_role("button", name="Verder met deze club").click()
    page.wait_for_load_state()


def test_choosing_a_club(open_page, width):
    page = open_page(width, as_user="collega")
    response = page.goto("/wachtrij/nieuw")
    assert response.status == 200
    assert page.get_by_label("Club", exact=True).is_visible()
    check_page(page, "wachtrij-nieuw", width)


def test_the_form_for_a_club(open_page, width):
    page = open_page(width, as_user="collega")
    _choose_club(page)
    assert page.get_by_role("heading", level=1).inner_text() == f"Aanvraag voor {CLUB}"
    check_page(page, "wachtrij-nieuw-club", width)


def test_the_form_shows_its_errors(open_page, width):
    page = open_page(width, as_user="collega")
    _choose_club(page)
    page.get_by_role("button", name="Aanvraag indienen").click()
    page.wait_for_load_state()
    assert page.get_by_text("Kies hoe de vraag binnenkwam").first.is_visible()
    check_page(page, "wachtrij-nieuw-club-fouten", width)


def test_the_request_page_with_the_contact_moment_form(open_page, width):
    page = open_page(width, as_user="collega")
    page.goto("/wachtrij/")
    page.locator("table.queue a[href^='/wachtrij/']").first.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Contactmoment vastleggen").is_visible()
    check_page(page, "wachtrij-aanvraag-contactmoment", width)


def test_the_collega_files_a_request_for_a_club_that_phoned(open_page):
    title = f"Nieuwe keeper-trainer gezocht {uuid.uuid4().hex[:6]}"
    page = open_page(as_user="collega")
    _choose_club(page)
    page.get_by_role("radio", name="Telefoon").check()
    _select_starting_with(page.get_by_label("Contactpersoon van de club"), "Lotte Brink")
    page.get_by_label("Waar gaat de vraag over?").select_option(label="Vrijwilligers & kader")
    page.get_by_label("Korte titel").fill(title)
    page.get_by_label("De vraag van de club").fill("Lotte belde: de hockeyclub zoekt een keeperstrainer voor de jeugd.")
    page.get_by_role("button", name="Aanvraag indienen").click()
    page.wait_for_load_state()
    assert re.search(r"/wachtrij/\d+$", page.url), page.url
    assert page.get_by_text("Ingediend namens de club door Cas Collega (telefoon)").is_visible()
    assert page.get_by_text("Aanvraag namens de club ingediend door Cas Collega (telefoon)").is_visible()
    check_page(page, "journey-namens-club-ingediend", "desktop")

    # A second call the next morning is logged on the timeline; it is the first response to the club.
    page.get_by_label("Soort contact").select_option(label="Telefoon")
    page.get_by_label("Wat is er besproken?").fill("Teruggebeld: twee kandidaten doorgegeven.")
    page.get_by_role("button", name="Contactmoment vastleggen").click()
    page.wait_for_load_state()
    assert page.get_by_text("Contactmoment vastgelegd.").is_visible()
    assert page.get_by_text("Teruggebeld: twee kandidaten doorgegeven.").is_visible()
    assert page.get_by_text("In behandeling").first.is_visible()
    check_page(page, "journey-contactmoment", "desktop")

    # The queue shows how it came in.
    page.goto("/wachtrij/")
    row = page.locator("tbody tr").filter(has_text=title)
    assert row.get_by_text("telefoon", exact=True).is_visible()
