"""Sjablonen and mentions in the browser (issue #14 points 3 and 7), at 1280 and 360 px: the demo lead adds a
sjabloon on the team's page (a typo in a placeholder first, refused beside the field), inserts it into the reply box
of a new request without JavaScript, edits and sends it; an internal note names a colleague, who finds it on their
start page, and a note naming someone of another loket is refused. Axe and the phone width through check_page."""
import re
import uuid

from tests.support.browser import WIDTHS, check_page, file_request


def _open_in_queue(page, title: str) -> None:
    page.goto("/wachtrij/")
    page.get_by_role("link", name=title).click()
    page.wait_for_load_state()


def test_the_lead_adds_a_sjabloon_and_answers_a_club_with_it(open_page, width):
    tag = uuid.uuid4().hex[:6]
    lead = open_page(width, as_user="ondersteuner")
    lead.goto("/team/")
    lead.get_by_role("link", name="Sjablonen voor reacties aan clubs").click()
    lead.wait_for_load_state()
    assert lead.get_by_role("heading", name="Invulvelden").is_visible()
    lead.get_by_label("Titel").fill(f"Ontvangen {tag}")
    lead.get_by_label("Tekst").fill("Beste {klub}")
    lead.get_by_role("button", name="Sjabloon toevoegen").click()
    lead.wait_for_load_state()
    assert lead.get_by_text("Onbekend invulveld: {klub}.").first.is_visible()
    check_page(lead, "sjablonen-fout", width)
    lead.get_by_label("Tekst").fill("Beste {club},\n\nWe hebben je vraag {referentie} ontvangen.\n\n"
                                    "Groet, {ondersteuner}\n{loket_contact}")
    lead.get_by_role("button", name="Sjabloon toevoegen").click()
    lead.wait_for_load_state()
    assert lead.get_by_text(f"Het sjabloon ‘Ontvangen {tag}’ is toegevoegd.").is_visible()
    check_page(lead, "sjablonen", width)
    lead.get_by_role("link", name=f"Ontvangen {tag}").click()  # its own page: edit or delete
    lead.wait_for_load_state()
    assert lead.get_by_role("button", name="Sjabloon verwijderen").is_visible()
    check_page(lead, "sjabloon-bewerken", width)

    club = open_page(width, as_user="club")
    title = f"Vraag over de ALV {tag}"
    reference = file_request(club, category="Vrijwilligers & kader", title=title)
    _open_in_queue(lead, title)
    reply = lead.locator("#reply-body")
    reply.fill("Hallo!\n")  # typed first: with JavaScript the sjabloon goes in at the cursor, after it
    lead.get_by_label("Sjabloon").select_option(label=f"Ontvangen {tag}")
    lead.get_by_role("button", name="Invoegen").click()
    lead.wait_for_load_state()
    text = reply.input_value()
    assert text.startswith("Hallo!\nBeste ") and f"We hebben je vraag {reference} ontvangen." in text
    assert "Groet, Olga Ondersteuner\nSportloket Utrecht\nE-mail: " in text
    check_page(lead, "sjabloon-ingevoegd", width)
    reply.fill(text + "\nWe bellen je deze week.")
    lead.get_by_role("button", name=re.compile("^Versturen aan ")).click()
    lead.wait_for_load_state()
    assert lead.get_by_text("Reactie naar de club verstuurd.").is_visible()
    assert lead.get_by_text("We bellen je deze week.").is_visible()


def test_a_note_names_a_colleague_who_finds_it_on_the_start_page(open_page, width):
    tag = uuid.uuid4().hex[:6]
    club = open_page(width, as_user="club")
    title = f"Sleutelbeheer kantine {tag}"
    reference = file_request(club, category="Vrijwilligers & kader", title=title)
    writer = open_page(width, as_user="ondersteuner")
    _open_in_queue(writer, title)
    assert writer.get_by_text("Noem een collega met @").is_visible()
    writer.locator("#note-body").fill("@Esra Eemland, weet jij dit?")
    writer.get_by_role("button", name="Notitie opslaan").click()
    writer.wait_for_load_state()
    assert writer.get_by_text("Esra Eemland kan deze aanvraag niet lezen").first.is_visible()
    check_page(writer, "notitie-vermelding-fout", width)
    writer.locator("#note-body").fill(f"@Cas Collega, kun jij de club bellen? ({tag})")
    writer.get_by_role("button", name="Notitie opslaan").click()
    writer.wait_for_load_state()
    assert writer.get_by_text("Interne notitie opgeslagen.").is_visible()

    colleague = open_page(width, as_user="collega")
    colleague.goto("/")
    assert colleague.get_by_role("heading", name=re.compile(r"^Genoemd in een notitie \(\d+\)$")).is_visible()
    check_page(colleague, "start-genoemd", width)
    colleague.get_by_role("link", name=reference).click()
    colleague.wait_for_load_state()
    assert colleague.get_by_text(f"kun jij de club bellen? ({tag})").is_visible()
    colleague.goto("/")
    assert colleague.get_by_role("link", name=reference).count() == 0


def test_inserting_a_sjabloon_works_without_javascript(browser, live_server, open_page, width):
    """The GET form reloads the page with the text filled in by the server (the same sjabloon page, the same
    request page: no script needed)."""
    club = open_page(width, as_user="club")
    title = f"Zonder JavaScript {uuid.uuid4().hex[:6]}"
    reference = file_request(club, category="Vrijwilligers & kader", title=title)
    signed_in = open_page(width, as_user="ondersteuner")  # its session, in a browser without JavaScript
    context = browser.new_context(base_url=live_server, viewport={"width": WIDTHS[width], "height": 900},
                                  locale="nl-NL", java_script_enabled=False)
    try:
        context.add_cookies(signed_in.context.cookies())
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto("/team/loket/utrecht/sjablonen")
        page.get_by_label("Titel").fill(title)
        page.get_by_label("Tekst").fill("Over {referentie}: we komen erop terug.")
        page.get_by_role("button", name="Sjabloon toevoegen").click()
        page.wait_for_load_state()
        _open_in_queue(page, title)
        page.get_by_label("Sjabloon").select_option(label=title)
        page.get_by_role("button", name="Invoegen").click()
        page.wait_for_load_state()
        assert "sjabloon=" in page.url
        assert page.locator("#reply-body").input_value() == f"Over {reference}: we komen erop terug."
        # No check_page here: axe runs as JavaScript; the same page is checked with it in the first test.
    finally:
        context.close()
