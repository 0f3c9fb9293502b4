"""Mailed links: single use, expiring, stored only as a hash."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from loket.extensions import db as _db
from loket.models import AccountToken
from loket.models.base import utcnow
from loket.services.errors import InvalidInput
from loket.services.network import account_tokens


def test_a_token_is_stored_as_a_hash_and_works_once(network):
    token = account_tokens.issue(network.club_contact, "reset_password")
    _db.session.commit()
    stored = _db.session.scalar(select(AccountToken))
    assert token not in stored.token_hash and len(stored.token_hash) == 64

    record = account_tokens.redeem(token, "reset_password")
    _db.session.commit()
    assert record.user_id == network.club_contact.id and record.used_at is not None
    with pytest.raises(InvalidInput) as used:
        account_tokens.redeem(token, "reset_password")
    assert used.value.errors["token"] == account_tokens.USED


def test_a_token_expires(app, network):
    issued_at = utcnow() - timedelta(minutes=app.config["PASSWORD_RESET_MINUTES"] + 1)
    token = account_tokens.issue(network.club_contact, "reset_password", now=issued_at)
    _db.session.commit()
    with pytest.raises(InvalidInput) as expired:
        account_tokens.peek(token, "reset_password")
    assert expired.value.errors["token"] == account_tokens.EXPIRED


@pytest.mark.parametrize("wrong", [None, "", "nope", "x" * 500, "\x00", "é"])
def test_a_wrong_token_is_refused(network, wrong):
    with pytest.raises(InvalidInput) as refused:
        account_tokens.redeem(wrong, "reset_password")
    assert refused.value.errors["token"] == account_tokens.INVALID


def test_a_token_only_opens_its_own_purpose_and_retires_older_ones(network):
    older = account_tokens.issue(network.club_contact, "reset_password")
    newer = account_tokens.issue(network.club_contact, "reset_password")
    confirm = account_tokens.issue(network.club_contact, "confirm_email")
    _db.session.commit()
    with pytest.raises(InvalidInput):
        account_tokens.redeem(confirm, "reset_password")
    account_tokens.redeem(newer, "reset_password")
    _db.session.commit()
    with pytest.raises(InvalidInput) as retired:
        account_tokens.redeem(older, "reset_password")
    assert retired.value.errors["token"] == account_tokens.USED
    assert account_tokens.redeem(confirm, "confirm_email").purpose == "confirm_email"
