"""Doorzetten in the browser, at 1280 and 360 px: the coördinatiepunt opens the hand-over page of a demo fallback
request (and sees the Dutch error of an empty reason, nothing stored), hands an aanmelding of its own making to
Sportloket Utrecht, and the loket's clubondersteuner gives it back.

The live server is shared: the fallback request is only looked at (no hand-over is stored), and each width
registers its own club in Zeist, which ends back at the coördinatiepunt."""
import re

from tests.support.browser import check_page, mailed_path

PASSWORD = "een club vol vrijwilligers"
NEWCOMER = {"desktop": ("Zeister Doorzetclub", "doorzet.desktop@voorbeeld.example"),
            "phone": ("Kersbergse Doorzetters", "doorzet.telefoon@voorbeeld.example")}


def test_the_hand_over_page_of_a_fallback_request(open_page, width):
    page = open_page(width, as_user="coordinatie")
    page.goto("/coordinatie/opvang")
    check_page(page, "opvang-met-doorzetten", width)
    link = page.get_by_role("link", name=re.compile("^Doorzetten")).first
    link.click()
    page.wait_for_load_state()
    assert re.search(r"/coordinatie/opvang/\d+/doorzetten$", page.url)
    assert page.get_by_label("Naar welk loket?").is_visible()
    check_page(page, "opvang-doorzetten", width)

    page.get_by_role("button", name="Doorzetten").click()  # no reason: refused beside the field
    page.wait_for_load_state()
    assert page.get_by_text("Leg kort uit waarom dit loket de aanvraag kan overnemen.").first.is_visible()
    check_page(page, "opvang-doorzetten-fout", width)


def test_an_aanmelding_is_handed_to_a_loket_and_given_back(open_page, width):
    club, email = NEWCOMER[width]
    newcomer = open_page(width)
    newcomer.goto("/aanmelden")
    newcomer.get_by_label("Naam van de club").fill(club)
    newcomer.get_by_label("Soort sportaanbieder").select_option(label="Vereniging")
    newcomer.get_by_label("Gemeente", exact=True).select_option(label="Zeist")
    newcomer.get_by_label("Sporten zoeken").fill("voetb")
    newcomer.get_by_label("voetbal", exact=True).check()
    newcomer.get_by_label("Je naam").fill("Dirk Doorzetter")
    newcomer.get_by_label("E-mailadres").fill(email)
    newcomer.get_by_label("Kies een wachtwoord").fill(PASSWORD)
    newcomer.get_by_role("button", name="Aanmelden").click()
    newcomer.wait_for_load_state()
    newcomer.goto(mailed_path(open_page, "registration_confirm", email))
    newcomer.get_by_role("button", name="Bevestig mijn e-mailadres").click()
    newcomer.wait_for_load_state()

    coordinatie = open_page(width, as_user="coordinatie")
    coordinatie.goto("/coordinatie/aanmeldingen")
    item = coordinatie.locator(".registration").filter(has=coordinatie.get_by_role("heading", name=club, exact=True))
    item.get_by_role("link", name=re.compile("^Doorzetten naar een loket")).click()
    coordinatie.wait_for_load_state()
    assert coordinatie.get_by_role("heading", name=f"Aanmelding doorzetten: {club}").is_visible()
    assert coordinatie.get_by_text("Dirk Doorzetter").count() == 0
    check_page(coordinatie, "aanmelding-doorzetten", width)
    coordinatie.get_by_label("Naar welk loket?").select_option(label="Sportloket Utrecht")
    coordinatie.get_by_label("Waarom dit loket?").fill("Zeist grenst aan Utrecht.")
    coordinatie.get_by_role("button", name="Doorzetten").click()
    coordinatie.wait_for_load_state()
    assert coordinatie.get_by_text(f"‘{club}’ is doorgezet naar Sportloket Utrecht").is_visible()
    check_page(coordinatie, "aanmeldingen-zonder-loket-doorgezet", width)

    loket = open_page(width, as_user="ondersteuner")
    loket.goto("/wachtrij/aanmeldingen")
    item = loket.locator(".registration").filter(has=loket.get_by_role("heading", name=club, exact=True))
    assert item.get_by_text("Dirk Doorzetter").is_visible()  # the loket decides as its own: it sees who
    item.get_by_role("link", name=re.compile("^Teruggeven aan het coördinatiepunt")).click()
    loket.wait_for_load_state()
    check_page(loket, "aanmelding-teruggeven", width)
    loket.get_by_label("Waarom geven jullie hem terug?").fill("Te ver buiten ons werkgebied.")
    loket.get_by_role("button", name="Teruggeven", exact=True).click()
    loket.wait_for_load_state()
    assert loket.get_by_text(f"‘{club}’: de aanmelding is teruggegeven aan het coördinatiepunt.").is_visible()

    coordinatie.goto("/coordinatie/aanmeldingen")
    item = coordinatie.locator(".registration").filter(has=coordinatie.get_by_role("heading", name=club, exact=True))
    assert item.get_by_role("link", name=re.compile("^Doorzetten naar een loket")).is_visible()
