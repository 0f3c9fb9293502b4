"""'Aanvraag voor een club' and 'Contactmoment vastleggen' over HTTP: a clubondersteuner files for a club of the
werkgebied after a phone call, the club's contact follows it and replies; the edges of who may do what."""
from sqlalchemy import func, select

from loket.extensions import db as _db
from loket.models import ClubContact, Event, SupportRequest, User
from tests.factories import PASSWORD, ClubFactory
from tests.support.account import mailed_path
from tests.support.db import count_queries
from tests.support.mails import outbox_rows, rendered
from tests.support.on_behalf import file_for_club, form_data
from tests.support.requests import file_request


def _count(model) -> int:
    return _db.session.scalar(select(func.count()).select_from(model))


def _only_request() -> SupportRequest:
    return _db.session.scalar(select(SupportRequest))


# ---------------------------------------------------------------- the pages

def test_the_queue_links_to_the_new_page_for_clubondersteuners_only(login_as):
    assert 'href="/wachtrij/nieuw"' in login_as("collega").get("/wachtrij/").get_data(as_text=True)
    assert 'href="/wachtrij/nieuw"' not in login_as("bondsspecialist").get("/wachtrij/").get_data(as_text=True)


def test_choosing_a_club_lists_the_werkgebied_only_and_searches_by_name(login_as, network):
    ClubFactory(name="Korfbal Utrecht Noord", gemeente=network.utrecht)
    ClubFactory(name="Nog Niet Goedgekeurd", gemeente=network.utrecht, status="aangemeld")
    _db.session.commit()
    client = login_as("collega")
    page = client.get("/wachtrij/nieuw").get_data(as_text=True)
    assert "VV Utrechtse Boys" in page and "Korfbal Utrecht Noord" in page
    assert "HC Amersfoort" not in page and "Nog Niet Goedgekeurd" not in page and "Zeist" not in page
    found = client.get("/wachtrij/nieuw?zoek=korf").get_data(as_text=True)
    assert "Korfbal Utrecht Noord" in found and "VV Utrechtse Boys" not in found
    assert "Geen club met ‘hockey’" in client.get("/wachtrij/nieuw?zoek=hockey").get_data(as_text=True)


def test_an_unusable_search_is_a_400_with_a_dutch_message(login_as):
    response = login_as("collega").get("/wachtrij/nieuw?zoek=a%00b")
    assert response.status_code == 400 and "stuurtekens" in response.get_data(as_text=True)


def test_the_form_for_a_club_offers_its_contacts_and_a_new_one(login_as, network):
    page = login_as("collega").get(f"/wachtrij/nieuw?club={network.club_utrecht.id}").get_data(as_text=True)
    assert "Aanvraag voor VV Utrechtse Boys" in page
    assert "Anna de Vries (anna@uboys.example)" in page and "Nieuwe contactpersoon" in page
    assert 'value="telefoon"' in page and 'value="bezoek"' in page and 'value="e-mail"' in page
    assert 'value="portaal"' not in page


def test_the_form_of_a_club_outside_the_werkgebied_is_404(login_as, network):
    client = login_as("collega")
    for club_id in (network.club_amersfoort.id, network.club_zeist.id, 987654, 2**31, "x", "%00"):
        assert client.get(f"/wachtrij/nieuw?club={club_id}").status_code == 404, club_id


# ---------------------------------------------------------------- filing

def test_a_supporter_files_for_a_club_that_phoned_and_the_club_follows_and_replies(login_as, network):
    response = login_as("collega").post("/wachtrij/nieuw", data=form_data(network))
    request = _only_request()
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/wachtrij/{request.id}")
    assert request.filed_by == network.collega and request.channel == "telefoon"
    assert request.owner_team == network.loket_utrecht.team
    detail = login_as("collega").get(f"/wachtrij/{request.id}").get_data(as_text=True)
    assert "Ingediend namens de club door Cees Collega (telefoon)" in detail
    assert "Anna de Vries" in detail
    # The confirmation reaches the club's contact, who finds the request in their own list and replies.
    confirmation = outbox_rows("request_received")
    assert [row.payload["to"] for row in confirmation] == [network.club_contact.email]
    assert request.reference in rendered(confirmation[0]).subject
    club = login_as("club_contact")
    assert request.reference in club.get("/club/aanvragen").get_data(as_text=True)
    own = club.get(f"/club/aanvragen/{request.id}").get_data(as_text=True)
    assert "Ingediend namens de club door Cees Collega (telefoon)" in own
    assert "Aanvraag namens de club ingediend door Cees Collega (telefoon)" in own
    assert club.post(f"/club/aanvragen/{request.id}/reactie", data={"body": "Dank, we wachten af."}).status_code == 302
    assert _db.session.scalar(select(func.count()).select_from(Event).where(
        Event.request_id == request.id, Event.kind == "public_reply", Event.actor_id == network.club_contact.id)) == 1


def test_the_queue_shows_how_a_request_came_in(login_as, network):
    file_for_club(network, channel="bezoek", title="Vraag bij een bezoek")
    page = login_as("ondersteuner").get("/wachtrij/").get_data(as_text=True)
    row = page.split("Vraag bij een bezoek", 1)[1].split("</td>", 1)[0]
    assert ">bezoek</span>" in row


