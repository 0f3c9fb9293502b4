"""Mentions over HTTP: the hint beside the note field, a refused note keeps its text, the start page entry, and
marking it seen by opening the request or with the button."""
import html as html_lib

from loket.extensions import db as _db
from loket.models import Event, Mention
from loket.services.requests import mentions
from tests.support.db import count_queries, count_rows
from tests.support.requests import file_request


def _post_note(client, request, body):
    return client.post(f"/wachtrij/{request.id}/bericht", data={"body": body, "internal": "y"})


def test_a_note_naming_a_colleague_reaches_their_start_page_until_they_open_the_request(app, login_as, network):
    request = file_request(network)
    writer = login_as("ondersteuner")
    detail = html_lib.unescape(writer.get(f"/wachtrij/{request.id}").get_data(as_text=True))
    assert mentions.SYNTAX_HINT in detail
    assert _post_note(writer, request, "@Cees Collega, kun jij bellen?").status_code == 302
    colleague = login_as("collega")
    home = colleague.get("/").get_data(as_text=True)
    assert "Genoemd in een notitie (1)" in home and f'href="/wachtrij/{request.id}"' in home
    assert request.reference in home and "Ofelia Ondersteuner" in home
    assert "Genoemd in een notitie" not in writer.get("/").get_data(as_text=True)
    assert colleague.get(f"/wachtrij/{request.id}").status_code == 200
    assert "Genoemd in een notitie" not in colleague.get("/").get_data(as_text=True)
    assert _db.session.query(Mention).one().seen_at is not None


def test_a_refused_note_names_who_keeps_the_text_and_stores_nothing(login_as, network):
    request = file_request(network)
    client = login_as("ondersteuner")
    before = count_rows(Event)
    response = _post_note(client, request, "@Eva Eemland weet dit vast")
    page = html_lib.unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert "Eva Eemland kan deze aanvraag niet lezen" in page
    assert "@Eva Eemland weet dit vast</textarea>" in page
    assert count_rows(Event) == before and count_rows(Mention) == 0


def test_all_seen_clears_the_start_page(login_as, network):
    first, second = file_request(network), file_request(network, title="Nog een")
    writer = login_as("ondersteuner")
    _post_note(writer, first, "@Cees Collega een")
    _post_note(writer, second, "@cees collega twee")
    colleague = login_as("collega")
    assert "Genoemd in een notitie (2)" in colleague.get("/").get_data(as_text=True)
    response = colleague.post("/wachtrij/genoemd/gezien")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "Genoemd in een notitie" not in colleague.get("/").get_data(as_text=True)
    assert count_rows(Mention, Mention.seen_at.is_(None)) == 0


def test_opening_a_request_costs_the_same_queries_for_one_mention_or_five(app, login_as, network):
    request = file_request(network)
    writer = login_as("ondersteuner")
    colleague = login_as("collega")
    _post_note(writer, request, "@Cees Collega nul")
    with count_queries(app) as one:
        colleague.get(f"/wachtrij/{request.id}")
    for number in range(5):
        _post_note(writer, request, f"@Cees Collega {number}")
    with count_queries(app) as five:
        colleague.get(f"/wachtrij/{request.id}")
    assert count_rows(Mention, Mention.seen_at.is_(None)) == 0
    assert len(five) == len(one)  # one UPDATE marks them all; the notes are one timeline query
