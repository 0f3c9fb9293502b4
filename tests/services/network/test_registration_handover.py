"""The coördinatiepunt hands an aanmelding waiting nationally (no operational loket in its gemeente) to a loket it
chooses; that loket decides it as its own or gives it back; the history of the loket keeps both."""
import pytest
from sqlalchemy import select

from loket.extensions import db as _db
from loket.models import Club, ClubRegistration, NetworkChange, OutboxMessage
from loket.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from loket.services.network import history, registrations
from tests.factories import LoketFactory, make_user
from tests.support.db import count_rows
from tests.support.mails import outbox_rows, rendered
from tests.support.registrations import club_data, confirmation_token, contact_data

REASON = "Zeist grenst aan Utrecht; het loket daar kent de club."


def _registered(email="zwemmer@zeist.example", gemeente="GM0355", **club) -> ClubRegistration:
    registrations.register_club(club_data(gemeente=gemeente, name="Zeister Zwemclub", **club),
                                contact_data(name="Zwanet Zwemmer", email=email))
    return registrations.confirm_registration(confirmation_token(email))


@pytest.fixture()
def national(network):
    return _registered()


def _hand_over(network, registration, loket=None, reason=REASON):
    return registrations.hand_over(registration.id, actor=network.coordinator,
                                   loket_id=(loket or network.loket_utrecht).id, reason=reason)


def _at_coordinatiepunt() -> int:
    return _db.session.scalar(select(registrations.pending_at_coordinatiepunt()))


def _stored():
    return (count_rows(NetworkChange), count_rows(OutboxMessage),
            _db.session.execute(select(ClubRegistration.handover_loket_id, ClubRegistration.handover_reason,
                                       ClubRegistration.handed_over_at)).all())


def test_a_handed_over_aanmelding_is_decided_by_that_loket(network, national):
    assert _at_coordinatiepunt() == 1 and registrations.pending_count(network.ondersteuner) == 0
    _hand_over(network, national)

    _db.session.refresh(national)
    assert (national.handover_loket_id, national.handover_reason) == (network.loket_utrecht.id, REASON)
    assert national.handed_over_by_id == network.coordinator.id and national.handed_over_at is not None
    [change] = history.of_loket(network.loket_utrecht.id)
    assert (change.subject, change.field, change.old_value, change.new_value, change.reason) == (
        "loket", "aanmelding", None, "Zeister Zwemclub (Zeist)", REASON)
    assert change.actor_id == network.coordinator.id
    # Utrecht's members get the usual notice, which holds no personal details either.
    rows = outbox_rows("registration_pending", network.ondersteuner.email)
    assert len(rows) == 1 and "/wachtrij/aanmeldingen" in rendered(rows[0]).text
    assert "Zwanet" not in rendered(rows[0]).text

    # Utrecht decides it now, seeing who registered; the coördinatiepunt no longer does.
    assert registrations.pending_count(network.ondersteuner) == 1 and _at_coordinatiepunt() == 0
    [item] = registrations.pending_for(network.ondersteuner).items
    assert not item.details_hidden and item.person_name == "Zwanet Zwemmer"
    assert item.handed_over_to == "Sportloket Utrecht" and item.handover_reason == REASON
    assert registrations.pending_count(network.coordinator) == 0
    assert registrations.pending_for(network.coordinator).items == []
    [listed] = registrations.pending_for(network.coordinator, with_handed_over=True).items
    assert listed.handed_over_to == "Sportloket Utrecht" and listed.details_hidden and listed.person_name is None
    assert registrations.pending_for(network.ondersteuner_eemland).items == []
    with pytest.raises(NotFound):
        registrations.approve(national.id, network.coordinator)
    with pytest.raises(NotFound):
        registrations.approve(national.id, network.ondersteuner_eemland)

    registrations.approve(national.id, network.ondersteuner)
    assert _db.session.get(Club, national.club_id).status == "actief"


def test_the_loket_hands_it_back_with_a_reason_and_it_is_national_again(network, national):
    _hand_over(network, national)
    with pytest.raises(NotFound):  # another loket's supporter
        registrations.hand_back(national.id, actor=network.ondersteuner_eemland, reason="Niet van ons")
    with pytest.raises(InvalidInput) as error:
        registrations.hand_back(national.id, actor=network.ondersteuner, reason=" ")
    assert set(error.value.errors) == {"reason"}

    registrations.hand_back(national.id, actor=network.collega, reason="Te ver weg voor ons.")
    _db.session.refresh(national)
    assert national.handover_loket_id is None and national.handover_reason is None and national.state == "pending"
    latest = history.of_loket(network.loket_utrecht.id)[0]
    assert (latest.field, latest.old_value, latest.new_value, latest.reason, latest.actor_id) == (
        "aanmelding", "Zeister Zwemclub (Zeist)", None, "Te ver weg voor ons.", network.collega.id)
    assert _at_coordinatiepunt() == 1 and registrations.pending_count(network.ondersteuner) == 0
    assert registrations.get_pending(national.id, network.coordinator).handed_over_to is None
    # …and can be handed to another loket.
    _hand_over(network, national, loket=network.loket_eemland)
    assert registrations.pending_count(network.ondersteuner_eemland) == 1