def test_a_club_outside_the_werkgebied_is_404_and_nothing_is_stored(login_as, network):
    contact = ClubContact(club=network.club_amersfoort, name="Bram", email="bram@hc.example")
    _db.session.add(contact)
    _db.session.commit()
    response = login_as("collega").post("/wachtrij/nieuw", data=form_data(network, club="club_amersfoort",
                                                                          contact=contact.id))
    assert response.status_code == 404 and "HC Amersfoort" not in response.get_data(as_text=True)
    assert _count(SupportRequest) == 0 and outbox_rows() == []


def test_a_club_still_aangemeld_is_404(login_as, network):
    waiting = ClubFactory(name="Wacht Nog", gemeente=network.utrecht, status="aangemeld",
                          contacts=[ClubContact(name="W", email="w@club.example")])
    _db.session.commit()
    response = login_as("collega").post("/wachtrij/nieuw", data=form_data(network, club=waiting))
    assert response.status_code == 404 and _count(SupportRequest) == 0


def test_a_bondsspecialist_may_not_open_or_post_the_page(login_as, network):
    client = login_as("bondsspecialist")
    assert client.get("/wachtrij/nieuw").status_code == 403
    assert client.post("/wachtrij/nieuw", data=form_data(network)).status_code == 403
    assert login_as("club_contact").post("/wachtrij/nieuw", data=form_data(network)).status_code == 403
    assert _count(SupportRequest) == 0


def test_a_bad_channel_is_a_400_with_the_message_by_the_field(login_as, network):
    for channel in ("portaal", "fax", ""):
        response = login_as("collega").post("/wachtrij/nieuw", data=form_data(network, channel=channel))
        assert response.status_code == 400
        assert "Kies hoe de vraag binnenkwam: telefoon, bezoek of e-mail." in response.get_data(as_text=True)
    assert _count(SupportRequest) == 0


def test_every_field_problem_is_shown_at_once(login_as, network):
    data = form_data(network, title=" ", description="", channel="fax")
    data.update(contact="", category="")
    page = login_as("collega").post("/wachtrij/nieuw", data=data).get_data(as_text=True)
    for message in ("Kies hoe de vraag binnenkwam", "Kies een contactpersoon van de club", "Geef je vraag een korte titel",
                    "Beschrijf je vraag", "Kies een van de categorieën"):
        assert message in page, message
    assert _count(SupportRequest) == 0


