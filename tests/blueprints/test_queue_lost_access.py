"""After an action that takes the team's access away (declining a referral, stepping out of an invitation),
the supporter lands on the queue with the success message, not on a 404 under it."""
import pytest
from sqlalchemy import select

from loket.extensions import db as _db
from loket.models import SupportRequest
from tests.support.lookups import category_id as _category_id


@pytest.fixture()
def bond_request(login_as, network):
    club = login_as("club_contact")
    club.post("/club/aanvragen/nieuw", data={
        "club": network.club_utrecht.id, "category": _category_id("sporttechnisch-competitie"),
        "sport": network.voetbal.id, "title": "Competitie", "description": "Onze JO13 past niet in de competitie."})
    return _db.session.scalar(select(SupportRequest))


@pytest.fixture()
def loket_request(login_as, network):
    club = login_as("club_contact")
    club.post("/club/aanvragen/nieuw", data={
        "club": network.club_utrecht.id, "category": _category_id("sociaal-veilige-sport"),
        "title": "Gedragscode voor trainers", "description": "Hoe stellen we een gedragscode op?"})
    return _db.session.scalar(select(SupportRequest))


def _landing(response, client):
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    return response.headers["Location"], page.get_data(as_text=True)


def test_declining_a_referral_lands_on_the_queue(login_as, network, bond_request):
    bond, loket = login_as("bondsspecialist"), login_as("ondersteuner")
    bond.post(f"/wachtrij/{bond_request.id}/doorverwijzen",
              data={"team": network.loket_utrecht.team.id, "reason": "Graag overnemen"})
    location, page = _landing(loket.post(f"/wachtrij/{bond_request.id}/doorverwijzing/afwijzen",
                                         data={"reason": "Dit is echt competitie."}), loket)
    assert location.rstrip("/").endswith("/wachtrij")
    assert "Doorverwijzing afgewezen" in page and "Niet gevonden" not in page


def test_accepting_and_withdrawing_stay_on_the_request(login_as, network, bond_request):
    bond, loket = login_as("bondsspecialist"), login_as("ondersteuner")
    bond.post(f"/wachtrij/{bond_request.id}/doorverwijzen", data={"team": network.loket_utrecht.team.id, "reason": "x"})
    location, _ = _landing(bond.post(f"/wachtrij/{bond_request.id}/doorverwijzing/intrekken"), bond)
    assert location.endswith(f"/wachtrij/{bond_request.id}")
    bond.post(f"/wachtrij/{bond_request.id}/doorverwijzen", data={"team": network.loket_utrecht.team.id, "reason": "x"})
    location, page = _landing(loket.post(f"/wachtrij/{bond_request.id}/doorverwijzing/accepteren"), loket)
    assert location.endswith(f"/wachtrij/{bond_request.id}") and "Doorverwijzing geaccepteerd" in page


def test_invited_team_stepping_out_lands_on_the_queue(login_as, network, loket_request):
    loket, bond = login_as("ondersteuner"), login_as("bondsspecialist")
    loket.post(f"/wachtrij/{loket_request.id}/inschakelen", data={"team": network.knvb.team.id, "reason": "model"})
    location, page = _landing(bond.post(f"/wachtrij/{loket_request.id}/inschakelen/beeindigen",
                                        data={"team_id": network.knvb.team.id}), bond)
    assert location.rstrip("/").endswith("/wachtrij")
    assert "Samenwerking beëindigd." in page and "Niet gevonden" not in page


def test_owner_ending_an_invitation_stays_on_the_request(login_as, network, loket_request):
    loket = login_as("ondersteuner")
    loket.post(f"/wachtrij/{loket_request.id}/inschakelen", data={"team": network.knvb.team.id})
    location, page = _landing(loket.post(f"/wachtrij/{loket_request.id}/inschakelen/beeindigen",
                                         data={"team_id": network.knvb.team.id}), loket)
    assert location.endswith(f"/wachtrij/{loket_request.id}") and "Samenwerking beëindigd." in page
