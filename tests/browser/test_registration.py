"""A newcomer registers a club in the browser, confirms the address through the mailed link (read as beheer reads
an unsent mail, from the outbox row of the live server), the clubondersteuner of that loket approves it from the
Aanmeldingen tab (a planted duplicate flagged), and the newcomer files a request. Every new page is checked at
1280 and 360 px.

The live server's data is shared by every browser test: each width registers its own club and address, and no
other test decides on aanmeldingen."""
import re

from tests.support.browser import check_page, mailed_path

PASSWORD = "een club vol vrijwilligers"
# Desktop registers a club the demo already has (VV Domstad '28 in Utrecht): the loket sees the warning.
NEWCOMER = {
    "desktop": ("V.V. Domstad 28", "nieuwkomer.desktop@voorbeeld.example", True),
    "phone": ("Jeu de Boules Lunetten", "nieuwkomer.telefoon@voorbeeld.example", False),
}


def _log_in_as(page, email: str) -> None:
    page.goto("/inloggen")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()
    assert "/inloggen" not in page.url, f"login as {email} failed"


def _fill_registration(page, club: str, email: str) -> None:
    page.get_by_label("Naam van de club").fill(club)
    page.get_by_label("Soort sportaanbieder").select_option(label="Vereniging")
    page.get_by_label("Gemeente", exact=True).select_option(label="Utrecht")
    page.get_by_label("Sporten zoeken").fill("voetb")  # the filter shortens the long list
    page.get_by_label("voetbal", exact=True).check()
    page.get_by_label("Je naam").fill("Nina Nieuwkomer")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Kies een wachtwoord").fill(PASSWORD)


def test_a_newcomer_registers_a_club_the_loket_approves_it_and_they_file_a_request(open_page, width):
    club, email, duplicate = NEWCOMER[width]
    page = open_page(width)
    page.goto("/aanmelden")
    check_page(page, "aanmelden", width)
    _fill_registration(page, club, email)
    if width == "desktop":  # a mistake first: said beside the field, nothing stored
        page.get_by_label("KvK-nummer (optioneel)").fill("1234")
        page.get_by_role("button", name="Aanmelden").click()
        page.wait_for_load_state()
        assert page.get_by_text("Een KvK-nummer bestaat uit precies 8 cijfers").first.is_visible()
        check_page(page, "aanmelden-fout", width)
        page.get_by_label("KvK-nummer (optioneel)").fill("")
        page.get_by_label("Kies een wachtwoord").fill(PASSWORD)  # a password is never sent back
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Kijk in je mail").is_visible()
    check_page(page, "aanmelden-kijk-in-je-mail", width)

    page.goto(mailed_path(open_page, "registration_confirm", email))
    check_page(page, "aanmelden-bevestigen", width)
    page.get_by_role("button", name="Bevestig mijn e-mailadres").click()
    page.wait_for_load_state()
    assert page.get_by_text("Sportloket Utrecht").first.is_visible()
    check_page(page, "aanmelden-bevestigd", width)

    _log_in_as(page, email)
    page.goto("/club/aanvragen")
    assert page.get_by_text("Je aanmelding wacht op het loket").is_visible()
    check_page(page, "club-aanmelding-wacht", width)

    loket = open_page(width, as_user="ondersteuner")
    loket.goto("/wachtrij/")
    loket.get_by_role("link", name=re.compile("^Aanmeldingen")).click()
    loket.wait_for_load_state()
    check_page(loket, "wachtrij-aanmeldingen", width)
    item = loket.locator(".registration").filter(has=loket.get_by_role("heading", name=club, exact=True))
    assert item.get_by_text("Nina Nieuwkomer").is_visible()
    warning = item.get_by_text("Mogelijk bestaat deze club al")
    if duplicate:
        assert warning.is_visible()
        assert item.get_by_role("link", name="VV Domstad '28").is_visible()
    else:
        assert warning.count() == 0
    item.get_by_role("button", name=re.compile("^Goedkeuren")).click()
    loket.wait_for_load_state()
    assert loket.get_by_text("de aanmelding is goedgekeurd").is_visible()

    page.goto("/")
    page.get_by_role("link", name="Nieuwe aanvraag").first.click()
    page.get_by_label("Waar gaat je vraag over?").select_option(label="Vrijwilligers & kader")
    page.get_by_label("Korte titel").fill("Eerste vraag van een nieuwe club")
    page.get_by_label("Beschrijf je vraag").fill("We zoeken hulp bij het werven van vrijwilligers.")
    page.get_by_role("button", name="Aanvraag indienen").click()
    page.wait_for_load_state()
    assert page.locator("text=/LK-\\d{4}-\\d{6}/").first.is_visible()


def test_the_other_registration_pages_work_for_everyone(open_page, width):
    page = open_page(width)
    page.goto("/aanmelden/bij-een-club")
    check_page(page, "aanmelden-bij-een-club", width)
    page.get_by_label("Gemeente van de club").select_option(label="Utrecht")
    page.get_by_role("button", name="Toon de clubs").click()
    page.wait_for_load_state()
    assert page.get_by_label("Club", exact=True).locator("option", has_text="MHC Vechtzoom").count() == 1
    check_page(page, "aanmelden-bij-een-club-kiezen", width)

    response = page.goto("/aanmelden/bevestigen/bestaat-niet")
    assert response.status == 400 and page.get_by_text("Deze link klopt niet").is_visible()
    check_page(page, "aanmelden-link-werkt-niet", width)

    coordinator = open_page(width, as_user="coordinatie")
    coordinator.goto("/coordinatie/aanmeldingen")
    check_page(coordinator, "coordinatie-aanmeldingen", width)

