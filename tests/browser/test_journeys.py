"""The journeys of DESIGN §1, clicked through the real pages in Chromium as the people would, each page
checked like every page (one h1, lang, axe WCAG 2.1 AA)."""
import re
import uuid

from tests.support.browser import check_page, file_request

GENERIC = "Vrijwilligers & kader"
SPORT_SPECIFIC = "Sporttechnisch & competitie (sportspecifiek)"
BOND = "Voetbal"  # the KNVB, connected in the demo data


def open_in_queue(page, title: str, *, tab: str | None = None) -> None:
    page.goto("/")
    page.get_by_role("link", name="Naar de wachtrij").click()
    if tab:
        page.get_by_role("link", name=re.compile(f"^{re.escape(tab)}")).click()
    page.get_by_role("link", name=title).click()
    page.wait_for_load_state()


def post_message(page, text: str, *, internal: bool) -> None:
    """A note goes through its own form ("Interne notitie"), a reply through "Reactie aan de club"."""
    if internal:
        page.get_by_role("textbox", name="Interne notitie").fill(text)
        page.get_by_role("button", name="Notitie opslaan").click()
    else:
        page.get_by_role("textbox", name="Reactie aan de club").fill(text)
        page.get_by_role("button", name=re.compile("^Versturen aan ")).click()
    page.wait_for_load_state()


def change_status(page, label: str) -> None:
    page.get_by_label("Nieuwe status").select_option(label=label)
    page.get_by_role("button", name="Status wijzigen").click()
    page.wait_for_load_state()


def choose(select, containing: str) -> None:
    """Pick the option whose text contains `containing` (bonden show their full names)."""
    options = select.locator("option").all_inner_texts()
    matching = [text for text in options if containing.casefold() in text.casefold()]
    assert matching, f"no option with {containing!r} in {options}"
    select.select_option(label=matching[0])


def unique(title: str) -> str:
    return f"{title} {uuid.uuid4().hex[:6]}"


def test_a_club_files_generic_and_sport_specific_requests_and_rates_the_help(open_page):
    club, loket = open_page(as_user="club"), open_page(as_user="ondersteuner")
    title = unique("Meer vrijwilligers voor de kantine")
    reference = file_request(club, category=GENERIC, title=title)
    assert reference.startswith("LK-")
    sport_title = unique("Nieuwe competitie-indeling")
    file_request(club, category=SPORT_SPECIFIC, title=sport_title, sport="voetbal")

    # The loket works the generic request: claim, an internal note, a public reply, a team invited.
    open_in_queue(loket, title)
    check_page(loket, "journey-wachtrij-aanvraag", "desktop")
    loket.get_by_role("button", name="Oppakken").click()
    post_message(loket, "Intern: eerst het vrijwilligersbeleid van de club opvragen.", internal=True)
    post_message(loket, "Wij helpen graag. Hoeveel vrijwilligers zoeken jullie?", internal=False)
    choose(loket.get_by_role("combobox", name="Team inschakelen"), BOND)
    loket.get_by_label("Waarvoor?").fill("Kennis van kantinebeleid bij voetbalclubs.")
    loket.get_by_role("button", name="Inschakelen").click()
    loket.wait_for_load_state()
    assert loket.get_by_text(BOND, exact=False).first.is_visible()

    # The club reads the reply (never the note) and answers.
    club.goto("/club/aanvragen")
    club.get_by_role("link", name=title).click()
    check_page(club, "journey-club-aanvraag", "desktop")
    assert club.get_by_text("Hoeveel vrijwilligers zoeken jullie?").is_visible()
    assert club.get_by_text("vrijwilligersbeleid van de club opvragen").count() == 0
    club.get_by_label("Je reactie").fill("Vier, voor de zaterdagochtend.")
    club.get_by_role("button", name="Reactie versturen").click()
    club.wait_for_load_state()

    # The loket resolves; the club gives its satisfaction.
    loket.reload()
    assert loket.get_by_text("Vier, voor de zaterdagochtend.").is_visible()
    change_status(loket, "Opgelost")
    club.reload()
    club.get_by_label("5 – ", exact=False).check()
    club.get_by_role("button", name="Oordeel versturen").click()
    club.wait_for_load_state()
    check_page(club, "journey-club-oordeel", "desktop")

    # The sport-specific request went straight to the bond's queue.
    bond = open_page(as_user="bond")
    open_in_queue(bond, sport_title)
    check_page(bond, "journey-bond-aanvraag", "desktop")


