"""Login, logout, password hashing and the role-aware start page."""
import pytest

from loket.extensions import db as _db
from tests.factories import PASSWORD


def test_login_with_right_password_and_logout(client, network):
    response = client.post("/inloggen", data={"email": "ANNA@uboys.example ", "password": PASSWORD})
    assert response.status_code == 302
    home = client.get("/").get_data(as_text=True)
    assert "Welkom, Anna de Vries" in home
    _db.session.refresh(network.club_contact)
    assert network.club_contact.last_login_at is not None
    assert client.post("/uitloggen").status_code == 302
    assert client.get("/club/aanvragen").status_code == 302  # back to the login page


@pytest.mark.parametrize("email, password", [
    ("anna@uboys.example", "wrong-password"),
    ("nobody@example.nl", PASSWORD),
])
def test_login_refuses_wrong_credentials_with_one_message(client, network, email, password):
    response = client.post("/inloggen", data={"email": email, "password": password})
    assert response.status_code == 400
    assert "horen niet bij een actief account" in response.get_data(as_text=True)
    assert client.get("/club/aanvragen").status_code == 302


def test_login_with_empty_fields_shows_dutch_messages(client, network):
    response = client.post("/inloggen", data={"email": "", "password": ""})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Vul je e-mailadres in." in page and "Vul je wachtwoord in." in page


def test_inactive_user_cannot_log_in(client, network):
    network.club_contact.active = False
    _db.session.commit()
    response = client.post("/inloggen", data={"email": network.club_contact.email, "password": PASSWORD})
    assert response.status_code == 400


def test_login_without_csrf_token_is_rejected(client, network):
    response = client.post("/inloggen", csrf=False, data={"email": network.club_contact.email, "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/club/aanvragen").status_code == 302


def test_logout_needs_post_with_csrf(login_as):
    client = login_as("club_contact")
    assert client.get("/uitloggen").status_code == 405
    assert client.post("/uitloggen", csrf=False).status_code == 400
    assert client.get("/club/aanvragen").status_code == 200


@pytest.mark.parametrize("target, expected", [
    ("/wachtrij/", "/wachtrij/"),
    ("https://evil.example/steal", "/"),
    ("//evil.example/steal", "/"),
])
def test_login_only_redirects_within_the_site(client, network, target, expected):
    response = client.post(f"/inloggen?next={target}", data={"email": network.ondersteuner.email, "password": PASSWORD})
    assert response.headers["Location"] == expected


def test_passwords_are_stored_as_argon2id_hashes(network):
    stored = network.club_contact.password_hash
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


@pytest.mark.parametrize("who, link", [
    ("club_contact", "/club/aanvragen/nieuw"),
    ("ondersteuner", "/wachtrij/"),
    ("bondsspecialist", "/wachtrij/"),
    ("coordinator", "/coordinatie/opvang"),
])
def test_start_page_points_each_role_to_its_work(login_as, who, link):
    page = login_as(who).get("/").get_data(as_text=True)
    assert f'href="{link}"' in page


def test_public_start_page_invites_login(client, network):
    page = client.get("/").get_data(as_text=True)
    assert 'href="/inloggen"' in page
    assert "Eén loket voor clubondersteuning" in page


def test_wrong_credentials_are_a_form_error_not_a_password_error(client, network):
    response = client.post("/inloggen", data={"email": network.club_contact.email, "password": "wrong-password"})
    page = response.get_data(as_text=True)
    summary = page.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert "horen niet bij een actief account" in summary
    assert 'href="#password"' not in summary  # not a link to the password field
    assert 'aria-invalid="true"' not in page and "field-error" not in page
    assert 'id="password-error"' not in page
