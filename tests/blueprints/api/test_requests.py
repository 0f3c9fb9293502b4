"""Support requests over the API: the same rules as the website, answered in JSON."""
import pytest
from sqlalchemy import func, select

from loket.extensions import db as _db
from loket.models import Collaborator, Event, Referral, SupportRequest
from tests.support.api import assert_problem


def _count(model):
    return _db.session.scalar(select(func.count()).select_from(model))


def _file(api, network, *, who="club_contact", club=None, **fields):
    body = {"club": (club or network.club_utrecht).id, "category": "overig", "title": "Hulp bij subsidie",
            "description": "Welke fondsen passen bij ons?", **fields}
    response = api(who).post("/requests", json=body)
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def _voetbal(api, network):
    return _file(api, network, category="sporttechnisch-competitie", sport="voetbal",
                 title="Competitie", description="Hoe schrijven we een extra team in?")


# ---------------------------------------------------------------- filing

def test_a_club_files_a_generic_request_that_the_loket_owns(api, network):
    response = api("club_contact").post("/requests", json={
        "club": network.club_utrecht.id, "category": "overig", "title": "Hulp", "description": "Tekst"})
    assert response.status_code == 201
    filed = response.get_json()
    assert filed["reference"].startswith("LK-") and filed["status"] == "nieuw"
    assert filed["owner"] == {"type": "loket", "id": network.loket_utrecht.id, "name": "Sportloket Utrecht",
                              "team_id": network.loket_utrecht.team.id}
    assert response.headers["Location"].endswith(f"/api/v1/requests/{filed['id']}")
    assert "assignee" not in filed and "due_at" not in filed


def test_a_sport_specific_request_goes_to_the_bond(api, network):
    filed = _voetbal(api, network)
    assert filed["owner"]["type"] == "bond" and filed["owner"]["id"] == network.knvb.id
    assert filed["sport"] == "voetbal"


def test_a_request_from_a_gemeente_without_loket_goes_to_the_fallback_queue(api, network):
    filed = _file(api, network, who="zeist_contact", club=network.club_zeist)
    assert filed["owner"]["type"] == "fallback" and filed["owner"]["id"] is None


# A clubondersteuner files on a club's behalf (tests/blueprints/api/test_requests_on_behalf.py): without a
# channel and contact person that is a 422, not a 403.
@pytest.mark.parametrize("who, status", [("ondersteuner", 422), ("bondsspecialist", 403), ("coordinator", 403),
                                         ("beheerder", 403), (None, 401)])
def test_only_club_contacts_and_clubondersteuners_file_requests(api, network, who, status):
    response = api(who).post("/requests", json={"club": network.club_utrecht.id, "category": "overig",
                                                "title": "Hulp", "description": "Tekst"})
    assert_problem(response, status)
    assert _count(SupportRequest) == 0


@pytest.mark.parametrize("club_id", ["amersfoort", 99999])
def test_another_clubs_or_an_unknown_club_get_the_same_answer(api, network, club_id):
    club_id = network.club_amersfoort.id if club_id == "amersfoort" else club_id
    response = api("club_contact").post("/requests", json={"club": club_id, "category": "overig",
                                                           "title": "Hulp", "description": "Tekst"})
    problem = assert_problem(response, 404, contains="bestaat niet")
    assert "Amersfoort" not in problem["detail"]
    assert _count(SupportRequest) == 0


