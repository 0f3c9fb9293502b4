"""The supporter's request page: the reply to the club and the internal note are two separate forms."""
import re

from loket.extensions import db as _db
from loket.models import Event
from tests.support.requests import file_request


def _forms(page: str) -> list[str]:
    return re.findall(r"<form\b.*?</form>", page, flags=re.S)


def _message_forms(page: str, request_id: int) -> list[str]:
    return [f for f in _forms(page) if f'action="/wachtrij/{request_id}/bericht"' in f]


def test_reply_and_note_are_two_forms_and_the_reply_names_the_club(login_as, network):
    request = file_request(network)
    page = login_as("ondersteuner").get(f"/wachtrij/{request.id}").get_data(as_text=True)
    reply, note = _message_forms(page, request.id)
    assert "Reactie aan de club" in page and "Interne notitie" in page
    # The reply says who reads it; it has no way to become a note.
    assert f"Versturen aan {network.club_utrecht.name}" in reply
    assert 'name="internal"' not in reply and 'type="checkbox"' not in reply
    # The note always posts internal, and says it stays among supporters.
    assert re.search(r'<input[^>]*name="internal"[^>]*type="hidden"|<input[^>]*type="hidden"[^>]*name="internal"', note)
    assert 'value="y"' in note and "Notitie opslaan" in note
    assert "Alleen zichtbaar voor ondersteuners" in page.split('id="notitie-titel"')[1].split("</section>")[0]
    assert "panel-internal" in page.split('id="notitie-titel"')[0].rsplit("<section", 1)[1]


def test_the_two_forms_post_a_reply_and_a_note(login_as, network):
    request = file_request(network)
    client = login_as("ondersteuner")
    assert client.post(f"/wachtrij/{request.id}/bericht", data={"body": "Intern", "internal": "y"}).status_code == 302
    assert client.post(f"/wachtrij/{request.id}/bericht", data={"body": "Publiek"}).status_code == 302
    kinds = {e.body: e.kind for e in _db.session.query(Event).filter(Event.body.in_(("Intern", "Publiek")))}
    assert kinds == {"Intern": "internal_note", "Publiek": "public_reply"}


def test_an_empty_note_shows_its_error_in_the_note_form(login_as, network):
    request = file_request(network)
    response = login_as("ondersteuner").post(f"/wachtrij/{request.id}/bericht", data={"body": "", "internal": "y"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    note = page.split('id="notitie-titel"')[1].split("</section>")[0]
    reply = page.split('id="reactie-titel"')[1].split("</section>")[0]
    assert "error-summary" in note and "error-summary" not in reply


def test_a_referral_receiver_sees_only_the_note_form(login_as, network):
    request = file_request(network)
    loket = login_as("ondersteuner")
    assert loket.post(f"/wachtrij/{request.id}/doorverwijzen",
                      data={"team": network.knvb.team.id, "reason": "Sportspecifiek"}).status_code == 302
    page = login_as("bondsspecialist").get(f"/wachtrij/{request.id}").get_data(as_text=True)
    (note,) = _message_forms(page, request.id)
    assert "Notitie opslaan" in note
    assert "Reactie aan de club" not in page and "Versturen aan" not in page
