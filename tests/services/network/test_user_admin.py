"""Beheer managing users: finding them, giving and taking away roles (the rules of creating a user, history kept),
and switching an account off (sessions and API tokens end; requests, events and history stay) or on."""
import pytest

from loket.extensions import db as _db
from loket.models import ApiToken, Event, Membership, NetworkChange, SupportRequest
from loket.services.errors import Conflict, InvalidInput, NotFound
from loket.services.network import api_tokens, history, user_admin, users
from loket.services.network.users import MembershipSpec
from tests.factories import PASSWORD, make_user
from tests.support.db import count_rows, reloaded
from tests.support.requests import file_request


def _changes(user):
    return [(c.subject, c.field, c.old_value, c.new_value) for c in reversed(history.of_user(user.id))]


def _stored():
    return count_rows(Membership), count_rows(NetworkChange)


def test_search_by_name_or_address_and_filter_by_role(network):
    def names(**filters):
        return [u.name for u in users.search_users(**filters).items]

    assert names(text="eemland") == ["Eva Eemland"]
    assert names(text="UBOYS.example") == ["Anna de Vries"]
    assert names(role="bondsspecialist") == ["Bas Bond"]
    assert names(role="clubondersteuner", text="ee") == ["Cees Collega", "Eva Eemland"]
    assert names(text="%") == [] and names(text="_") == []
    assert len(names()) == users.search_users().total == 12
    assert names(per_page=11, page=2) == ["Zoë Zeist"]


@pytest.mark.parametrize("filters, field", [({"role": "superuser"}, "role"), ({"text": "a\x00b"}, "q"),
                                            ({"text": "x" * 101}, "q")])
def test_a_bad_search_is_refused_in_dutch(network, filters, field):
    with pytest.raises(InvalidInput) as raised:
        users.search_users(**filters)
    assert list(raised.value.errors) == [field]


def test_a_membership_is_added_with_history_on_the_person_and_the_team(network):
    person = network.collega
    membership = users.add_membership(person, MembershipSpec(role="clubondersteuner", loket="eemland",
                                                             team_lead=True), actor=network.beheerder)
    assert membership.is_team_lead and reloaded(person).loket_ids == [network.loket_utrecht.id,
                                                                      network.loket_eemland.id]
    assert _changes(person) == [("membership", "membership", None,
                                 "Clubondersteuner — Sportloket Eemland (coördinator)")]
    change = history.of_user(person.id)[0]
    assert (change.loket_id, change.actor_id) == (network.loket_eemland.id, network.beheerder.id)
    users.add_membership(person, MembershipSpec(role="bondsspecialist", bond="knvb"), actor=network.beheerder)
    assert history.of_bond(network.knvb.id)[0].new_value == "Bondsspecialist — KNVB"


@pytest.mark.parametrize("spec, field", [
    (MembershipSpec(role="superuser"), "role"),
    (MembershipSpec(role="clubondersteuner", loket="nergens"), "organisation"),
    (MembershipSpec(role="clubondersteuner", loket="utr\x00echt"), "organisation"),
    (MembershipSpec(role="clubondersteuner", loket="u" * 500), "organisation"),
    (MembershipSpec(role="clubondersteuner", bond="knvb"), "organisation"),
    (MembershipSpec(role="bondsspecialist", bond="nope"), "organisation"),
    (MembershipSpec(role="club", club=str(2**31)), "organisation"),
    (MembershipSpec(role="club", club="²"), "organisation"),
    (MembershipSpec(role="club", club="99999"), "organisation"),
    (MembershipSpec(role="beheer", loket="utrecht"), "organisation"),
    (MembershipSpec(role="coordinatiepunt", team_lead=True), "team_lead"),
    (MembershipSpec(role="clubondersteuner", loket="utrecht"), "organisation"),  # already holds it
])
def test_a_wrong_membership_is_refused_and_nothing_stored(network, spec, field):
    before = _stored()
    with pytest.raises(InvalidInput) as raised:
        users.add_membership(network.collega, spec, actor=network.beheerder)
    assert list(raised.value.errors) == [field]
    _db.session.rollback()
    assert _stored() == before and reloaded(network.collega).roles == {"clubondersteuner"}


