"""A team managing itself: who sees it, a lead removing members of their own team (an account left without a role
is switched off), beheer appointing and removing leads, and the last lead who cannot leave."""
import pytest
from sqlalchemy import select

from loket.extensions import db as _db
from loket.models import Membership, NetworkChange, User
from loket.services.errors import Conflict, Forbidden, NotFound
from loket.services.network import api_tokens, team_admin
from loket.services.network.teams import is_team_lead
from tests.factories import PASSWORD, make_user
from tests.support.db import count_queries
from tests.support.teams import TEAM_KINDS, other_team


def _membership(user, loket):
    return next(m for m in user.memberships if m.loket_id == loket.id)


def _history(user):
    return [(c.field, c.old_value, c.new_value) for c in _db.session.scalars(
        select(NetworkChange).where(NetworkChange.user_id == user.id).order_by(NetworkChange.id))]


# ---------------------------------------------------------------- the page

def test_the_team_page_lists_members_by_name_with_leads(network, lead):
    page = team_admin.team_page(network.collega, "loket", "utrecht")
    assert [m.user.name for m in page.members.items] == ["Cees Collega", "Lotte Lead", "Ofelia Ondersteuner"]
    assert page.lead_count == 1 and not page.can_manage and not page.can_appoint and page.invitations == []
    lead_view = team_admin.team_page(lead, "loket", "utrecht")
    assert lead_view.can_manage and not lead_view.can_appoint
    beheer_view = team_admin.team_page(network.beheerder, "loket", "utrecht")
    assert beheer_view.can_manage and beheer_view.can_appoint


@pytest.mark.parametrize("who", ["ondersteuner_eemland", "bondsspecialist", "initiatiefmedewerker"])
def test_another_team_does_not_see_the_team(network, who):
    with pytest.raises(Forbidden):
        team_admin.team_page(getattr(network, who), "loket", "utrecht")


@pytest.mark.parametrize("kind", TEAM_KINDS)
def test_a_bond_team_page(network, kind):
    team = other_team(network, kind)
    page = team_admin.team_page(team.member, kind, team.key)
    assert [m.user.name for m in page.members.items] == [team.member.name] and page.key == team.key
    assert page.member_label == {"bond": "Bondsspecialist", "initiatief": "Medewerker landelijk initiatief"}[kind]
    with pytest.raises(NotFound):
        team_admin.team_page(network.beheerder, kind, "nergens")
    with pytest.raises(Forbidden):  # a member of the other kind of team
        team_admin.team_page(other_team(network, "initiatief" if kind == "bond" else "bond").member, kind, team.key)


def test_the_page_costs_the_same_queries_for_a_bigger_team(app, network, lead):
    _db.session.expire_all()
    with count_queries(app) as small:
        team_admin.team_page(_db.session.get(User, lead.id), "loket", "utrecht")
    for number in range(8):
        make_user("clubondersteuner", network.loket_utrecht, name=f"Extra {number}")
    _db.session.commit()
    _db.session.expire_all()
    with count_queries(app) as big:
        team_admin.team_page(_db.session.get(User, lead.id), "loket", "utrecht")
    assert len(big) == len(small)


def test_own_team_is_the_first_team_membership(network):
    assert team_admin.own_team(network.ondersteuner) == ("loket", "utrecht")
    assert team_admin.own_team(network.bondsspecialist) == ("bond", "knvb")
    assert team_admin.own_team(network.initiatiefmedewerker) == ("initiatief", "spn")
    assert team_admin.own_team(network.beheerder) is None


# ---------------------------------------------------------------- removing members

def test_a_lead_removes_a_member_who_is_switched_off_with_sessions_and_tokens_ended(network, lead):
    token = api_tokens.issue_token(network.collega.email, PASSWORD).token
    version = network.collega.session_version
    team_admin.remove_member(lead, "loket", "utrecht", _membership(network.collega, network.loket_utrecht).id)
    _db.session.expire_all()
    collega = _db.session.get(User, network.collega.id)
    assert collega.memberships == [] and not collega.active and collega.session_version == version + 1
    assert api_tokens.resolve_token(token) is None
    assert _history(collega) == [("membership", "Clubondersteuner", None), ("active", "ja", "nee")]
    change = _db.session.scalar(select(NetworkChange).where(NetworkChange.field == "membership"))
    assert (change.loket_id, change.actor_id) == (network.loket_utrecht.id, lead.id)


def test_someone_with_another_role_keeps_their_account(network, lead):
    eemland = Membership(role="clubondersteuner", loket=network.loket_eemland)
    network.collega.memberships.append(eemland)
    _db.session.commit()
    team_admin.remove_member(lead, "loket", "utrecht", _membership(network.collega, network.loket_utrecht).id)
    _db.session.expire_all()
    collega = _db.session.get(User, network.collega.id)
    assert collega.active and [m.loket_id for m in collega.memberships] == [network.loket_eemland.id]


def test_a_lead_never_removes_someone_of_another_team(network, lead):
    other = _membership(network.ondersteuner_eemland, network.loket_eemland).id
    with pytest.raises(Forbidden):
        team_admin.remove_member(lead, "loket", "eemland", other)
    with pytest.raises(NotFound):  # through their own team's address: not a member of it
        team_admin.remove_member(lead, "loket", "utrecht", other)
    with pytest.raises(NotFound):
        team_admin.remove_member(lead, "loket", "utrecht", 2**31)
    assert _db.session.get(User, network.ondersteuner_eemland.id).memberships


