"""Registrations over the API: registering without a token (202, the same for an address in use), confirming with
the token from the mail, no API token before confirmation, filing refused (403) until the loket approves, and the
loket's (or the coördinatiepunt's) list and decisions."""
import pytest

from loket.extensions import db as _db
from loket.models import AccountToken, Club, ClubContact, ClubRegistration, OutboxMessage, User
from loket.services.network import api_tokens
from tests.factories import ClubFactory
from tests.support.api import assert_problem
from tests.support.db import count_rows
from tests.support.mails import outbox_rows
from tests.support.registrations import PASSWORD, club_data, confirmation_token, contact_data

STORED = (Club, User, ClubContact, ClubRegistration, AccountToken, OutboxMessage)


def _counts():
    return {model.__name__: count_rows(model) for model in STORED}


def _body(club=None, contact=None):
    return {"club": club_data(**(club or {})), "contact": contact_data(**(contact or {}))}


def _register(api, **contact):
    response = api().post("/registrations", json=_body(contact=contact))
    assert response.status_code == 202, response.get_data(as_text=True)
    return response


def _confirmed(api, email="noor@nieuw.example", **club) -> dict:
    api().post("/registrations", json=_body(club=club, contact={"email": email}))
    response = api().post("/registrations/confirm", json={"token": confirmation_token(email)})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["registration"]


def _token(email, password=PASSWORD):
    return api_tokens.issue_token(email, password).token


def test_registering_needs_no_token_and_answers_202_with_a_mailed_link(api, network):
    response = _register(api)
    body = response.get_json()
    assert body["email"] == "noor@nieuw.example" and "Kijk in je mail" in body["detail"]
    assert len(outbox_rows("registration_confirm", "noor@nieuw.example")) == 1
    assert confirmation_token("noor@nieuw.example")


def test_an_address_in_use_gets_the_same_202(api, network):
    fresh = _register(api, email="nieuw@club.example").get_json()
    before = _counts()
    in_use = _register(api, email="anna@uboys.example").get_json()
    assert {**in_use, "email": "X"} == {**fresh, "email": "X"}
    assert _counts() == {**before, "OutboxMessage": before["OutboxMessage"] + 1}
    assert [row.payload["to"] for row in outbox_rows("registration_address_in_use")] == ["anna@uboys.example"]


@pytest.mark.parametrize("club, contact, field", [
    ({"gemeente": "GM9999"}, {}, "club.gemeente"),
    ({"kvk": "1234567"}, {}, "club.kvk"),
    ({"sports": ["quidditch"]}, {}, "club.sports"),
    ({"sports": []}, {}, "club.sports"),
    ({"kind": "bedrijf"}, {}, "club.kind"),
    ({"name": "x" * 201}, {}, "club.name"),
    ({"name": "FC\x00"}, {}, "club.name"),
    ({"name": "FC \x1b"}, {}, "club.name"),
    ({}, {"password": "wachtwoord"}, "contact.password"),
    ({}, {"email": "nee"}, "contact.email"),
])
def test_bad_fields_answer_422_in_dutch_and_store_nothing(api, network, club, contact, field):
    before = _counts()
    response = api().post("/registrations", json=_body(club, contact))
    assert_problem(response, 422, field=field)
    assert _counts() == before


def test_no_api_token_before_confirmation_and_no_filing_until_approved(api, network):
    _register(api)
    refused = api().post("/auth/token", json={"email": "noor@nieuw.example", "password": PASSWORD})
    assert refused.status_code in (401, 403)
    assert_problem(refused, refused.status_code)

    confirmed = api().post("/registrations/confirm", json={"token": confirmation_token("noor@nieuw.example")})
    assert confirmed.status_code == 200
    registration = confirmed.get_json()["registration"]
    assert confirmed.get_json()["email_confirmed"] is True
    assert (registration["kind"], registration["state"], registration["club"]["status"]) == (
        "new_club", "pending", "aangemeld")

    newcomer = api(token=_token("noor@nieuw.example"))
    request = {"club": registration["club"]["id"], "category": "overig", "title": "Hulp",
               "description": "Welke subsidies zijn er?"}
    problem = assert_problem(newcomer.post("/requests", json=request), 403)
    assert "wacht nog op het loket" in problem["detail"]

    approved = api("ondersteuner").post(f"/registrations/{registration['id']}/approve")
    assert approved.status_code == 200 and approved.get_json()["club"]["status"] == "actief"
    assert newcomer.post("/requests", json=request).status_code == 201


