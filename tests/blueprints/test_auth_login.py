"""Logging in: a fresh session each time, no hint whether an address exists (by message, status or work),
unconfirmed addresses told so only with the right password, and guessing limited per IP and per address."""
import re

import pytest
from argon2 import PasswordHasher

from loket.extensions import db as _db
from tests.factories import PASSWORD
from tests.support.account import recorded_calls

LOGIN = "/inloggen"
CSRF = re.compile(r'name="csrf_token"[^>]*value="[^"]*"')


def _try(client, email, password="fout wachtwoord!", ip="10.1.1.1"):
    return client.post(LOGIN, data={"email": email, "password": password}, environ_base={"REMOTE_ADDR": ip})


def _logged_in(client) -> bool:
    return client.get("/account/").status_code == 200


@pytest.fixture()
def verifications(monkeypatch):
    """How many Argon2 verifications a request costs (the expensive part of a login)."""
    return recorded_calls(monkeypatch, PasswordHasher, "verify")


def test_unknown_address_and_wrong_password_look_and_cost_the_same(app, network, verifications):
    wrong = _try(app.test_client(), network.club_contact.email)
    wrong_cost = len(verifications)
    verifications.clear()
    unknown = _try(app.test_client(), "niemand@uboys.example")
    assert wrong.status_code == unknown.status_code == 400
    assert CSRF.sub("", wrong.get_data(as_text=True)).replace(network.club_contact.email, "X") == \
        CSRF.sub("", unknown.get_data(as_text=True)).replace("niemand@uboys.example", "X")
    assert wrong_cost == len(verifications) == 1


def test_an_unconfirmed_address_is_told_only_with_the_right_password(client, network):
    network.club_contact.email_confirmed_at = None
    _db.session.commit()
    wrong = _try(client, network.club_contact.email)
    assert wrong.status_code == 400 and "bevestigd" not in wrong.get_data(as_text=True)
    right = _try(client, network.club_contact.email, PASSWORD)
    assert right.status_code == 403
    assert "Je e-mailadres is nog niet bevestigd" in right.get_data(as_text=True)
    assert not _logged_in(client)


def test_logging_in_starts_a_fresh_session(client, network):
    with client.session_transaction() as session:
        session["left_behind"] = "door iemand anders"
    client.login(network.club_contact)
    with client.session_transaction() as session:
        assert "left_behind" not in session
        assert session["_user_id"].startswith(f"{network.club_contact.id}:0:")  # id, version, login token


def test_a_session_of_the_version_only_shape_counts_as_logged_out(client, network):
    client.login(network.club_contact)
    with client.session_transaction() as session:
        session["_user_id"] = f"{network.club_contact.id}:0"  # before login sessions
    assert not _logged_in(client)


def test_a_session_of_the_old_shape_counts_as_logged_out(client, network):
    client.login(network.club_contact)
    with client.session_transaction() as session:
        session["_user_id"] = str(network.club_contact.id)  # before session versions
    assert not _logged_in(client)


def test_the_eleventh_failed_attempt_from_one_address_is_refused(app, network):
    client = app.test_client()
    for n in range(10):
        assert _try(client, f"iemand{n}@example.nl").status_code == 400
    refused = _try(client, "nog.iemand@example.nl")
    assert refused.status_code == 429
    assert "probeer het over 15 minuten opnieuw" in refused.get_data(as_text=True).lower()
    # Even the right password waits: guessing has stopped for this client address.
    assert _try(client, network.club_contact.email, PASSWORD).status_code == 429
    assert _try(client, network.club_contact.email, PASSWORD, ip="10.9.9.9").status_code == 302


def test_the_eleventh_failed_attempt_at_one_email_address_is_refused_from_anywhere(app, network):
    client = app.test_client()
    for n in range(10):
        assert _try(client, network.club_contact.email, ip=f"10.2.0.{n}").status_code == 400
    assert _try(client, " ANNA@uboys.example", ip="10.2.1.1").status_code == 429
    assert _try(client, network.ondersteuner.email, PASSWORD, ip="10.2.1.1").status_code == 302


def test_logging_in_fine_does_not_count_towards_the_limit(app, network):
    for _ in range(12):
        client = app.test_client()
        assert _try(client, network.club_contact.email, PASSWORD).status_code == 302


def test_a_remembered_browser_stays_logged_in_over_several_requests(app, network):
    """The remember-me cookie brings the user back, and the session it starts survives the next requests."""
    from tests.factories import PASSWORD
    from tests.support.account import remembered_client

    client = remembered_client(app, network.club_contact, PASSWORD)
    for _ in range(3):
        response = client.get("/account/")
        assert response.status_code == 200, response.headers.get("Location")
