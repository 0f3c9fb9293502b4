"""Issue #13, sessions and login: every login is a row of its own (login_sessions) that a logout, a password change,
"overal uitloggen" or a deactivation ends, with the remember-me cookie; API tokens end with a logout only when
asked; the CSRF token is new after a login; passwords of at least 12 characters that are not common; logins,
the API token endpoint and the second step are throttled; two-factor authentication (enrol, codes once, recovery
codes once, required for coördinatiepunt, beheer and team leads, the API's otp, the CLI's --totp-secret)."""
import re

import pytest
from sqlalchemy import func, select

from loket.extensions import db as _db
from loket.models import LoginSession, RecoveryCode, User
from loket.services.network import account, api_tokens, two_factor
from loket.services.network.passwords import password_problem
from loket.services.seed.demo_data import DEMO_PASSWORD
from loket.services.transaction import commit
from tests.factories import PASSWORD, TOTP_SECRET, totp_code
from tests.support.account import logged_in_by_cookie
from tests.support.db import reloaded

NEW_PASSWORD = "zomeravond op het veld"


def _logged_in(client) -> bool:
    return client.get("/account/").status_code == 200


def _remembered_login(app, user, password=PASSWORD):
    """A browser that logged in with "Ingelogd blijven"; returns it and the value of its remember-me cookie."""
    client = app.test_client()
    client.login(user, password, remember=True)
    return client, client.get_cookie("remember_token").value


def _with_cookie(app, name, value):
    """A fresh browser that carries only a copied cookie (as a thief who copied it would)."""
    client = app.test_client()
    client.set_cookie(name, value)
    return client


def _bearer(app, token):
    return app.test_client().get("/api/v1/categories", headers={"Authorization": f"Bearer {token}"}).status_code


# ---------------------------------------------------------------- sessions and remember-me cookies

def test_a_remember_cookie_differs_per_login_and_dies_with_that_logout(app, network):
    user = network.club_contact
    first, first_cookie = _remembered_login(app, user)
    second, second_cookie = _remembered_login(app, user)
    assert first_cookie != second_cookie  # before: "<id>:<version>", the same on every login
    first.post("/uitloggen")
    assert not logged_in_by_cookie(_with_cookie(app, "remember_token", first_cookie))  # a copy taken before
    assert logged_in_by_cookie(_with_cookie(app, "remember_token", second_cookie))  # the other login lives on
    assert _db.session.scalar(select(func.count()).select_from(LoginSession)
                              .where(LoginSession.revoked_at.is_(None))) == 1


@pytest.mark.parametrize("how", ["password change", "overal uitloggen", "deactivation", "password reset"])
def test_every_remember_cookie_and_session_dies_with(how, app, network):
    user = network.club_contact
    _, cookie = _remembered_login(app, user)
    other = app.test_client()
    other.login(user)
    actor = app.test_client()
    actor.login(user)
    if how == "password change":
        assert actor.post("/account/wachtwoord", data={"current_password": PASSWORD, "new_password": NEW_PASSWORD,
                                                       "new_password_repeat": NEW_PASSWORD}).status_code == 302
        assert _logged_in(actor)  # the one that changed it stays, on a new login session
    elif how == "overal uitloggen":
        assert actor.post("/account/overal-uitloggen").status_code == 302
        assert not _logged_in(actor)
    elif how == "deactivation":
        account.deactivate(reloaded(user), actor=network.beheerder)
        commit()
    else:
        account.request_password_reset(user.email)
        account.reset_password(_reset_token(), NEW_PASSWORD)
    assert not logged_in_by_cookie(_with_cookie(app, "remember_token", cookie))
    assert not _logged_in(other)


def _reset_token():
    from tests.support.account import mailed_token

    return mailed_token("password_reset")


def test_a_session_cookie_replayed_after_logout_is_logged_out(app, network):
    client = app.test_client()
    client.login(network.club_contact)
    copied = client.get_cookie("session").value
    assert _logged_in(_with_cookie(app, "session", copied))
    client.post("/uitloggen")
    assert not _logged_in(_with_cookie(app, "session", copied))  # before: the signed cookie still logged in