@pytest.mark.parametrize("change, field", [
    ({"title": "  "}, "title"),
    ({"title": "x" * 201}, "title"),
    ({"category": "bestaat-niet"}, "category"),
    ({"category": "sporttechnisch-competitie"}, "sport"),
    ({"sport": "curling", "category": "sporttechnisch-competitie"}, "sport"),
    ({"sport": "voetbal"}, "sport"),
    ({"title": 12}, "title"),
    ({"club": "1"}, "club"),
    ({"club": 1.5}, "club"),
    ({"club": True}, "club"),
    ({"description": ["a"]}, "description"),
    ({"priority": "hoog"}, "priority"),
    ({"description": None}, "description"),
])
def test_invalid_requests_are_422_with_dutch_messages_and_nothing_is_stored(api, network, change, field):
    body = {"club": network.club_utrecht.id, "category": "overig", "title": "Hulp", "description": "Tekst",
            **change}
    assert_problem(api("club_contact").post("/requests", json=body), 422, field=field)
    assert _count(SupportRequest) == 0
    assert _count(Event) == 0


def test_missing_fields_are_all_reported(api, network):
    problem = assert_problem(api("club_contact").post("/requests", json={}), 422)
    assert set(problem["errors"]) == {"club", "category", "title", "description"}


def test_malformed_or_non_json_bodies(api, network):
    client = api("club_contact")
    assert_problem(client.post("/requests", data="{", headers={"Content-Type": "application/json"}), 400)
    assert_problem(client.post("/requests", data="title=x", headers={"Content-Type": "text/plain"}), 415)
    assert_problem(client.post("/requests"), 415)
    assert _count(SupportRequest) == 0


# ---------------------------------------------------------------- listing

def test_club_contacts_list_their_clubs_requests_only(api, network):
    mine = _file(api, network)
    _file(api, network, who="other_club_contact", club=network.club_amersfoort)
    body = api("club_contact").get("/requests").get_json()
    assert [item["id"] for item in body["items"]] == [mine["id"]] and body["total"] == 1
    assert "assignee" not in body["items"][0]


def test_supporters_list_their_team_queue(api, network):
    loket_request = _file(api, network)
    bond_request = _voetbal(api, network)
    assert [i["id"] for i in api("ondersteuner").get("/requests").get_json()["items"]] == [loket_request["id"]]
    assert [i["id"] for i in api("bondsspecialist").get("/requests").get_json()["items"]] == [bond_request["id"]]
    assert api("ondersteuner_eemland").get("/requests").get_json()["items"] == []


def test_request_list_filters(api, network):
    generic = _file(api, network)
    _file(api, network, category="sport-en-zorg", title="Beweegaanbod")
    client = api("ondersteuner")
    assert client.get("/requests").get_json()["total"] == 2
    only = client.get("/requests?category=overig").get_json()["items"]
    assert [i["id"] for i in only] == [generic["id"]]
    client.post(f"/requests/{generic['id']}/status", json={"status": "opgelost"})
    assert client.get("/requests?status=open").get_json()["total"] == 1
    assert [i["id"] for i in client.get("/requests?status=opgelost").get_json()["items"]] == [generic["id"]]
    assert client.get("/requests?status=gesloten").get_json()["total"] == 0
    assert_problem(client.get("/requests?status=klaar"), 422, field="status")
    assert_problem(client.get("/requests?category=bestaat-niet"), 422, field="category")
    assert_problem(client.get("/requests?per_page=500"), 422, field="per_page")


def test_queue_views_show_incoming_outgoing_and_shared_requests(api, network):
    filed = _voetbal(api, network)
    bond = api("bondsspecialist")
    bond.post(f"/requests/{filed['id']}/referrals", json={"to": {"type": "loket", "id": "utrecht"},
                                                          "reason": "Generieke vraag"})
    loket = api("ondersteuner")
    assert [i["id"] for i in loket.get("/requests?view=inkomend").get_json()["items"]] == [filed["id"]]
    assert [i["id"] for i in loket.get("/requests?team=inkomend").get_json()["items"]] == [filed["id"]]
    assert loket.get("/requests").get_json()["items"] == []
    outgoing = bond.get("/requests?view=uitgaand").get_json()["items"]
    assert outgoing[0]["open_referral"]["to"]["name"] == "Sportloket Utrecht"
    other = _file(api, network)
    loket.post(f"/requests/{other['id']}/collaborators", json={"team": {"type": "bond", "id": "knvb"}})
    assert [i["id"] for i in bond.get("/requests?view=samenwerking").get_json()["items"]] == [other["id"]]