def test_a_new_contact_person_with_an_address_gets_a_login_and_follows_the_request(app, login_as, network):
    data = form_data(network, new_contact={"name": "Karel Kantine", "email": "karel@uboys.example", "phone": ""})
    response = login_as("collega").post("/wachtrij/nieuw", data=data, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Karel Kantine krijgt een e-mail om een wachtwoord te kiezen" in page
    karel = _db.session.scalar(select(User).where(User.email == "karel@uboys.example"))
    request = _only_request()
    assert request.requester == karel
    assert [row.payload["to"] for row in outbox_rows("request_received")] == [karel.email]
    mail = rendered(outbox_rows("club_contact_login")[0])
    assert "VV Utrechtse Boys" in mail.subject and "Cees Collega" in mail.text
    # Karel chooses a password through the mailed link, is logged in, and sees the request of the club.
    client = app.test_client()
    link = mailed_path("club_contact_login", karel.email)
    assert client.get(link).status_code == 200
    chosen = client.post(link, data={"password": PASSWORD + "-karel", "password_repeat": PASSWORD + "-karel"})
    assert chosen.status_code == 302, chosen.get_data(as_text=True)[:300]
    assert request.reference in client.get("/club/aanvragen").get_data(as_text=True)
    assert client.post(f"/club/aanvragen/{request.id}/reactie", data={"body": "Gezien!"}).status_code == 302


def test_a_new_contact_person_without_an_address_is_stored_without_login_or_mail(login_as, network):
    data = form_data(network, new_contact={"name": "Truus Telefoon", "email": "", "phone": "06 12345678"})
    page = login_as("collega").post("/wachtrij/nieuw", data=data, follow_redirects=True).get_data(as_text=True)
    assert "Truus Telefoon heeft geen e-mailadres en krijgt dus geen bevestiging" in page
    contact = _db.session.scalar(select(ClubContact).where(ClubContact.name == "Truus Telefoon"))
    assert contact.club_id == network.club_utrecht.id and contact.user_id is None
    assert outbox_rows("club_contact_login") == []
    assert [row.payload["to"] for row in outbox_rows("request_received")] == [network.club_contact.email]


def test_new_contact_fields_without_choosing_new_count_as_a_new_contact(login_as, network):
    data = form_data(network, new_contact={"name": "Truus", "phone": "06 1"})
    data["contact"] = ""
    assert login_as("collega").post("/wachtrij/nieuw", data=data).status_code == 302
    assert _db.session.scalar(select(ClubContact).where(ClubContact.name == "Truus")) is not None


def test_a_new_contact_person_without_any_way_to_reach_them_is_refused(login_as, network):
    data = form_data(network, new_contact={"name": "Onbereikbaar", "email": "", "phone": ""})
    response = login_as("collega").post("/wachtrij/nieuw", data=data)
    assert response.status_code == 400
    assert "Vul een e-mailadres of telefoonnummer in" in response.get_data(as_text=True)
    assert _count(SupportRequest) == 0 and _count(ClubContact) == 1


def test_control_characters_and_huge_ids_are_refused_cleanly(login_as, network):
    client = login_as("collega")
    for change in ({"title": "Nul\x00"}, {"contact": str(2**40)}, {"category": str(2**40)}, {"sport": str(2**40)},
                   {"contact": "nieuw", "contact_name": "N\x00", "contact_phone": "1"}):
        response = client.post("/wachtrij/nieuw", data={**form_data(network), **change})
        assert response.status_code == 400, change
    assert client.post("/wachtrij/nieuw", data={**form_data(network), "club": str(2**40)}).status_code == 404
    assert _count(SupportRequest) == 0


def test_a_request_routed_to_a_bond_returns_to_the_queue_with_where_it_went(login_as, network):
    data = form_data(network, category="sporttechnisch-competitie", sport="voetbal")
    response = login_as("collega").post("/wachtrij/nieuw", data=data, follow_redirects=True)
    assert response.status_code == 200 and "De aanvraag ligt bij KNVB." in response.get_data(as_text=True)
    assert _only_request().owner_team == network.knvb.team


def test_without_csrf_nothing_is_filed(login_as, network):
    assert login_as("collega").post("/wachtrij/nieuw", data=form_data(network), csrf=False).status_code == 400
    assert _count(SupportRequest) == 0


# ---------------------------------------------------------------- contact moments

def test_the_request_page_offers_the_contact_moment_form(login_as, network):
    request = file_request(network)
    page = login_as("ondersteuner").get(f"/wachtrij/{request.id}").get_data(as_text=True)
    assert "Contactmoment vastleggen" in page and f'action="/wachtrij/{request.id}/contactmoment"' in page


def test_a_contact_moment_is_logged_on_the_timeline_and_hidden_from_the_club(login_as, network):
    request = file_request(network)
    client = login_as("ondersteuner")
    response = client.post(f"/wachtrij/{request.id}/contactmoment",
                           data={"channel": "telefoon", "summary": "Voorzitter gebeld over de subsidie.", "moment": ""})
    assert response.status_code == 302
    page = client.get(f"/wachtrij/{request.id}").get_data(as_text=True)
    assert "Contactmoment</strong> (telefoon)" in page and "Voorzitter gebeld over de subsidie." in page
    _db.session.refresh(request)
    assert request.first_response_at is not None and request.status == "in_behandeling"
    club_page = login_as("club_contact").get(f"/club/aanvragen/{request.id}").get_data(as_text=True)
    assert "Voorzitter gebeld" not in club_page and "Contactmoment" not in club_page


def test_a_bad_contact_moment_is_a_400_and_nothing_is_logged(login_as, network):
    request = file_request(network)
    client = login_as("ondersteuner")
    for data, message in (({"channel": "fax", "summary": "x"}, "Kies hoe je contact had"),
                          ({"channel": "telefoon", "summary": " "}, "Vat kort samen"),
                          ({"channel": "telefoon", "summary": "x", "moment": "2999-01-01T10:00"}, "toekomst"),
                          ({"channel": "telefoon", "summary": "x", "moment": "morgen"}, "geldig moment")):
        response = client.post(f"/wachtrij/{request.id}/contactmoment", data=data)
        assert response.status_code == 400 and message in response.get_data(as_text=True), data
    assert _db.session.scalar(select(func.count()).select_from(Event).where(Event.kind == "contact_moment")) == 0


def test_another_loket_cannot_log_a_contact_moment(login_as, network):
    request = file_request(network)
    response = login_as("ondersteuner_eemland").post(f"/wachtrij/{request.id}/contactmoment",
                                                     data={"channel": "telefoon", "summary": "x"})
    assert response.status_code == 404


def test_the_contact_moment_endpoint_answers_no_get(login_as, network):
    request = file_request(network)
    assert login_as("ondersteuner").get(f"/wachtrij/{request.id}/contactmoment").status_code == 405


# ---------------------------------------------------------------- queries

def test_the_pages_use_a_constant_number_of_queries(app, login_as, network):
    client = login_as("collega")

    def counted(path):
        with count_queries(app) as statements:
            assert client.get(path).status_code == 200
        return len(statements)

    few = (counted("/wachtrij/nieuw"), counted(f"/wachtrij/nieuw?club={network.club_utrecht.id}"))
    for i in range(12):
        ClubFactory(name=f"Club {i}", gemeente=network.utrecht,
                    contacts=[ClubContact(name=f"Persoon {i}", phone="1")])
        network.club_utrecht.contacts.append(ClubContact(name=f"Contact {i}", phone=str(i)))
    _db.session.commit()
    assert (counted("/wachtrij/nieuw"), counted(f"/wachtrij/nieuw?club={network.club_utrecht.id}")) == few