def test_a_loket_refers_two_requests_and_the_bond_accepts_one_and_declines_the_other(open_page):
    club, loket, bond = open_page(as_user="club"), open_page(as_user="ondersteuner"), open_page(as_user="bond")
    accepted, declined = unique("Scheidsrechters opleiden"), unique("Trainers voor de G-teams")
    for title in (accepted, declined):
        file_request(club, category=GENERIC, title=title)
        open_in_queue(loket, title)
        choose(loket.get_by_label("Doorverwijzen naar"), BOND)
        loket.get_by_label("Waarom dit team?").fill("Sporttechnische kennis van de bond nodig.")
        loket.get_by_role("button", name="Doorverwijzing voorstellen").click()
        loket.wait_for_load_state()

    open_in_queue(bond, accepted, tab="Doorverwezen aan ons")
    bond.get_by_role("button", name="Accepteren en overnemen").click()
    bond.wait_for_load_state()
    check_page(bond, "journey-bond-geaccepteerd", "desktop")
    assert bond.get_by_role("button", name="Oppakken").is_visible()  # the bond owns it now

    open_in_queue(bond, declined, tab="Doorverwezen aan ons")
    bond.get_by_label("Reden van afwijzen").fill("Dit is een vraag voor het loket: vrijwilligersbeleid.")
    response = None
    with bond.expect_navigation() as navigation:
        bond.get_by_role("button", name="Afwijzen").click()
    response = navigation.value
    assert response is not None and response.status == 200, "declining must not end on an error page"
    check_page(bond, "journey-bond-afgewezen", "desktop")


def test_the_coordinatiepunt_recomputes_audits_a_loket_and_downloads_an_export(open_page):
    page = open_page(as_user="coordinatie")
    page.goto("/")
    page.get_by_role("link", name="Landelijk overzicht").first.click()
    page.get_by_role("button", name="Metingen nu herberekenen").click()
    page.wait_for_load_state()
    check_page(page, "journey-overzicht-herberekend", "desktop")
    assert page.get_by_text("Herberekening aangevraagd").is_visible()

    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("^CSV")).first.click()
    assert download.value.suggested_filename.endswith(".csv")

    page.goto("/kwaliteit/audits")
    page.get_by_role("button", name=re.compile("^Nieuwe audit")).first.click()
    page.wait_for_load_state()
    check_page(page, "journey-audit", "desktop")
    for code in ("K8", "K9"):  # the assessment criteria; the metric ones keep their measurement
        page.locator("fieldset", has_text=f"{code}: beoordeling").get_by_label("Voldoet", exact=True).check()
        page.get_by_label(f"{code}: onderbouwing").fill("Afspraken liggen vast in het jaarplan.")
    page.get_by_label("Positief").check()
    page.get_by_role("button", name="Opslaan en definitief maken").click()
    page.wait_for_load_state()
    check_page(page, "journey-audit-definitief", "desktop")
    assert page.get_by_text("is definitief gemaakt").is_visible()
    assert page.get_by_role("button", name="Opslaan en definitief maken").count() == 0


def test_beheer_retries_a_failed_mail(open_page):
    page = open_page(as_user="beheer")
    # Other browser tests send many mails; the failed ones are a filter away, whatever came before.
    page.goto("/beheer/uitgaand?status=failed")
    check_page(page, "journey-uitgaand", "desktop")
    page.get_by_role("button", name=re.compile("^Opnieuw versturen")).first.click()
    page.wait_for_load_state()
    check_page(page, "journey-uitgaand-opnieuw", "desktop")
    assert page.get_by_text("is opnieuw aangeboden", exact=False).is_visible()