def test_views_belong_to_roles(api, network):
    assert_problem(api("ondersteuner").get("/requests?view=club"), 403)
    assert_problem(api("club_contact").get("/requests?view=team"), 403)
    assert_problem(api("club_contact").get("/requests?view=alles"), 422, field="view")


@pytest.mark.parametrize("who, status", [("coordinator", 403), ("beheerder", 403), (None, 401)])
def test_coordinatiepunt_and_beheer_do_not_read_requests(api, network, who, status):
    filed = _file(api, network)
    assert_problem(api(who).get("/requests"), status)
    assert_problem(api(who).get(f"/requests/{filed['id']}"), status)


# ---------------------------------------------------------------- reading one

def test_a_club_reads_its_request_with_the_public_timeline_only(api, network):
    filed = _file(api, network)
    loket = api("ondersteuner")
    loket.post(f"/requests/{filed['id']}/messages", json={"body": "Intern: bel de gemeente", "internal": True})
    loket.post(f"/requests/{filed['id']}/messages", json={"body": "We zoeken het uit."})
    loket.post(f"/requests/{filed['id']}/claim")
    detail = api("club_contact").get(f"/requests/{filed['id']}").get_json()
    assert detail["description"] == "Welke fondsen passen bij ons?"
    kinds = [e["kind"] for e in detail["timeline"]]
    assert kinds == ["created", "public_reply", "status_changed"]
    assert all(e["public"] for e in detail["timeline"])
    assert "Intern" not in str(detail)
    assert "assignee" not in detail and "permissions" not in detail and "collaborators" not in detail
    reply = detail["timeline"][1]
    assert reply["actor"] == {"name": "Ofelia Ondersteuner"} and reply["created_at"].endswith("Z")


def test_a_supporter_reads_everything_and_what_it_may_do(api, network):
    filed = _file(api, network)
    loket = api("ondersteuner")
    loket.post(f"/requests/{filed['id']}/messages", json={"body": "Intern", "internal": True})
    detail = loket.get(f"/requests/{filed['id']}").get_json()
    assert [e["kind"] for e in detail["timeline"]] == ["created", "routed", "internal_note"]
    assert detail["permissions"] == {"manage": True, "reply": True, "note": True}
    assert detail["version"] >= 1 and detail["due_at"].endswith("Z")


@pytest.mark.parametrize("who", ["other_club_contact", "ondersteuner_eemland", "bondsspecialist"])
def test_others_get_404_for_a_request_they_have_no_part_in(api, network, who):
    filed = _file(api, network)
    problem = assert_problem(api(who).get(f"/requests/{filed['id']}"), 404)
    unknown = assert_problem(api(who).get("/requests/99999"), 404)
    assert problem["detail"] == unknown["detail"]  # existence is never revealed


# ---------------------------------------------------------------- messages

def test_club_replies_and_cannot_write_internal_notes(api, network):
    filed = _file(api, network)
    club = api("club_contact")
    response = club.post(f"/requests/{filed['id']}/messages", json={"body": "Aanvulling"})
    assert response.status_code == 201
    assert response.get_json()["kind"] == "public_reply" and response.get_json()["public"] is True
    events = _count(Event)
    assert_problem(club.post(f"/requests/{filed['id']}/messages", json={"body": "Stiekem", "internal": True}), 403)
    assert _count(Event) == events


def test_supporters_write_notes_and_replies(api, network):
    filed = _file(api, network)
    loket = api("ondersteuner")
    note = loket.post(f"/requests/{filed['id']}/messages", json={"body": "Notitie", "internal": True})
    assert note.status_code == 201 and note.get_json()["kind"] == "internal_note"
    assert note.get_json()["actor"]["name"] == "Ofelia Ondersteuner"
    reply = loket.post(f"/requests/{filed['id']}/messages", json={"body": "Antwoord", "internal": False})
    assert reply.get_json()["kind"] == "public_reply"
    assert loket.get(f"/requests/{filed['id']}").get_json()["status"] == "in_behandeling"