def test_a_member_who_is_no_lead_removes_nobody(network):
    with pytest.raises(Forbidden):
        team_admin.remove_member(network.ondersteuner, "loket", "utrecht",
                                 _membership(network.collega, network.loket_utrecht).id)


def test_removing_a_lead_is_for_beheer(network, lead):
    second = make_user("clubondersteuner", network.loket_utrecht, name="Tweede Lead", team_lead=True)
    _db.session.commit()
    with pytest.raises(Forbidden):
        team_admin.remove_member(lead, "loket", "utrecht", _membership(second, network.loket_utrecht).id)
    team_admin.remove_member(network.beheerder, "loket", "utrecht", _membership(second, network.loket_utrecht).id)
    assert not _db.session.get(User, second.id).active


def test_the_last_lead_cannot_leave_but_a_second_lead_can(network, lead):
    own = _membership(lead, network.loket_utrecht).id
    with pytest.raises(Conflict) as refused:
        team_admin.remove_member(lead, "loket", "utrecht", own)
    assert "laatste coördinator" in refused.value.message
    make_user("clubondersteuner", network.loket_utrecht, name="Tweede Lead", team_lead=True)
    _db.session.commit()
    team_admin.remove_member(lead, "loket", "utrecht", own)
    assert not _db.session.get(User, lead.id).active


def test_a_switched_off_second_lead_does_not_count(network, lead):
    second = make_user("clubondersteuner", network.loket_utrecht, name="Tweede Lead", team_lead=True)
    second.active = False
    _db.session.commit()
    with pytest.raises(Conflict):
        team_admin.remove_member(lead, "loket", "utrecht", _membership(lead, network.loket_utrecht).id)


# ---------------------------------------------------------------- leads

def test_beheer_appoints_and_removes_a_lead(network):
    membership = _membership(network.collega, network.loket_utrecht).id
    team_admin.set_team_lead(network.beheerder, "loket", "utrecht", membership, True)
    assert is_team_lead(_db.session.get(User, network.collega.id), "loket", network.loket_utrecht.id)
    team_admin.set_team_lead(network.beheerder, "loket", "utrecht", membership, True)  # unchanged: no row
    team_admin.set_team_lead(network.beheerder, "loket", "utrecht", membership, False)
    assert _history(network.collega) == [("team_lead", "nee", "ja"), ("team_lead", "ja", "nee")]
    change = _db.session.scalar(select(NetworkChange).where(NetworkChange.field == "team_lead"))
    assert (change.loket_id, change.actor_id) == (network.loket_utrecht.id, network.beheerder.id)


@pytest.mark.parametrize("kind", TEAM_KINDS)
def test_a_bond_lead_is_appointed_in_the_bond(network, kind):
    team = other_team(network, kind)
    membership = team.member.memberships[0].id
    team_admin.set_team_lead(network.beheerder, kind, team.key, membership, True)
    assert is_team_lead(_db.session.get(User, team.member.id), kind, team.organisation.id)
    change = _db.session.scalar(select(NetworkChange).where(NetworkChange.field == "team_lead"))
    assert (change.bond_id, change.initiative_id) == (
        (team.organisation.id, None) if kind == "bond" else (None, team.organisation.id))
    with pytest.raises(NotFound):  # the membership is not one of the other team
        team_admin.set_team_lead(network.beheerder, kind, team.key, network.collega.memberships[0].id, True)


@pytest.mark.parametrize("kind", TEAM_KINDS)
def test_a_bond_or_initiative_lead_removes_a_member_of_their_own_team_only(network, kind):
    team = other_team(network, kind)
    lead = team.make_member(name="Lea Lead", team_lead=True)
    removed = team_admin.remove_member(lead, kind, team.key, team.member.memberships[0].id)
    assert removed.id == team.member.id and not _db.session.get(User, team.member.id).active
    change = _db.session.scalar(select(NetworkChange).where(NetworkChange.field == "membership"))
    assert change.reason == "uit het team gehaald" and (change.bond_id or change.initiative_id) == team.organisation.id
    with pytest.raises(NotFound):
        team_admin.remove_member(lead, kind, team.key, network.collega.memberships[0].id)
    with pytest.raises(Conflict):  # the last lead stays
        team_admin.remove_member(lead, kind, team.key, lead.memberships[0].id)


def test_a_lead_appoints_nobody(network, lead):
    with pytest.raises(Forbidden) as refused:
        team_admin.set_team_lead(lead, "loket", "utrecht",
                                 _membership(network.collega, network.loket_utrecht).id, True)
    assert "beheer" in refused.value.message


def test_the_last_lead_cannot_step_down_a_second_can(network, lead):
    own = _membership(lead, network.loket_utrecht).id
    with pytest.raises(Conflict):
        team_admin.set_team_lead(lead, "loket", "utrecht", own, False)
    make_user("clubondersteuner", network.loket_utrecht, name="Tweede Lead", team_lead=True)
    _db.session.commit()
    team_admin.set_team_lead(lead, "loket", "utrecht", own, False)
    assert not is_team_lead(_db.session.get(User, lead.id), "loket", network.loket_utrecht.id)


def test_a_switched_off_account_is_not_appointed(network):
    network.collega.active = False
    _db.session.commit()
    with pytest.raises(Conflict):
        team_admin.set_team_lead(network.beheerder, "loket", "utrecht",
                                 _membership(network.collega, network.loket_utrecht).id, True)
