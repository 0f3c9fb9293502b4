"""Issue #14's "Done when", end to end, as one supporter's working session at 1280 and 360 px: a club files eleven
requests and replies on one of them; the supporter (Olga, the team lead of loket Utrecht) finds that request by a
word from the club's reply, attaches a PDF that the club can open, a colleague (Cas) adds an internal note with a
file that the club cannot see, Olga answers with a sjabloon she adds on the team's page, saves a view of the queue
filtered by the day's word, assigns ten requests to Cas in one action and merges the club's duplicate into the
request, whose timeline then holds both. Every data item carries a word of its own (the browser tests share one
database). Axe and the phone width through check_page on each main page."""
import re
import uuid

from tests.support import attachments as samples
from tests.support.browser import assign_in_bulk, check_page, file_request


def _file(club, title: str) -> str:
    """The club files a request (the form and its confirmation are checked once, in the test); its reference."""
    return file_request(club, category="Vrijwilligers & kader", title=title, check=False)


def _send_reply(page) -> None:
    page.get_by_role("button", name=re.compile("^Versturen aan ")).click()
    page.wait_for_load_state()
    assert page.get_by_text("Reactie naar de club verstuurd.").is_visible()


def test_a_supporters_day_from_search_to_merging_a_duplicate(open_page, width):
    tag = uuid.uuid4().hex[:8]
    day, reply_word = f"dag{tag}", f"penningmeester{tag}"
    main_title, duplicate_title = f"Vrijwilligers voor het toernooi {day}", f"Nogmaals het toernooi {day}"
    pdf_name, internal_name = f"draaiboek-{tag}.pdf", f"interne-planning-{tag}.xlsx"

    # The club files its requests: the one this day is about, nine more, and a duplicate of the first.
    club = open_page(width, as_user="club")
    club.goto("/club/aanvragen/nieuw")
    check_page(club, "dag-nieuwe-aanvraag", width)
    main = _file(club, main_title)
    check_page(club, "dag-ontvangen", width)
    others = [_file(club, f"Vraag {number} {day}") for number in range(1, 10)]
    duplicate = _file(club, duplicate_title)
    # … and replies on the first with a word that is in no title: the supporter finds the request by it.
    club.goto("/club/aanvragen")
    club.get_by_role("link", name=main_title).click()
    club.wait_for_load_state()
    club.get_by_label("Je reactie").fill(f"Onze {reply_word} belt jullie nog over de begroting.")
    club.get_by_role("button", name="Reactie versturen").click()
    club.wait_for_load_state()
    assert club.get_by_text(f"Onze {reply_word} belt jullie nog").is_visible()
    club_request_url = club.url.split("#")[0]  # after a reply the page is at its timeline

    # The supporter searches the queue for the word from the reply and opens the one request it is in.
    loket = open_page(width, as_user="ondersteuner")
    loket.goto("/wachtrij/")
    loket.get_by_role("searchbox", name="Zoeken").fill(reply_word)
    loket.get_by_role("button", name="Filteren").click()
    loket.wait_for_load_state()
    assert loket.locator('input[name="ids"]').count() == 1
    assert loket.get_by_label(f"Kies {main}").count() == 1
    check_page(loket, "dag-zoeken", width)
    loket.get_by_role("link", name=main_title).click()
    loket.wait_for_load_state()
    assert loket.get_by_role("heading", name=main_title, level=1).is_visible()
    request_url = loket.url.split("#")[0]

    # A reply to the club with a PDF.
    loket.locator("#reply-body").fill("Hierbij het draaiboek voor de vrijwilligers.")
    loket.locator("#reply-attachment").set_input_files(
        files=[{"name": pdf_name, "mimeType": "application/pdf", "buffer": samples.PDF}])
    _send_reply(loket)
    assert loket.get_by_role("link", name=pdf_name).is_visible()

    # The colleague adds an internal note with a file of the team's own.
    colleague = open_page(width, as_user="collega")
    colleague.goto(request_url)
    colleague.locator("#note-body").fill(f"Onze eigen planning {tag}, niet voor de club.")
    colleague.locator("#note-attachment").set_input_files(
        files=[{"name": internal_name, "buffer": samples.xlsx(),
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])
    colleague.get_by_role("button", name="Notitie opslaan").click()
    colleague.wait_for_load_state()
    assert colleague.get_by_text("Interne notitie opgeslagen.").is_visible()
    assert colleague.get_by_role("link", name=internal_name).is_visible()
    check_page(colleague, "dag-notitie-collega", width)

    # The club's page links the PDF, which downloads with its bytes, and shows nothing of the internal note.
    club.goto(club_request_url)
    link = club.get_by_role("link", name=pdf_name)
    assert link.is_visible()
    assert club.get_by_text(internal_name).count() == 0
    assert club.get_by_text(f"Onze eigen planning {tag}").count() == 0
    check_page(club, "dag-club-bijlage", width)
    with club.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == pdf_name
    with open(download.value.path(), "rb") as stream:
        assert stream.read() == samples.PDF

    # The lead adds a sjabloon on the team's page, inserts it into the reply box, edits it and sends it.
    sjabloon = f"Toernooi {tag}"
    loket.goto("/team/")
    loket.get_by_role("link", name="Sjablonen voor reacties aan clubs").click()
    loket.wait_for_load_state()
    loket.get_by_label("Titel").fill(sjabloon)
    loket.get_by_label("Tekst").fill("Beste {club},\n\nOver {referentie}: we zoeken vrijwilligers met je mee.\n\n"
                                     "Groet, {ondersteuner}")
    loket.get_by_role("button", name="Sjabloon toevoegen").click()
    loket.wait_for_load_state()
    assert loket.get_by_text(f"Het sjabloon ‘{sjabloon}’ is toegevoegd.").is_visible()
    check_page(loket, "dag-sjablonen", width)
    loket.goto(request_url)
    loket.get_by_label("Sjabloon").select_option(label=sjabloon)
    loket.get_by_role("button", name="Invoegen").click()
    loket.wait_for_load_state()
    reply = loket.locator("#reply-body")
    text = reply.input_value()
    assert f"Over {main}: we zoeken vrijwilligers met je mee." in text and "Groet, Olga Ondersteuner" in text
    reply.fill(text.replace("met je mee.", f"met je mee; de eerste {tag} melden zich vrijdag."))
    _send_reply(loket)
    assert loket.get_by_text(f"Over {main}: we zoeken vrijwilligers met je mee; de eerste {tag}").is_visible()
    check_page(loket, "dag-aanvraag", width)

    # A view of the queue filtered by the day's word: all eleven requests.
    view = f"Toernooi {tag}"
    loket.goto(f"/wachtrij/?q={day}")
    assert loket.locator('input[name="ids"]').count() == 11
    loket.get_by_text("Deze filters bewaren als weergave").click()
    loket.get_by_label("Naam van de weergave").fill(view)
    loket.get_by_role("button", name="Weergave bewaren").click()
    loket.wait_for_load_state()
    assert f"q={day}" in loket.url
    shortcut = loket.get_by_role("navigation", name="Opgeslagen weergaven").get_by_role("link", name=view)
    assert shortcut.get_attribute("aria-current") == "page"
    assert shortcut.inner_text().endswith("(11)")

    # Ten of them to Cas in one action: all but the duplicate.
    ten = [main, *others]
    assign_in_bulk(loket, ten, "Cas Collega", screenshot="dag-wachtrij", width=width)
    done = loket.get_by_text(re.compile(r"^10 aanvragen toegewezen: "))
    assert done.is_visible()
    assert sorted(re.findall(r"LK-\d{4}-\d{6}", done.inner_text())) == sorted(ten)
    assert loket.locator("td[data-label='Behandelaar']", has_text="Cas Collega").count() == 10

    # The duplicate goes into the request; its timeline holds the whole conversation.
    loket.goto(f"/wachtrij/?q={duplicate}")  # a reference opens its request
    assert loket.get_by_role("heading", name=duplicate_title, level=1).is_visible()
    loket.get_by_label("Samenvoegen met").select_option(label=f"{main} · {main_title}")
    loket.get_by_role("button", name="Samenvoegen").click()
    loket.wait_for_load_state()
    assert loket.get_by_role("heading", name=main_title, level=1).is_visible()
    assert loket.get_by_text(f"{duplicate} is samengevoegd met deze aanvraag").is_visible()
    assert loket.get_by_text(f"{duplicate_title}: wat kunnen jullie voor ons doen?").is_visible()
    assert loket.get_by_text(f"Onze {reply_word} belt jullie nog").is_visible()
    assert loket.get_by_role("link", name=pdf_name).is_visible()
    check_page(loket, "dag-samengevoegd", width)