def test_message_errors(api, network):
    filed = _file(api, network)
    events = _count(Event)
    assert_problem(api("ondersteuner").post(f"/requests/{filed['id']}/messages", json={"body": " "}), 422,
                   field="body")
    assert_problem(api("ondersteuner").post(f"/requests/{filed['id']}/messages", json={"body": "x",
                                                                                       "internal": "ja"}),
                   422, field="internal")
    assert_problem(api("ondersteuner_eemland").post(f"/requests/{filed['id']}/messages", json={"body": "x"}), 404)
    assert_problem(api("other_club_contact").post(f"/requests/{filed['id']}/messages", json={"body": "x"}), 404)
    assert_problem(api("coordinator").post(f"/requests/{filed['id']}/messages", json={"body": "x"}), 403)
    assert_problem(api().post(f"/requests/{filed['id']}/messages", json={"body": "x"}), 401)
    assert _count(Event) == events


def test_a_closed_request_takes_no_more_messages(api, network):
    filed = _file(api, network)
    api("ondersteuner").post(f"/requests/{filed['id']}/status", json={"status": "gesloten"})
    assert_problem(api("club_contact").post(f"/requests/{filed['id']}/messages", json={"body": "Nog iets"}), 409)


# ---------------------------------------------------------------- claim and status

def test_claiming_assigns_once(api, network):
    filed = _file(api, network)
    response = api("ondersteuner").post(f"/requests/{filed['id']}/claim")
    assert response.status_code == 200
    assert response.get_json()["assignee"]["name"] == "Ofelia Ondersteuner"
    assert response.get_json()["status"] == "in_behandeling"
    assert_problem(api("collega").post(f"/requests/{filed['id']}/claim"), 409, contains="Ofelia")


@pytest.mark.parametrize("who, status", [("club_contact", 403), ("coordinator", 403), ("ondersteuner_eemland", 404),
                                         ("bondsspecialist", 404), (None, 401)])
def test_who_may_not_claim(api, network, who, status):
    filed = _file(api, network)
    assert_problem(api(who).post(f"/requests/{filed['id']}/claim"), status)
    assert _db.session.get(SupportRequest, filed["id"]).assignee_id is None


def test_claiming_an_unknown_request_is_404(api, network):
    assert_problem(api("ondersteuner").post("/requests/424242/claim"), 404)


def test_status_changes_follow_the_status_machine(api, network):
    filed = _file(api, network)
    loket = api("ondersteuner")
    response = loket.post(f"/requests/{filed['id']}/status", json={"status": "wacht_op_club"})
    assert response.status_code == 200 and response.get_json()["status"] == "wacht_op_club"
    assert_problem(loket.post(f"/requests/{filed['id']}/status", json={"status": "doorverwezen"}), 422,
                   field="status")
    assert_problem(loket.post(f"/requests/{filed['id']}/status", json={"status": "klaar"}), 422, field="status")
    assert _db.session.get(SupportRequest, filed["id"]).status == "wacht_op_club"


def test_a_stale_version_is_a_conflict_not_an_overwrite(api, network):
    filed = _file(api, network)
    loket = api("ondersteuner")
    version = loket.get(f"/requests/{filed['id']}").get_json()["version"]
    api("collega").post(f"/requests/{filed['id']}/status", json={"status": "in_behandeling", "version": version})
    assert_problem(loket.post(f"/requests/{filed['id']}/status", json={"status": "opgelost", "version": version}),
                   409)
    assert _db.session.get(SupportRequest, filed["id"]).status == "in_behandeling"


