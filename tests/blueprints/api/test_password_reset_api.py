"""A forgotten password over the API: 202 with one answer for every address, 204 with the mailed token, 400
for a wrong, expired or used token, 422 for a weak password; an unconfirmed address gets no token (403)."""
from datetime import timedelta

import pytest

from loket.extensions import db as _db
from loket.models.base import utcnow
from loket.services.network import account_tokens
from tests.factories import PASSWORD
from tests.support.account import mailed_token
from tests.support.api import assert_problem
from tests.support.mails import outbox_rows

NEW_PASSWORD = "een fris nieuw wachtwoord"


def _token_status(api, email, password) -> int:
    return api().post("/auth/token", json={"email": email, "password": password}).status_code


def test_every_address_gets_the_same_202_and_only_a_real_one_a_mail(api, network, hashes):
    known = api().post("/auth/password-reset", json={"email": network.ondersteuner.email})
    known_hashes = len(hashes)
    hashes.clear()
    unknown = api().post("/auth/password-reset", json={"email": "niemand@example.nl"})
    assert known.status_code == unknown.status_code == 202
    assert known.get_data() == unknown.get_data()
    assert "Als er een account bij dit adres hoort" in known.get_json()["detail"]
    assert known_hashes == len(hashes) == 1
    assert [row.payload["to"] for row in outbox_rows()] == [network.ondersteuner.email]


def test_the_mailed_token_sets_a_new_password_once(api, network):
    old_token = api("ondersteuner")
    api().post("/auth/password-reset", json={"email": network.ondersteuner.email})
    token = mailed_token("password_reset")
    response = api().post("/auth/password-reset/confirm", json={"token": token, "password": NEW_PASSWORD})
    assert response.status_code == 204
    assert _token_status(api, network.ondersteuner.email, PASSWORD) == 401  # the old password stops working
    assert _token_status(api, network.ondersteuner.email, NEW_PASSWORD) == 201
    assert_problem(old_token.get("/requests"), 401)  # and so does every token issued before
    again = api().post("/auth/password-reset/confirm", json={"token": token, "password": "nog weer een ander"})
    assert_problem(again, 400, contains="al gebruikt")


def test_a_wrong_or_expired_token_is_a_400_problem(app, api, network):
    long_ago = utcnow() - timedelta(minutes=app.config["PASSWORD_RESET_MINUTES"] + 1)
    expired = account_tokens.issue(network.ondersteuner, "reset_password", now=long_ago)
    _db.session.commit()
    assert_problem(api().post("/auth/password-reset/confirm", json={"token": expired, "password": NEW_PASSWORD}),
                   400, contains="verlopen")
    for wrong in ("niet-echt", "x" * 1000, ""):
        assert_problem(api().post("/auth/password-reset/confirm", json={"token": wrong, "password": NEW_PASSWORD}),
                       400, contains="klopt niet")
    assert _token_status(api, network.ondersteuner.email, PASSWORD) == 201


@pytest.mark.parametrize("password, rule", [
    ("kort", "minstens 12 tekens"),
    ("wachtwoord123", "te gangbaar"),
    ("x" * 201, "hooguit 200 tekens"),
])
def test_a_weak_password_is_a_422_naming_the_rule(api, network, password, rule):
    api().post("/auth/password-reset", json={"email": network.ondersteuner.email})
    token = mailed_token("password_reset")
    assert_problem(api().post("/auth/password-reset/confirm", json={"token": token, "password": password}),
                   422, field="password", contains=rule)
    assert api().post("/auth/password-reset/confirm", json={"token": token, "password": NEW_PASSWORD}).status_code == 204


def test_bodies_are_checked_strictly(api, network):
    client = api()
    assert_problem(client.post("/auth/password-reset", json={}), 422, field="email")
    assert_problem(client.post("/auth/password-reset", json={"email": 5}), 422, field="email")
    assert_problem(client.post("/auth/password-reset", json={"email": "a\x00@example.nl"}), 422, field="email")
    assert_problem(client.post("/auth/password-reset", json={"email": "a@example.nl", "extra": 1}), 422,
                   field="extra")
    assert_problem(client.post("/auth/password-reset/confirm", json={"token": "t"}), 422, field="password")
    assert_problem(client.post("/auth/password-reset", data="email=x",
                               headers={"Content-Type": "application/x-www-form-urlencoded"}), 415)
    assert outbox_rows() == []


def test_asking_is_limited_per_address_and_per_client_address(api, network):
    client = api()
    for n in range(5):
        response = client.post("/auth/password-reset", json={"email": network.ondersteuner.email},
                               environ_base={"REMOTE_ADDR": f"10.3.0.{n}"})
        assert response.status_code == 202
    assert_problem(client.post("/auth/password-reset", json={"email": network.ondersteuner.email.upper()},
                               environ_base={"REMOTE_ADDR": "10.3.1.1"}), 429, contains="15 minuten")
    for n in range(5):
        client.post("/auth/password-reset", json={"email": f"iemand{n}@example.nl"},
                    environ_base={"REMOTE_ADDR": "10.3.2.2"})
    assert_problem(client.post("/auth/password-reset", json={"email": "ander@example.nl"},
                               environ_base={"REMOTE_ADDR": "10.3.2.2"}), 429)


def test_an_unconfirmed_address_gets_a_403_only_with_the_right_password(api, network):
    network.ondersteuner.email_confirmed_at = None
    _db.session.commit()
    wrong = api().post("/auth/token", json={"email": network.ondersteuner.email, "password": "fout wachtwoord"})
    assert_problem(wrong, 401)
    right = api().post("/auth/token", json={"email": network.ondersteuner.email, "password": PASSWORD})
    assert_problem(right, 403, contains="nog niet bevestigd")


def test_failed_token_requests_are_limited_per_address_and_per_client_address(api, network):
    client = api()
    for n in range(10):
        response = client.post("/auth/token", json={"email": network.ondersteuner.email, "password": "fout!"},
                               environ_base={"REMOTE_ADDR": f"10.4.0.{n}"})
        assert response.status_code == 401
    assert_problem(client.post("/auth/token", json={"email": network.ondersteuner.email, "password": PASSWORD},
                               environ_base={"REMOTE_ADDR": "10.4.1.1"}), 429, contains="opnieuw")
    for n in range(10):
        client.post("/auth/token", json={"email": f"iemand{n}@example.nl", "password": "fout!"},
                    environ_base={"REMOTE_ADDR": "10.4.2.2"})
    assert_problem(client.post("/auth/token", json={"email": network.collega.email, "password": PASSWORD},
                               environ_base={"REMOTE_ADDR": "10.4.2.2"}), 429)
    for _ in range(12):  # issuing tokens that work does not count
        assert _token_status(api, network.collega.email, PASSWORD) == 201