@pytest.mark.parametrize("token", ["niets", "x" * 200])
def test_a_wrong_token_answers_400(api, network, token):
    assert_problem(api().post("/registrations/confirm", json={"token": token}), 400, field="token")


def test_a_used_token_answers_400(api, network):
    _register(api)
    token = confirmation_token("noor@nieuw.example")
    assert api().post("/registrations/confirm", json={"token": token}).status_code == 200
    problem = assert_problem(api().post("/registrations/confirm", json={"token": token}), 400, field="token")
    assert "al gebruikt" in problem["detail"]


def test_the_loket_lists_pending_registrations_with_possible_duplicates(api, network):
    existing = ClubFactory(name="VV Domstad '28", gemeente=network.utrecht, kvk_number="40478911")
    _db.session.commit()
    registration = _confirmed(api, name="V.V. Domstad 28", kvk="40478911")
    response = api("ondersteuner").get("/registrations?state=pending")
    assert response.status_code == 200
    [item] = response.get_json()["items"]
    assert (item["id"], item["club"]["name"], item["gemeente"]) == (
        registration["id"], "V.V. Domstad 28", {"code": "GM0344", "name": "Utrecht"})
    assert item["contact"] == {"name": "Noor Nieuw", "email": "noor@nieuw.example", "function": None}
    assert item["club"]["kvk_number"] == "40478911"
    assert item["possible_duplicates"] == [{"id": existing.id, "name": "VV Domstad '28", "gemeente": "Utrecht",
                                            "reason": "zelfde KvK-nummer"}]
    assert api("ondersteuner").get("/registrations").get_json()["total"] == 1  # pending is the default
    assert_problem(api("ondersteuner").get("/registrations?state=approved"), 422, field="state")


def test_the_coordinatiepunt_lists_only_club_name_gemeente_and_kind(api, network):
    registration = _confirmed(api, gemeente="GM0355", name="Zeister Zwemclub", kvk="87654321")
    [item] = api("coordinator").get("/registrations").get_json()["items"]
    assert item["id"] == registration["id"] and item["club"]["name"] == "Zeister Zwemclub"
    assert item["contact"] is None and item["club"]["kvk_number"] is None and item["club"]["sports"] == []
    assert api("ondersteuner").get("/registrations").get_json()["items"] == []
    assert api("coordinator").post(f"/registrations/{registration['id']}/approve").status_code == 200


def test_another_lokets_supporter_gets_404(api, network):
    registration = _confirmed(api)
    eva = api("ondersteuner_eemland")
    assert eva.get("/registrations").get_json()["items"] == []
    assert_problem(eva.post(f"/registrations/{registration['id']}/approve"), 404)
    assert_problem(eva.post(f"/registrations/{registration['id']}/reject", json={"reason": "Nee"}), 404)
    assert_problem(api("ondersteuner").post("/registrations/999999/approve"), 404)
    assert _db.session.get(ClubRegistration, registration["id"]).state == "pending"


def test_rejecting_needs_a_reason_is_mailed_and_the_club_stays_invisible(api, network):
    registration = _confirmed(api)
    supporter = api("ondersteuner")
    assert_problem(supporter.post(f"/registrations/{registration['id']}/reject", json={"reason": ""}), 422,
                   field="reason")
    assert_problem(supporter.post(f"/registrations/{registration['id']}/reject", json={"reason": "  "}), 422,
                   field="reason")
    rejected = supporter.post(f"/registrations/{registration['id']}/reject", json={"reason": "Bestaat al."})
    assert rejected.status_code == 200
    assert (rejected.get_json()["state"], rejected.get_json()["club"]["status"]) == ("rejected", "afgewezen")
    assert outbox_rows("registration_rejected")[0].payload["context"]["reason"] == "Bestaat al."
    assert_problem(supporter.post(f"/registrations/{registration['id']}/approve"), 409)

    listed = api("beheerder").get("/clubs?per_page=100").get_json()["items"]
    assert registration["club"]["id"] not in {club["id"] for club in listed}
    newcomer = api(token=_token("noor@nieuw.example"))
    assert_problem(newcomer.post("/requests", json={"club": registration["club"]["id"], "category": "overig",
                                                    "title": "Hulp", "description": "Tekst"}), 403)


def test_registering_over_the_api_is_rate_limited(app, api, network, monkeypatch):
    monkeypatch.setitem(app.config, "REGISTRATION_RATE_LIMIT", "2 per hour")
    for n in range(2):
        _register(api, email=f"p{n}@nieuw.example")
    assert_problem(api().post("/registrations", json=_body(contact={"email": "p9@nieuw.example"})), 429)
