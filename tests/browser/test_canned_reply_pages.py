"""Sjablonen and mentions in the browser (issue #14 points 3 and 7), at 1280 and 360 px: the demo lead adds a
sjabloon on the team's page (a typo in a placeholder first, refused beside the field), inserts it into the reply box
of a new request without JavaScript, edits and sends it; an internal note names a colleague, who finds it on their
start page, and a note naming someone of another loket is refused. Axe and the phone width through check_page."""
import re
import uuid

from tests.support.browser import check_page, file_request


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

    club = open_page(width, as_user="club")
    title = f"Vraag over de ALV {tag}"
    reference = file_request(club, category="Vrijwilligers & kader", title=title)
    _open_in_queue(lead, title)
    lead.get_by_label("Sjabloon").select_option(label=f"Ontvangen {tag}")
    lead.get_by_role("button", name="Invoegen").click()
    lead.wait_for_load_state()
    reply = lead.locator("#reply-body")
    text = reply.input_value()
    assert text.startswith("Beste ") and f"We hebben je vraag {reference} ontvangen." in text
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
