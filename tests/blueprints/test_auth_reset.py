"""A forgotten password over HTTP: the same neutral answer for every address, a mailed single-use link,
a clear Dutch page for a link that is wrong, expired or used, and every other session ending."""
import re
from datetime import timedelta

import pytest

from loket.extensions import db as _db
from loket.models.base import utcnow
from loket.services.network import account_tokens
from tests.factories import PASSWORD
from tests.support.account import logged_in_by_cookie, mailed_path, remembered_client
from tests.support.mails import outbox_rows

FORGOT = "/wachtwoord-vergeten"
NEW_PASSWORD = "fietsen langs de vecht"
CSRF = re.compile(r'name="csrf_token"[^>]*value="[^"]*"')


def _logged_in(client) -> bool:
    return client.get("/account/").status_code == 200


def _ask_link(client, email, **kwargs):
    return client.post(FORGOT, data={"email": email}, **kwargs)


def _choose(client, path, password=NEW_PASSWORD, repeat=None):
    return client.post(path, data={"password": password, "password_repeat": password if repeat is None else repeat})


def test_the_login_page_links_to_the_forgotten_password_page(client, network):
    assert f'href="{FORGOT}"' in client.get("/inloggen").get_data(as_text=True)
    page = client.get(FORGOT)
    assert page.status_code == 200 and "Wachtwoord vergeten" in page.get_data(as_text=True)


def test_known_and_unknown_addresses_get_the_same_answer_after_the_same_work(app, network, hashes):
    known = _ask_link(app.test_client(), network.club_contact.email)
    known_hashes = len(hashes)
    hashes.clear()
    unknown = _ask_link(app.test_client(), "niemand@uboys.example")
    assert known.status_code == unknown.status_code == 200
    assert "Als er een account bij dit adres hoort, hebben we een link gestuurd" in known.get_data(as_text=True)
    assert CSRF.sub("", known.get_data(as_text=True)) == CSRF.sub("", unknown.get_data(as_text=True))
    assert known_hashes == len(hashes) == 1
    assert [row.payload["to"] for row in outbox_rows()] == [network.club_contact.email]


def test_the_mailed_link_sets_a_new_password_and_logs_this_browser_in(client, app, network):
    _ask_link(client, network.club_contact.email)
    path = mailed_path("password_reset")
    form = client.get(path)
    assert form.status_code == 200 and "Nieuw wachtwoord kiezen" in form.get_data(as_text=True)
    assert form.headers["Cache-Control"] == "no-store" and form.headers["Referrer-Policy"] == "no-referrer"

    response = _choose(client, path)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    home = client.get("/").get_data(as_text=True)
    assert "Je nieuwe wachtwoord is opgeslagen en je bent ingelogd" in home
    assert [row.payload["to"] for row in outbox_rows("password_changed")] == [network.club_contact.email]

    fresh = app.test_client()
    assert fresh.post("/inloggen", data={"email": network.club_contact.email, "password": PASSWORD}).status_code == 400
    assert fresh.post("/inloggen", data={"email": network.club_contact.email,
                                         "password": NEW_PASSWORD}).status_code == 302


def test_a_used_link_gets_a_clear_page_with_a_way_to_ask_again(client, network):
    _ask_link(client, network.club_contact.email)
    path = mailed_path("password_reset")
    _choose(client, path)
    for response in (client.get(path), _choose(client, path, "nog een ander wachtwoord")):
        page = response.get_data(as_text=True)
        assert response.status_code == 400
        assert "Deze link is al gebruikt" in page and f'href="{FORGOT}"' in page


def test_an_expired_or_wrong_link_gets_a_clear_page(app, client, network):
    long_ago = utcnow() - timedelta(minutes=app.config["PASSWORD_RESET_MINUTES"] + 1)
    expired = account_tokens.issue(network.club_contact, "reset_password", now=long_ago)
    _db.session.commit()
    for token, words in ((expired, "Deze link is verlopen"), ("niet-echt", "Deze link klopt niet"),
                         ("x" * 300, "Deze link klopt niet")):
        for response in (client.get(f"/wachtwoord-herstellen/{token}"),
                         _choose(client, f"/wachtwoord-herstellen/{token}")):
            assert response.status_code == 400, token
            assert words in response.get_data(as_text=True)
    # A NUL in a path names no page (loket/input_guard), whatever the link.
    assert client.get("/wachtwoord-herstellen/%00").status_code == 404
    assert _choose(client, "/wachtwoord-herstellen/%00").status_code == 404
    assert not _logged_in(client)


@pytest.mark.parametrize("password, repeat, message", [
    ("kort", None, "Kies een wachtwoord van minstens 12 tekens."),
    ("wachtwoord123", None, "Dit wachtwoord is te gangbaar"),
    ("anna de vries", None, "lijkt te veel op je naam of e-mailadres"),
    (NEW_PASSWORD, "iets anders dan dat", "De twee wachtwoorden zijn niet hetzelfde"),
    ("", None, "Kies een nieuw wachtwoord."),
])
def test_a_weak_or_mistyped_password_is_named_in_dutch_and_the_link_stays_open(client, network, password, repeat,
                                                                               message):
    _ask_link(client, network.club_contact.email)
    path = mailed_path("password_reset")
    response = _choose(client, path, password, repeat)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    summary = page.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert message in summary and message in page.split("</form>")[0].split("<form", 1)[1]
    assert not _logged_in(client)
    assert _choose(client, path).status_code == 302


def test_a_reset_ends_the_sessions_and_remember_cookies_of_other_browsers(app, client, network):
    elsewhere = app.test_client()
    elsewhere.login(network.club_contact)
    remembered = remembered_client(app, network.club_contact, PASSWORD)
    assert _logged_in(elsewhere) and logged_in_by_cookie(remembered)  # the remember-me cookie alone logs in

    _ask_link(client, network.club_contact.email)
    _choose(client, mailed_path("password_reset"))
    assert _logged_in(client)
    assert not _logged_in(elsewhere) and not logged_in_by_cookie(remembered)


def test_asking_for_links_is_limited_per_address_and_per_client_address(app, network):
    client = app.test_client()
    for n in range(5):
        ok = _ask_link(client, network.club_contact.email, environ_base={"REMOTE_ADDR": f"10.0.0.{n}"})
        assert ok.status_code == 200
    refused = _ask_link(client, network.club_contact.email, environ_base={"REMOTE_ADDR": "10.0.0.99"})
    assert refused.status_code == 429
    assert "Probeer het over 15 minuten opnieuw" in refused.get_data(as_text=True)
    assert len(outbox_rows("password_reset")) == 5

    for n in range(5):
        assert _ask_link(client, f"iemand{n}@example.nl", environ_base={"REMOTE_ADDR": "10.0.1.1"}).status_code == 200
    assert _ask_link(client, "nog.iemand@example.nl", environ_base={"REMOTE_ADDR": "10.0.1.1"}).status_code == 429


def test_bad_input_on_the_forgotten_password_form(client, network):
    empty = _ask_link(client, "")
    assert empty.status_code == 400 and "Vul je e-mailadres in." in empty.get_data(as_text=True)
    long = _ask_link(client, "x" * 300 + "@example.nl")
    assert long.status_code == 400 and "hooguit 254 tekens" in long.get_data(as_text=True)
    assert _ask_link(client, "a\x00b@example.nl").status_code == 200  # no address like it: the neutral answer
    assert client.post(FORGOT, data={"email": network.club_contact.email}, csrf=False).status_code == 400
    assert outbox_rows() == []
