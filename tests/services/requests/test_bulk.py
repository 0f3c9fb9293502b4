"""Bulk work (issue #14 point 5): claim, assign or change the status of several requests in one action; each gets
its own event and transaction, and one that cannot take the change is reported by reference while the rest go
through."""
import pytest
from sqlalchemy import func, select

from loket.extensions import db
from loket.models import Event
from loket.services.errors import InvalidInput
from loket.services.requests import actions, bulk
from tests.support.db import reloaded
from tests.support.requests import file_request


def _events(kind: str) -> int:
    return db.session.scalar(select(func.count()).select_from(Event).where(Event.kind == kind))


def _ids(requests) -> list[tuple[int, int]]:
    return [(request.id, request.version) for request in requests]


def test_ten_requests_are_assigned_in_one_action_each_with_its_own_event(network):
    requests = [file_request(network, title=f"Vraag {number}") for number in range(10)]
    result = bulk.apply(network.ondersteuner, "toewijzen", _ids(requests), assignee_id=str(network.collega.id))
    assert result.done == [request.reference for request in requests] and result.refused == []
    assert all(reloaded(request).assignee_id == network.collega.id for request in requests)
    assert _events("assigned") == 10
    done, refused = bulk.summary("toewijzen", result)
    assert done.startswith("10 aanvragen toegewezen: ") and refused is None


def test_a_request_that_cannot_take_the_change_is_reported_and_the_rest_still_goes_through(network):
    fine, changed, claimed = (file_request(network, title=title) for title in ("Goed", "Gewijzigd", "Opgepakt"))
    elsewhere = file_request(network, who="other_club_contact", club="club_amersfoort", title="Van Eemland")
    shown = _ids([fine, changed, claimed, elsewhere])
    actions.add_message(changed, actor=network.collega, body="Ik kijk even.", internal=True, as_supporter=True)
    actions.claim(claimed, actor=network.collega)
    shown[2] = (claimed.id, claimed.version)  # the queue was shown after the claim

    result = bulk.apply(network.ondersteuner, "oppakken", shown)

    assert result.done == [fine.reference]
    assert [(refusal.label, refusal.reason) for refusal in result.refused] == [
        (changed.reference, "Intussen gewijzigd; bekijk de aanvraag opnieuw."),
        (claimed.reference, "Deze aanvraag is al opgepakt door Cees Collega."),
        (f"nummer {elsewhere.id}", "Bestaat niet of je hebt er geen toegang toe."),
    ]
    assert reloaded(fine).assignee_id == network.ondersteuner.id
    assert reloaded(claimed).assignee_id == network.collega.id
    assert reloaded(changed).assignee_id is None and reloaded(elsewhere).assignee_id is None
    done, refused = bulk.summary("oppakken", result)
    assert done == f"1 aanvraag opgepakt: {fine.reference}."
    assert refused.startswith("Niet gelukt bij 3: ") and elsewhere.title not in refused


def test_a_status_the_request_cannot_go_to_is_refused_for_that_request_only(network):
    fresh = file_request(network, title="Nieuw")
    closed = file_request(network, title="Dicht")
    actions.change_status(closed, "gesloten", actor=network.ondersteuner)
    result = bulk.apply(network.ondersteuner, "status", _ids([closed, fresh]), status="wacht_op_club")
    assert result.done == [fresh.reference]
    [refusal] = result.refused
    assert refusal.label == closed.reference and refusal.reason
    assert reloaded(fresh).status == "wacht_op_club" and reloaded(closed).status == "gesloten"
    assert bulk.summary("status", result, status="wacht_op_club")[0].startswith("1 aanvraag naar ‘Wacht op club’")


def test_a_colleague_of_another_team_cannot_be_assigned_and_that_is_said_per_request(network):
    request = file_request(network)
    result = bulk.apply(network.ondersteuner, "toewijzen", _ids([request]),
                        assignee_id=str(network.ondersteuner_eemland.id))
    assert result.done == [] and "Kies een collega" in result.refused[0].reason
    assert reloaded(request).assignee_id is None


@pytest.mark.parametrize(("values", "message"), [
    ([], "Kies eerst een of meer aanvragen."),
    ([str(number) for number in range(1, 10_001)], "Kies hooguit 100 aanvragen tegelijk (nu 10000)."),
    (["abc"], "De keuze van aanvragen is niet leesbaar; laad de wachtrij opnieuw."),
    (["1.x"], "De keuze van aanvragen is niet leesbaar; laad de wachtrij opnieuw."),
    (["99999999999"], "De keuze van aanvragen is niet leesbaar; laad de wachtrij opnieuw."),
    (["1\x00"], "De keuze van aanvragen is niet leesbaar; laad de wachtrij opnieuw."),
])
def test_a_selection_that_is_empty_too_big_or_unreadable_is_refused_before_anything_is_done(values, message):
    with pytest.raises(InvalidInput) as refused:
        bulk.selection(values)
    assert refused.value.errors == {"ids": message}


def test_a_repeated_request_counts_once_and_its_version_is_kept():
    assert bulk.selection(["7.3", "7.3", "8", "7.4"]) == [(7, 3), (8, None)]


def test_an_unknown_action_or_status_changes_nothing(network):
    request = file_request(network)
    before = _events("status_changed")
    with pytest.raises(InvalidInput):
        bulk.apply(network.ondersteuner, "verwijderen", _ids([request]))
    with pytest.raises(InvalidInput):
        bulk.apply(network.ondersteuner, "status", _ids([request]), status="weg")
    assert _events("status_changed") == before and reloaded(request).status == "nieuw"
