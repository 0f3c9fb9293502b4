"""GET/PUT /api/v1/bonds/<key>/agreements and POST …/agreements/confirm: the bond's lead proposes, the
coördinatiepunt confirms, and confirmed agreements route requests."""
import pytest

from loket.extensions import db as _db
from loket.models import BondAgreement
from tests.factories import make_user
from tests.support.api import assert_problem
from tests.support.db import count_rows
from tests.support.teams import knvb_lead

PROPOSAL = {"agreements": [{"category": "sociaal-veilige-sport", "handled_by": "bond"},
                           {"category": "financien-subsidies-fondsen", "handled_by": "samen"}]}


def test_the_lead_proposes_the_coordinatiepunt_confirms_and_requests_route(api, network):
    lead = knvb_lead(network)
    proposed = api(lead).put("/bonds/knvb/agreements", json=PROPOSAL)
    assert proposed.status_code == 200
    body = proposed.get_json()
    assert body["state"] == "proposed"
    assert sorted(body["proposed"], key=str) == sorted(PROPOSAL["agreements"], key=str)
    current = {item["category"]: item["handled_by"] for item in body["agreements"]}
    assert current["sociaal-veilige-sport"] == "loket" and current["sporttechnisch-competitie"] == "bond"

    assert api("coordinator").get("/bonds/knvb/agreements").get_json()["state"] == "proposed"
    confirmed = api("coordinator").post("/bonds/knvb/agreements/confirm")
    assert confirmed.status_code == 200 and confirmed.get_json()["proposed"] is None
    current = {item["category"]: item["handled_by"] for item in confirmed.get_json()["agreements"]}
    assert current["sociaal-veilige-sport"] == "bond" and current["financien-subsidies-fondsen"] == "samen"

    filed = api("club_contact").post("/requests", json={
        "club": network.club_utrecht.id, "category": "sociaal-veilige-sport", "title": "Vertrouwenspersoon",
        "description": "Wie helpt ons aan een vertrouwenscontactpersoon?"})
    assert filed.status_code == 201 and filed.get_json()["owner"] == {"type": "bond", "id": network.knvb.id, "name": "KNVB", "team_id": network.knvb.team.id}


@pytest.mark.parametrize("who", ["bondsspecialist", "ondersteuner", "club_contact", "coordinator", "beheerder"])
def test_only_the_bonds_lead_proposes(api, network, who):
    assert_problem(api(who).put("/bonds/knvb/agreements", json=PROPOSAL), 403)
    assert count_rows(BondAgreement) == 0


def test_another_bonds_lead_cannot_propose_for_this_bond(api, network):
    other = make_user("bondsspecialist", network.knltb, team_lead=True)
    assert_problem(api(other).put("/bonds/knvb/agreements", json=PROPOSAL), 403)


@pytest.mark.parametrize("who", ["bondsspecialist", "ondersteuner", "club_contact", "beheerder"])
def test_only_the_coordinatiepunt_confirms(api, network, who):
    api(knvb_lead(network)).put("/bonds/knvb/agreements", json=PROPOSAL)
    assert_problem(api(who).post("/bonds/knvb/agreements/confirm"), 403)
    assert count_rows(BondAgreement, BondAgreement.state == "confirmed") == 0


@pytest.mark.parametrize("who, status", [("ondersteuner", 403), ("club_contact", 403), (None, 401)])
def test_others_do_not_read_a_bonds_agreements(api, network, who, status):
    assert_problem(api(who).get("/bonds/knvb/agreements"), status)


def test_a_member_of_another_bond_does_not_read_them(api, network):
    other = make_user("bondsspecialist", network.knltb)
    assert_problem(api(other).get("/bonds/knvb/agreements"), 403)
    assert api("bondsspecialist").get("/bonds/knvb/agreements").status_code == 200  # a KNVB member does


def test_bad_proposals_are_422_in_dutch_and_store_nothing(api, network):
    lead = api(knvb_lead(network))
    problem = assert_problem(lead.put("/bonds/knvb/agreements", json={
        "agreements": [{"category": "bestaat-niet", "handled_by": "bond"}]}), 422, field="agreements")
    assert "bestaat niet" in problem["errors"]["agreements"]
    assert_problem(lead.put("/bonds/knvb/agreements", json={
        "agreements": [{"category": "sociaal-veilige-sport", "handled_by": "iedereen"}]}), 422)
    assert_problem(lead.put("/bonds/onbekend/agreements", json=PROPOSAL), 404)
    assert count_rows(BondAgreement) == 0


def test_confirming_without_a_proposal_is_409(api, network):
    assert_problem(api("coordinator").post("/bonds/knvb/agreements/confirm"), 409)


def test_confirming_a_proposal_that_no_longer_holds_is_a_documented_422_and_stores_nothing(api, network):
    """KNVB proposed to handle a generic category itself, then was disconnected: the proposal cannot route."""
    assert api(knvb_lead(network)).put("/bonds/knvb/agreements", json=PROPOSAL).status_code == 200
    network.knvb.aangesloten = False
    _db.session.commit()
    problem = assert_problem(api("coordinator").post("/bonds/knvb/agreements/confirm"), 422, field="agreements")
    assert "nog niet aangesloten" in problem["errors"]["agreements"]
    assert count_rows(BondAgreement, BondAgreement.state == "confirmed") == 0
    assert count_rows(BondAgreement, BondAgreement.state == "proposed") == 2
