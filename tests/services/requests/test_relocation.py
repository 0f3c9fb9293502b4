"""Open requests follow their club's gemeente to its new loket (services.requests.relocation)."""
from datetime import timedelta

from loket.extensions import db
from loket.models.base import utcnow
from loket.services.requests import actions, teamwork
from loket.services.requests.relocation import relocate_open_requests
from loket.services.transaction import commit
from tests.factories import LoketFactory
from tests.support.mails import outbox_rows, rendered
from tests.support.requests import file_request


def _zeist_loket(network):
    loket = LoketFactory(name="Sportloket Zeist", slug="zeist", status="operationeel", gemeenten=[network.zeist])
    db.session.commit()
    return loket


def test_a_waiting_fallback_request_moves_with_an_internal_event_and_a_notice_to_the_club(network):
    request = file_request(network, who="zeist_contact", club="club_zeist")
    assert request.owner_team.kind == "fallback"
    loket = _zeist_loket(network)
    now = utcnow() + timedelta(hours=1)

    moved = relocate_open_requests([network.zeist.id], from_team_ids=[network.fallback_team.id],
                                   to_team=loket.team, actor=network.beheerder, now=now,
                                   note="Zeist heeft nu een operationeel loket.")
    commit()

    assert moved == [request]
    assert request.owner_team_id == loket.team.id
    event = request.events[-1]
    assert (event.kind, event.is_public, event.body) == ("moved", False, "Zeist heeft nu een operationeel loket.")
    assert event.data["from_team_id"] == network.fallback_team.id and event.data["to_team"] == "Sportloket Zeist"
    assert request.resolution_due_at > now  # the new owner's service levels run from the move
    [notice] = outbox_rows("request_moved", to=network.zeist_contact.email)
    assert "Sportloket Zeist" in rendered(notice).subject


def test_only_open_requests_of_those_gemeenten_and_owners_move(network):
    open_zeist = file_request(network, who="zeist_contact", club="club_zeist")
    closed_zeist = file_request(network, who="zeist_contact", club="club_zeist")
    actions.change_status(closed_zeist, "gesloten", actor=network.coordinator)
    utrecht = file_request(network)
    loket = _zeist_loket(network)

    moved = relocate_open_requests([network.zeist.id, network.utrecht.id], from_team_ids=[network.fallback_team.id],
                                   to_team=loket.team, actor=None, now=utcnow(), note="…")
    commit()

    assert moved == [open_zeist]
    assert closed_zeist.owner_team.kind == "fallback"
    assert utrecht.owner_team_id == network.loket_utrecht.team.id


def test_an_open_referral_of_the_old_owner_is_withdrawn_and_the_assignee_cleared(network):
    request = file_request(network)
    access = teamwork.supporter_access(network.ondersteuner, request.id)
    teamwork.claim(access, actor=network.ondersteuner)
    access = teamwork.supporter_access(network.ondersteuner, request.id)
    teamwork.propose_referral(access, actor=network.ondersteuner, to_team_id=network.knvb.team.id,
                              reason="Sporttechnisch")
    assert request.status == "doorverwezen"

    moved = relocate_open_requests([network.utrecht.id], from_team_ids=[network.loket_utrecht.team.id],
                                   to_team=network.loket_eemland.team, actor=network.beheerder, now=utcnow(),
                                   note="Utrecht hoort nu bij Eemland.")
    commit()

    assert moved == [request]
    assert request.open_referral is None
    assert request.status == "nieuw" and request.assignee is None
    assert [e.kind for e in request.events[-3:]] == ["referral_withdrawn", "status_changed", "moved"]
