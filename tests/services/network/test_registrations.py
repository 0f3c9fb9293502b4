"""Aanmeldingen: registering a club with one's own account, confirming the address, the loket's (or the
coördinatiepunt's) decision, joining an existing club, duplicates, and nothing of an unapproved club leaking."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from loket.extensions import db as _db
from loket.models import AccountToken, Club, ClubContact, ClubRegistration, OutboxMessage, User
from loket.models.base import utcnow
from loket.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from loket.services.network import account_tokens, clubs, registrations, users
from loket.services.network.registrations import SAME_KVK, SIMILAR_NAME
from loket.services.quality.metric_queries import club_reach
from tests.factories import ClubFactory, make_user
from tests.support.db import count_queries, count_rows
from tests.support.mails import outbox_rows, rendered
from tests.support.registrations import PASSWORD, club_data, confirmation_token, contact_data
from tests.support.requests import file_request

STORED = (Club, User, ClubContact, ClubRegistration, AccountToken, OutboxMessage)


def _counts():
    return {model.__name__: count_rows(model) for model in STORED}


def _register(email="noor@nieuw.example", **club):
    return registrations.register_club(club_data(**club), contact_data(email=email))


def _registered(email="noor@nieuw.example", **club) -> ClubRegistration:
    """Register and confirm; the registration now waits for a decision."""
    _register(email, **club)
    return registrations.confirm_registration(confirmation_token(email))


def _user(email) -> User:
    return _db.session.scalar(select(User).where(User.email == email))


# ---------------------------------------------------------------- registering

def test_registering_stores_a_waiting_club_an_unconfirmed_account_and_mails_the_link(network):
    submitted = registrations.register_club(club_data(kvk="1234 5678", sports=["Voetbal", str(network.tennis.id)]),
                                            contact_data(email=" Noor@Nieuw.example ", function="secretaris"))

    assert submitted == registrations.Submitted("noor@nieuw.example")
    user = _user("noor@nieuw.example")
    club = _db.session.scalar(select(Club).where(Club.name == "FC Nieuwegein-Noord"))
    assert (club.status, club.kind, club.kvk_number, club.gemeente.code) == ("aangemeld", "vereniging", "12345678",
                                                                               "GM0344")
    assert {s.name for s in club.sports} == {"voetbal", "tennis"}
    assert user.email_confirmed_at is None and user.club_ids == [club.id]
    contact = _db.session.scalar(select(ClubContact).where(ClubContact.club_id == club.id))
    assert (contact.user_id, contact.email, contact.function) == (user.id, "noor@nieuw.example", "secretaris")
    registration = _db.session.scalar(select(ClubRegistration))
    assert (registration.kind, registration.state, registration.user_id) == ("new_club", "unconfirmed", user.id)
    [row] = outbox_rows("registration_confirm")
    assert row.payload["to"] == "noor@nieuw.example"
    text = rendered(row).text
    assert "FC Nieuwegein-Noord" in text and text.count("http") == 1  # the one link it is about
    assert account_tokens.peek(confirmation_token("noor@nieuw.example"), "confirm_email").user_id == user.id


@pytest.mark.parametrize("club, contact, field, message", [
    ({"gemeente": "GM9999"}, {}, "club.gemeente", "Onbekende gemeentecode"),
    ({"gemeente": "GM\x000344"}, {}, "club.gemeente", "Onbekende gemeentecode"),
    ({"kind": "bedrijf"}, {}, "club.kind", "vereniging, onderneming of stichting"),
    ({"sports": ["quidditch"]}, {}, "club.sports", "Onbekende sport(en): quidditch"),
    ({"sports": ["99999999999"]}, {}, "club.sports", "Onbekende sport(en)"),
    ({"sports": []}, {}, "club.sports", "Kies minstens één sport"),
    ({"kvk": "1234567"}, {}, "club.kvk", "precies 8 cijfers"),
    ({"kvk": "1234567a"}, {}, "club.kvk", "precies 8 cijfers"),
    ({"kvk": "123456789"}, {}, "club.kvk", "precies 8 cijfers"),
    ({"name": ""}, {}, "club.name", "Vul de naam van de club in"),
    ({"name": "V" * 201}, {}, "club.name", "maximaal 200 tekens"),
    ({"name": "VV\x00Nul"}, {}, "club.name", "stuurtekens"),
    ({"name": "VV \x1b[31mRood"}, {}, "club.name", "stuurtekens"),
    ({}, {"name": "N" * 121}, "contact.name", "maximaal 120 tekens"),
    ({}, {"name": "Noor\x07"}, "contact.name", "stuurtekens"),
    ({}, {"email": "geen-adres"}, "contact.email", "geldig e-mailadres"),
    ({}, {"email": "a" * 250 + "@x.nl"}, "contact.email", "geldig e-mailadres"),
    ({}, {"password": "kort"}, "contact.password", "minstens 12 tekens"),
    ({}, {"password": "wachtwoord123"}, "contact.password", "te gangbaar"),
    ({}, {"password": "noornieuw123"}, "contact.password", "lijkt te veel op je naam"),
    ({}, {"function": "f" * 81}, "contact.function", "maximaal 80 tekens"),
])
def test_bad_input_is_refused_in_dutch_and_nothing_is_stored(network, club, contact, field, message):
    before = _counts()
    with pytest.raises(InvalidInput) as refused:
        registrations.register_club(club_data(**club), contact_data(**contact))
    assert message in refused.value.errors[field]
    assert _counts() == before


def test_an_address_in_use_stores_nothing_does_the_same_work_and_mails_the_account_holder(network, monkeypatch):
    hashed = []
    for module in (users, registrations):
        original = module.hash_password
        monkeypatch.setattr(module, "hash_password", lambda password, _o=original: hashed.append(1) or _o(password))

    fresh = _register("nieuw@club.example")
    assert len(hashed) == 1
    before = _counts()
    in_use = registrations.register_club(club_data(name="Iets Anders"), contact_data(email="ANNA@uboys.example"))

    assert len(hashed) == 2  # the password is hashed for an address in use too
    assert type(in_use) is type(fresh) and in_use == registrations.Submitted("anna@uboys.example")
    after = _counts()
    assert after == {**before, "OutboxMessage": before["OutboxMessage"] + 1}  # only the mail
    [row] = outbox_rows("registration_address_in_use")
    assert row.payload["to"] == "anna@uboys.example"
    text = rendered(row).text
    assert "Beste Anna de Vries" in text and "/inloggen" in text and text.count("http") == 1
    assert _db.session.scalar(select(Club).where(Club.name == "Iets Anders")) is None


def test_registering_again_before_confirming_mails_a_fresh_link_for_the_first_registration(app, network):
    long_ago = utcnow() - timedelta(hours=app.config["EMAIL_CONFIRMATION_HOURS"] + 1)
    registrations.register_club(club_data(), contact_data(), now=long_ago)
    expired = confirmation_token("noor@nieuw.example")
    with pytest.raises(InvalidInput) as refused:
        registrations.confirm_registration(expired)
    assert refused.value.errors["token"] == account_tokens.EXPIRED

    registrations.register_club(club_data(name="Tweede poging"), contact_data())
    assert count_rows(Club) == 5  # the network's four and the first registration: nothing new
    fresh = confirmation_token("noor@nieuw.example")
    assert fresh != expired
    assert registrations.confirm_registration(fresh).club.name == "FC Nieuwegein-Noord"


# ---------------------------------------------------------------- confirming

def test_confirming_sends_the_registration_to_the_loket_of_its_gemeente(network):
    _register()
    registration = registrations.confirm_registration(confirmation_token("noor@nieuw.example"))

    user = _user("noor@nieuw.example")
    assert user.email_confirmed_at is not None
    assert (registration.state, registration.confirmed_at is not None) == ("pending", True)
    [received] = outbox_rows("registration_received")
    assert received.payload["to"] == "noor@nieuw.example"
    assert "Sportloket Utrecht" in rendered(received).text
    told = {row.payload["to"] for row in outbox_rows("registration_pending")}
    assert told == {network.ondersteuner.email, network.collega.email}
    pending_text = rendered(outbox_rows("registration_pending")[0]).text
    assert "/wachtrij/aanmeldingen" in pending_text
    assert "Noor Nieuw" not in pending_text and "noor@" not in pending_text


def test_a_confirmation_link_works_once(network):
    _register()
    token = confirmation_token("noor@nieuw.example")
    registrations.confirm_registration(token)
    with pytest.raises(InvalidInput) as used:
        registrations.confirm_registration(token)
    assert used.value.errors["token"] == account_tokens.USED
    assert len(outbox_rows("registration_pending")) == 2  # not announced twice


@pytest.mark.parametrize("gemeente, why", [("GM0355", "no loket"), ("GM0312", "loket in oprichting")])
def test_without_an_operational_loket_the_coordinatiepunt_decides_without_personal_details(network, gemeente, why):
    registration = _registered(gemeente=gemeente, kvk="87654321", name="Zeister Zwemclub")

    assert {row.payload["to"] for row in outbox_rows("registration_pending")} == {network.coordinator.email}
    assert "/coordinatie/aanmeldingen" in rendered(outbox_rows("registration_pending")[0]).text
    [item] = registrations.pending_for(network.coordinator).items
    assert item.id == registration.id and item.details_hidden
    assert (item.club_name, item.club_kind, item.gemeente_code) == ("Zeister Zwemclub", "vereniging", gemeente)
    assert item.person_name is None and item.person_email is None and item.function is None
    assert item.kvk_number is None and item.sports == ()
    assert "noor" not in repr(item).lower() and "87654321" not in repr(item)
    assert registrations.pending_for(network.ondersteuner).items == []
    registrations.approve(registration.id, network.coordinator)
    assert _db.session.get(Club, registration.club_id).status == "actief"


def test_the_loket_sees_who_registered(network):
    registration = _registered(kvk="12345678", sports=["tennis", "voetbal"])
    [item] = registrations.pending_for(network.ondersteuner).items
    assert not item.details_hidden
    assert (item.id, item.person_name, item.person_email, item.kvk_number) == (
        registration.id, "Noor Nieuw", "noor@nieuw.example", "12345678")
    assert item.sports == ("tennis", "voetbal")
    assert registrations.pending_count(network.ondersteuner) == 1
    assert registrations.pending_for(network.coordinator).items == []


def test_another_lokets_supporter_gets_not_found(network):
    registration = _registered()
    eva = network.ondersteuner_eemland
    assert registrations.pending_for(eva).items == [] and registrations.pending_count(eva) == 0
    for attempt in (lambda: registrations.get_pending(registration.id, eva),
                    lambda: registrations.approve(registration.id, eva),
                    lambda: registrations.reject(registration.id, eva, "Nee"),
                    lambda: registrations.approve(registration.id, network.bondsspecialist),
                    lambda: registrations.approve(registration.id, network.club_contact),
                    lambda: registrations.approve(999_999, network.ondersteuner),
                    lambda: registrations.approve(2**40, network.ondersteuner),
                    lambda: registrations.approve("x", network.ondersteuner)):
        with pytest.raises(NotFound):
            attempt()
    assert _db.session.get(ClubRegistration, registration.id).state == "pending"


def test_an_unconfirmed_registration_cannot_be_decided(network):
    _register()
    registration = _db.session.scalar(select(ClubRegistration))
    assert registrations.pending_for(network.ondersteuner).items == []
    with pytest.raises(NotFound):
        registrations.approve(registration.id, network.ondersteuner)


# ---------------------------------------------------------------- deciding

def test_until_approved_the_club_cannot_file_and_afterwards_it_can(network):
    registration = _registered()
    newcomer = _user("noor@nieuw.example")
    club = registration.club
    with pytest.raises(Forbidden) as refused:
        file_request(network, who=newcomer, club=club)
    assert "wacht nog op het loket" in refused.value.message

    registrations.approve(registration.id, network.ondersteuner)
    assert club.status == "actief"
    stored = _db.session.get(ClubRegistration, registration.id)
    assert (stored.state, stored.decided_by_id, stored.decided_at is not None) == (
        "approved", network.ondersteuner.id, True)
    [approved] = outbox_rows("registration_approved")
    assert approved.payload["to"] == "noor@nieuw.example"
    assert "/club/aanvragen/nieuw" in rendered(approved).text
    filed = file_request(network, who=newcomer, club=club)
    assert filed.owner_team.loket_id == network.loket_utrecht.id


def test_a_decision_is_taken_once(network):
    registration = _registered()
    registrations.approve(registration.id, network.ondersteuner)
    with pytest.raises(Conflict):
        registrations.approve(registration.id, network.collega)
    with pytest.raises(Conflict):
        registrations.reject(registration.id, network.collega, "Toch niet")
    assert len(outbox_rows("registration_approved")) == 1 and outbox_rows("registration_rejected") == []


@pytest.mark.parametrize("reason, message", [("", "Schrijf op waarom"), ("   ", "Schrijf op waarom"),
                                             ("x" * 2001, "maximaal 2000 tekens"), ("nee\x00", "stuurtekens")])
def test_rejecting_needs_a_reason(network, reason, message):
    registration = _registered()
    with pytest.raises(InvalidInput) as refused:
        registrations.reject(registration.id, network.ondersteuner, reason)
    assert message in refused.value.errors["reason"]
    assert _db.session.get(ClubRegistration, registration.id).state == "pending"


def test_a_rejected_club_stays_invisible_everywhere_and_cannot_file(app, network):
    registration = _registered()
    club_id = registration.club_id
    registrations.reject(registration.id, network.ondersteuner, "Deze club bestaat al als\nVV Utrechtse Boys.")

    club = _db.session.get(Club, club_id)
    assert club.status == "afgewezen"
    [rejected] = outbox_rows("registration_rejected")
    assert rejected.payload["to"] == "noor@nieuw.example"
    assert "Deze club bestaat al als\nVV Utrechtse Boys." in rendered(rejected).text
    assert club_id not in {c.id for c in clubs.list_clubs().items}
    assert registrations.pending_for(network.ondersteuner).items == []
    assert not clubs.can_edit_club(network.ondersteuner, club)
    assert club not in registrations.active_clubs_in("GM0344")
    with pytest.raises(Forbidden) as refused:
        file_request(network, who=_user("noor@nieuw.example"), club=club)
    assert "afgewezen" in refused.value.message
    with pytest.raises(InvalidInput):  # nobody can ask to join it either
        registrations.request_to_join(club_id, contact_data(email="ander@nieuw.example"))


def test_only_active_clubs_count_in_club_reach(network):
    _registered()  # aangemeld, in Utrecht
    ClubFactory(gemeente=network.utrecht, status="afgewezen")
    _db.session.commit()
    reach = club_reach(utcnow() + timedelta(seconds=1), 365)[network.loket_utrecht.id]
    assert reach.details["denominator"] == 1  # VV Utrechtse Boys only


# ---------------------------------------------------------------- duplicates

@pytest.mark.parametrize("first, second, similar", [
    ("VV Domstad '28", "V.V. Domstad 28", True),
    ("VV Domstad '28", "VV Domstad", True),
    ("Padelcentrum Leidsche Rijn B.V.", "Padelcentrum Leidsche Rijn", True),
    ("Hockeyclub Utrecht", "Tennisclub Utrecht", False),
    ("SV Utrecht", "VV Utrecht", False),
    ("VV Domstad", "MHC Vechtzoom", False),
])
def test_similar_names(first, second, similar):
    assert registrations.similar_names(first, second) is similar


def test_likely_duplicates_are_flagged_by_kvk_number_or_a_similar_name_in_the_same_gemeente(network):
    domstad = ClubFactory(name="VV Domstad '28", gemeente=network.utrecht)
    ClubFactory(name="Tennisclub Utrecht", gemeente=network.utrecht)
    ClubFactory(name="V.V. Domstad 28", gemeente=network.amersfoort)  # another gemeente: not by name
    same_kvk = ClubFactory(name="Heel Anders", gemeente=network.amersfoort, kvk_number="40478911")
    ClubFactory(name="VV Domstad 28", gemeente=network.utrecht, status="afgewezen")  # not active: not a club
    _db.session.commit()
    by_name = _registered("a@nieuw.example", name="V.V. Domstad 28")
    by_kvk = _registered("b@nieuw.example", name="Iets Nieuws", kvk="40478911")
    unique = _registered("c@nieuw.example", name="Hockeyclub Utrecht")

    items = {item.id: item for item in registrations.pending_for(network.ondersteuner).items}
    assert [(d.id, d.reason) for d in items[by_name.id].possible_duplicates] == [(domstad.id, SIMILAR_NAME)]
    assert [(d.id, d.reason, d.gemeente) for d in items[by_kvk.id].possible_duplicates] == [
        (same_kvk.id, SAME_KVK, "Amersfoort")]
    assert items[unique.id].possible_duplicates == ()


def test_the_list_takes_the_same_number_of_queries_for_one_registration_and_many(app, network):
    ClubFactory(name="VV Domstad '28", gemeente=network.utrecht)
    _db.session.commit()
    _registered("first@nieuw.example", name="VV Domstad 28")
    ondersteuner_id = network.ondersteuner.id

    def count():
        _db.session.expire_all()
        with count_queries(app) as statements:
            page = registrations.pending_for(_db.session.get(User, ondersteuner_id))
            assert all(item.possible_duplicates for item in page.items)
        return len(statements)

    one = count()
    for n in range(5):
        _registered(f"more{n}@nieuw.example", name=f"V.V. Domstad 28 ({n})", sports=["voetbal", "tennis"])
    assert count() == one


# ---------------------------------------------------------------- joining an existing club

def test_joining_an_existing_club_needs_its_contacts_or_loket_and_gives_no_role_before(network):
    before = count_rows(ClubContact)
    registrations.request_to_join(network.club_utrecht.id, contact_data(email="piet@uboys.example",
                                                                         name="Piet Pieters", function="trainer"))
    joiner = _user("piet@uboys.example")
    assert joiner.memberships == [] and joiner.email_confirmed_at is None
    registration = registrations.confirm_registration(confirmation_token("piet@uboys.example"))
    assert (registration.kind, registration.state) == ("join", "pending")

    [asked] = outbox_rows("join_request")
    assert asked.payload["to"] == network.club_contact.email
    assert "Piet Pieters (trainer)" in rendered(asked).text
    [item] = registrations.pending_for(network.club_contact).items
    assert (item.kind, item.person_name, item.details_hidden) == ("join", "Piet Pieters", False)
    assert [i.id for i in registrations.pending_for(network.ondersteuner).items] == [registration.id]
    assert registrations.pending_for(network.other_club_contact).items == []
    assert registrations.pending_for(joiner).items == []  # sees nothing of the club yet

    registrations.approve(registration.id, network.club_contact)
    _db.session.expire_all()
    joiner = _user("piet@uboys.example")
    assert joiner.club_ids == [network.club_utrecht.id]
    assert count_rows(ClubContact) == before + 1
    contact = _db.session.scalar(select(ClubContact).where(ClubContact.user_id == joiner.id))
    assert (contact.name, contact.function) == ("Piet Pieters", "trainer")
    assert "/club/aanvragen" in rendered(outbox_rows("registration_approved")[0]).text


def test_a_join_request_may_be_rejected_by_the_club_and_the_person_stays_without_a_role(network):
    registrations.request_to_join(network.club_utrecht.id, contact_data(email="piet@uboys.example"))
    registration = registrations.confirm_registration(confirmation_token("piet@uboys.example"))
    registrations.reject(registration.id, network.club_contact, "We kennen je niet.")
    assert _user("piet@uboys.example").memberships == []
    assert network.club_utrecht.status == "actief"
    assert "We kennen je niet." in rendered(outbox_rows("registration_rejected")[0]).text


@pytest.mark.parametrize("club_id", [None, "", "abc", 0, 999_999, 2**40])
def test_joining_needs_an_existing_active_club(network, club_id):
    before = _counts()
    with pytest.raises(InvalidInput) as refused:
        registrations.request_to_join(club_id, contact_data())
    assert refused.value.errors == {"club": registrations.CLUB_CHOICE_MESSAGE}
    assert _counts() == before


def test_joining_a_club_that_waits_for_approval_is_refused_like_an_unknown_one(network):
    waiting = _registered().club
    with pytest.raises(InvalidInput) as refused:
        registrations.request_to_join(waiting.id, contact_data(email="ander@nieuw.example"))
    assert refused.value.errors == {"club": registrations.CLUB_CHOICE_MESSAGE}


def test_joining_with_an_address_in_use_answers_the_same(network):
    before = _counts()
    answer = registrations.request_to_join(network.club_utrecht.id, contact_data(email="anna@uboys.example"))
    assert answer == registrations.Submitted("anna@uboys.example")
    assert _counts() == {**before, "OutboxMessage": before["OutboxMessage"] + 1}
    assert len(outbox_rows("registration_address_in_use")) == 1


def test_a_join_in_a_gemeente_without_loket_waits_at_the_club_and_the_coordinatiepunt(network):
    registrations.request_to_join(network.club_zeist.id, contact_data(email="zara@zeist.example"))
    registration = registrations.confirm_registration(confirmation_token("zara@zeist.example"))
    assert {row.payload["to"] for row in outbox_rows("registration_pending")} == {network.coordinator.email}
    assert [row.payload["to"] for row in outbox_rows("join_request")] == [network.zeist_contact.email]
    [seen_by_club] = registrations.pending_for(network.zeist_contact).items
    [seen_by_coordinator] = registrations.pending_for(network.coordinator).items
    assert seen_by_club.person_email == "zara@zeist.example" and not seen_by_club.details_hidden
    assert seen_by_coordinator.id == registration.id and seen_by_coordinator.person_email is None


def test_a_supporter_does_not_decide_their_own_join_request(network):
    lead = make_user("clubondersteuner", network.loket_utrecht, email="lead@utrecht.example")
    registration = ClubRegistration(kind="join", state="pending", club=network.club_utrecht, user=lead)
    _db.session.add(registration)
    _db.session.commit()
    assert registrations.pending_for(lead).items == []
    with pytest.raises(NotFound):
        registrations.approve(registration.id, lead)


def test_the_password_of_a_join_request_works_after_confirmation(network):
    registrations.request_to_join(network.club_utrecht.id, contact_data(email="piet@uboys.example"))
    registrations.confirm_registration(confirmation_token("piet@uboys.example"))
    assert users.authenticate("piet@uboys.example", PASSWORD).email == "piet@uboys.example"
