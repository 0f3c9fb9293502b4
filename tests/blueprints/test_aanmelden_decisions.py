"""Deciding on aanmeldingen over HTTP: the queue's Aanmeldingen tab (with duplicates), the coördinatiepunt's page
without personal details, a club's contacts deciding on people who want to join, the counts on the start pages,
and a club that waits for approval seeing why it cannot file."""
import html

import pytest
from sqlalchemy import select

from loket.extensions import db as _db
from loket.models import Club, ClubRegistration, SupportRequest, User
from loket.services.network import registrations
from tests.factories import ClubFactory
from tests.support.db import count_queries, count_rows
from tests.support.mails import outbox_rows
from tests.support.registrations import PASSWORD, club_data, confirmation_token, contact_data
from tests.support.requests import request_form


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _pending(email="noor@nieuw.example", **club) -> ClubRegistration:
    registrations.register_club(club_data(**club), contact_data(email=email))
    return registrations.confirm_registration(confirmation_token(email))


def _logged_in(app, email):
    client = app.test_client()
    response = client.post("/inloggen", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return client


# ---------------------------------------------------------------- the loket's tab

def test_the_queue_has_an_aanmeldingen_tab_with_its_count(login_as, network):
    _pending()
    client = login_as("ondersteuner")
    queue = _text(client.get("/wachtrij/"))
    assert 'href="/wachtrij/aanmeldingen"' in queue and "Aanmeldingen <span class=\"count-badge\">(1)</span>" in queue
    tab = client.get("/wachtrij/aanmeldingen")
    page = _text(tab)
    assert tab.status_code == 200
    assert "FC Nieuwegein-Noord" in page and "Noor Nieuw" in page and "noor@nieuw.example" in page
    assert 'aria-current="page">Aanmeldingen' in page


def test_the_tab_flags_a_likely_duplicate_with_a_link_to_the_existing_club(login_as, network):
    _pending(name="V.V. Utrechtse Boys")
    page = _text(login_as("ondersteuner").get("/wachtrij/aanmeldingen"))
    assert "Mogelijk bestaat deze club al" in page
    assert f'href="/clubs/{network.club_utrecht.id}/profiel">VV Utrechtse Boys</a>' in page
    assert "lijkt op de naam" in page


def test_bondsspecialists_have_no_aanmeldingen(login_as, network):
    _pending()
    client = login_as("bondsspecialist")
    assert "/wachtrij/aanmeldingen" not in _text(client.get("/wachtrij/"))
    assert client.get("/wachtrij/aanmeldingen").status_code == 403


def test_approving_from_the_tab_activates_the_club_and_the_newcomer_can_file(app, login_as, network):
    registration = _pending()
    client = login_as("ondersteuner")
    response = client.post(f"/aanmeldingen/{registration.id}/goedkeuren", data={"terug": "wachtrij"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/wachtrij/aanmeldingen")
    assert "is goedgekeurd" in _text(client.get(response.headers["Location"]))
    club = _db.session.get(Club, registration.club_id)
    assert club.status == "actief"

    newcomer = _logged_in(app, "noor@nieuw.example")
    filed = newcomer.post("/club/aanvragen/nieuw", data={**request_form(network), "club": club.id})
    assert filed.status_code == 302
    assert count_rows(SupportRequest, SupportRequest.club_id == club.id) == 1


def test_rejecting_needs_a_reason_and_then_mails_it(login_as, network):
    registration = _pending()
    client = login_as("ondersteuner")
    missing = client.post(f"/aanmeldingen/{registration.id}/afwijzen", data={"reason": "  ", "terug": "wachtrij"})
    assert missing.status_code == 400
    page = _text(missing)
    assert "Schrijf op waarom" in page and f'href="#reason-{registration.id}"' in page
    assert _db.session.get(ClubRegistration, registration.id).state == "pending"

    done = client.post(f"/aanmeldingen/{registration.id}/afwijzen",
                       data={"reason": "Dit is geen sportaanbieder.", "terug": "wachtrij"})
    assert done.status_code == 302
    assert _db.session.get(Club, registration.club_id).status == "afgewezen"
    assert "Dit is geen sportaanbieder." in outbox_rows("registration_rejected")[0].payload["context"]["reason"]
    assert f'id="registration-{registration.id}-title"' not in _text(client.get("/wachtrij/aanmeldingen"))


def test_another_lokets_supporter_gets_404(login_as, network):
    registration = _pending()
    client = login_as("ondersteuner_eemland")
    assert client.get(f"/aanmeldingen/{registration.id}").status_code == 404
    assert client.post(f"/aanmeldingen/{registration.id}/goedkeuren").status_code == 404
    assert client.post(f"/aanmeldingen/{registration.id}/afwijzen", data={"reason": "Nee"}).status_code == 404
    assert "FC Nieuwegein-Noord" not in _text(client.get("/wachtrij/aanmeldingen"))
    assert _db.session.get(ClubRegistration, registration.id).state == "pending"


def test_a_decision_without_csrf_token_changes_nothing(login_as, network):
    registration = _pending()
    response = login_as("ondersteuner").post(f"/aanmeldingen/{registration.id}/goedkeuren", csrf=False)
    assert response.status_code == 400
    assert _db.session.get(ClubRegistration, registration.id).state == "pending"


def test_deciding_twice_says_it_was_decided(login_as, network):
    registration = _pending()
    client = login_as("ondersteuner")
    client.post(f"/aanmeldingen/{registration.id}/goedkeuren")
    again = client.post(f"/aanmeldingen/{registration.id}/afwijzen", data={"reason": "Toch niet"},
                        follow_redirects=True)
    assert "al besloten" in _text(again)
    assert _db.session.get(Club, registration.club_id).status == "actief"


# ---------------------------------------------------------------- the coördinatiepunt

def test_the_coordinatiepunt_decides_without_seeing_who_registered(login_as, network):
    registration = _pending(gemeente="GM0355", name="Zeister Zwemclub", kvk="87654321")
    client = login_as("coordinator")
    page = _text(client.get("/coordinatie/aanmeldingen"))
    assert "Zeister Zwemclub" in page and "Zeist" in page and "Vereniging" in page
    for personal in ("Noor Nieuw", "noor@nieuw.example", "87654321"):
        assert personal not in page
    detail = _text(client.get(f"/aanmeldingen/{registration.id}"))
    assert "Zeister Zwemclub" in detail and "noor@nieuw.example" not in detail
    assert "Zeister Zwemclub" not in _text(login_as("ondersteuner").get("/wachtrij/aanmeldingen"))

    response = client.post(f"/aanmeldingen/{registration.id}/goedkeuren", data={"terug": "coordinatie"})
    assert response.headers["Location"].endswith("/coordinatie/aanmeldingen")
    assert _db.session.get(Club, registration.club_id).status == "actief"


def test_the_start_pages_count_the_aanmeldingen(login_as, network):
    _pending()
    _pending("zara@zeist.example", gemeente="GM0355", name="Zeister Zwemclub")
    supporter = _text(login_as("ondersteuner").get("/"))
    assert "1</strong> aanmelding wacht op ons besluit" in supporter
    assert 'href="/wachtrij/aanmeldingen"' in supporter
    coordinator = _text(login_as("coordinator").get("/"))
    assert "1</strong> aanmelding wacht op een besluit" in coordinator
    assert 'href="/coordinatie/aanmeldingen"' in coordinator
    assert "aanmelding" not in _text(login_as("bondsspecialist").get("/")).lower()


# ---------------------------------------------------------------- the club's own pages

def test_a_club_waiting_for_approval_sees_why_and_cannot_file(app, network):
    _pending()
    client = _logged_in(app, "noor@nieuw.example")
    listing = _text(client.get("/club/aanvragen"))
    assert "Je aanmelding wacht op het loket" in listing
    assert 'class="button" href="/club/aanvragen/nieuw"' not in listing and "Dien je eerste vraag in" not in listing
    form = client.get("/club/aanvragen/nieuw")
    assert form.status_code == 200 and "Je aanmelding wacht op het loket" in _text(form)
    assert 'name="title"' not in _text(form)
    club = _db.session.scalar(select(Club).where(Club.status == "aangemeld"))
    refused = client.post("/club/aanvragen/nieuw", data={**request_form(network), "club": club.id})
    assert refused.status_code == 403
    assert count_rows(SupportRequest) == 0


def test_a_rejected_club_hears_so_on_its_pages(app, network):
    registration = _pending()
    registrations.reject(registration.id, network.ondersteuner, "Bestaat al.")
    client = _logged_in(app, "noor@nieuw.example")
    assert "is afgewezen" in _text(client.get("/club/aanvragen"))
    assert client.get(f"/clubs/{registration.club_id}/profiel").status_code == 200  # its own contact only
    assert count_rows(SupportRequest) == 0


def test_an_unapproved_club_is_invisible_to_the_loket_outside_the_tab(login_as, network):
    registration = _pending()
    client = login_as("ondersteuner")
    assert client.get(f"/clubs/{registration.club_id}/profiel").status_code == 404


@pytest.fixture()
def join_request(network):
    registrations.request_to_join(network.club_utrecht.id, contact_data(email="piet@uboys.example",
                                                                         name="Piet Pieters"))
    return registrations.confirm_registration(confirmation_token("piet@uboys.example"))


def test_a_clubs_contact_sees_who_wants_to_join_and_approves(app, login_as, network, join_request):
    client = login_as("club_contact")
    page = _text(client.get("/club/aanvragen"))
    assert 'id="aanmeldingen"' in page and "Piet Pieters" in page and "piet@uboys.example" in page
    response = client.post(f"/aanmeldingen/{join_request.id}/goedkeuren", data={"terug": "club"})
    assert response.headers["Location"].endswith("/club/aanvragen")
    joiner = _db.session.scalar(select(User).where(User.email == "piet@uboys.example"))
    assert joiner.club_ids == [network.club_utrecht.id]
    assert 'id="aanmeldingen"' not in _text(client.get("/club/aanvragen"))  # nothing left to decide


def test_before_approval_the_person_joining_sees_nothing_of_the_club(app, network, join_request):
    client = _logged_in(app, "piet@uboys.example")
    assert client.get("/club/aanvragen").status_code == 403
    assert client.get(f"/clubs/{network.club_utrecht.id}/profiel").status_code == 403
    assert client.get(f"/aanmeldingen/{join_request.id}").status_code == 403


def test_another_clubs_contact_cannot_decide_on_a_join(login_as, network, join_request):
    client = login_as("other_club_contact")
    assert "Piet Pieters" not in _text(client.get("/club/aanvragen"))
    assert client.post(f"/aanmeldingen/{join_request.id}/goedkeuren").status_code == 404


def test_the_lists_need_no_more_queries_for_more_aanmeldingen(app, login_as, network):
    ClubFactory(name="VV Domstad", gemeente=network.utrecht)
    _db.session.commit()
    _pending("a@nieuw.example", name="VV Domstad 28")
    client = login_as("ondersteuner")
    with count_queries(app) as one:
        assert client.get("/wachtrij/aanmeldingen").status_code == 200
    for n in range(4):
        _pending(f"m{n}@nieuw.example", name=f"V.V. Domstad {n}", sports=["voetbal", "tennis"])
    with count_queries(app) as many:
        assert client.get("/wachtrij/aanmeldingen").status_code == 200
    assert len(many) == len(one)
