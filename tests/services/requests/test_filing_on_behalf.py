"""Filing a request on a club's behalf (filing.file_for_club): the werkgebied, the channel, the contact person and
their login, routing and the confirmation, all in one transaction; and the club's own filing beside it."""
import json
from datetime import datetime

import pytest
from sqlalchemy import func, select

from loket.extensions import db as _db
from loket.models import (
    ClubContact,
    Event,
    Membership,
    NetworkChange,
    SupportRequest,
    User,
)
from loket.services.errors import Forbidden, InvalidInput, NotFound
from loket.services.messaging.inbound import receive_inbound
from loket.services.network import contact_logins
from loket.services.requests import filing
from tests.factories import ClubFactory, make_user
from tests.support.mails import outbox_rows
from tests.support.on_behalf import file_for_club
from tests.support.requests import file_request


def _count(model) -> int:
    return _db.session.scalar(select(func.count()).select_from(model))


def _created(request) -> Event:
    return _db.session.scalar(select(Event).where(Event.request_id == request.id, Event.kind == "created"))


def test_a_supporter_files_for_a_club_in_the_werkgebied_as_the_club_would_be_routed(network):
    now = datetime(2026, 3, 2, 9)
    filed = file_for_club(network, who="collega", channel="telefoon", now=now)
    request = filed.request
    assert request.filed_by == network.collega and request.channel == "telefoon"
    assert request.owner_team == network.loket_utrecht.team and request.status == "nieuw"
    assert request.first_response_due_at is not None and request.created_at == now
    assert filed.contact.name == "Anna de Vries" and filed.login is None
    created = _created(request)
    assert created.is_public and created.actor == network.collega
    assert created.data["channel"] == "telefoon" and created.data["on_behalf"] is True
    assert created.data["filed_by"] == "Cees Collega" and created.data["contact"] == "Anna de Vries"
    # The chosen contact person has no login: the confirmation goes to every contact of the club with one.
    assert request.requester is None
    assert [row.payload["to"] for row in outbox_rows("request_received")] == [network.club_contact.email]


def test_the_team_is_told_except_the_supporter_who_filed_it(network):
    file_for_club(network, who="collega")
    assert [row.payload["to"] for row in outbox_rows("new_in_queue")] == [network.ondersteuner.email]


def test_a_sport_specific_question_goes_to_the_bond_like_the_clubs_own(network):
    own = file_request(network, category="sporttechnisch-competitie", sport="voetbal")
    for_club = file_for_club(network, category="sporttechnisch-competitie", sport="voetbal").request
    assert for_club.owner_team == own.owner_team == network.knvb.team


def test_a_contact_person_with_a_login_is_the_requester_and_alone_gets_the_confirmation(network):
    second = make_user("club", network.club_utrecht, name="Piet Penningmeester", email="piet@uboys.example")
    contact = ClubContact(club=network.club_utrecht, name=second.name, email=second.email, user_id=second.id)
    _db.session.add(contact)
    _db.session.commit()
    request = file_for_club(network, contact_id=contact.id).request
    assert request.requester == second
    assert [row.payload["to"] for row in outbox_rows("request_received")] == [second.email]


@pytest.mark.parametrize("club", ["club_amersfoort", "club_zeist", "club_bunnik"])
def test_a_club_outside_the_werkgebied_is_not_found_and_nothing_is_stored(network, club):
    with pytest.raises(NotFound) as raised:
        file_for_club(network, who="ondersteuner", club=club,
                      contact={"name": "Nieuw", "email": "nieuw@club.example"})
    assert "bestaat niet" in raised.value.message
    assert _count(SupportRequest) == 0 and _count(ClubContact) == 1 and outbox_rows() == []


@pytest.mark.parametrize("club_id", [987654, 2**31, 2**40, "12a", "", None, "\x00", -1, True, 1.5])
def test_an_unknown_or_impossible_club_id_is_not_found(network, club_id):
    with pytest.raises(NotFound):
        filing.file_for_club(actor=network.collega, club_id=club_id, channel="telefoon", contact_id=1,
                             category_id=1, sport_id=None, title="t", description="d")


def test_a_club_waiting_for_approval_is_not_found(network):
    waiting = ClubFactory(name="Nog Niet Goedgekeurd", gemeente=network.utrecht, status="aangemeld",
                          contacts=[ClubContact(name="Wachter", email="w@club.example")])
    _db.session.commit()
    with pytest.raises(NotFound):
        file_for_club(network, club=waiting)
    assert _count(SupportRequest) == 0