def test_the_account_page_lists_the_sessions_and_logs_out_one_device(app, network):
    user = network.club_contact
    phone = app.test_client()
    phone.environ_base["HTTP_USER_AGENT"] = "Telefoonbrowser/1.0"
    phone.login(user)
    laptop = app.test_client()
    laptop.login(user)
    page = laptop.get("/account/").get_data(as_text=True)
    assert "Dit apparaat" in page and "Telefoonbrowser/1.0" in page
    phone_session = _db.session.scalar(select(LoginSession).where(LoginSession.user_agent == "Telefoonbrowser/1.0"))
    other = network.other_club_contact
    stranger = app.test_client()
    stranger.login(other)
    assert stranger.post(f"/account/sessies/{phone_session.id}/uitloggen").status_code == 404  # not theirs
    assert _logged_in(phone)
    assert laptop.post(f"/account/sessies/{phone_session.id}/uitloggen").status_code == 302
    assert not _logged_in(phone) and _logged_in(laptop)


def test_last_seen_is_not_written_on_every_page(app, network):
    client = app.test_client()
    client.login(network.club_contact)
    row = _db.session.scalar(select(LoginSession))
    seen = row.last_seen_at
    for _ in range(3):
        client.get("/account/")
    assert reloaded(row).last_seen_at == seen  # within SEEN_RESOLUTION: read-only


def test_api_tokens_survive_a_logout_unless_asked_and_die_with_overal_uitloggen(app, network):
    user = network.club_contact
    kept = api_tokens.issue_token(user.email, PASSWORD).token
    client = app.test_client()
    client.login(user)
    client.post("/uitloggen")
    assert _bearer(app, kept) == 200
    client.login(user)
    assert "Trek ook mijn API-sleutels in" in client.get("/account/").get_data(as_text=True)
    client.post("/uitloggen", data={"revoke_api_tokens": "y"})
    assert _bearer(app, kept) == 401
    again = api_tokens.issue_token(user.email, PASSWORD).token
    client.login(user)
    client.post("/account/overal-uitloggen")
    assert _bearer(app, again) == 401


def test_the_csrf_token_is_new_after_login(app, network):
    client = app.test_client()
    page = client.get("/inloggen").get_data(as_text=True)
    before = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    with client.session_transaction() as session:
        raw_before = session["csrf_token"]
    assert client.post("/inloggen", csrf=False, data={"email": network.club_contact.email, "password": PASSWORD,
                                                       "csrf_token": before}).status_code == 302
    assert client.get("/account/").status_code == 200
    with client.session_transaction() as session:
        assert session["csrf_token"] != raw_before
    # The token of the page before the login no longer passes a form after it.
    stale = client.post("/account/meldingen", csrf=False, data={"csrf_token": before, "notify_optional": "y"})
    assert stale.status_code == 400 and "Het formulier is verlopen" in stale.get_data(as_text=True)


# ---------------------------------------------------------------- passwords

def test_passwords_need_12_characters_and_no_common_one(network):
    for weak, rule in [("aaaaaaaaaa", "minstens 12 tekens"), ("hond-en-kat", "minstens 12 tekens"),
                       ("aaaaaaaaaaaa", "te gangbaar"), ("welkom123456", "te gangbaar"),
                       ("Qwertyuiop12", "te gangbaar"), ("Wachtwoord2026", "te gangbaar"),
                       ("1q2w3e4r5t6y", "te gangbaar"), ("123456789012", "te gangbaar")]:
        assert rule in (password_problem(weak) or ""), weak
    for good in ("hond-en-kat!", DEMO_PASSWORD, PASSWORD, "paarse fiets onder de brug"):
        assert password_problem(good) is None, good


def test_every_form_that_sets_a_password_explains_the_rule(app, network, client):
    rule = "Minstens 12 tekens, niet een van de gangbare wachtwoorden"
    assert rule in client.get("/aanmelden").get_data(as_text=True)
    account.request_password_reset(network.club_contact.email)
    from tests.support.account import mailed_path

    assert rule in client.get(mailed_path("password_reset")).get_data(as_text=True)
    client.login(network.club_contact)
    assert rule in client.get("/account/").get_data(as_text=True)
    response = client.post("/account/wachtwoord", data={"current_password": PASSWORD, "new_password": "aaaaaaaaaa",
                                                         "new_password_repeat": "aaaaaaaaaa"})
    assert response.status_code == 400 and "minstens 12 tekens" in response.get_data(as_text=True)


# ---------------------------------------------------------------- throttling

