"""Words for the reader: the club reads club wording, staff read staff wording, and a deadline says which it is."""
from datetime import timedelta

from loket.extensions import db as _db
from loket.models.base import utcnow
from loket.models.request import CLUB_STATUS_LABELS, STATUS_LABELS, STATUSES
from loket.services.requests import actions
from tests.support.requests import file_request


def _club_page(login_as, request) -> str:
    return login_as("club_contact").get(f"/club/aanvragen/{request.id}").get_data(as_text=True)


def test_every_status_has_a_club_label():
    assert set(CLUB_STATUS_LABELS) == set(STATUSES) == set(STATUS_LABELS)
    assert CLUB_STATUS_LABELS["wacht_op_club"] == "Wacht op jullie reactie"


def test_the_club_reads_its_own_status_wording(login_as, network):
    request = file_request(network)
    actions.change_status(request, "wacht_op_club", actor=network.ondersteuner)
    page = _club_page(login_as, request)
    assert "Wacht op jullie reactie" in page
    assert "Wacht op club" not in page
    listing = login_as("club_contact").get("/club/aanvragen").get_data(as_text=True)
    assert "Wacht op jullie reactie" in listing and "Wacht op club" not in listing
    # Staff keep their working label.
    assert "Wacht op club" in login_as("ondersteuner").get(f"/wachtrij/{request.id}").get_data(as_text=True)


def test_a_referral_reads_as_sent_on_for_the_club_and_as_accepted_for_staff(login_as, network):
    request = file_request(network)
    loket, bond = login_as("ondersteuner"), login_as("bondsspecialist")
    loket.post(f"/wachtrij/{request.id}/doorverwijzen", data={"team": network.knvb.team.id, "reason": "Sport"})
    assert bond.post(f"/wachtrij/{request.id}/doorverwijzing/accepteren").status_code == 302
    team = network.knvb.team.name

    club_page = _club_page(login_as, request)
    assert f"Doorgestuurd naar {team}" in club_page
    assert "Nieuw → Doorverwezen" not in club_page and "Doorverwezen → Nieuw" not in club_page

    staff_page = bond.get(f"/wachtrij/{request.id}").get_data(as_text=True)
    assert "Je vraag" not in staff_page.split('id="tijdlijn"')[1]
    assert "Doorverwijzing geaccepteerd" in staff_page


def test_the_deadline_says_whether_it_is_the_first_response_or_the_resolution(login_as, network):
    request = file_request(network)
    client = login_as("ondersteuner")
    assert "Eerste reactie uiterlijk" in client.get(f"/wachtrij/{request.id}").get_data(as_text=True)
    assert "Eerste reactie uiterlijk" in client.get("/wachtrij/").get_data(as_text=True)

    client.post(f"/wachtrij/{request.id}/bericht", data={"body": "Wij helpen je."})
    _db.session.refresh(request)
    assert request.first_response_at is not None
    detail = client.get(f"/wachtrij/{request.id}").get_data(as_text=True)
    assert "Afgerond uiterlijk" in detail and "Eerste reactie uiterlijk" not in detail
    assert "Afgerond uiterlijk" in client.get("/wachtrij/").get_data(as_text=True)


def test_a_late_first_response_deadline_is_still_named(login_as, network):
    file_request(network, now=utcnow() - timedelta(days=10))
    page = login_as("ondersteuner").get("/wachtrij/").get_data(as_text=True)
    assert "Te laat" in page and "Eerste reactie uiterlijk" in page
