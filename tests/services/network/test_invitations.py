"""Team invitations: who may invite whom into which team, the mailed single-use expiring link (only its hash
stored), and accepting it with a new account or an existing one."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from loket.extensions import db as _db
from loket.models import NetworkChange, TeamInvitation, User
from loket.models.base import utcnow
from loket.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from loket.services.network import invitations
from loket.services.network.account import InvalidLink
from loket.services.network.teams import is_team_lead, works_in
from tests.factories import PASSWORD
from tests.support.account import mailed_path, mailed_token
from tests.support.mails import outbox_rows, rendered
from tests.support.teams import TEAM_KINDS, knvb_lead, other_team

NEW_PASSWORD = "een nieuw teamlid erbij"


@pytest.fixture()
def bond_lead(network):
    return knvb_lead(network)


def _changes(field):
    return list(_db.session.scalars(select(NetworkChange).where(NetworkChange.field == field)
                                    .order_by(NetworkChange.id)))


# ---------------------------------------------------------------- inviting

def test_a_lead_invites_a_colleague_and_only_the_hash_is_stored(app, network, lead):
    invitation = invitations.invite(lead, "loket", "utrecht", email=" Nieuw@Loket.Example ", name="Nina")
    stored = _db.session.get(TeamInvitation, invitation.id)
    assert (stored.email, stored.name, stored.role, stored.loket_id, stored.team_lead) == (
        "nieuw@loket.example", "Nina", "clubondersteuner", network.loket_utrecht.id, False)
    assert stored.expires_at - stored.created_at == timedelta(days=app.config["TEAM_INVITATION_DAYS"])
    token = mailed_token("team_invitation", "nieuw@loket.example")
    assert token not in stored.token_hash and len(stored.token_hash) == 64
    mail = rendered(outbox_rows("team_invitation")[-1])
    assert "Sportloket Utrecht" in mail.subject and "Lotte Lead" in mail.text
    assert mailed_path("team_invitation") in mail.text and "7 dagen" in mail.text
    [change] = _changes("invitation")
    assert (change.new_value, change.loket_id, change.actor_id) == ("nieuw@loket.example", network.loket_utrecht.id,
                                                                   lead.id)


def test_the_default_lifetime_is_seven_days(app):
    assert app.config["TEAM_INVITATION_DAYS"] == 7


def test_a_lead_of_another_loket_may_not_invite_here(network, lead):
    with pytest.raises(Forbidden):
        invitations.invite(lead, "loket", "eemland", email="x@loket.example")
    assert outbox_rows("team_invitation") == [] and _db.session.scalar(select(TeamInvitation)) is None


@pytest.mark.parametrize("who", ["ondersteuner", "bondsspecialist", "coordinator", "club_contact"])
def test_who_is_not_a_lead_of_the_team_may_not_invite(network, who):
    with pytest.raises(Forbidden):
        invitations.invite(getattr(network, who), "loket", "utrecht", email="x@loket.example")


@pytest.mark.parametrize("kind", TEAM_KINDS)
def test_a_lead_of_a_bond_or_initiative_invites_into_that_team_and_the_invitee_joins_it(network, kind):
    team = other_team(network, kind)
    lead = team.make_member(name="Lea Lead", team_lead=True)
    invitation = invitations.invite(lead, kind, team.key, email="nieuw@team.example")
    assert invitation.role == team.role and invitation.organisation is team.organisation
    [change] = _changes("invitation")
    assert (change.bond_id, change.initiative_id) == (
        (team.organisation.id, None) if kind == "bond" else (None, team.organisation.id))
    assert invitations.open_invitations(team.organisation) == [invitation]
    with pytest.raises(Forbidden):
        invitations.invite(lead, "loket", "utrecht", email="nieuw@team.example")
    with pytest.raises(Forbidden):
        invitations.invite(lead, kind, team.key, email="lead@team.example", team_lead=True)
    user = invitations.accept_with_new_account(mailed_token("team_invitation", "nieuw@team.example"),
                                               name="Nina Nieuw", password=NEW_PASSWORD)
    assert works_in(user, team.team) and not is_team_lead(user, kind, team.organisation.id)
    assert [m.role for m in user.memberships] == [team.role]
    assert invitations.open_invitations(team.organisation) == []
    # Someone with an account (here a loket's supporter) joins with it, and keeps the loket.
    invitations.invite(network.beheerder, kind, team.key, email=network.collega.email, team_lead=True)
    joined = invitations.join_with_account(mailed_token("team_invitation", network.collega.email), network.collega)
    assert works_in(joined, team.team) and works_in(joined, network.loket_utrecht.team)
    assert is_team_lead(joined, kind, team.organisation.id)
    with pytest.raises(Conflict):
        invitations.invite(lead, kind, team.key, email=network.collega.email)


def test_a_bond_lead_invites_into_their_bond_only(network, bond_lead):
    invitation = invitations.invite(bond_lead, "bond", "knvb", email="specialist@knvb.example")
    assert (invitation.role, invitation.bond_id, invitation.loket_id) == ("bondsspecialist", network.knvb.id, None)
    with pytest.raises(Forbidden):
        invitations.invite(bond_lead, "bond", "knltb", email="specialist@knltb.example")
    with pytest.raises(Forbidden):
        invitations.invite(bond_lead, "loket", "utrecht", email="specialist@knvb.example")


def test_only_beheer_invites_a_lead(network, lead):
    with pytest.raises(Forbidden) as refused:
        invitations.invite(lead, "loket", "utrecht", email="lead@loket.example", team_lead=True)
    assert refused.value.message == "Alleen beheer benoemt coördinatoren."
    invitation = invitations.invite(network.beheerder, "loket", "bunnik", email="lead@loket.example", team_lead=True)
    assert invitation.team_lead and invitation.loket_id == network.loket_bunnik.id


def test_unknown_teams_are_not_found(network):
    for kind, key in (("loket", "nergens"), ("bond", "nergens"), ("loket", "utrecht\x00"), ("loket", "u" * 500),
                      ("fallback", "utrecht"), ("loket", None)):
        with pytest.raises(NotFound):
            invitations.invite(network.beheerder, kind, key, email="x@loket.example")


@pytest.mark.parametrize("email", ["", "   ", "geen-adres", "a\x00b@loket.example", "x" * 250 + "@loket.example",
                                   "naam@", None])
def test_a_bad_address_is_refused_in_dutch(network, email):
    with pytest.raises(InvalidInput) as refused:
        invitations.invite(network.beheerder, "loket", "utrecht", email=email)
    assert "e-mailadres" in refused.value.errors["email"]


@pytest.mark.parametrize("name", ["Nina\x00", "Nina\x1b[31m", "n" * 121])
def test_a_bad_name_is_refused(network, name):
    with pytest.raises(InvalidInput) as refused:
        invitations.invite(network.beheerder, "loket", "utrecht", email="x@loket.example", name=name)
    assert "name" in refused.value.errors


def test_an_address_that_already_has_the_membership_is_a_conflict(network, lead):
    with pytest.raises(Conflict) as refused:
        invitations.invite(lead, "loket", "utrecht", email=network.collega.email.upper())
    assert "al lid van het team van Sportloket Utrecht" in refused.value.message
    # The same person may be invited into another team.
    invitations.invite(network.beheerder, "loket", "eemland", email=network.collega.email)


def test_inviting_again_revokes_the_older_open_invitation(network, lead):
    first = invitations.invite(lead, "loket", "utrecht", email="nieuw@loket.example")
    old_token = mailed_token("team_invitation", "nieuw@loket.example")
    elsewhere = invitations.invite(network.beheerder, "loket", "eemland", email="nieuw@loket.example")
    second = invitations.invite(lead, "loket", "utrecht", email="nieuw@loket.example")
    _db.session.expire_all()
    assert first.revoked_at is not None and second.revoked_at is None and elsewhere.revoked_at is None
    with pytest.raises(InvalidLink) as refused:
        invitations.open_invitation(old_token)
    assert refused.value.message == invitations.REVOKED
    assert [i.id for i in invitations.open_invitations(network.loket_utrecht)] == [second.id]


def test_an_address_of_a_switched_off_account_is_refused(network, lead):
    network.other_club_contact.active = False
    _db.session.commit()
    with pytest.raises(Conflict):
        invitations.invite(lead, "loket", "utrecht", email=network.other_club_contact.email)


def test_revoking_stops_the_link_and_is_for_the_teams_leads(network, lead):
    invitation = invitations.invite(lead, "loket", "utrecht", email="nieuw@loket.example")
    token = mailed_token("team_invitation")
    with pytest.raises(Forbidden):
        invitations.revoke(network.ondersteuner_eemland, "loket", "utrecht", invitation.id)
    with pytest.raises(NotFound):
        invitations.revoke(network.beheerder, "loket", "eemland", invitation.id)  # not that team's
    with pytest.raises(NotFound):
        invitations.revoke(network.beheerder, "loket", "utrecht", 2**31)
    invitations.revoke(lead, "loket", "utrecht", invitation.id)
    with pytest.raises(Conflict):
        invitations.revoke(lead, "loket", "utrecht", invitation.id)
    with pytest.raises(InvalidLink):
        invitations.open_invitation(token)
    assert [c.reason for c in _changes("invitation")] == [None, "ingetrokken"]


# ---------------------------------------------------------------- accepting

def test_accepting_makes_a_confirmed_account_with_the_membership(network, lead):
    invitations.invite(lead, "loket", "utrecht", email="nieuw@loket.example")
    token = mailed_token("team_invitation")
    user = invitations.accept_with_new_account(token, name="  Nina   Nieuw ", password=NEW_PASSWORD, signed_in=True)
    _db.session.expire_all()
    assert (user.email, user.name, user.active) == ("nieuw@loket.example", "Nina Nieuw", True)
    assert user.email_confirmed_at is not None and user.last_login_at is not None
    assert works_in(user, network.loket_utrecht.team) and not is_team_lead(user, "loket", network.loket_utrecht.id)
    invitation = _db.session.scalar(select(TeamInvitation))
    assert invitation.accepted_at is not None and invitation.accepted_by_id == user.id
    [joined] = _changes("membership")
    assert (joined.user_id, joined.loket_id, joined.new_value, joined.actor_id) == (
        user.id, network.loket_utrecht.id, "Clubondersteuner", lead.id)
    with pytest.raises(InvalidLink) as used:
        invitations.accept_with_new_account(token, name="Nog eens", password=NEW_PASSWORD)
    assert used.value.message == invitations.USED


def test_a_lead_invitation_makes_a_lead_and_is_recorded(network):
    invitations.invite(network.beheerder, "bond", "knltb", email="lead@knltb.example", team_lead=True)
    user = invitations.accept(mailed_token("team_invitation"), name="Lies Lead", password=NEW_PASSWORD)
    assert is_team_lead(user, "bond", network.knltb.id)
    [appointed] = _changes("team_lead")
    assert (appointed.new_value, appointed.bond_id, appointed.actor_id) == ("ja", network.knltb.id,
                                                                           network.beheerder.id)


def test_an_expired_link_is_refused(app, network, lead):
    days = app.config["TEAM_INVITATION_DAYS"]
    invitations.invite(lead, "loket", "utrecht", email="nieuw@loket.example",
                       now=utcnow() - timedelta(days=days, minutes=1))
    with pytest.raises(InvalidLink) as refused:
        invitations.accept(mailed_token("team_invitation"), name="Nina", password=NEW_PASSWORD)
    assert refused.value.message == invitations.EXPIRED and refused.value.status_code == 400
    assert _db.session.scalar(select(User).where(User.email == "nieuw@loket.example")) is None


@pytest.mark.parametrize("wrong", [None, "", "nope", "x" * 500, "\x00", "é"])
def test_a_wrong_token_is_refused(network, wrong):
    with pytest.raises(InvalidLink) as refused:
        invitations.open_invitation(wrong)
    assert refused.value.message == invitations.INVALID


def test_the_token_goes_through_the_one_hash_of_mailed_links(network, lead, hashes):
    invitations.invite(lead, "loket", "utrecht", email="nieuw@loket.example")
    invitations.open_invitation(mailed_token("team_invitation"))
    assert len(hashes) == 2  # issued, and looked up


@pytest.mark.parametrize("name, password, field", [("", NEW_PASSWORD, "name"), ("Nina\x00", NEW_PASSWORD, "name"),
                                                  ("Nina", "kort", "password"), ("Nina", "a\x00" * 8, "password")])
def test_a_bad_name_or_password_stores_nothing_and_keeps_the_link(network, lead, name, password, field):
    invitations.invite(lead, "loket", "utrecht", email="nieuw@loket.example")
    token = mailed_token("team_invitation")
    with pytest.raises(InvalidInput) as refused:
        invitations.accept(token, name=name, password=password)
    assert field in refused.value.errors
    _db.session.rollback()
    assert _db.session.scalar(select(User).where(User.email == "nieuw@loket.example")) is None
    invitations.open_invitation(token)  # still works


def test_an_existing_account_joins_with_its_password(network):
    invitations.invite(network.beheerder, "loket", "eemland", email=network.collega.email)
    token = mailed_token("team_invitation")
    with pytest.raises(InvalidLink) as wrong:
        invitations.accept(token, name="wat dan ook", password="niet het wachtwoord")
    assert wrong.value.message == invitations.INVALID  # the words of a wrong link: nothing told
    user = invitations.accept(token, name="genegeerd", password=PASSWORD)
    assert user.id == network.collega.id and user.name == "Cees Collega"
    assert works_in(user, network.loket_eemland.team) and works_in(user, network.loket_utrecht.team)


def test_the_page_flow_needs_the_holder_logged_in(network):
    invitations.invite(network.beheerder, "loket", "eemland", email=network.collega.email)
    token = mailed_token("team_invitation")
    found = invitations.open_invitation(token)
    assert found.holder.id == network.collega.id and found.team_name == "Sportloket Eemland"
    with pytest.raises(Conflict):
        invitations.accept_with_new_account(token, name="Iemand", password=NEW_PASSWORD)
    with pytest.raises(Forbidden):
        invitations.join_with_account(token, network.ondersteuner)
    invitations.join_with_account(token, network.collega)
    assert works_in(_db.session.get(User, network.collega.id), network.loket_eemland.team)


def test_a_switched_off_account_cannot_accept(network):
    invitations.invite(network.beheerder, "loket", "eemland", email=network.collega.email)
    network.collega.active = False
    _db.session.commit()
    with pytest.raises(Conflict):
        invitations.accept(mailed_token("team_invitation"), name="x", password=PASSWORD)