def test_a_loket_only_hands_back_what_was_handed_to_it(network):
    own = _registered(email="utrechter@club.example", gemeente="GM0344")
    with pytest.raises(Conflict):
        registrations.hand_back(own.id, actor=network.ondersteuner, reason="Niet van ons")
    with pytest.raises(NotFound):  # it is Utrecht's own: nothing to hand over nationally
        _hand_over(network, own, loket=network.loket_eemland)


def test_once_the_gemeente_has_its_own_operational_loket_that_loket_decides(network, national):
    _hand_over(network, national)
    zeist_loket = LoketFactory(name="Sportloket Zeist", gemeenten=[network.zeist])
    ondersteuner_zeist = make_user("clubondersteuner", zeist_loket)
    _db.session.commit()
    assert registrations.pending_count(ondersteuner_zeist) == 1
    assert registrations.pending_count(network.ondersteuner) == 0 and _at_coordinatiepunt() == 0
    assert not registrations.get_pending(national.id, ondersteuner_zeist).details_hidden
    with pytest.raises(NotFound):
        registrations.hand_back(national.id, actor=network.ondersteuner, reason="Niet meer van ons")


def test_a_hand_over_to_a_loket_that_is_no_longer_operational_lapses(network, national):
    _hand_over(network, national)
    network.loket_utrecht.status = "in_oprichting"
    _db.session.commit()
    assert _at_coordinatiepunt() == 1 and registrations.pending_count(network.ondersteuner) == 0
    assert registrations.get_for_handover(national.id, network.coordinator).handed_over_to is None
    _hand_over(network, national, loket=network.loket_eemland)  # chosen afresh
    assert registrations.pending_count(network.ondersteuner_eemland) == 1


@pytest.mark.parametrize("who", ["ondersteuner", "beheerder", "bondsspecialist", "zeist_contact"])
def test_only_the_coordinatiepunt_hands_over(network, national, who):
    before = _stored()
    with pytest.raises(Forbidden):
        registrations.hand_over(national.id, actor=getattr(network, who), loket_id=network.loket_utrecht.id,
                                reason=REASON)
    with pytest.raises(Forbidden):
        registrations.get_for_handover(national.id, getattr(network, who))
    assert _stored() == before


def test_a_second_hand_over_or_one_after_the_decision_conflicts(network, national):
    _hand_over(network, national)
    with pytest.raises(Conflict, match="al doorgezet naar Sportloket Utrecht"):
        _hand_over(network, national, loket=network.loket_eemland)
    registrations.approve(national.id, network.ondersteuner)
    with pytest.raises(Conflict):
        _hand_over(network, national, loket=network.loket_eemland)
    with pytest.raises(Conflict):
        registrations.hand_back(national.id, actor=network.ondersteuner, reason="Toch niet")


@pytest.mark.parametrize("loket, reason, field", [
    (987654, REASON, "loket"),
    ("bunnik", REASON, "loket"),
    (2**31, REASON, "loket"),
    ("1\x00", REASON, "loket"),
    ("", REASON, "loket"),
    (None, REASON, "loket"),
    ("utrecht", "", "reason"),
    ("utrecht", "Om\x00dat", "reason"),
    ("utrecht", "x" * 2001, "reason"),
])
def test_bad_input_is_refused_in_dutch_and_nothing_is_stored(network, national, loket, reason, field):
    lokets = {"bunnik": network.loket_bunnik.id, "utrecht": network.loket_utrecht.id}
    before = _stored()
    with pytest.raises(InvalidInput) as error:
        registrations.hand_over(national.id, actor=network.coordinator, loket_id=lokets.get(loket, loket),
                                reason=reason)
    assert set(error.value.errors) == {field}
    if loket == "bunnik":
        assert error.value.errors["loket"] == ("Sportloket Bunnik is nog niet operationeel en kan nog niet over "
                                               "aanmeldingen besluiten.")
    _db.session.rollback()
    assert _stored() == before


def test_an_unknown_or_unconfirmed_aanmelding_is_not_found(network):
    registrations.register_club(club_data(gemeente="GM0355"), contact_data(email="nog@niet.example"))
    unconfirmed = _db.session.scalar(select(ClubRegistration.id).where(ClubRegistration.state == "unconfirmed"))
    for registration_id in (unconfirmed, 987654, 2**31, "1\x00"):
        with pytest.raises(NotFound):
            registrations.hand_over(registration_id, actor=network.coordinator, loket_id=network.loket_utrecht.id,
                                    reason=REASON)