def test_only_the_owning_team_changes_status(api, network):
    filed = _file(api, network)
    api("ondersteuner").post(f"/requests/{filed['id']}/collaborators", json={"team": {"type": "bond", "id": "knvb"}})
    assert_problem(api("bondsspecialist").post(f"/requests/{filed['id']}/status", json={"status": "opgelost"}), 403)
    assert_problem(api("ondersteuner_eemland").post(f"/requests/{filed['id']}/status",
                                                    json={"status": "opgelost"}), 404)
    assert_problem(api("club_contact").post(f"/requests/{filed['id']}/status", json={"status": "opgelost"}), 403)


# ---------------------------------------------------------------- referrals

def test_referring_by_slug_key_or_numeric_id(api, network):
    filed = _voetbal(api, network)
    response = api("bondsspecialist").post(f"/requests/{filed['id']}/referrals", json={
        "to": {"type": "loket", "id": "utrecht"}, "reason": "Dit is een generieke vraag"})
    assert response.status_code == 201
    referral = response.get_json()
    assert referral["state"] == "voorgesteld" and referral["due_at"].endswith("Z")
    assert referral["to"] == {"type": "loket", "id": network.loket_utrecht.id, "name": "Sportloket Utrecht",
                              "team_id": network.loket_utrecht.team.id}
    assert referral["from"]["name"] == "KNVB"
    other = _file(api, network)
    response = api("ondersteuner").post(f"/requests/{other['id']}/referrals", json={
        "to": {"type": "bond", "id": network.knvb.id}, "reason": "Sportspecifiek"})
    assert response.status_code == 201 and response.get_json()["to"]["name"] == "KNVB"


def test_referral_conflicts_and_invalid_targets(api, network):
    filed = _file(api, network)
    loket = api("ondersteuner")
    path = f"/requests/{filed['id']}/referrals"
    for target, field in (({"type": "loket", "id": "nergens"}, "to.id"), ({"type": "bond", "id": 9999}, "to.id"),
                          ({"type": "loket", "id": "bunnik"}, "to"), ({"type": "bond", "id": "knltb"}, "to"),
                          ({"type": "loket", "id": "utrecht"}, "to"), ({"type": "team", "id": 1}, "to.type"),
                          ({"type": "loket", "id": True}, "to.id"), ({"type": "loket"}, "to.id")):
        assert_problem(loket.post(path, json={"to": target, "reason": "Waarom"}), 422, field=field)
    assert_problem(loket.post(path, json={"to": {"type": "loket", "id": "eemland"}, "reason": " "}), 422,
                   field="reason")
    assert _count(Referral) == 0
    assert loket.post(path, json={"to": {"type": "loket", "id": "eemland"}, "reason": "Verhuisd"}).status_code == 201
    assert_problem(loket.post(path, json={"to": {"type": "bond", "id": "knvb"}, "reason": "Toch"}), 409)
    assert _count(Referral) == 1


def test_who_may_not_refer(api, network):
    filed = _file(api, network)
    body = {"to": {"type": "bond", "id": "knvb"}, "reason": "Sportspecifiek"}
    assert_problem(api("club_contact").post(f"/requests/{filed['id']}/referrals", json=body), 403)
    assert_problem(api("bondsspecialist").post(f"/requests/{filed['id']}/referrals", json=body), 404)
    assert_problem(api("ondersteuner").post("/requests/9999/referrals", json=body), 404)
    assert _count(Referral) == 0


def _referred(api, network):
    filed = _voetbal(api, network)
    referral = api("bondsspecialist").post(f"/requests/{filed['id']}/referrals", json={
        "to": {"type": "loket", "id": "utrecht"}, "reason": "Generiek"}).get_json()
    return filed, referral


