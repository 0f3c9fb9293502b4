"""The issue's journey over the API: club → bond → referral to the loket → resolved; the club follows it."""
from tests.support.api import assert_problem

VIEWS = ("team", "inkomend", "uitgaand", "samenwerking")


def _eemland_cannot_see(eemland, request_id):
    assert_problem(eemland.get(f"/requests/{request_id}"), 404)
    for view in VIEWS:
        for status in ("", "&status=open", "&status=opgelost"):
            items = eemland.get(f"/requests?view={view}{status}").get_json()["items"]
            assert request_id not in [item["id"] for item in items]


def test_sport_specific_request_is_referred_to_the_loket_and_resolved(api, network):
    club, bond, loket, eemland = (api("club_contact"), api("bondsspecialist"), api("ondersteuner"),
                                  api("ondersteuner_eemland"))

    # 1. The club files a question about voetbal: routed to the KNVB.
    filed = club.post("/requests", json={
        "club": network.club_utrecht.id, "category": "sporttechnisch-competitie", "sport": "voetbal",
        "title": "Vrijwilligers voor de jeugdcompetitie",
        "description": "We vinden geen begeleiders voor de jeugdteams. Hoe pakken anderen dat aan?"})
    assert filed.status_code == 201
    request_id = filed.get_json()["id"]
    assert filed.get_json()["owner"] == {"type": "bond", "id": network.knvb.id, "name": "KNVB",
                                         "team_id": network.knvb.team.id}
    assert [i["id"] for i in bond.get("/requests").get_json()["items"]] == [request_id]
    _eemland_cannot_see(eemland, request_id)

    # 2. The bond specialist sees it is about volunteers, not sport: refers it to the loket by slug.
    referral = bond.post(f"/requests/{request_id}/referrals", json={
        "to": {"type": "loket", "id": "utrecht"}, "reason": "Vrijwilligersbeleid is generiek: graag het loket."})
    assert referral.status_code == 201
    referral = referral.get_json()
    assert referral["to"]["name"] == "Sportloket Utrecht" and referral["state"] == "voorgesteld"
    incoming = loket.get("/requests?view=inkomend").get_json()["items"]
    assert [i["id"] for i in incoming] == [request_id] and incoming[0]["open_referral"]["id"] == referral["id"]
    _eemland_cannot_see(eemland, request_id)

    # 3. The loket accepts, notes internally, replies to the club and resolves.
    accepted = loket.post(f"/referrals/{referral['id']}/accept")
    assert accepted.status_code == 200 and accepted.get_json()["state"] == "geaccepteerd"
    assert loket.post(f"/requests/{request_id}/messages", json={
        "body": "Intern: voorzitter is lastig bereikbaar, bel na 18 uur.", "internal": True}).status_code == 201
    assert loket.post(f"/requests/{request_id}/messages", json={
        "body": "We koppelen jullie aan de vrijwilligerscentrale en sturen een draaiboek."}).status_code == 201
    resolved = loket.post(f"/requests/{request_id}/status", json={"status": "opgelost"})
    assert resolved.status_code == 200 and resolved.get_json()["status"] == "opgelost"
    assert resolved.get_json()["owner"]["name"] == "Sportloket Utrecht"
    _eemland_cannot_see(eemland, request_id)
    assert bond.get("/requests?view=uitgaand").get_json()["items"] == []
    assert_problem(bond.get(f"/requests/{request_id}"), 404)  # the bond handed it over

    # 4. The club sees every public step and no internal note.
    seen = club.get(f"/requests/{request_id}").get_json()
    full = loket.get(f"/requests/{request_id}").get_json()
    public_steps = [(e["id"], e["kind"]) for e in full["timeline"] if e["public"]]
    assert [(e["id"], e["kind"]) for e in seen["timeline"]] == public_steps
    kinds = [e["kind"] for e in seen["timeline"]]
    assert kinds[0] == "created" and "referral_accepted" in kinds and "public_reply" in kinds
    assert seen["status"] == "opgelost" and seen["resolved_at"].endswith("Z")
    assert seen["timeline"][-1]["data"] == {"from": "in_behandeling", "to": "opgelost"}
    accepted_step = next(e for e in seen["timeline"] if e["kind"] == "referral_accepted")
    assert accepted_step["data"]["to_team"] == "Sportloket Utrecht"
    assert "vrijwilligerscentrale" in str(seen)
    text = str(seen)
    for secret in ("Intern", "18 uur", "internal_note", "referral_proposed", "Vrijwilligersbeleid is generiek",
                   "routed"):
        assert secret not in text
    assert {e["kind"] for e in full["timeline"]} >= {"internal_note", "referral_proposed", "routed"}
    assert [i["id"] for i in club.get("/requests").get_json()["items"]] == [request_id]
