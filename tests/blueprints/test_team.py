"""The team pages over HTTP: who sees a team and its buttons, inviting (the permission edges), the page behind the
mailed link, removing members and appointing leads."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from loket.extensions import db as _db
from loket.models import Membership, TeamInvitation, User
from loket.models.base import utcnow
from loket.services.network import invitations
from loket.services.network.teams import is_team_lead, works_in
from tests.factories import make_user
from tests.support.account import mailed_path, mailed_token
from tests.support.db import count_queries
from tests.support.mails import outbox_rows
from tests.support.teams import TEAM_KINDS, other_team

TEAM = "/team/loket/utrecht"
NEW_PASSWORD = "een nieuw teamlid erbij"


def _membership_id(user, loket):
    return _db.session.scalar(select(Membership.id).where(Membership.user_id == user.id,
                                                          Membership.loket_id == loket.id))


def _invite(client, path=TEAM, **data):
    return client.post(f"{path}/uitnodigen", data={"email": "nieuw@loket.example", **data})


def _invited(network, email="nieuw@loket.example", *, into="utrecht", by=None, **kwargs):
    invitations.invite(by or network.beheerder, "loket", into, email=email, **kwargs)
    return mailed_path("team_invitation", email)


# ---------------------------------------------------------------- the team page: who sees what

def test_team_redirects_a_supporter_to_their_own_team(login_as):
    response = login_as("ondersteuner").get("/team/")
    assert response.status_code == 302 and response.headers["Location"] == TEAM
    assert login_as("bondsspecialist").get("/team/").headers["Location"] == "/team/bond/knvb"
    assert login_as("initiatiefmedewerker").get("/team/").headers["Location"] == "/team/initiatief/spn"


def test_a_member_sees_colleagues_but_no_buttons(login_as, lead):
    html = login_as("collega").get(TEAM).get_data(as_text=True)
    assert "Cees Collega" in html and "Lotte Lead" in html and "Ofelia Ondersteuner" in html
    assert "Uit het team halen" not in html and "Uitnodiging versturen" not in html and "Intrekken" not in html
    assert "nog nooit" in html or "<time" in html


def test_a_lead_sees_the_buttons_but_appoints_nobody(login_as, network, lead):
    invitations.invite(lead, "loket", "utrecht", email="open@loket.example")
    html = login_as(lead).get(TEAM).get_data(as_text=True)
    assert "Uit het team halen" in html and "Uitnodiging versturen" in html
    assert "open@loket.example" in html and "Intrekken" in html
    assert "Maak coördinator" not in html and "Als coördinator van het team" not in html


def test_beheer_sees_every_team_with_lead_buttons(login_as, lead):
    client = login_as("beheerder")
    html = client.get(TEAM).get_data(as_text=True)
    assert "Maak coördinator" in html and "Geen coördinator meer" in html and "Als coördinator van het team" in html
    assert client.get("/team/bond/knltb").status_code == 200


@pytest.mark.parametrize("who, status", [("ondersteuner_eemland", 403), ("bondsspecialist", 403),
                                         ("coordinator", 403), ("club_contact", 403)])
def test_others_do_not_see_the_team(login_as, who, status):
    assert login_as(who).get(TEAM).status_code == status


def test_anonymous_visitors_are_sent_to_log_in(client, network):
    response = client.get(TEAM)
    assert response.status_code == 302 and "/inloggen" in response.headers["Location"]


@pytest.mark.parametrize("path", ["/team/loket/nergens", "/team/bond/nergens", "/team/initiatief/nergens",
                                  "/team/initiatief/knvb", "/team/bond/spn", "/team/loket/utrecht%00",
                                  "/team/loket/" + "u" * 300, "/team/fallback/utrecht"])
def test_unknown_teams_are_404(login_as, path):
    assert login_as("beheerder").get(path).status_code == 404


def test_a_page_beyond_the_end_redirects_within_the_team(login_as):
    response = login_as("collega").get(TEAM + "?pagina=99")
    assert response.status_code == 302 and response.headers["Location"] == TEAM


# ---------------------------------------------------------------- inviting

def test_a_lead_invites_a_colleague(login_as, lead):
    response = _invite(login_as(lead), name="Nina Nieuw")
    assert response.status_code == 302 and response.headers["Location"] == TEAM
    assert outbox_rows("team_invitation", "nieuw@loket.example")


def test_a_lead_of_loket_a_cannot_invite_into_loket_b(login_as, network, lead):
    response = _invite(login_as(lead), "/team/loket/eemland")
    assert response.status_code == 403
    assert outbox_rows("team_invitation") == [] and _db.session.scalar(select(TeamInvitation)) is None


def test_a_member_who_is_no_lead_cannot_invite(login_as, network):
    assert _invite(login_as("collega")).status_code == 403
    assert outbox_rows("team_invitation") == []


def test_a_lead_cannot_invite_a_lead(login_as, lead):
    response = _invite(login_as(lead), team_lead="y")
    assert response.status_code == 403
    assert "Alleen beheer benoemt coördinatoren" in response.get_data(as_text=True)
    assert outbox_rows("team_invitation") == []


@pytest.mark.parametrize("kind", TEAM_KINDS)
def test_a_bond_lead_invites_into_the_bond_only(login_as, network, kind):
    """A lead of a bond's or an initiative's team invites into that team, and into no other."""
    team = other_team(network, kind)
    lead = team.make_member(name="Lea Lead", team_lead=True)
    client = login_as(lead)
    path = f"/team/{kind}/{team.key}"
    assert _invite(client, path).status_code == 302
    assert _invite(client, "/team/bond/knltb", email="a@x.example").status_code == 403
    assert _invite(client, "/team/initiatief/" + ("spn" if kind == "bond" else "anders"),
                   email="b@x.example").status_code in (403, 404)
    assert _invite(client, TEAM, email="ander@knvb.example").status_code == 403
    assert [row.payload["to"] for row in outbox_rows("team_invitation")] == ["nieuw@loket.example"]
    invitation = _db.session.scalar(select(TeamInvitation))
    assert invitation.organisation is team.organisation and invitation.role == team.role
    assert not invitation.team_lead


@pytest.mark.parametrize("kind", TEAM_KINDS)
def test_the_team_page_of_a_bond_or_initiative(login_as, network, kind):
    """Its members see their colleagues (no buttons); members of other teams, the coördinatiepunt and clubs are
    refused; beheer sees it with the buttons to appoint the coördinator."""
    team = other_team(network, kind)
    path = f"/team/{kind}/{team.key}"
    html = login_as(team.member_name).get(path).get_data(as_text=True)
    assert f"Team {team.organisation.name}" in html and team.member.name in html
    assert "Uitnodiging versturen" not in html
    if kind == "initiatief":
        assert "het landelijk initiatief" in html and "Medewerker landelijk initiatief" in html
    outsiders = ["ondersteuner", "coordinator", "club_contact",
                 "initiatiefmedewerker" if kind == "bond" else "bondsspecialist"]
    for who in outsiders:
        assert login_as(who).get(path).status_code == 403, who
    beheer = login_as("beheerder").get(path).get_data(as_text=True)
    assert "Als coördinator van het team" in beheer and "Maak coördinator" in beheer


@pytest.mark.parametrize("kind", TEAM_KINDS)
def test_beheer_invites_the_coordinator_who_invites_a_colleague_who_works_the_queue(app, login_as, network, kind):
    team = other_team(network, kind)
    path = f"/team/{kind}/{team.key}"
    assert _invite(login_as("beheerder"), path, email="coord@team.example", team_lead="y").status_code == 302
    browser = app.test_client()
    link = mailed_path("team_invitation", "coord@team.example")
    assert f"Word lid van {team.organisation.name}" in browser.get(link).get_data(as_text=True)
    assert browser.post(link, data={"name": "Cora Coördinator", "password": NEW_PASSWORD,
                                    "password_repeat": NEW_PASSWORD}).headers["Location"] == "/wachtrij/"
    coordinator = _db.session.scalar(select(User).where(User.email == "coord@team.example"))
    assert works_in(coordinator, team.team) and is_team_lead(coordinator, kind, team.organisation.id)
    browser.enrol_two_factor()  # a coördinator turns on two-factor authentication before anything else

    # The new coördinator invites a colleague (as a member, never as a lead), who joins and works the queue.
    assert _invite(browser, path, email="collega@team.example", team_lead="y").status_code == 403
    assert _invite(browser, path, email="collega@team.example").status_code == 302
    colleague_browser = app.test_client()
    link = mailed_path("team_invitation", "collega@team.example")
    colleague_browser.post(link, data={"name": "Kim Collega", "password": NEW_PASSWORD,
                                       "password_repeat": NEW_PASSWORD})
    colleague = _db.session.scalar(select(User).where(User.email == "collega@team.example"))
    assert works_in(colleague, team.team) and not is_team_lead(colleague, kind, team.organisation.id)
    assert [m.role for m in colleague.memberships] == [team.role]
    assert colleague_browser.get("/wachtrij/").status_code == 200
    assert colleague_browser.get("/team/").headers["Location"] == path
    html = browser.get(path).get_data(as_text=True)
    assert "Kim Collega" in html and "Uit het team halen" in html


def test_beheer_invites_a_lead_into_any_team(login_as, network):
    assert _invite(login_as("beheerder"), "/team/loket/bunnik", team_lead="y").status_code == 302
    invitation = _db.session.scalar(select(TeamInvitation))
    assert invitation.team_lead and invitation.loket_id == network.loket_bunnik.id


def test_an_invitation_to_an_existing_membership_is_409(login_as, network, lead):
    response = _invite(login_as(lead), email=network.collega.email)
    assert response.status_code == 409
    assert "is al lid van het team van Sportloket Utrecht" in response.get_data(as_text=True)


@pytest.mark.parametrize("data", [{"email": ""}, {"email": "geen-adres"}, {"email": "a\x00b@loket.example"},
                                  {"email": "x" * 300 + "@loket.example"}, {"name": "Nina\x00"},
                                  {"name": "n" * 500}])
def test_bad_input_is_a_dutch_400(login_as, lead, data):
    response = _invite(login_as(lead), **data)
    assert response.status_code == 400 and "Controleer het formulier" in response.get_data(as_text=True)
    assert outbox_rows("team_invitation") == []


def test_a_post_without_csrf_is_refused(login_as, lead):
    response = login_as(lead).post(f"{TEAM}/uitnodigen", data={"email": "x@loket.example"}, csrf=False)
    assert response.status_code == 400 and outbox_rows("team_invitation") == []


def test_a_lead_withdraws_an_invitation(login_as, network, lead):
    path = _invited(network, by=lead)
    invitation = _db.session.scalar(select(TeamInvitation))
    client = login_as(lead)
    response = client.post(f"{TEAM}/uitnodigingen/{invitation.id}/intrekken")
    assert response.status_code == 302
    assert client.get(path).status_code == 400
    assert client.post(f"{TEAM}/uitnodigingen/{invitation.id}/intrekken").status_code == 409
    assert client.post(f"/team/loket/eemland/uitnodigingen/{invitation.id}/intrekken").status_code == 404
    elsewhere = invitations.invite(network.beheerder, "loket", "eemland", email="elders@loket.example")
    assert client.post(f"/team/loket/eemland/uitnodigingen/{elsewhere.id}/intrekken").status_code == 403


# ---------------------------------------------------------------- behind the link

def test_the_invitee_sets_name_and_password_and_lands_in_the_queue(app, network):
    path = _invited(network, name="Nina")
    browser = app.test_client()
    page = browser.get(path)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    assert "Word lid van Sportloket Utrecht" in html and 'value="Nina"' in html
    response = browser.post(path, data={"name": "Nina Nieuw", "password": NEW_PASSWORD,
                                        "password_repeat": NEW_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/wachtrij/"
    assert browser.get("/wachtrij/").status_code == 200  # logged in, in the team's queue
    user = _db.session.scalar(select(User).where(User.email == "nieuw@loket.example"))
    assert user.name == "Nina Nieuw" and user.email_confirmed_at is not None
    assert works_in(user, network.loket_utrecht.team)
    used = app.test_client().get(path)
    assert used.status_code == 400 and invitations.USED in used.get_data(as_text=True)


def test_an_expired_link_shows_the_refusal(app, client, network):
    invitations.invite(network.beheerder, "loket", "utrecht", email="nieuw@loket.example",
                       now=utcnow() - timedelta(days=app.config["TEAM_INVITATION_DAYS"] + 1))
    path = mailed_path("team_invitation")
    for response in (client.get(path), client.post(path, data={"name": "Nina", "password": NEW_PASSWORD,
                                                               "password_repeat": NEW_PASSWORD})):
        assert response.status_code == 400 and invitations.EXPIRED in response.get_data(as_text=True)
    assert _db.session.scalar(select(User).where(User.email == "nieuw@loket.example")) is None


@pytest.mark.parametrize("token", ["geen-geldige-link", "x" * 300, "%00"])
def test_a_wrong_link_shows_the_refusal(client, network, token):
    response = client.get(f"/team/uitnodiging/{token}")
    assert response.status_code in (400, 404)
    if response.status_code == 400:
        assert invitations.INVALID in response.get_data(as_text=True)


@pytest.mark.parametrize("name, password, repeat", [
    ("Nina\x00", NEW_PASSWORD, NEW_PASSWORD), ("n" * 500, NEW_PASSWORD, NEW_PASSWORD),
    ("Nina", "kort", "kort"), ("Nina", NEW_PASSWORD, "iets anders"), ("Nina", "a\x00" * 10, "a\x00" * 10)])
def test_bad_account_input_stores_nothing(client, network, name, password, repeat):
    path = _invited(network)
    response = client.post(path, data={"name": name, "password": password, "password_repeat": repeat})
    assert response.status_code == 400 and "Controleer het formulier" in response.get_data(as_text=True)
    assert _db.session.scalar(select(User).where(User.email == "nieuw@loket.example")) is None
    assert client.get(path).status_code == 200  # the link still works


def test_an_existing_account_logs_in_first_then_joins(app, network):
    path = _invited(network, network.collega.email, into="eemland")
    browser = app.test_client()
    html = browser.get(path).get_data(as_text=True)
    assert "Log eerst in" in html and 'name="password"' not in html
    browser.login(network.collega)
    html = browser.get(path).get_data(as_text=True)
    assert "Word lid van Sportloket Eemland" in html
    response = browser.post(path + "/lid-worden")
    assert response.status_code == 302 and response.headers["Location"] == "/wachtrij/"
    collega = _db.session.get(User, network.collega.id)
    assert works_in(collega, network.loket_eemland.team) and works_in(collega, network.loket_utrecht.team)


def test_someone_else_logged_in_cannot_take_the_invitation(login_as, network):
    path = _invited(network, network.collega.email, into="eemland")
    client = login_as("ondersteuner")
    assert "maar deze uitnodiging is voor" in client.get(path).get_data(as_text=True)
    assert client.post(path + "/lid-worden").status_code == 403
    assert not works_in(_db.session.get(User, network.ondersteuner.id), network.loket_eemland.team)


# ---------------------------------------------------------------- removing members, leads

def test_removing_a_member_ends_their_sessions(login_as, network, lead):
    colleague = login_as("collega")
    assert colleague.get("/wachtrij/").status_code == 200
    response = login_as(lead).post(f"{TEAM}/leden/{_membership_id(network.collega, network.loket_utrecht)}"
                                           "/verwijderen")
    assert response.status_code == 302
    ended = colleague.get("/wachtrij/")
    assert ended.status_code == 302 and "/inloggen" in ended.headers["Location"]
    assert not _db.session.get(User, network.collega.id).active


def test_a_non_lead_removes_nobody(login_as, network):
    response = login_as("ondersteuner").post(
        f"{TEAM}/leden/{_membership_id(network.collega, network.loket_utrecht)}/verwijderen")
    assert response.status_code == 403 and _db.session.get(User, network.collega.id).active


def test_the_last_lead_cannot_remove_themselves(login_as, network, lead):
    client = login_as(lead)
    html = client.get(TEAM).get_data(as_text=True)
    assert "Je bent de laatste coördinator" in html and "Uit het team stappen" not in html
    own = _membership_id(lead, network.loket_utrecht)
    for action, data in (("verwijderen", {}), ("coordinator", {"lead": "nee"})):
        response = client.post(f"{TEAM}/leden/{own}/{action}", data=data)
        assert response.status_code == 409 and "laatste coördinator" in response.get_data(as_text=True)
    assert is_team_lead(_db.session.get(User, lead.id), "loket", network.loket_utrecht.id)


def test_a_lead_who_is_not_the_last_leaves(login_as, network, lead):
    make_user("clubondersteuner", network.loket_utrecht, name="Tweede Lead", team_lead=True)
    _db.session.commit()
    client = login_as(lead)
    assert "Uit het team stappen" in client.get(TEAM).get_data(as_text=True)
    response = client.post(f"{TEAM}/leden/{_membership_id(lead, network.loket_utrecht)}"
                                           "/verwijderen")
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_only_beheer_makes_a_lead(login_as, network, lead):
    membership = _membership_id(network.collega, network.loket_utrecht)
    assert login_as(lead).post(f"{TEAM}/leden/{membership}/coordinator",
                                       data={"lead": "ja"}).status_code == 403
    client = login_as("beheerder")
    assert client.post(f"{TEAM}/leden/{membership}/coordinator", data={"lead": "misschien"}).status_code == 400
    assert client.post(f"{TEAM}/leden/{membership}/coordinator", data={"lead": "ja"}).status_code == 302
    assert is_team_lead(_db.session.get(User, network.collega.id), "loket", network.loket_utrecht.id)
    assert client.post(f"{TEAM}/leden/{membership}/coordinator", data={"lead": "nee"}).status_code == 302
    assert not is_team_lead(_db.session.get(User, network.collega.id), "loket", network.loket_utrecht.id)


@pytest.mark.parametrize("membership_id", [2**31, 999999])
def test_unknown_members_are_404(login_as, lead, membership_id):
    assert login_as(lead).post(f"{TEAM}/leden/{membership_id}/verwijderen").status_code == 404


def test_mailed_token_is_what_the_link_ends_in(network):
    path = _invited(network)
    assert path.endswith(mailed_token("team_invitation")) and path.startswith("/team/uitnodiging/")


def test_failed_accepts_are_rate_limited(app, client, network):
    path = _invited(network)
    attempts = int(app.config["LOGIN_RATE_LIMIT"].split()[0])
    for _ in range(attempts):
        assert client.post(path, data={"name": "Nina", "password": "kort", "password_repeat": "kort"}).status_code == 400
    assert client.post(path, data={"name": "Nina", "password": NEW_PASSWORD,
                                   "password_repeat": NEW_PASSWORD}).status_code == 429


def test_the_team_page_uses_a_constant_number_of_queries(app, login_as, network, lead):
    client = login_as(lead)
    invitations.invite(lead, "loket", "utrecht", email="eerste@loket.example")
    with count_queries(app) as few:
        assert client.get(TEAM).status_code == 200
    for number in range(6):
        colleague = make_user("clubondersteuner", network.loket_utrecht, name=f"Extra {number}")
        colleague.memberships.append(Membership(role="clubondersteuner", loket=network.loket_eemland))
        invitations.invite(lead, "loket", "utrecht", email=f"open{number}@loket.example")
    _db.session.commit()
    with count_queries(app) as many:
        assert client.get(TEAM).status_code == 200
    assert len(many) == len(few), "\n".join(many)