def test_the_receiving_team_accepts_and_becomes_owner(api, network):
    filed, referral = _referred(api, network)
    response = api("ondersteuner").post(f"/referrals/{referral['id']}/accept")
    assert response.status_code == 200 and response.get_json()["state"] == "geaccepteerd"
    detail = api("ondersteuner").get(f"/requests/{filed['id']}").get_json()
    assert detail["owner"]["type"] == "loket" and detail["status"] == "nieuw"
    assert_problem(api("collega").post(f"/referrals/{referral['id']}/accept"), 409)


def test_the_receiving_team_declines_with_a_reason(api, network):
    filed, referral = _referred(api, network)
    loket = api("ondersteuner")
    assert_problem(loket.post(f"/referrals/{referral['id']}/decline", json={}), 422, field="reason")
    assert_problem(loket.post(f"/referrals/{referral['id']}/decline", json={"reason": ""}), 422, field="reason")
    response = loket.post(f"/referrals/{referral['id']}/decline", json={"reason": "Echt sporttechnisch"})
    assert response.status_code == 200
    assert response.get_json()["state"] == "afgewezen"
    assert response.get_json()["decline_reason"] == "Echt sporttechnisch"
    detail = api("bondsspecialist").get(f"/requests/{filed['id']}").get_json()
    assert detail["owner"]["name"] == "KNVB" and detail["status"] == "nieuw"
    # The loket no longer has a part in the request; the bond still does, but the referral is decided.
    assert_problem(loket.post(f"/referrals/{referral['id']}/decline", json={"reason": "nogmaals"}), 404)
    assert_problem(api("bondsspecialist").post(f"/referrals/{referral['id']}/accept"), 409)


def test_who_may_not_decide_a_referral(api, network):
    filed, referral = _referred(api, network)
    assert_problem(api("bondsspecialist").post(f"/referrals/{referral['id']}/accept"), 403)  # the sender
    assert_problem(api("ondersteuner_eemland").post(f"/referrals/{referral['id']}/accept"), 404)
    assert_problem(api("ondersteuner_eemland").post(f"/referrals/{referral['id']}/decline",
                                                    json={"reason": "x"}), 404)
    assert_problem(api("ondersteuner").post("/referrals/9999/accept"), 404)
    assert_problem(api("club_contact").post(f"/referrals/{referral['id']}/accept"), 403)
    assert_problem(api().post(f"/referrals/{referral['id']}/accept"), 401)
    assert _db.session.get(Referral, referral["id"]).state == "voorgesteld"


# ---------------------------------------------------------------- collaborators

def test_inviting_and_ending_a_collaboration_by_body(api, network):
    filed = _file(api, network)
    loket = api("ondersteuner")
    path = f"/requests/{filed['id']}/collaborators"
    response = loket.post(path, json={"team": {"type": "loket", "id": "eemland"}, "reason": "Kennis van korfbal"})
    assert response.status_code == 201
    assert response.get_json()["team"]["name"] == "Sportloket Eemland"
    eemland = api("ondersteuner_eemland")
    detail = eemland.get(f"/requests/{filed['id']}").get_json()
    assert detail["permissions"] == {"manage": False, "reply": True, "note": True}
    assert_problem(loket.post(path, json={"team": {"type": "loket", "id": network.loket_eemland.id}}), 409)
    assert loket.delete(path, json={"team": {"type": "loket", "id": "eemland"}}).status_code == 204
    assert_problem(eemland.get(f"/requests/{filed['id']}"), 404)
    assert_problem(loket.delete(path, json={"team": {"type": "loket", "id": "eemland"}}), 404)


def test_ending_a_collaboration_by_path(api, network):
    filed = _file(api, network)
    loket = api("ondersteuner")
    loket.post(f"/requests/{filed['id']}/collaborators", json={"team": {"type": "bond", "id": "knvb"}})
    # The invited team may step out itself.
    assert api("bondsspecialist").delete(f"/requests/{filed['id']}/collaborators/bond/knvb").status_code == 204
    loket.post(f"/requests/{filed['id']}/collaborators", json={"team": {"type": "bond", "id": "knvb"}})
    assert loket.delete(f"/requests/{filed['id']}/collaborators/bond/{network.knvb.id}").status_code == 204
    assert_problem(loket.delete(f"/requests/{filed['id']}/collaborators/bond/knvb"), 404)
    assert_problem(loket.delete(f"/requests/{filed['id']}/collaborators/team/1"), 404)


