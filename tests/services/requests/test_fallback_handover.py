"""The coördinatiepunt hands a fallback request to an operational loket it chooses (doorzetten): a referral from the
fallback team, which the loket accepts or declines like any other; the coördinatiepunt never reads the request."""
from datetime import datetime

import pytest
from sqlalchemy import func, select

from loket.extensions import db as _db
from loket.models import Event, OutboxMessage, Referral, SupportRequest
from loket.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from loket.services.network import nearby
from loket.services.requests import queues, teamwork
from tests.factories import GemeenteFactory, LoketFactory
from tests.support.mails import outbox_rows, rendered
from tests.support.requests import file_request

TITLE, DESCRIPTION = "Zeister vraag over het clubhuis", "Het dak lekt en de kantine staat onder water."


@pytest.fixture()
def waiting(network):
    """A request of a club in Zeist (no loket): it waits in the fallback queue."""
    request = file_request(network, who="zeist_contact", club="club_zeist", category="overig", title=TITLE,
                           description=DESCRIPTION, now=datetime(2026, 3, 2, 9))
    assert request.owner_team.kind == "fallback"
    return request


def _hand_over(network, request, team=None, reason="Utrecht is de buurgemeente en heeft plek.", **kwargs):
    return teamwork.hand_over_from_fallback(request.id, actor=network.coordinator,
                                            to_team_id=(team or network.loket_utrecht.team).id, reason=reason,
                                            **kwargs)


def _counts() -> tuple[int, int, int]:
    return (_db.session.scalar(select(func.count()).select_from(Referral)),
            _db.session.scalar(select(func.count()).select_from(Event)),
            _db.session.scalar(select(func.count()).select_from(OutboxMessage)))


def test_a_hand_over_is_a_referral_from_the_fallback_team_the_loket_reads_and_accepts(network, waiting):
    referral = _hand_over(network, waiting, now=datetime(2026, 3, 3, 9))
    assert (referral.from_team_id, referral.to_team_id) == (network.fallback_team.id, network.loket_utrecht.team.id)
    assert referral.proposed_by_id == network.coordinator.id and referral.status_before == "nieuw"
    _db.session.refresh(waiting)
    assert waiting.status == "doorverwezen" and waiting.owner_team.kind == "fallback"
    # Utrecht's members are told and may read it, as with any referral; the coördinatiepunt is in no team.
    assert {row.payload["to"] for row in outbox_rows("referral_proposed")} == {
        network.ondersteuner.email, network.collega.email}
    access = teamwork.supporter_access(network.ondersteuner, waiting.id)
    assert access.is_referral_receiver and not access.is_owner and access.request.title == TITLE
    with pytest.raises(NotFound):
        teamwork.supporter_access(network.coordinator, waiting.id)
    with pytest.raises(NotFound):
        teamwork.supporter_access(network.ondersteuner_eemland, waiting.id)

    teamwork.accept_referral(access, actor=network.ondersteuner, now=datetime(2026, 3, 4, 9))
    _db.session.refresh(waiting)
    assert waiting.owner_team_id == network.loket_utrecht.team.id and waiting.status == "nieuw"
    assert teamwork.supporter_access(network.collega, waiting.id).is_owner
    assert queues.fallback_item(waiting.id) is None  # gone from the fallback queue
    # The coördinatiepunt hears of the decision without the request's title or text.
    [decided] = outbox_rows("referral_decided", network.coordinator.email)
    mail = rendered(decided)
    for text in (mail.subject, mail.text, mail.html):
        assert TITLE not in text and DESCRIPTION not in text
    assert waiting.reference in mail.text and "overgenomen" in mail.text and "/coordinatie/opvang" in mail.text


def test_a_declined_hand_over_puts_the_request_back_in_the_fallback_queue_as_it_was(network, waiting):
    _hand_over(network, waiting)
    access = teamwork.supporter_access(network.ondersteuner, waiting.id)
    teamwork.decline_referral(access, actor=network.ondersteuner, reason="Wij werken alleen voor Utrecht.")
    _db.session.refresh(waiting)
    assert waiting.status == "nieuw" and waiting.owner_team.kind == "fallback"
    item = queues.fallback_item(waiting.id)
    assert item.handover.state == "afgewezen" and item.handover.loket == "Sportloket Utrecht"
    assert item.handover.decline_reason == "Wij werken alleen voor Utrecht." and item.may_hand_over
    with pytest.raises(NotFound):  # no longer theirs to read
        teamwork.supporter_access(network.ondersteuner, waiting.id)
    mail = rendered(outbox_rows("referral_decided", network.coordinator.email)[0])
    assert TITLE not in mail.text and "Wij werken alleen voor Utrecht." in mail.text
    # It can be handed to another loket now.
    _hand_over(network, waiting, team=network.loket_eemland.team)
    assert queues.fallback_item(waiting.id).handover.loket == "Sportloket Eemland"