def test_the_supporter_of_another_loket_files_for_their_own_clubs(network):
    request = file_for_club(network, who="ondersteuner_eemland", club="club_amersfoort",
                            contact={"name": "Hans Hockey", "phone": "033 123 45 67"}).request
    assert request.owner_team == network.loket_eemland.team


@pytest.mark.parametrize("who", ["bondsspecialist", "club_contact", "coordinator", "beheerder"])
def test_only_clubondersteuners_file_on_a_clubs_behalf(network, who):
    with pytest.raises(Forbidden) as raised:
        file_for_club(network, who=who)
    assert "clubondersteuners" in raised.value.message
    assert _count(SupportRequest) == 0


@pytest.mark.parametrize("channel", ["portaal", "fax", "", None, "Telefoon"])
def test_the_channel_is_how_it_reached_the_supporter(network, channel):
    with pytest.raises(InvalidInput) as raised:
        file_for_club(network, channel=channel)
    assert set(raised.value.errors) == {"channel"}
    assert "telefoon, bezoek of e-mail" in raised.value.errors["channel"]


@pytest.mark.parametrize("channel", ["telefoon", "bezoek", "e-mail"])
def test_each_supporter_channel_is_kept(network, channel):
    assert file_for_club(network, channel=channel).request.channel == channel


def test_every_problem_is_reported_at_once_and_nothing_is_stored(network):
    users = _count(User)
    with pytest.raises(InvalidInput) as raised:
        filing.file_for_club(actor=network.collega, club_id=network.club_utrecht.id, channel="fax",
                             contact={"name": " ", "email": "geen-adres"}, category_id="x", sport_id="999999",
                             title=" ", description="")
    assert set(raised.value.errors) == {"channel", "contact_name", "contact_email", "category", "sport", "title",
                                        "description"}
    assert _count(SupportRequest) == 0 and _count(ClubContact) == 1 and _count(User) == users


def test_a_contact_person_is_chosen_or_given(network):
    with pytest.raises(InvalidInput) as missing:
        file_for_club(network, contact_id="")
    assert "contactpersoon" in missing.value.errors["contact"]
    with pytest.raises(InvalidInput) as both:
        file_for_club(network, contact_id=network.club_utrecht.contacts[0].id, contact={"name": "X", "phone": "1"})
    assert "niet allebei" in both.value.errors["contact"]


@pytest.mark.parametrize("contact_id", ["other_club", 987654, 2**40, "x", "\x00"])
def test_a_contact_person_of_another_club_or_none_is_refused(network, contact_id):
    if contact_id == "other_club":
        other = ClubContact(club=network.club_amersfoort, name="Bram", email="bram@hc.example")
        _db.session.add(other)
        _db.session.commit()
        contact_id = other.id
    with pytest.raises(InvalidInput) as raised:
        file_for_club(network, contact_id=contact_id)
    assert raised.value.errors["contact"] == "Deze contactpersoon hoort niet bij deze club."


def test_a_new_contact_person_with_an_address_gets_a_login_and_a_mail_to_choose_a_password(network):
    filed = file_for_club(network, contact={"name": "  Karel   Kantine ", "email": "Karel@UBoys.example",
                                            "phone": "030 111 22 33"})
    contact = filed.contact
    assert (contact.name, contact.phone) == ("Karel Kantine", "030 111 22 33")
    assert filed.login == contact_logins.CREATED and "e-mail om een wachtwoord te kiezen" in filed.login_message
    user = _db.session.get(User, contact.user_id)
    assert user.email == "karel@uboys.example" and user.club_ids == [network.club_utrecht.id]
    assert user.email_confirmed_at is not None and user.active
    assert filed.request.requester == user
    # The requester alone gets the usual confirmation; the link to choose a password comes in its own mail.
    assert [row.payload["to"] for row in outbox_rows("request_received")] == [user.email]
    login_mail = outbox_rows("club_contact_login")
    assert len(login_mail) == 1 and login_mail[0].payload["to"] == user.email
    assert login_mail[0].payload["context"]["link_path"].startswith("/wachtwoord-kiezen/")
    change = _db.session.scalar(select(NetworkChange).where(NetworkChange.user_id == user.id))
    assert change.subject == "membership" and change.actor_id == network.collega.id
    assert change.new_value == "Clubcontact — VV Utrechtse Boys"


