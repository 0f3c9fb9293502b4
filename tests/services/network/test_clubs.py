"""Club profiles: who may edit them, validation of every field, and contact persons."""
from datetime import date

import pytest
from sqlalchemy import func, select

from loket.extensions import db as _db
from loket.models import Club, ClubContact
from loket.services.errors import Forbidden, InvalidInput, NotFound
from loket.services.network.clubs import (
    add_contact,
    get_club_for_editor,
    needs_second_contact,
    remove_contact,
    update_club_profile,
    update_contact,
)

TODAY = date(2026, 3, 15)
ALL_MET = {"vog": ("voldoet", "2026-01-10"), "vcp": ("mee_bezig", None),
           "gedragsregels": ("voldoet", date(2025, 9, 1)), "kwalificatie": ("mee_bezig", "")}


def _profile(network, **overrides):
    values = dict(actor=network.club_contact, name="VV Utrechtse Boys", kind="vereniging", kvk_number="",
                  sport_ids=[network.voetbal.id], basiseisen=dict(ALL_MET), today=TODAY)
    values.update(overrides)
    return values


@pytest.mark.parametrize("who, club, allowed", [
    ("club_contact", "club_utrecht", True),
    ("other_club_contact", "club_utrecht", False),
    ("ondersteuner", "club_utrecht", True),
    ("collega", "club_utrecht", True),
    ("ondersteuner_eemland", "club_utrecht", False),
    ("ondersteuner_eemland", "club_amersfoort", True),
    ("ondersteuner", "club_zeist", False),  # Zeist has no loket
    ("bondsspecialist", "club_utrecht", False),
    ("coordinator", "club_utrecht", False),
    ("beheerder", "club_utrecht", False),
])
def test_get_club_for_editor(network, who, club, allowed):
    user, club = getattr(network, who), getattr(network, club)
    if allowed:
        assert get_club_for_editor(user, club.id) is club
    else:
        with pytest.raises(NotFound, match="bestaat niet of je hebt er geen toegang toe"):
            get_club_for_editor(user, club.id)


def test_unknown_club_is_not_found(network):
    for club_id in (9999, "abc", None):
        with pytest.raises(NotFound):
            get_club_for_editor(network.club_contact, club_id)


def test_update_club_profile_stores_everything(network):
    club = network.club_utrecht
    assert not club.is_eligible
    update_club_profile(club, **_profile(network, name="  VV  Utrechtse Boys 1920 ", kind="stichting",
                                         kvk_number="1234 5678", sport_ids=[str(network.tennis.id)]))
    _db.session.expire_all()
    stored = _db.session.get(Club, club.id)
    assert (stored.name, stored.kind, stored.kvk_number) == ("VV Utrechtse Boys 1920", "stichting", "12345678")
    assert stored.sports == [network.tennis]
    assert (stored.basiseis_vog_status, stored.basiseis_vog_date) == ("voldoet", date(2026, 1, 10))
    assert (stored.basiseis_vcp_status, stored.basiseis_vcp_date) == ("mee_bezig", None)
    assert stored.basiseis_gedragsregels_date == date(2025, 9, 1)
    assert stored.is_eligible


def test_supporter_of_the_loket_may_update_and_empty_kvk_is_stored_as_none(network):
    club = network.club_utrecht
    club.kvk_number = "87654321"
    _db.session.commit()
    update_club_profile(club, **_profile(network, actor=network.ondersteuner, kvk_number="  ",
                                         basiseisen={"vog": ("nee", "15-03-2026")}))
    _db.session.expire_all()
    stored = _db.session.get(Club, club.id)
    assert stored.kvk_number is None
    assert (stored.basiseis_vog_status, stored.basiseis_vog_date) == ("nee", TODAY)
    # Basiseisen left out keep their values.
    assert stored.basiseis_vcp_status == "onbekend"
    assert not stored.is_eligible


def test_one_basiseis_not_met_makes_club_not_eligible(network):
    update_club_profile(network.club_utrecht, **_profile(network, basiseisen={**ALL_MET, "vcp": ("nee", None)}))
    assert not network.club_utrecht.is_eligible


@pytest.mark.parametrize("overrides, field, message", [
    ({"name": " "}, "name", "Vul de naam van de club in."),
    ({"name": "x" * 201}, "name", "De naam mag maximaal 200 tekens lang zijn (nu 201)."),
    ({"kind": "bv"}, "kind", "Kies of de club een vereniging, onderneming of stichting is."),
    ({"kvk_number": "1234567"}, "kvk_number", "Een KvK-nummer bestaat uit precies 8 cijfers."),
    ({"kvk_number": "1234567a"}, "kvk_number", "Een KvK-nummer bestaat uit precies 8 cijfers."),
    ({"sport_ids": [9999]}, "sports", "Kies sporten uit de lijst."),
    ({"sport_ids": ["voetbal"]}, "sports", "Kies sporten uit de lijst."),
    # Found by the hostile-input walk: a number beyond the database's integer answered 500.
    ({"sport_ids": [str(2**63)]}, "sports", "Kies sporten uit de lijst."),
    ({"sport_ids": ["-1"]}, "sports", "Kies sporten uit de lijst."),
    ({"basiseisen": {"vog": ("misschien", None)}}, "basiseis_vog_status",
     "Kies een status voor ‘VOG voor wie met jeugd of kwetsbaren werkt’."),
    ({"basiseisen": {"vcp": ("voldoet", "2026-03-16")}}, "basiseis_vcp_date",
     "De datum bij ‘Vertrouwenscontactpersoon’ mag niet in de toekomst liggen."),
    ({"basiseisen": {"kwalificatie": ("voldoet", "31-02-2026")}}, "basiseis_kwalificatie_date",
     "Vul bij ‘Basiskwalificatie trainers’ een geldige datum in, bijvoorbeeld 31-03-2026."),
])
def test_update_club_profile_refuses_bad_input_and_changes_nothing(network, overrides, field, message):
    club = network.club_utrecht
    with pytest.raises(InvalidInput) as caught:
        update_club_profile(club, **_profile(network, **overrides))
    assert caught.value.errors[field].startswith(message)
    _db.session.expire_all()
    stored = _db.session.get(Club, club.id)
    assert (stored.name, stored.kind, stored.kvk_number) == ("VV Utrechtse Boys", "vereniging", None)
    assert {s.name for s in stored.sports} == {"voetbal", "tennis"}
    assert stored.basiseis_vog_status == "onbekend" and stored.basiseis_vcp_date is None