def test_the_coordinatiepunt_withdraws_an_open_hand_over(network, waiting):
    _hand_over(network, waiting)
    with pytest.raises(Conflict):  # one open hand-over at a time
        _hand_over(network, waiting, team=network.loket_eemland.team)
    teamwork.withdraw_hand_over(waiting.id, actor=network.coordinator)
    _db.session.refresh(waiting)
    assert waiting.status == "nieuw"
    assert _db.session.scalar(select(Referral.state).where(Referral.request_id == waiting.id)) == "ingetrokken"
    with pytest.raises(NotFound):
        teamwork.supporter_access(network.ondersteuner, waiting.id)
    with pytest.raises(Conflict):
        teamwork.withdraw_hand_over(waiting.id, actor=network.coordinator)
    assert queues.fallback_item(waiting.id).may_hand_over


@pytest.mark.parametrize("who", ["ondersteuner", "bondsspecialist", "beheerder", "zeist_contact"])
def test_only_the_coordinatiepunt_hands_over(network, waiting, who):
    before = _counts()
    with pytest.raises(Forbidden):
        teamwork.hand_over_from_fallback(waiting.id, actor=getattr(network, who),
                                         to_team_id=network.loket_utrecht.team.id, reason="Omdat")
    with pytest.raises(Forbidden):
        teamwork.withdraw_hand_over(waiting.id, actor=getattr(network, who))
    assert _counts() == before


def test_only_open_requests_of_the_fallback_queue_are_handed_over(network, waiting):
    at_utrecht = file_request(network)
    with pytest.raises(NotFound):
        _hand_over(network, at_utrecht, team=network.loket_eemland.team)
    with pytest.raises(NotFound):
        teamwork.hand_over_from_fallback(2**31, actor=network.coordinator, to_team_id=network.loket_utrecht.team.id,
                                         reason="Omdat")
    waiting.status = "gesloten"
    _db.session.commit()
    with pytest.raises(Conflict):
        _hand_over(network, waiting)


@pytest.mark.parametrize("team, reason, field", [
    ("unknown", "Omdat", "team"),
    ("bunnik", "Omdat", "team"),  # in oprichting
    ("knvb", "Omdat", "team"),  # a bond is no loket
    ("fallback", "Omdat", "team"),
    (2**31, "Omdat", "team"),
    ("1\x00", "Omdat", "team"),
    ("", "Omdat", "team"),
    ("utrecht", "", "reason"),
    ("utrecht", "   ", "reason"),
    ("utrecht", "Om\x00dat", "reason"),
    ("utrecht", "x" * 2001, "reason"),
])
def test_bad_input_is_refused_in_dutch_and_nothing_is_stored(network, waiting, team, reason, field):
    teams = {"unknown": 987654, "bunnik": network.loket_bunnik.team.id, "knvb": network.knvb.team.id,
             "fallback": network.fallback_team.id, "utrecht": network.loket_utrecht.team.id}
    before = _counts()
    with pytest.raises(InvalidInput) as error:
        teamwork.hand_over_from_fallback(waiting.id, actor=network.coordinator, to_team_id=teams.get(team, team),
                                         reason=reason)
    assert set(error.value.errors) == {field}
    if team == "bunnik":
        assert "nog niet operationeel" in error.value.errors["team"]
    _db.session.rollback()
    assert _counts() == before
    assert _db.session.get(SupportRequest, waiting.id).status == "nieuw"


def test_the_queue_shows_each_request_with_its_latest_hand_over(network, waiting):
    other = file_request(network, who="zeist_contact", club="club_zeist", category="overig", title="Tweede",
                         description="Tekst")
    _hand_over(network, waiting)
    items = {item.id: item for item in queues.fallback_queue().items}
    assert items[waiting.id].handover.is_open and not items[waiting.id].may_hand_over
    assert items[waiting.id].handover.loket == "Sportloket Utrecht"
    assert items[other.id].handover is None and items[other.id].may_hand_over
    assert (items[waiting.id].gemeente, items[waiting.id].province) == ("Zeist", "Utrecht")
    assert not hasattr(items[waiting.id], "title")


def test_loketten_of_the_same_province_come_first_then_the_rest_by_name(network):
    arnhem = GemeenteFactory(name="Arnhem", province="Gelderland")
    LoketFactory(name="Aa Sportloket Arnhem", gemeenten=[arnhem])
    LoketFactory(name="Sportloket Zonder Gemeente")
    _db.session.commit()
    in_utrecht = [c.name for c in nearby.operational_loketten("Utrecht")]
    assert in_utrecht == ["Sportloket Eemland", "Sportloket Utrecht", "Aa Sportloket Arnhem",
                          "Sportloket Zonder Gemeente"]  # Bunnik is in oprichting
    assert [c.name for c in nearby.operational_loketten("Gelderland")][:1] == ["Aa Sportloket Arnhem"]
