"""On the account page: change the password (others are signed out, this browser stays), change the email
address (confirmed by a link to the new one), and sign out everywhere (sessions, remember-me, API tokens)."""
import re

import pytest

from loket.services.network import api_tokens
from loket.services.network.passwords import verify_password
from tests.factories import PASSWORD
from tests.support.account import logged_in_by_cookie, mailed_path, remembered_client
from tests.support.db import reloaded
from tests.support.mails import outbox_rows

NEW_PASSWORD = "zomeravond op het veld"
NEW_EMAIL = "anna.nieuw@example.nl"


def _logged_in(client) -> bool:
    return client.get("/account/").status_code == 200


@pytest.fixture()
def elsewhere(app, network):
    """The club contact logged in on two other devices: one session, and one with only its remember-me cookie."""
    session = app.test_client()
    session.login(network.club_contact)
    remembered = remembered_client(app, network.club_contact, PASSWORD)
    assert _logged_in(session) and logged_in_by_cookie(remembered)
    return session, remembered


def _still_in(elsewhere) -> list[bool]:
    session, remembered = elsewhere
    return [_logged_in(session), logged_in_by_cookie(remembered)]


def _change_password(client, current=PASSWORD, new=NEW_PASSWORD, repeat=None):
    return client.post("/account/wachtwoord", data={"current_password": current, "new_password": new,
                                                    "new_password_repeat": new if repeat is None else repeat})


def test_the_account_page_offers_each_action_with_its_own_ids(login_as, network):
    page = login_as("club_contact").get("/account/").get_data(as_text=True)
    for action in ("/account/wachtwoord", "/account/e-mailadres", "/account/overal-uitloggen", "/account/meldingen"):
        assert f'action="{action}"' in page
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    assert page.count('name="csrf_token"') == 6  # five forms (one logs out here) and the logout button


def test_changing_the_password_signs_out_other_browsers_but_not_this_one(login_as, network, elsewhere):
    client = login_as("club_contact")
    response = _change_password(client)
    assert response.status_code == 302 and response.headers["Location"] == "/account/"
    assert "Je wachtwoord is gewijzigd" in client.get("/account/").get_data(as_text=True)
    assert verify_password(reloaded(network.club_contact).password_hash, NEW_PASSWORD)
    assert _still_in(elsewhere) == [False, False]
    assert [row.payload["to"] for row in outbox_rows("password_changed")] == [network.club_contact.email]
    with client.session_transaction() as session:  # a new session id, with the new version
        assert session["_user_id"].startswith(f"{network.club_contact.id}:1:")


def test_a_remembered_browser_that_changes_its_password_stays_remembered(app, network):
    client = app.test_client()
    client.post("/inloggen", data={"email": network.club_contact.email, "password": PASSWORD, "remember": "y"})
    _change_password(client)
    assert logged_in_by_cookie(client)  # its new remember-me cookie carries the new version


@pytest.mark.parametrize("current, new, repeat, field, message", [
    ("niet mijn wachtwoord", NEW_PASSWORD, None, "current_password", "Dit is niet je huidige wachtwoord."),
    (PASSWORD, "kort", None, "new_password", "Kies een wachtwoord van minstens 12 tekens."),
    (PASSWORD, "wachtwoord123", None, "new_password", "Dit wachtwoord is te gangbaar"),
    (PASSWORD, PASSWORD, None, "new_password", "Kies een ander wachtwoord dan je huidige."),
    (PASSWORD, NEW_PASSWORD, "anders", "new_password_repeat", "De twee wachtwoorden zijn niet hetzelfde"),
])
def test_a_refused_password_change_says_why_beside_the_field(login_as, network, elsewhere, current, new, repeat,
                                                              field, message):
    client = login_as("club_contact")
    response = _change_password(client, current, new, repeat)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert re.search(rf'id="{field}-error">[^<]*{re.escape(message)}', page)
    assert f'href="#{field}"' in page.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert verify_password(reloaded(network.club_contact).password_hash, PASSWORD)
    assert _still_in(elsewhere) == [True, True] and outbox_rows() == []


def test_guessing_the_current_password_is_limited(login_as, network):
    client = login_as("club_contact")
    for _ in range(10):
        assert _change_password(client, current="geraden wachtwoord").status_code == 400
    assert _change_password(client).status_code == 429
    assert verify_password(reloaded(network.club_contact).password_hash, PASSWORD)


