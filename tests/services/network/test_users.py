"""Creating users: memberships must match their role and organisation."""
import pytest
from sqlalchemy import select

from loket.extensions import db as _db
from loket.models import User
from loket.services.errors import InvalidInput
from loket.services.network.users import MembershipSpec, create_user
from tests.support.db import count_rows


def _count():
    return count_rows(User)


def test_team_lead_is_only_for_loket_or_bond_members(network):
    before = _count()
    with pytest.raises(InvalidInput) as raised:
        create_user(email="lead@example.nl", name="Lead", password="lang-genoeg-123",
                    memberships=[MembershipSpec(role="beheer", team_lead=True)])
    assert raised.value.errors["team_lead"] == "Alleen leden van een loket of bond kunnen teamleider zijn."
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
