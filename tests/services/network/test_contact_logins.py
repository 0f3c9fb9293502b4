"""A login for a contact person a supporter adds: two people creating the same address at once."""
import pytest

from loket.extensions import db as _db
from loket.models import ClubContact, User
from loket.models.base import utcnow
from loket.services.errors import Conflict
from loket.services.network import contact_logins
from tests.support.db import count_rows


def test_an_address_taken_a_moment_ago_is_a_conflict_not_a_crash(network, monkeypatch):
    # The check found no account, but another request created one before this one stored its own.
    monkeypatch.setattr(contact_logins, "find_by_email", lambda email: None)
    contact = ClubContact(club=network.club_utrecht, name="Twee Tegelijk", email=network.club_contact.email)
    _db.session.add(contact)
    users_before = count_rows(User)

    with pytest.raises(Conflict, match="Er is net een account gemaakt"):
        contact_logins.give_login(contact, actor=network.ondersteuner, now=utcnow())

    assert count_rows(User) == users_before
    assert count_rows(ClubContact, ClubContact.name == "Twee Tegelijk") == 0
