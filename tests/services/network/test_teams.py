"""Who works in which team: the one home of team membership (loket/services/network/teams.py)."""
from loket.extensions import db as _db
from loket.services.network import teams
from tests.factories import MembershipFactory, make_user


def test_the_loketten_of_a_user_are_their_clubondersteuner_memberships_in_order(network):
    user = make_user("clubondersteuner", network.loket_eemland)
    MembershipFactory(user=user, role="clubondersteuner", loket=network.loket_utrecht)
    MembershipFactory(user=user, role="bondsspecialist", bond=network.knvb)
    _db.session.commit()
    assert teams.loketten_of(user) == [network.loket_eemland, network.loket_utrecht]
    assert teams.loketten_of(network.bondsspecialist) == []


def test_members_of_a_team_are_its_active_people_by_name_and_the_fallback_is_the_coordinatiepunt(network):
    loket_team = network.loket_utrecht.team
    members = teams.members_of(loket_team)
    assert network.ondersteuner in members and network.bondsspecialist not in members
    assert [u.name for u in members] == sorted(u.name for u in members)
    assert teams.members_of(network.fallback_team) == [network.coordinator]


def test_works_in_follows_the_role_of_the_membership(network):
    assert teams.works_in(network.ondersteuner, network.loket_utrecht.team)
    assert not teams.works_in(network.ondersteuner, network.knvb.team)
    assert teams.works_in(network.bondsspecialist, network.knvb.team)
    assert not teams.works_in(network.club_contact, network.loket_utrecht.team)
