"""PATCH /api/v1/lokets/<slug>: beheer and the coördinatiepunt change a loket's life cycle over the API."""
from datetime import timedelta

import pytest

from loket.extensions import db as _db
from loket.models import NetworkChange
from loket.models.base import today_in_amsterdam
from loket.services.network import history
from tests.support.api import assert_problem
from tests.support.db import count_rows, reloaded
from tests.support.requests import file_request


@pytest.mark.parametrize("who", ["beheerder", "coordinator"])
def test_a_loket_is_read_with_its_website_and_dates(api, network, who):
    network.loket_utrecht.url = "https://utrecht.example"
    _db.session.commit()
    body = api(who).get("/lokets/utrecht").get_json()
    assert body["slug"] == "utrecht" and body["url"] == "https://utrecht.example"
    assert body["aangehaakt_at"] is None and body["contact_reviewed_at"] is None
    assert body["gemeenten"] == [{"code": "GM0344", "name": "Utrecht"}]


@pytest.mark.parametrize("who", ["beheerder", "coordinator"])
def test_beheer_and_the_coordinatiepunt_make_a_loket_operational_and_aangehaakt(api, network, who):
    network.loket_bunnik.aangehaakt = False
    _db.session.commit()
    response = api(who).patch("/lokets/bunnik", json={"status": "operationeel", "aangehaakt": True,
                                                      "phone": "030 656 00 00", "reason": "Team is compleet"})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["status"], body["aangehaakt"], body["aangehaakt_at"], body["phone"]) == (
        "operationeel", True, today_in_amsterdam().isoformat(), "030 656 00 00")
    changes = {c.field: c for c in history.of_loket(network.loket_bunnik.id)}
    assert changes["status"].actor_id == getattr(network, who).id and changes["status"].reason == "Team is compleet"
    assert {"status", "aangehaakt", "aangehaakt_at", "phone", "stage"} <= set(changes)


def test_only_the_fields_sent_change_and_null_clears_a_contact_field(api, network):
    response = api("beheerder").patch("/lokets/eemland", json={"email": None, "aangehaakt_at": "2025-03-01"})
    assert response.status_code == 200
    loket = reloaded(network.loket_eemland)
    assert loket.email is None and loket.name == "Sportloket Eemland" and loket.status == "operationeel"
    assert loket.aangehaakt_at.isoformat() == "2025-03-01"
    assert [g.code for g in loket.gemeenten] == ["GM0307", "GM0327"]


@pytest.mark.parametrize("who, status", [("ondersteuner", 403), ("bondsspecialist", 403), ("club_contact", 403),
                                         (None, 401)])
def test_others_may_not_change_or_read_a_loket_here(api, network, who, status):
    assert_problem(api(who).patch("/lokets/bunnik", json={"status": "operationeel"}), status)
    assert_problem(api(who).get("/lokets/bunnik"), status)
    assert reloaded(network.loket_bunnik).status == "in_oprichting"


def test_an_unknown_loket_is_a_404(api, network):
    assert_problem(api("beheerder").patch("/lokets/bestaat-niet", json={"status": "operationeel"}), 404)
    assert_problem(api("beheerder").get("/lokets/bestaat-niet"), 404)


def test_going_back_needs_a_reason(api, network):
    problem = assert_problem(api("coordinator").patch("/lokets/utrecht", json={"status": "in_oprichting"}), 422,
                             field="reason", contains="reden")
    assert "in oprichting" in problem["errors"]["reason"]
    assert reloaded(network.loket_utrecht).status == "operationeel" and count_rows(NetworkChange) == 0
    response = api("coordinator").patch("/lokets/utrecht", json={"status": "in_oprichting",
                                                                 "reason": "Tijdelijk geen team"})
    assert response.status_code == 200 and response.get_json()["status"] == "in_oprichting"


@pytest.mark.parametrize("body, field, contains", [
    ({"gemeenten": ["GM9999"]}, "gemeenten", "GM9999"),
    ({"gemeenten": []}, "gemeenten", "minstens één gemeente"),
    ({"gemeenten": ["GM0344", "GM0307"]}, "gemeenten", "Gemeente Amersfoort (GM0307) wordt al bediend"),
    ({"status": "gesloten"}, "status", None),
    ({"aangehaakt": "ja"}, "aangehaakt", None),
    ({"aangehaakt_at": "2026-02-30"}, "aangehaakt_at", "bestaat niet"),
    ({"aangehaakt_at": "1 maart"}, "aangehaakt_at", None),
    ({"name": "Loket\u0000"}, "name", "NUL"),
    ({"name": "Loket\u001b"}, "name", "stuurtekens"),
    ({"url": "utrecht.nl"}, "url", "https://"),
    ({"kleur": "rood"}, "kleur", None),
])
def test_bad_input_is_a_422_with_a_dutch_message_per_field_and_nothing_is_stored(api, network, body, field,
                                                                                contains):
    assert_problem(api("beheerder").patch("/lokets/utrecht", json=body), 422, field=field, contains=contains)
    loket = reloaded(network.loket_utrecht)
    assert (loket.name, loket.status, loket.url, [g.code for g in loket.gemeenten]) == (
        "Sportloket Utrecht", "operationeel", None, ["GM0344"])
    assert count_rows(NetworkChange) == 0


def test_a_future_aangehaakt_date_is_refused(api, network):
    tomorrow = (today_in_amsterdam() + timedelta(days=1)).isoformat()
    assert_problem(api("beheerder").patch("/lokets/utrecht", json={"aangehaakt_at": tomorrow}), 422,
                   field="aangehaakt_at", contains="toekomst")


def test_taking_a_gemeente_over_moves_its_open_requests(api, network):
    request = file_request(network, who="other_club_contact", club="club_amersfoort")
    response = api("beheerder").patch("/lokets/utrecht", json={"gemeenten": ["GM0344", "GM0307"], "take_over": True,
                                                              "reason": "Samenwerking"})
    assert response.status_code == 200
    assert [g["code"] for g in response.get_json()["gemeenten"]] == ["GM0307", "GM0344"]
    request = reloaded(request)
    assert request.owner_team_id == network.loket_utrecht.team.id and request.events[-1].kind == "moved"


def test_fallback_requests_move_to_a_loket_that_becomes_operational(api, network):
    waiting = file_request(network, who="zeist_contact", club="club_zeist")
    assert waiting.owner_team.kind == "fallback"
    assert api("coordinator").patch("/lokets/bunnik", json={"gemeenten": ["GM0312", "GM0355"]}).status_code == 200
    assert reloaded(waiting).owner_team.kind == "fallback"  # Bunnik is still in oprichting
    assert api("coordinator").patch("/lokets/bunnik", json={"status": "operationeel"}).status_code == 200
    assert reloaded(waiting).owner_team_id == network.loket_bunnik.team.id


def test_a_loket_created_over_the_api_starts_its_history(api, network):
    response = api("beheerder").post("/lokets", json={"name": "Sportloket Zeist", "slug": "zeist",
                                                      "gemeenten": ["GM0355"]})
    assert response.status_code == 201
    changes = history.of_loket(response.get_json()["id"])
    assert {(c.field, c.new_value, c.actor_id) for c in changes} == {
        ("created", "Sportloket Zeist", network.beheerder.id), ("gemeente", "Sportloket Zeist", network.beheerder.id),
        ("stage", "in_oprichting", network.beheerder.id)}