def test_collaboration_errors(api, network):
    filed = _file(api, network)
    path = f"/requests/{filed['id']}/collaborators"
    loket = api("ondersteuner")
    assert_problem(loket.post(path, json={"team": {"type": "loket", "id": "utrecht"}}), 422, field="team")
    assert_problem(loket.post(path, json={"team": {"type": "loket", "id": "nergens"}}), 422, field="team.id")
    assert_problem(loket.post(path, json={"team": "eemland"}), 422, field="team")
    assert_problem(loket.delete(path), 415)
    assert_problem(api("ondersteuner_eemland").post(path, json={"team": {"type": "bond", "id": "knvb"}}), 404)
    assert_problem(api("club_contact").post(path, json={"team": {"type": "bond", "id": "knvb"}}), 403)
    assert _count(Collaborator) == 0


# ---------------------------------------------------------------- landelijke initiatieven, like any team

def test_a_loket_refers_to_an_initiative_which_accepts_and_works_the_request(api, network):
    filed = _file(api, network)
    loket, spn = api("ondersteuner"), api("initiatiefmedewerker")
    assert_problem(spn.get(f"/requests/{filed['id']}"), 404)
    response = loket.post(f"/requests/{filed['id']}/referrals", json={
        "to": {"type": "initiatief", "id": "spn"}, "reason": "Procesbegeleiding past hier."})
    assert response.status_code == 201
    referral = response.get_json()
    assert referral["to"] == {"type": "initiatief", "id": network.spn.id, "name": "SPN procesbegeleiders",
                              "team_id": network.spn.team.id}
    incoming = spn.get("/requests?view=inkomend").get_json()["items"]
    assert [item["id"] for item in incoming] == [filed["id"]]
    assert spn.post(f"/referrals/{referral['id']}/accept").status_code == 200
    detail = spn.get(f"/requests/{filed['id']}").get_json()
    assert detail["owner"]["type"] == "initiatief" and detail["permissions"]["manage"] is True
    assert spn.post(f"/requests/{filed['id']}/messages", json={"body": "We bellen je.", "internal": False}) \
        .status_code == 201
    assert_problem(loket.get(f"/requests/{filed['id']}"), 404)
    assert_problem(api("bondsspecialist").get(f"/requests/{filed['id']}"), 404)


def test_an_initiative_is_invited_by_type_and_key_and_steps_out_by_path(api, network):
    filed = _file(api, network)
    loket, spn = api("ondersteuner"), api("initiatiefmedewerker")
    path = f"/requests/{filed['id']}/collaborators"
    response = loket.post(path, json={"team": {"type": "initiatief", "id": "spn"}})
    assert response.status_code == 201 and response.get_json()["team"]["name"] == "SPN procesbegeleiders"
    assert spn.get(f"/requests/{filed['id']}").get_json()["permissions"] == {"manage": False, "reply": True,
                                                                               "note": True}
    assert_problem(loket.post(path, json={"team": {"type": "initiatief", "id": "nergens"}}), 422, field="team.id")
    assert spn.delete(f"{path}/initiatief/spn").status_code == 204
    assert_problem(spn.get(f"/requests/{filed['id']}"), 404)


def test_an_initiative_member_files_no_request(api, network):
    response = api("initiatiefmedewerker").post("/requests", json={
        "club": network.club_utrecht.id, "category": "overig", "title": "Hulp", "description": "Tekst"})
    assert_problem(response, 403)
    assert _count(SupportRequest) == 0