def test_update_club_profile_refuses_someone_who_may_not_edit(network):
    with pytest.raises(Forbidden):
        update_club_profile(network.club_utrecht, **_profile(network, actor=network.ondersteuner_eemland))
    assert _db.session.get(Club, network.club_utrecht.id).basiseis_vog_status == "onbekend"


def test_unknown_basiseis_key_is_a_programming_error(network):
    with pytest.raises(ValueError):
        update_club_profile(network.club_utrecht, **_profile(network, basiseisen={"ehbo": ("voldoet", None)}))


# ---------------------------------------------------------------- contacts

def _contacts(club):
    """The club's contacts (a removed one stays only as an anonymised tombstone, see tests/services/test_privacy.py)."""
    return _db.session.scalars(select(ClubContact).where(ClubContact.club_id == club.id,
                                                         ClubContact.removed_at.is_(None))
                               .order_by(ClubContact.id)).all()


def test_add_update_and_remove_contacts(network):
    club = network.club_utrecht
    assert needs_second_contact(club)
    added = add_contact(club, actor=network.club_contact, name=" Piet  Pieters ", email="Piet@UBoys.example",
                        phone="", function="Penningmeester")
    _db.session.expire_all()
    assert not needs_second_contact(_db.session.get(Club, club.id))
    stored = _contacts(club)[1]
    assert (stored.name, stored.email, stored.phone, stored.function) == (
        "Piet Pieters", "Piet@uboys.example", None, "Penningmeester")

    update_contact(club, added.id, actor=network.ondersteuner, name="Piet Pieters", email="",
                   phone="030 123 45 67", function="")
    _db.session.expire_all()
    stored = _contacts(club)[1]
    assert (stored.email, stored.phone, stored.function) == (None, "030 123 45 67", None)

    remove_contact(club, added.id, actor=network.club_contact)
    assert [c.name for c in _contacts(club)] == ["Anna de Vries"]


@pytest.mark.parametrize("values, field, message", [
    ({"name": ""}, "name", "Vul de naam van de contactpersoon in."),
    ({"email": "geen-adres"}, "email", "Vul een geldig e-mailadres in, bijvoorbeeld naam@club.nl."),
    ({"email": "", "phone": ""}, "email", "Vul een e-mailadres of telefoonnummer in"),
    ({"name": "x" * 121}, "name", "Dit veld mag maximaal 120 tekens lang zijn (nu 121)."),
    ({"phone": "1" * 41}, "phone", "Dit veld mag maximaal 40 tekens lang zijn (nu 41)."),
])
def test_contact_validation_stores_nothing(network, values, field, message):
    club = network.club_utrecht
    contact = dict(name="Piet", email="piet@example.nl", phone=None, function=None)
    contact.update(values)
    with pytest.raises(InvalidInput) as caught:
        add_contact(club, actor=network.club_contact, **contact)
    assert caught.value.errors[field].startswith(message)
    with pytest.raises(InvalidInput):
        update_contact(club, club.contacts[0].id, actor=network.club_contact, **contact)
    _db.session.expire_all()
    assert [(c.name, c.email) for c in _contacts(club)] == [("Anna de Vries", "anna@uboys.example")]


def test_last_contact_cannot_be_removed(network):
    club = network.club_utrecht
    with pytest.raises(InvalidInput) as caught:
        remove_contact(club, club.contacts[0].id, actor=network.club_contact)
    assert caught.value.errors == {"contact": "Een club heeft minstens één contactpersoon nodig."}
    assert len(_contacts(club)) == 1


def test_contacts_of_another_club_are_not_found(network):
    other = add_contact(network.club_amersfoort, actor=network.other_club_contact, name="Bram", email="b@hc.example")
    with pytest.raises(NotFound):
        update_contact(network.club_utrecht, other.id, actor=network.club_contact, name="Overgenomen",
                       email="x@example.nl")
    with pytest.raises(NotFound):
        remove_contact(network.club_utrecht, other.id, actor=network.club_contact)
    assert _db.session.get(ClubContact, other.id).name == "Bram"


def test_contacts_refuse_someone_who_may_not_edit(network):
    club = network.club_utrecht
    with pytest.raises(Forbidden):
        add_contact(club, actor=network.other_club_contact, name="Indringer", email="i@example.nl")
    assert _db.session.scalar(select(func.count()).select_from(ClubContact)) == 1