def test_a_new_contact_person_without_an_address_gets_no_login_and_no_mail(network):
    filed = file_for_club(network, contact={"name": "Truus Telefoon", "phone": "06 12345678"})
    assert filed.login == contact_logins.NO_EMAIL and filed.contact.user_id is None
    assert filed.contact in network.club_utrecht.contacts
    assert outbox_rows("club_contact_login") == []
    assert [row.payload["to"] for row in outbox_rows("request_received")] == [network.club_contact.email]
    assert _created(filed.request).data["contact"] == "Truus Telefoon"


def test_an_address_with_an_account_outside_the_club_is_given_nothing(network):
    taken, memberships = network.other_club_contact.email, _count(Membership)
    filed = file_for_club(network, contact={"name": "Bram Jansen", "email": taken})
    assert filed.login == contact_logins.IN_USE and filed.contact.user_id is None
    assert network.club_utrecht.id not in network.other_club_contact.club_ids
    assert outbox_rows("club_contact_login") == [] and _count(Membership) == memberships


def test_an_address_of_a_contact_with_a_login_is_linked(network):
    second = make_user("club", network.club_utrecht, name="Piet", email="piet@uboys.example")
    _db.session.commit()
    filed = file_for_club(network, contact={"name": "Piet", "email": "PIET@uboys.example"})
    assert filed.login == contact_logins.LINKED and filed.contact.user_id == second.id
    assert filed.request.requester == second and outbox_rows("club_contact_login") == []


def test_a_new_contact_person_already_known_to_the_club_is_refused(network):
    with pytest.raises(InvalidInput) as raised:
        file_for_club(network, contact={"name": "Anna", "email": "ANNA@uboys.example"})
    assert "kies hem of haar in de lijst" in raised.value.errors["contact_email"]


@pytest.mark.parametrize("contact, field", [
    ({"name": "Zonder Bereik"}, "contact_email"),
    ({"name": "Nul\x00Teken", "phone": "1"}, "contact_name"),
    ({"name": "Esc", "phone": "06\x1b1"}, "contact_phone"),
    ({"name": "x" * 121, "phone": "1"}, "contact_name"),
    ({"name": "Lang", "phone": "1" * 41}, "contact_phone"),
])
def test_a_new_contact_person_follows_the_profiles_rules(network, contact, field):
    with pytest.raises(InvalidInput) as raised:
        file_for_club(network, contact=contact)
    assert field in raised.value.errors
    assert _count(ClubContact) == 1 and _count(SupportRequest) == 0


@pytest.mark.parametrize("field, value", [("title", "Tab\x00nul"), ("title", "Bel\x07"),
                                          ("description", "Escape \x1b[31m")])
def test_control_characters_in_the_request_are_refused_for_every_way_of_filing(network, field, value):
    with pytest.raises(InvalidInput) as on_behalf:
        file_for_club(network, **{field: value})
    with pytest.raises(InvalidInput) as own:
        file_request(network, **{field: value})
    assert field in on_behalf.value.errors and field in own.value.errors
    assert _count(SupportRequest) == 0


def test_a_description_keeps_its_line_breaks(network):
    text = "Regel een\nRegel twee\r\n\tingesprongen"
    assert file_for_club(network, description=text).request.description == text


# ---------------------------------------------------------------- the club's own filing

def test_the_clubs_own_filing_is_portaal_without_filed_by(network):
    request = file_request(network)
    assert request.channel == "portaal" and request.filed_by is None and request.requester == network.club_contact


def test_a_club_contact_naming_another_club_is_not_found(network):
    with pytest.raises(NotFound):
        file_request(network, club="club_amersfoort")
    assert _count(SupportRequest) == 0


def test_a_mail_to_the_loket_files_with_channel_e_mail(network):
    form = {"from": "Anna de Vries <anna@uboys.example>", "subject": "Vraag per mail", "text": "Hallo loket",
            "headers": "Message-ID: <behalf@mail.example>\n", "SPF": "pass",  # SendGrid vouches for the sender
            "envelope": json.dumps({"to": ["loket@reply.loket.example"], "from": "anna@uboys.example"})}
    result = receive_inbound(form, [])
    assert result.outcome == "created"
    assert result.request.channel == "e-mail" and result.request.filed_by is None


@pytest.mark.parametrize("category_id", [2**40, "12345678901234567890", True])
def test_ids_beyond_the_database_name_nothing_in_the_clubs_own_filing(network, category_id):
    with pytest.raises(InvalidInput) as raised:
        filing.create_request(actor=network.club_contact, club_id=network.club_utrecht.id, category_id=category_id,
                              sport_id=2**40, title="Vraag", description="Tekst")
    assert set(raised.value.errors) == {"category", "sport"}