def test_the_email_address_changes_when_the_link_to_the_new_one_is_clicked(app, login_as, network):
    client = login_as("club_contact")
    response = client.post("/account/e-mailadres", data={"new_email": NEW_EMAIL, "password": PASSWORD})
    assert response.status_code == 302
    assert f"We hebben een link gestuurd naar {NEW_EMAIL}" in client.get("/account/").get_data(as_text=True)
    assert reloaded(network.club_contact).email == "anna@uboys.example"
    assert [row.payload["to"] for row in outbox_rows("email_change_notice")] == ["anna@uboys.example"]

    path = mailed_path("email_change_confirm", to=NEW_EMAIL)
    other_device = app.test_client()  # the mail may be opened anywhere, not logged in
    page = other_device.get(path)
    assert page.status_code == 200 and NEW_EMAIL in page.get_data(as_text=True)
    assert reloaded(network.club_contact).email == "anna@uboys.example"  # opening the link changes nothing
    confirmed = other_device.post(path)
    assert confirmed.status_code == 302 and confirmed.headers["Location"] == "/inloggen"
    assert reloaded(network.club_contact).email == NEW_EMAIL
    assert other_device.post("/inloggen", data={"email": NEW_EMAIL, "password": PASSWORD}).status_code == 302
    assert _logged_in(client)  # a new address does not end sessions

    again = other_device.post(path)
    assert again.status_code == 400 and "Deze link is al gebruikt" in again.get_data(as_text=True)


def test_an_address_in_use_gets_the_same_answer_and_its_holder_a_mail(login_as, network):
    client = login_as("club_contact")
    free = client.post("/account/e-mailadres", data={"new_email": NEW_EMAIL, "password": PASSWORD})
    free_page = client.get("/account/").get_data(as_text=True)
    taken = client.post("/account/e-mailadres", data={"new_email": network.ondersteuner.email, "password": PASSWORD})
    taken_page = client.get("/account/").get_data(as_text=True)
    assert free.status_code == taken.status_code == 302 and free.headers["Location"] == taken.headers["Location"]
    flash = re.compile(r'<p class="flash[^"]*">([^<]*)</p>')
    assert flash.findall(free_page)[-1].replace(NEW_EMAIL, "X") == \
        flash.findall(taken_page)[-1].replace(network.ondersteuner.email, "X")
    assert [row.payload["to"] for row in outbox_rows("email_in_use")] == [network.ondersteuner.email]
    assert reloaded(network.club_contact).email == "anna@uboys.example"


def test_a_refused_email_change_says_why(login_as, network):
    client = login_as("club_contact")
    wrong = client.post("/account/e-mailadres", data={"new_email": NEW_EMAIL, "password": "niet het mijne"})
    assert wrong.status_code == 400 and 'id="password-error"' in wrong.get_data(as_text=True)
    invalid = client.post("/account/e-mailadres", data={"new_email": "geen adres", "password": PASSWORD})
    assert invalid.status_code == 400 and "Vul een geldig e-mailadres in" in invalid.get_data(as_text=True)
    assert outbox_rows() == []


def test_a_wrong_email_change_link_gets_a_clear_page(client, network):
    for response in (client.get("/account/e-mailadres/niet-echt"), client.post("/account/e-mailadres/niet-echt")):
        page = response.get_data(as_text=True)
        assert response.status_code == 400 and "Deze link klopt niet" in page
        assert 'href="/account/"' in page


def _api_status(client, token) -> int:
    return client.get("/api/v1/requests", headers={"Authorization": f"Bearer {token}"}).status_code


def test_signing_out_everywhere_ends_sessions_remember_cookies_and_api_tokens(app, login_as, network, elsewhere):
    client = login_as("club_contact")
    token = api_tokens.issue_token(network.club_contact.email, PASSWORD).token
    colleague = api_tokens.issue_token(network.other_club_contact.email, PASSWORD).token
    api = app.test_client()
    assert _api_status(api, token) == 200
    response = client.post("/account/overal-uitloggen")
    assert response.status_code == 302 and response.headers["Location"] == "/inloggen"
    assert "Je bent overal uitgelogd" in client.get("/inloggen").get_data(as_text=True)
    assert not _logged_in(client) and not any(_logged_in(other) for other in elsewhere)
    assert _api_status(api, token) == 401
    assert _api_status(api, colleague) == 200
    assert reloaded(network.club_contact).session_version == 1
    # Logging in again works as before.
    assert client.post("/inloggen", data={"email": network.club_contact.email, "password": PASSWORD}).status_code == 302


def test_the_new_forms_need_a_csrf_token(login_as, network):
    client = login_as("club_contact")
    assert _change_password(client).status_code == 302  # with a token: accepted (the test client adds it)
    for path, data in (("/account/wachtwoord", {"current_password": NEW_PASSWORD, "new_password": "iets heel anders",
                                                "new_password_repeat": "iets heel anders"}),
                       ("/account/e-mailadres", {"new_email": NEW_EMAIL, "password": NEW_PASSWORD}),
                       ("/account/overal-uitloggen", {})):
        assert client.post(path, data=data, csrf=False).status_code == 400
    assert _logged_in(client) and verify_password(reloaded(network.club_contact).password_hash, NEW_PASSWORD)
