"""Team invitations over the API: a lead (or beheer) invites into their own loket's or bond's team; the invitee
accepts with the mailed token (no API token), then gets an API token and sees that team's queue."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from loket.extensions import db as _db
from loket.models import TeamInvitation, User
from loket.models.base import utcnow
from loket.services.network import invitations
from loket.services.network.teams import works_in
from tests.factories import PASSWORD
from tests.support.account import mailed_token
from tests.support.api import assert_problem
from tests.support.mails import outbox_rows
from tests.support.requests import file_request
from tests.support.teams import knvb_lead

NEW_PASSWORD = "een nieuw teamlid erbij"


@pytest.fixture()
def bond_lead(network):
    return knvb_lead(network)


def _invite(client, path="/lokets/utrecht/invitations", **body):
    return client.post(path, json={"email": "nieuw@loket.example", **body})


def test_a_lead_invites_and_the_invitee_accepts_gets_a_token_and_sees_the_queue(api, network, lead):
    request = file_request(network)  # waiting in Sportloket Utrecht's queue
    response = _invite(api(lead), name="Nina")
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert body["team"] == {"type": "loket", "key": "utrecht", "name": "Sportloket Utrecht"}
    assert (body["email"], body["name"], body["team_lead"]) == ("nieuw@loket.example", "Nina", False)
    assert body["expires_at"].endswith("Z")

    accepted = api().post("/invitations/accept", json={"token": mailed_token("team_invitation"), "name": "Nina Nieuw",
                                                       "password": NEW_PASSWORD})
    assert accepted.status_code == 201, accepted.get_data(as_text=True)
    user = accepted.get_json()
    assert (user["email"], user["name"]) == ("nieuw@loket.example", "Nina Nieuw")
    assert user["memberships"] == [{"role": "clubondersteuner", "team_lead": False, "club": None, "loket": "utrecht",
                                    "bond": None, "initiative": None, "gemeente": None, "region": None, "region_set": None, "organisation": "Sportloket Utrecht"}]

    token = api().post("/auth/token", json={"email": "nieuw@loket.example", "password": NEW_PASSWORD})
    assert token.status_code == 201
    queue = api(token=token.get_json()["token"]).get("/requests")
    assert queue.status_code == 200
    assert request.reference in [item["reference"] for item in queue.get_json()["items"]]


def test_a_bond_lead_invites_into_the_bond(api, network, bond_lead):
    response = _invite(api(bond_lead), "/bonds/knvb/invitations")
    assert response.status_code == 201 and response.get_json()["team"]["type"] == "bond"
    accepted = api().post("/invitations/accept", json={"token": mailed_token("team_invitation"), "name": "Bo",
                                                       "password": NEW_PASSWORD})
    assert accepted.get_json()["memberships"][0]["bond"] == "knvb"


@pytest.mark.parametrize("who, path", [
    ("lead", "/lokets/eemland/invitations"),       # a lead of loket A into loket B
    ("ondersteuner", "/lokets/utrecht/invitations"),  # a member who is no lead
    ("bond_lead", "/lokets/utrecht/invitations"),  # a bond's lead into a loket
    ("bond_lead", "/bonds/knltb/invitations"),     # … into another bond
    ("lead", "/bonds/knvb/invitations"),           # a loket's lead into a bond
])
def test_who_is_no_lead_of_that_team_gets_403(api, network, lead, bond_lead, who, path):
    user = {"lead": lead, "bond_lead": bond_lead}.get(who) or getattr(network, who)
    assert_problem(_invite(api(user), path), 403)
    assert outbox_rows("team_invitation") == []


@pytest.mark.parametrize("who", ["club_contact", "coordinator"])
def test_other_roles_get_403(api, who):
    assert_problem(_invite(api(who)), 403)


def test_only_beheer_invites_a_lead(api, network, lead):
    assert_problem(_invite(api(lead), team_lead=True), 403, contains="Alleen beheer benoemt coördinatoren")
    response = _invite(api("beheerder"), "/lokets/bunnik/invitations", team_lead=True)
    assert response.status_code == 201 and response.get_json()["team_lead"] is True


@pytest.mark.parametrize("path", ["/lokets/nergens/invitations", "/bonds/nergens/invitations",
                                  "/lokets/utrecht%00/invitations"])
def test_unknown_teams_are_404(api, network, path):
    assert_problem(_invite(api("beheerder"), path), 404)


def test_an_existing_membership_is_409(api, network, lead):
    assert_problem(_invite(api(lead), email=network.collega.email), 409, contains="al lid van")


@pytest.mark.parametrize("body, field", [({"email": "geen-adres"}, "email"), ({"email": "a\x00@b.nl"}, "email"),
                                         ({"email": "x" * 300}, "email"), ({"email": 5}, "email"),
                                         ({"name": "Nina\x1b"}, "name"), ({"team_lead": "ja"}, "team_lead"),
                                         ({"extra": 1}, "extra")])
def test_bad_invitation_bodies_are_422(api, lead, body, field):
    assert_problem(_invite(api(lead), **body), 422, field=field)
    assert outbox_rows("team_invitation") == []


def test_a_used_or_expired_token_is_400(app, api, network):
    invitations.invite(network.beheerder, "loket", "utrecht", email="nieuw@loket.example")
    body = {"token": mailed_token("team_invitation"), "name": "Nina", "password": NEW_PASSWORD}
    assert api().post("/invitations/accept", json=body).status_code == 201
    assert_problem(api().post("/invitations/accept", json=body), 400, field="token", contains="al gebruikt")

    invitations.invite(network.beheerder, "loket", "utrecht", email="later@loket.example",
                       now=utcnow() - timedelta(days=app.config["TEAM_INVITATION_DAYS"] + 1))
    expired = {**body, "token": mailed_token("team_invitation", "later@loket.example")}
    assert_problem(api().post("/invitations/accept", json=expired), 400, field="token", contains="verlopen")
    assert _db.session.scalar(select(User).where(User.email == "later@loket.example")) is None


def test_an_existing_account_accepts_with_its_password_and_a_wrong_one_reads_as_a_wrong_token(api, network):
    invitations.invite(network.beheerder, "loket", "eemland", email=network.collega.email)
    token = mailed_token("team_invitation")
    wrong_password = assert_problem(api().post("/invitations/accept", json={
        "token": token, "name": "x", "password": "niet het wachtwoord"}), 400)
    wrong_token = assert_problem(api().post("/invitations/accept", json={
        "token": "geen-geldige-link", "name": "x", "password": PASSWORD}), 400)
    assert wrong_password["detail"] == wrong_token["detail"] == invitations.INVALID
    response = api().post("/invitations/accept", json={"token": token, "name": "x", "password": PASSWORD})
    assert response.status_code == 201 and response.get_json()["id"] == network.collega.id
    assert works_in(_db.session.get(User, network.collega.id), network.loket_eemland.team)


@pytest.mark.parametrize("body, field", [
    ({"name": ""}, "name"), ({"name": "Nina\x00"}, "name"), ({"name": "n" * 500}, "name"),
    ({"password": "kort"}, "password"), ({"token": "t" * 500}, "token"), ({"token": 5}, "token")])
def test_bad_accept_bodies_are_422_and_store_nothing(api, network, body, field):
    invitations.invite(network.beheerder, "loket", "utrecht", email="nieuw@loket.example")
    full = {"token": mailed_token("team_invitation"), "name": "Nina", "password": NEW_PASSWORD, **body}
    assert_problem(api().post("/invitations/accept", json=full), 422, field=field)
    assert _db.session.scalar(select(User).where(User.email == "nieuw@loket.example")) is None
    assert _db.session.scalar(select(TeamInvitation.accepted_at)) is None


def test_failed_accepts_are_rate_limited(app, api, network):
    attempts = int(app.config["LOGIN_RATE_LIMIT"].split()[0])
    body = {"token": "geen-geldige-link", "name": "x", "password": NEW_PASSWORD}
    for _ in range(attempts):
        assert api().post("/invitations/accept", json=body).status_code == 400
    assert_problem(api().post("/invitations/accept", json=body), 429)


def test_an_initiatives_lead_invites_into_the_initiative_only(api, network):
    from tests.support.teams import other_team
    lead = other_team(network, "initiatief").make_member(name="Lea Lead", team_lead=True)
    response = _invite(api(lead), "/initiatives/spn/invitations")
    assert response.status_code == 201
    assert response.get_json()["team"] == {"type": "initiatief", "key": "spn", "name": "SPN procesbegeleiders"}
    assert_problem(_invite(api(lead), "/bonds/knvb/invitations", email="b@x.example"), 403)
    assert_problem(_invite(api(lead), "/lokets/utrecht/invitations", email="c@x.example"), 403)
    assert_problem(_invite(api(lead), "/initiatives/spn/invitations", email="d@x.example", team_lead=True), 403)
    assert_problem(_invite(api("initiatiefmedewerker"), "/initiatives/spn/invitations", email="e@x.example"), 403)
    assert_problem(_invite(api("beheerder"), "/initiatives/nergens/invitations"), 404)
    accepted = api().post("/invitations/accept", json={"token": mailed_token("team_invitation"), "name": "Ivo",
                                                       "password": NEW_PASSWORD})
    assert accepted.status_code == 201
    assert accepted.get_json()["memberships"] == [
        {"role": "initiatiefmedewerker", "team_lead": False, "club": None, "loket": None, "bond": None,
         "initiative": "spn", "gemeente": None, "region": None, "region_set": None, "organisation": "SPN procesbegeleiders"}]