def test_the_same_rules_hold_when_creating_a_user(network):
    with pytest.raises(InvalidInput) as raised:
        users.create_user(email="nieuw@example.nl", name="Nieuw", password="lang-genoeg-123",
                          memberships=[MembershipSpec(role="club", club=str(2**40))])
    assert raised.value.errors == {"organisation": f"Club {2**40} bestaat niet."}


def test_a_membership_is_removed_with_history(network):
    person = network.collega
    extra = users.add_membership(person, MembershipSpec(role="coordinatiepunt"), actor=network.beheerder)
    users.remove_membership(person, extra.id, actor=network.beheerder)
    assert reloaded(person).roles == {"clubondersteuner"}
    assert _changes(person)[-1] == ("membership", "membership", "Landelijk coördinatiepunt", None)


def test_the_last_role_and_ones_own_beheer_role_stay(network):
    person = network.collega
    with pytest.raises(Conflict):
        users.remove_membership(person, person.memberships[0].id, actor=network.beheerder)
    admin = network.beheerder
    users.add_membership(admin, MembershipSpec(role="coordinatiepunt"), actor=admin)
    beheer_role = next(m for m in admin.memberships if m.role == "beheer")
    with pytest.raises(Conflict):
        users.remove_membership(admin, beheer_role.id, actor=admin)
    with pytest.raises(NotFound):  # another person's membership
        users.remove_membership(person, beheer_role.id, actor=admin)
    assert reloaded(admin).roles == {"beheer", "coordinatiepunt"} and reloaded(person).roles == {"clubondersteuner"}


def test_deactivating_ends_sessions_and_tokens_and_keeps_requests_and_events(app, login_as, network):
    filed = file_request(network, category="overig", title="Hulp", description="Graag")
    events = count_rows(Event, Event.request_id == filed.id)
    browser = login_as("club_contact")
    assert browser.get("/club/aanvragen").status_code == 200
    token = api_tokens.issue_token(network.club_contact.email, PASSWORD).token

    user_admin.deactivate_user(network.club_contact, actor=network.beheerder, reason="Vertrokken bij de club")

    response = browser.get("/club/aanvragen")
    assert response.status_code == 302 and response.headers["Location"].startswith("/inloggen")
    assert app.test_client().get("/api/v1/requests",
                                 headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert count_rows(ApiToken, ApiToken.user_id == network.club_contact.id, ApiToken.revoked_at.is_(None)) == 0
    assert reloaded(filed).requester_id == network.club_contact.id
    assert count_rows(SupportRequest) == 1 and count_rows(Event, Event.request_id == filed.id) == events
    assert reloaded(network.club_contact).memberships  # memberships stay, for the history
    change = history.of_user(network.club_contact.id)[0]
    assert (change.field, change.old_value, change.new_value, change.reason) == (
        "active", "ja", "nee", "Vertrokken bij de club")
    # Logging in no longer works; reactivated, it does again (old sessions stay ended).
    assert app.test_client().post("/inloggen", data={"email": network.club_contact.email,
                                                     "password": PASSWORD}).status_code == 400
    user_admin.reactivate_user(network.club_contact, actor=network.beheerder)
    assert reloaded(network.club_contact).active
    assert browser.get("/club/aanvragen").status_code == 302
    assert _changes(network.club_contact)[-1] == ("user", "active", "nee", "ja")


def test_beheer_cannot_switch_itself_off(network):
    with pytest.raises(Conflict):
        user_admin.deactivate_user(network.beheerder, actor=network.beheerder)
    other = make_user("beheer")
    _db.session.commit()
    user_admin.deactivate_user(other, actor=network.beheerder)
    assert not reloaded(other).active


@pytest.mark.parametrize("reason", ["a\x00b", "x" * 301])
def test_a_bad_reason_is_refused(network, reason):
    with pytest.raises(InvalidInput) as raised:
        user_admin.deactivate_user(network.collega, actor=network.beheerder, reason=reason)
    assert list(raised.value.errors) == ["reason"]
    _db.session.rollback()
    assert reloaded(network.collega).active and _changes(network.collega) == []
