"""Creating users: memberships must match their role and organisation."""
import pytest
from sqlalchemy import select

from loket.extensions import db as _db
from loket.models import User
from loket.services.errors import InvalidInput
from loket.services.network.users import EMAIL_IN_USE, MembershipSpec, create_user
from tests.support.db import count_rows


def _count():
    return count_rows(User)


def test_team_lead_is_only_for_loket_or_bond_members(network):
    before = _count()
    with pytest.raises(InvalidInput) as raised:
        create_user(email="lead@example.nl", name="Lead", password="lang-genoeg-123",
                    memberships=[MembershipSpec(role="beheer", team_lead=True)])
    assert raised.value.errors["team_lead"] == "Alleen leden van een loket, bond of landelijk initiatief kunnen teamleider zijn."
    assert _count() == before
    user = create_user(email="lead@example.nl", name="Lead", password="lang-genoeg-123",
                       memberships=[MembershipSpec(role="clubondersteuner", loket="utrecht", team_lead=True)])
    assert user.memberships[0].is_team_lead and user.memberships[0].loket_id == network.loket_utrecht.id


def test_email_is_stored_lower_case_and_unique(network):
    create_user(email=" Nieuw@Example.NL ", name="Nieuw", password="lang-genoeg-123",
                memberships=[MembershipSpec(role="coordinatiepunt")])
    assert _db.session.scalar(select(User.email).where(User.name == "Nieuw")) == "nieuw@example.nl"
    with pytest.raises(InvalidInput) as raised:
        create_user(email="NIEUW@example.nl", name="Ander", password="lang-genoeg-123",
                    memberships=[MembershipSpec(role="beheer")])
    assert "bestaat al" in raised.value.errors["email"]


def test_an_address_registered_a_moment_ago_is_refused_in_dutch_not_a_crash(network, monkeypatch):
    # The check found no account, but another request stored one before this insert (a unique-key race).
    real_scalar = _db.session.scalar
    monkeypatch.setattr(_db.session, "scalar", lambda query, *args, **kwargs: (
        None if "lower(users.email)" in str(query) else real_scalar(query, *args, **kwargs)))
    before = count_rows(User)
    with pytest.raises(InvalidInput) as refused:
        create_user(email=network.club_contact.email, name="Dubbel", password="Een-lang-en-sterk-wachtwoord-26",
                    memberships=[MembershipSpec(role="coordinatiepunt")])
    assert refused.value.errors == {"email": EMAIL_IN_USE}
    assert count_rows(User) == before
