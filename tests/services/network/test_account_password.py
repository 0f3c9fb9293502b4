"""A forgotten password (a mailed, single-use link), changing one's password, and signing out everywhere:
each ends every session (session version) and API token of the user, and says so by mail."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from loket.extensions import db as _db
from loket.models import AccountToken, ApiToken
from loket.models.base import utcnow
from loket.services.errors import InvalidInput
from loket.services.messaging import mail
from loket.services.network import account, account_tokens, api_tokens
from loket.services.network.passwords import verify_password
from loket.services.network.users import EMAIL_NOT_CONFIRMED_MESSAGE, EmailNotConfirmed, authenticate
from tests.factories import PASSWORD
from tests.support.account import mailed_token
from tests.support.db import count_rows, reloaded
from tests.support.mails import outbox_rows, rendered

NEW_PASSWORD = "een heel nieuw wachtwoord"


def test_a_known_address_gets_a_link_that_works_once(network):
    account.request_password_reset(" Anna@UBoys.example ")
    (row,) = outbox_rows("password_reset")
    assert row.payload["to"] == network.club_contact.email
    sent = rendered(row)
    assert sent.subject == "Kies een nieuw wachtwoord voor Loket"
    token = mailed_token("password_reset")
    assert mail.links_in(sent.text) == [f"http://127.0.0.1:5000/wachtwoord-herstellen/{token}"]
    assert "60 minuten" in sent.text and token in sent.html

    user = account.reset_password(token, NEW_PASSWORD)
    assert user.id == network.club_contact.id
    assert verify_password(reloaded(user).password_hash, NEW_PASSWORD)
    assert not verify_password(reloaded(user).password_hash, PASSWORD)
    with pytest.raises(account.InvalidLink) as used:
        account.reset_password(token, "nog een ander wachtwoord")
    assert used.value.message == account_tokens.USED


def test_an_unknown_or_inactive_address_gets_no_mail_and_no_token(network):
    network.collega.active = False
    _db.session.commit()
    for email in ("niemand@example.nl", network.collega.email, "", "x" * 300 + "@example.nl"):
        account.request_password_reset(email)
    assert outbox_rows() == [] and count_rows(AccountToken) == 0


def test_known_and_unknown_addresses_hash_a_token_the_same_number_of_times(network, hashes):
    account.request_password_reset(network.club_contact.email)
    known = len(hashes)
    hashes.clear()
    account.request_password_reset("niemand@example.nl")
    assert known == len(hashes) == 1


def test_a_reset_ends_every_session_and_api_token_and_tells_the_address(network):
    before = network.ondersteuner.session_version
    issued = api_tokens.issue_token(network.ondersteuner.email, PASSWORD)
    other = api_tokens.issue_token(network.collega.email, PASSWORD)
    account.request_password_reset(network.ondersteuner.email)
    account.reset_password(mailed_token("password_reset"), NEW_PASSWORD)
    assert reloaded(network.ondersteuner).session_version == before + 1
    assert api_tokens.resolve_token(issued.token) is None
    assert api_tokens.resolve_token(other.token) is not None  # another user's token is left alone
    (row,) = outbox_rows("password_changed")
    assert row.payload["to"] == network.ondersteuner.email
    sent = rendered(row)
    assert "gewijzigd" in sent.subject
    assert mail.links_in(sent.text) == ["http://127.0.0.1:5000/wachtwoord-vergeten"]


@pytest.mark.parametrize("password, rule", [
    ("kort", "minstens 12 tekens"),
    ("wachtwoord123", "te gangbaar"),
    ("ofelia ondersteuner", "lijkt te veel op je naam"),
    ("tab\tin het wachtwoord", "stuurtekens"),
])
def test_a_weak_password_is_refused_naming_the_rule_and_the_link_stays_open(network, password, rule):
    account.request_password_reset(network.ondersteuner.email)
    token = mailed_token("password_reset")
    with pytest.raises(InvalidInput) as refused:
        account.reset_password(token, password)
    assert rule in refused.value.errors["password"]
    assert verify_password(reloaded(network.ondersteuner).password_hash, PASSWORD)
    account.reset_password(token, NEW_PASSWORD)  # the link still works for a good password


def test_an_expired_wrong_or_older_link_is_refused(app, network):
    long_ago = utcnow() - timedelta(minutes=app.config["PASSWORD_RESET_MINUTES"] + 1)
    expired = account_tokens.issue(network.ondersteuner, "reset_password", now=long_ago)
    _db.session.commit()
    with pytest.raises(account.InvalidLink) as refused:
        account.reset_password(expired, NEW_PASSWORD)
    assert refused.value.message == account_tokens.EXPIRED
    for wrong in (None, "", "nope", "é" * 10, "x" * 5000):
        with pytest.raises(account.InvalidLink):
            account.check_reset_link(wrong)
    account.request_password_reset(network.ondersteuner.email)
    older = mailed_token("password_reset")
    account.request_password_reset(network.ondersteuner.email)
    account.reset_password(mailed_token("password_reset"), NEW_PASSWORD)
    with pytest.raises(account.InvalidLink):
        account.reset_password(older, "weer een ander wachtwoord")
    # A reset link opens nothing else, and another purpose's token is no reset link.
    email_token = account_tokens.issue(network.ondersteuner, "change_email", new_email="o@example.nl")
    _db.session.commit()
    with pytest.raises(account.InvalidLink):
        account.reset_password(email_token, "weer een ander wachtwoord")


def test_change_password_needs_the_current_one_and_a_good_new_one(network):
    user = network.club_contact
    with pytest.raises(InvalidInput) as refused:
        account.change_password(user, "niet mijn wachtwoord", "kort")
    assert refused.value.errors == {"current_password": account.WRONG_CURRENT_PASSWORD,
                                    "new_password": "Kies een wachtwoord van minstens 12 tekens."}
    with pytest.raises(InvalidInput) as same:
        account.change_password(user, PASSWORD, PASSWORD)
    assert same.value.errors == {"new_password": account.SAME_PASSWORD}
    assert outbox_rows() == [] and reloaded(user).session_version == 0

    token = api_tokens.issue_token(user.email, PASSWORD)
    account.change_password(user, PASSWORD, NEW_PASSWORD)
    user = reloaded(user)
    assert verify_password(user.password_hash, NEW_PASSWORD) and user.session_version == 1
    assert api_tokens.resolve_token(token.token) is None
    assert [row.payload["to"] for row in outbox_rows("password_changed")] == [user.email]


def test_sign_out_everywhere_raises_the_version_and_revokes_every_token(network):
    user = network.bondsspecialist
    tokens = [api_tokens.issue_token(user.email, PASSWORD) for _ in range(3)]
    api_tokens.revoke_token(tokens[0].record)
    account.sign_out_everywhere(user)
    account.sign_out_everywhere(user)
    assert reloaded(user).session_version == 2
    assert all(api_tokens.resolve_token(t.token) is None for t in tokens)
    assert _db.session.scalar(select(func.count()).select_from(ApiToken).where(ApiToken.revoked_at.is_(None))) == 0
    assert outbox_rows() == []


def test_session_ids_hold_the_session_version(network):
    user = network.club_contact
    assert user.get_id().startswith(f"{user.id}:0:")
    account.sign_out_everywhere(user)
    assert reloaded(user).get_id().startswith(f"{user.id}:1:")


def test_an_unconfirmed_address_cannot_authenticate_but_only_the_right_password_says_so(network):
    network.club_contact.email_confirmed_at = None
    _db.session.commit()
    assert authenticate(network.club_contact.email, "wrong password!") is None
    with pytest.raises(EmailNotConfirmed) as refused:
        authenticate(network.club_contact.email, PASSWORD)
    assert refused.value.message == EMAIL_NOT_CONFIRMED_MESSAGE and refused.value.status_code == 403
    assert reloaded(network.club_contact).last_login_at is None
