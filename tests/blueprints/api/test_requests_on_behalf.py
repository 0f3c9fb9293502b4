"""POST /api/v1/requests by a clubondersteuner on a club's behalf: club, channel and contact person; the 404s that
tell nothing about clubs outside one's reach; `channel` and `filed_by` in every request's answer."""
import pytest
from sqlalchemy import func, select

from loket.extensions import db as _db
from loket.models import ClubContact, SupportRequest, User
from tests.factories import ClubFactory
from tests.support.api import assert_problem
from tests.support.mails import outbox_rows


def _count(model) -> int:
    return _db.session.scalar(select(func.count()).select_from(model))


def _body(network, club=None, **fields) -> dict:
    club = club or network.club_utrecht
    body = {"club": club.id, "category": "overig", "title": "Vraag via de telefoon",
            "description": "De penningmeester belde over de contributie.", "channel": "telefoon"}
    if "contact" not in fields and "contact_id" not in fields and club.contacts:
        body["contact_id"] = club.contacts[0].id
    body.update(fields)
    return body


def test_a_clubondersteuner_files_for_a_club_of_the_werkgebied(api, network):
    response = api("collega").post("/requests", json=_body(network))
    assert response.status_code == 201, response.get_data(as_text=True)
    filed = response.get_json()
    assert filed["channel"] == "telefoon" and filed["filed_by"] == "Cees Collega"
    assert filed["owner"]["type"] == "loket" and filed["owner"]["id"] == network.loket_utrecht.id
    assert "due_at" in filed  # a supporter's view of the request
    assert response.headers["Location"].endswith(f"/api/v1/requests/{filed['id']}")
    created = api("collega").get(f"/requests/{filed['id']}").get_json()["timeline"][0]
    assert created["kind"] == "created" and created["data"]["on_behalf"] is True
    assert created["data"]["contact"] == "Anna de Vries"
    # The club's contact reads it too: with how it came in, not with the supporters' details.
    seen = api("club_contact").get(f"/requests/{filed['id']}").get_json()
    assert seen["channel"] == "telefoon" and seen["filed_by"] == "Cees Collega" and "due_at" not in seen
    assert seen["timeline"][0]["data"] == {"channel": "telefoon", "on_behalf": True, "filed_by": "Cees Collega"}
    assert [row.payload["to"] for row in outbox_rows("request_received")] == [network.club_contact.email]


def test_club_id_is_accepted_as_the_name_of_club(api, network):
    body = _body(network)
    body["club_id"] = body.pop("club")
    assert api("collega").post("/requests", json=body).status_code == 201


def test_a_new_contact_person_is_created_with_a_login(api, network):
    response = api("collega").post("/requests", json=_body(network, contact={"name": "Karel Kantine",
                                                                              "email": "karel@uboys.example"}))
    assert response.status_code == 201, response.get_data(as_text=True)
    karel = _db.session.scalar(select(User).where(User.email == "karel@uboys.example"))
    assert karel.club_ids == [network.club_utrecht.id]
    assert [row.payload["to"] for row in outbox_rows("club_contact_login")] == [karel.email]


def test_a_new_contact_person_without_an_address_gets_no_mail(api, network):
    response = api("collega").post("/requests", json=_body(network, contact={"name": "Truus", "phone": "06 1"}))
    assert response.status_code == 201
    assert outbox_rows("club_contact_login") == []
    assert _db.session.scalar(select(ClubContact).where(ClubContact.name == "Truus")).user_id is None


@pytest.mark.parametrize("club", ["club_amersfoort", "club_zeist", "club_bunnik", "waiting", 987654])
def test_a_club_outside_the_werkgebied_is_404_and_nothing_is_stored(api, network, club):
    if club == "waiting":
        club_id = ClubFactory(gemeente=network.utrecht, status="aangemeld").id
        _db.session.commit()
    else:
        club_id = getattr(network, club).id if isinstance(club, str) else club
    body = {**_body(network), "club": club_id, "contact": {"name": "X", "phone": "1"}}
    del body["contact_id"]
    problem = assert_problem(api("collega").post("/requests", json=body), 404)
    assert "bestaat niet" in problem["detail"]
    assert _count(SupportRequest) == 0 and _count(ClubContact) == 1


def test_a_club_contact_naming_another_club_gets_404(api, network):
    body = {"club": network.club_amersfoort.id, "category": "overig", "title": "Hulp", "description": "Tekst"}
    assert_problem(api("club_contact").post("/requests", json=body), 404)
    assert _count(SupportRequest) == 0


def test_a_bondsspecialist_does_not_file_on_a_clubs_behalf(api, network):
    problem = assert_problem(api("bondsspecialist").post("/requests", json=_body(network)), 403)
    assert "clubondersteuners" in problem["detail"]
    assert _count(SupportRequest) == 0


@pytest.mark.parametrize("change, field", [
    ({"channel": "portaal"}, "channel"),
    ({"channel": "fax"}, "channel"),
    ({"channel": None}, "channel"),
    ({"contact_id": 987654}, "contact"),
    ({"contact_id": 2**31}, "contact_id"),
    ({"contact_id": "1"}, "contact_id"),
    ({"contact": {"name": "Zonder bereik"}}, "contact.email"),
    ({"contact": {"name": "", "phone": "1"}}, "contact.name"),
    ({"contact": {"name": "Nul\x00", "phone": "1"}}, "contact.name"),
    ({"contact": {"name": "Esc", "phone": "06\x1b"}}, "contact.phone"),
    ({"contact": {"name": "X", "phone": "1", "role": "baas"}}, "contact.role"),
    ({"contact": {"name": "X", "phone": "1"}, "contact_id": "anna"}, "contact"),  # both
])
def test_bad_channel_or_contact_is_a_422_by_the_field(api, network, change, field):
    if change.get("contact_id") == "anna":
        change = {**change, "contact_id": network.club_utrecht.contacts[0].id}
    body = {k: v for k, v in _body(network, **change).items() if v is not None}
    assert_problem(api("collega").post("/requests", json=body), 422, field=field)
    assert _count(SupportRequest) == 0 and _count(ClubContact) == 1


def test_without_channel_or_contact_a_supporter_is_told_both(api, network):
    body = {"club": network.club_utrecht.id, "category": "overig", "title": "Hulp", "description": "Tekst"}
    problem = assert_problem(api("collega").post("/requests", json=body), 422)
    assert set(problem["errors"]) == {"channel", "contact"}


def test_a_club_files_itself_as_portaal_without_contact(api, network):
    body = {"club": network.club_utrecht.id, "category": "overig", "title": "Hulp", "description": "Tekst"}
    filed = api("club_contact").post("/requests", json={**body, "channel": "portaal"}).get_json()
    assert filed["channel"] == "portaal" and filed["filed_by"] is None
    assert_problem(api("club_contact").post("/requests", json={**body, "channel": "telefoon"}), 422, field="channel")
    assert_problem(api("club_contact").post("/requests", json={**body, "contact_id": 1}), 422, field="contact")


def test_every_request_in_a_list_says_how_it_came_in(api, network):
    api("collega").post("/requests", json=_body(network, channel="bezoek"))
    items = api("ondersteuner").get("/requests").get_json()["items"]
    assert [(i["channel"], i["filed_by"]) for i in items] == [("bezoek", "Cees Collega")]