def _wrong_login(client, email, ip):
    return client.post("/inloggen", data={"email": email, "password": "fout wachtwoord!"},
                       environ_base={"REMOTE_ADDR": ip})


def _is_throttled(response):
    text = response.get_data(as_text=True)
    return (response.status_code == 429 and int(response.headers["Retry-After"]) > 0
            and "probeer het over 15 minuten opnieuw" in text.lower())


def test_web_login_is_throttled_per_account_and_per_address_even_for_the_right_password(app, network):
    client = app.test_client()
    email = network.club_contact.email
    for n in range(10):  # one account from ten addresses
        assert _wrong_login(client, email, f"10.0.0.{n}").status_code == 400
    right = client.post("/inloggen", data={"email": email, "password": PASSWORD},
                        environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert _is_throttled(right)  # before: 40 wrong passwords, then the right one logged in
    for n in range(10):  # one address, ten accounts
        assert _wrong_login(client, f"iemand{n}@example.nl", "10.1.1.1").status_code == 400
    assert _is_throttled(_wrong_login(client, network.collega.email, "10.1.1.1"))


def test_the_api_token_endpoint_is_throttled_per_account_and_per_address(app, network):
    client = app.test_client()
    email = network.club_contact.email

    def attempt(email, ip, password="fout wachtwoord!"):
        return client.post("/api/v1/auth/token", json={"email": email, "password": password},
                           environ_base={"REMOTE_ADDR": ip})

    for n in range(10):
        assert attempt(email, f"10.0.0.{n}").status_code == 401
    refused = attempt(email, "10.9.9.9", PASSWORD)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert "probeer het over 15 minuten opnieuw" in refused.get_json()["detail"].lower()
    for n in range(10):
        assert attempt(f"iemand{n}@example.nl", "10.1.1.1").status_code == 401
    assert attempt(network.collega.email, "10.1.1.1", PASSWORD).status_code == 429


def test_accepting_an_invitation_is_throttled_per_address(app, network):
    client = app.test_client()

    def accept(token):
        return client.post("/api/v1/invitations/accept", json={"token": token, "name": "Iemand", "password": "x" * 12},
                           environ_base={"REMOTE_ADDR": "10.2.2.2"})

    for n in range(10):
        assert accept(f"geraden-{n}").status_code == 400
    refused = accept("geraden")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert "opnieuw" in refused.get_json()["detail"]


def test_codes_of_the_second_step_are_throttled_per_account(app, network):
    user = network.coordinator
    for n in range(5):
        client = app.test_client()
        client.post("/inloggen", data={"email": user.email, "password": PASSWORD},
                    environ_base={"REMOTE_ADDR": f"10.3.3.{n}"})
        assert client.post("/inloggen/code", data={"code": "000000"},
                           environ_base={"REMOTE_ADDR": f"10.3.3.{n}"}).status_code == 400
    client = app.test_client()
    client.post("/inloggen", data={"email": user.email, "password": PASSWORD},
                environ_base={"REMOTE_ADDR": "10.3.3.99"})
    refused = client.post("/inloggen/code", data={"code": totp_code(user)}, environ_base={"REMOTE_ADDR": "10.3.3.99"})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert "probeer het over 15 minuten opnieuw" in refused.get_data(as_text=True).lower()
    assert not _logged_in(client)


# ---------------------------------------------------------------- two-factor authentication

def _password_step(client, user, password=PASSWORD):
    response = client.post("/inloggen", data={"email": user.email, "password": password})
    assert response.status_code == 302
    return response


def test_any_user_enrols_and_then_logs_in_with_a_code_each_used_once_and_recovery_codes_once(app, network):
    user = network.club_contact
    client = app.test_client()
    client.login(user)
    page = client.get("/account/tweestapsverificatie").get_data(as_text=True)
    assert "<svg" in page and "QR-code voor je authenticator-app" in page and "<img" not in page
    assert "data-secret=" in page
    secret_out = []
    codes = client.enrol_two_factor(secret_out)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert _db.session.scalar(select(func.count()).select_from(RecoveryCode)) == 10
    stored = _db.session.scalars(select(RecoveryCode.code_hash)).all()
    assert not any(code.replace("-", "") in stored for code in codes)  # hashed, not readable
    assert reloaded(user).totp_secret == secret_out[0]
    client.post("/uitloggen")

    # The password alone logs in no more: a second step follows, and a wrong code is refused.
    browser = app.test_client()
    assert _password_step(browser, user).location.startswith("/inloggen/code")
    assert not _logged_in(browser)
    wrong = browser.post("/inloggen/code", data={"code": "123456"})
    assert wrong.status_code == 400 and "klopt niet of is al gebruikt" in wrong.get_data(as_text=True)
    code = totp_code(user)
    assert browser.post("/inloggen/code", data={"code": code}).status_code == 302
    assert _logged_in(browser)
    browser.post("/uitloggen")

    # The same code again (seen over a shoulder) is refused: each code logs in once.
    _password_step(browser, user)
    assert browser.post("/inloggen/code", data={"code": code}).status_code == 400
    assert not _logged_in(browser)
    # A recovery code works once.
    assert browser.post("/inloggen/code", data={"code": codes[0].upper()}).status_code == 302
    assert _logged_in(browser)
    browser.post("/uitloggen")
    _password_step(browser, user)
    assert browser.post("/inloggen/code", data={"code": codes[0]}).status_code == 400
    assert browser.post("/inloggen/code", data={"code": codes[1]}).status_code == 302

    # Turned off again with password and a code (a user whose role does not require it).
    assert browser.post("/account/tweestapsverificatie/uitzetten",
                        data={"disable_password": "fout wachtwoord!", "disable_code": codes[2]}).status_code == 400
    assert browser.post("/account/tweestapsverificatie/uitzetten",
                        data={"disable_password": PASSWORD, "disable_code": codes[3]}).status_code == 302
    assert not reloaded(user).has_two_factor
    assert _db.session.scalar(select(func.count()).select_from(RecoveryCode)) == 0


def test_enrolling_needs_a_code_from_the_secret_the_page_signed(app, network):
    client = app.test_client()
    client.login(network.club_contact)
    page = client.get("/account/tweestapsverificatie").get_data(as_text=True)
    signed = re.search(r'name="secret" type="hidden" value="([^"]+)"', page).group(1)
    secret = re.search(r'data-secret="([A-Z2-7]+)"', page).group(1)
    wrong = client.post("/account/tweestapsverificatie/aanzetten", data={"secret": signed, "code": "000000"})
    assert wrong.status_code == 400 and "Deze code klopt niet" in wrong.get_data(as_text=True)
    chosen = client.post("/account/tweestapsverificatie/aanzetten",
                         data={"secret": "AAAAAAAAAAAAAAAAAAAAAAAA", "code": two_factor.code_at("A" * 24, 1)})
    assert chosen.status_code == 400  # a secret the browser chose is not taken
    assert not reloaded(network.club_contact).has_two_factor
    code = two_factor.code_at(secret, two_factor.current_step())
    assert client.post("/account/tweestapsverificatie/aanzetten",
                       data={"secret": signed, "code": code}).status_code == 200
    assert reloaded(network.club_contact).has_two_factor


def test_required_roles_enrol_before_any_other_page_and_get_no_api_token_before(app, network):
    lead = network.ondersteuner
    lead.memberships[0].is_team_lead = True  # made a team lead after the factories: no second step yet
    _db.session.commit()
    assert two_factor.required_for(lead) and not lead.has_two_factor
    client = app.test_client()
    _password_step(client, lead)
    for path in ("/", "/wachtrij/", "/account/"):
        response = client.get(path)
        assert response.status_code == 302 and response.location.endswith("/account/tweestapsverificatie"), path
    assert client.post("/account/meldingen", data={"notify_optional": "y"}).location.endswith(
        "/account/tweestapsverificatie")
    assert client.get("/account/tweestapsverificatie").status_code == 200
    refused = app.test_client().post("/api/v1/auth/token", json={"email": lead.email, "password": PASSWORD})
    assert refused.status_code == 401 and "verplicht" in refused.get_json()["detail"]
    page = client.get("/account/tweestapsverificatie").get_data(as_text=True)
    assert "verplicht" in page
    client.enrol_two_factor()
    assert client.get("/wachtrij/").status_code == 200
    # Required: it cannot be turned off.
    response = client.post("/account/tweestapsverificatie/uitzetten",
                           data={"disable_password": PASSWORD, "disable_code": totp_code(reloaded(lead))})
    assert response.status_code == 409 and reloaded(lead).has_two_factor


def test_coordinatiepunt_and_beheer_give_a_code_before_the_session_counts(app, network):
    for user in (network.coordinator, network.beheerder):
        client = app.test_client()
        _password_step(client, user)
        assert client.get("/").status_code in (200, 302) and not _logged_in(client)
        with client.session_transaction() as session:
            assert "_user_id" not in session
        assert client.post("/inloggen/code", data={"code": totp_code(user)}).status_code == 302
        assert _logged_in(client)


def test_the_api_token_endpoint_asks_the_otp_of_an_account_with_two_factor(app, network):
    user = network.coordinator
    client = app.test_client()

    def token(**body):
        return client.post("/api/v1/auth/token", json={"email": user.email, "password": PASSWORD, **body})

    missing = token()
    assert missing.status_code == 401 and "otp" in missing.get_json()["detail"]
    assert missing.headers["Content-Type"].startswith("application/problem+json")
    wrong = token(otp="000000")
    assert wrong.status_code == 401 and "klopt niet" in wrong.get_json()["detail"]
    code = totp_code(user)
    issued = token(otp=code)
    assert issued.status_code == 201 and _bearer(app, issued.get_json()["token"]) == 200
    assert token(otp=code).status_code == 401  # used once
    assert app.test_client().post("/api/v1/auth/token", json={"email": user.email, "password": "fout wachtwoord!",
                                                               "otp": totp_code(user)}).status_code == 401


def test_a_password_reset_does_not_skip_the_second_step(app, network):
    user = network.beheerder
    account.request_password_reset(user.email)
    from tests.support.account import mailed_path

    client = app.test_client()
    response = client.post(mailed_path("password_reset"), data={"password": NEW_PASSWORD,
                                                                "password_repeat": NEW_PASSWORD})
    assert response.status_code == 302 and response.location.endswith("/inloggen/code")
    assert not _logged_in(client)
    assert client.post("/inloggen/code", data={"code": totp_code(user)}).status_code == 302
    assert _logged_in(client)


def test_new_recovery_codes_replace_the_old_ones(app, network):
    user = network.beheerder
    client = app.test_client()
    client.login(user)
    response = client.post("/account/tweestapsverificatie/herstelcodes", data={"renew_code": totp_code(user)})
    assert response.status_code == 200
    codes = re.findall(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", response.get_data(as_text=True))
    assert len(codes) == 10 and two_factor.remaining_recovery_codes(reloaded(user)) == 10
    assert two_factor.verify(reloaded(user), codes[0]) and not two_factor.verify(reloaded(user), codes[0])


def test_the_cli_provisions_a_known_totp_secret_and_refuses_a_bad_one(runner, network):
    result = runner.invoke(args=["users", "create", "auto@example.nl", "--name", "Automaat", "--password",
                                 "automatisering-2026", "--role", "beheer", "--totp-secret", "jbsw y3dp ehpk 3pxp"])
    assert result.exit_code == 0, result.output
    user = _db.session.scalar(select(User).where(User.email == "auto@example.nl"))
    assert user.has_two_factor and user.totp_secret == "JBSWY3DPEHPK3PXP"
    bad = runner.invoke(args=["users", "create", "bad@example.nl", "--name", "Fout", "--password",
                              "automatisering-2026", "--role", "beheer", "--totp-secret", "niet-base32!"])
    assert bad.exit_code == 2 and "geen geldige base32-tekst" in bad.output
    assert _db.session.scalar(select(User).where(User.email == "bad@example.nl")) is None


def test_factory_users_that_need_two_factor_have_the_known_secret(network, lead):
    assert network.coordinator.totp_secret == network.beheerder.totp_secret == lead.totp_secret == TOTP_SECRET
    assert not network.club_contact.has_two_factor and not network.ondersteuner.has_two_factor


def test_the_operator_switches_off_two_factor_for_someone_who_lost_app_and_codes(runner, app, network):
    user = network.beheerder
    client = app.test_client()
    client.login(user)
    result = runner.invoke(args=["users", "reset-2fa", user.email.upper()])
    assert result.exit_code == 0 and "staat uit" in result.output and "opnieuw in" in result.output
    assert not reloaded(user).has_two_factor and not _logged_in(client)
    assert runner.invoke(args=["users", "reset-2fa", "niemand@example.nl"]).exit_code == 2
