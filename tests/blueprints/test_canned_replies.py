"""Sjablonen over HTTP: the team's management page (lead only), inserting one into the reply box without
JavaScript, sending it, and another team's sjabloon."""
import html as html_lib

from loket.extensions import db as _db
from loket.models import CannedReply, Event
from loket.services.requests import canned_replies
from tests import factories
from tests.support.db import count_queries, count_rows
from tests.support.requests import file_request

PAGE = "/team/loket/utrecht/sjablonen"


def _canned(lead, title="Ontvangen", body="Beste {club}, je vraag {referentie} is binnen. Groet, {ondersteuner}"):
    return canned_replies.create(lead, "loket", "utrecht", title=title, body=body)


def test_the_lead_adds_a_sjabloon_and_the_page_documents_the_placeholders(login_as, lead):
    client = login_as(lead)
    page = client.get(PAGE).get_data(as_text=True)
    assert "Een sjabloon toevoegen" in page
    for name in canned_replies.PLACEHOLDERS:
        assert "{" + name + "}" in page
    response = client.post(PAGE, data={"title": "Ontvangen", "body": "Dag {club}"})
    assert response.status_code == 302 and response.headers["Location"] == PAGE
    assert _db.session.query(CannedReply).one().body == "Dag {club}"
    assert "Ontvangen" in client.get(PAGE).get_data(as_text=True)


def test_an_unknown_placeholder_is_refused_on_the_page(login_as, lead):
    response = login_as(lead).post(PAGE, data={"title": "Fout", "body": "Dag {klub} {{ config }}"})
    page = html_lib.unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert "Onbekende invulvelden: {klub}, { config }." in page
    assert count_rows(CannedReply) == 0


def test_a_member_reads_the_sjablonen_but_gets_no_form_and_cannot_post(login_as, lead):
    _canned(lead)
    client = login_as("ondersteuner")
    page = client.get(PAGE).get_data(as_text=True)
    assert "Ontvangen" in page and "Een sjabloon toevoegen" not in page
    assert client.post(PAGE, data={"title": "Mijn eigen", "body": "x"}).status_code == 403
    assert count_rows(CannedReply) == 1


def test_another_team_gets_403_on_the_page_and_404_for_the_sjabloon(login_as, lead, network):
    canned = _canned(lead)
    other = login_as("ondersteuner_eemland")
    assert other.get(PAGE).status_code == 403
    eemland_lead = factories.make_user("clubondersteuner", network.loket_eemland, name="Eef Lead", team_lead=True)
    _db.session.commit()
    client = login_as(eemland_lead)
    assert client.get(f"/team/loket/eemland/sjablonen/{canned.id}").status_code == 404
    assert client.post(f"/team/loket/eemland/sjablonen/{canned.id}/verwijderen").status_code == 404
    assert client.post(f"/team/loket/eemland/sjablonen/{canned.id}",
                       data={"title": "Gekaapt", "body": "x"}).status_code == 404
    assert _db.session.get(CannedReply, canned.id).title == "Ontvangen"


def test_the_lead_edits_and_deletes_a_sjabloon(login_as, lead):
    canned = _canned(lead)
    client = login_as(lead)
    path = f"{PAGE}/{canned.id}"
    assert "Sjabloon verwijderen" in client.get(path).get_data(as_text=True)
    assert client.post(path, data={"title": "Ontvangen", "body": "Hallo {onbekend}"}).status_code == 400
    assert client.post(path, data={"title": "Bevestiging", "body": "Hallo {club}"}).status_code == 302
    _db.session.expire_all()
    assert _db.session.get(CannedReply, canned.id).title == "Bevestiging"
    assert client.post(f"{path}/verwijderen").status_code == 302
    assert count_rows(CannedReply) == 0


def test_inserting_fills_the_reply_box_and_the_text_can_be_sent_edited(app, login_as, lead, network):
    canned = _canned(lead)
    request = file_request(network)
    client = login_as("ondersteuner")
    detail = client.get(f"/wachtrij/{request.id}").get_data(as_text=True)
    assert f'<option value="{canned.id}"' in detail and ">Invoegen</button>" in detail
    # with JavaScript the filled-in text goes in at the cursor: each option carries it (escaped)
    assert (f'data-text="Beste VV Utrechtse Boys, je vraag {request.reference} is binnen. Groet, Ofelia '
            'Ondersteuner"') in detail
    assert "js/canned-replies.js" in detail
    with count_queries(app) as statements:
        filled = client.get(f"/wachtrij/{request.id}?sjabloon={canned.id}")
    assert filled.status_code == 200
    expected = f"Beste VV Utrechtse Boys, je vraag {request.reference} is binnen. Groet, Ofelia Ondersteuner"
    assert expected in html_lib.unescape(filled.get_data(as_text=True))
    assert sum("canned_replies" in s for s in statements) == 2  # the choice, and the one inserted
    sent = client.post(f"/wachtrij/{request.id}/bericht", data={"body": expected + " Tot snel!"})
    assert sent.status_code == 302
    assert _db.session.query(Event).filter_by(kind="public_reply").one().body == expected + " Tot snel!"


def test_another_teams_sjabloon_is_not_inserted(login_as, lead, network):
    canned = _canned(lead)
    request = file_request(network, club="club_amersfoort", who="other_club_contact")
    client = login_as("ondersteuner_eemland")
    assert client.get(f"/wachtrij/{request.id}?sjabloon={canned.id}").status_code == 404
    assert client.get(f"/wachtrij/{request.id}?sjabloon=abc").status_code == 404
    page = client.get(f"/wachtrij/{request.id}").get_data(as_text=True)
    assert "Invoegen" not in page  # Eemland has no sjablonen of its own
