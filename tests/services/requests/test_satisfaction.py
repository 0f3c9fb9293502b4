"""give_satisfaction: once, by the club's contacts, on a resolved request, score 1–5, comment ≤ 2000."""
import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from loket.extensions import db as _db
from loket.models import Event, SupportRequest
from loket.services.errors import Conflict, Forbidden, InvalidInput
from loket.services.requests import actions
from loket.services.requests.satisfaction import (
    can_give_satisfaction,
    give_satisfaction,
)
from tests.support.db import count_rows


def _events(kind="satisfaction_given"):
    return count_rows(Event, Event.kind == kind)


def test_club_contact_gives_a_score_with_a_public_event(network, resolved):
    assert can_give_satisfaction(resolved)
    event = give_satisfaction(resolved, network.club_contact, "4", "  Snel en vriendelijk geholpen.  ")
    _db.session.expire_all()
    stored = _db.session.get(SupportRequest, resolved.id)
    assert (stored.satisfaction_score, stored.satisfaction_comment) == (4, "Snel en vriendelijk geholpen.")
    assert (event.kind, event.is_public, event.data, event.body) == (
        "satisfaction_given", True, {"score": 4}, "Snel en vriendelijk geholpen.")
    assert event.actor_id == network.club_contact.id
    assert not can_give_satisfaction(stored)


def test_comment_is_optional(network, resolved):
    give_satisfaction(resolved, network.club_contact, 5, "   ")
    _db.session.expire_all()
    assert _db.session.get(SupportRequest, resolved.id).satisfaction_comment is None


def test_closed_request_can_be_rated_too(network, resolved):
    actions.change_status(resolved, "gesloten", actor=network.ondersteuner)
    give_satisfaction(resolved, network.club_contact, 3, None)
    assert resolved.satisfaction_score == 3


def test_only_once(network, resolved):
    give_satisfaction(resolved, network.club_contact, 4, None)
    with pytest.raises(Conflict) as error:
        give_satisfaction(resolved, network.club_contact, 1, "toch niet")
    assert error.value.status_code == 409
    _db.session.expire_all()
    assert _db.session.get(SupportRequest, resolved.id).satisfaction_score == 4
    assert _events() == 1


@pytest.mark.parametrize("status", ["nieuw", "in_behandeling", "wacht_op_club"])
def test_not_before_the_request_is_resolved(network, resolved, status):
    actions.change_status(resolved, "in_behandeling", actor=network.ondersteuner)
    if status != "in_behandeling":
        resolved.status = status  # a direct set is fine here: only the survey's guard is under test
        _db.session.commit()
    assert not can_give_satisfaction(resolved)
    with pytest.raises(Conflict, match="zodra je vraag is opgelost"):
        give_satisfaction(resolved, network.club_contact, 4, None)
    assert _events() == 0


@pytest.mark.parametrize("score", [0, 6, -1, "", None, "vier", "4.5", True, "10"])
def test_score_outside_one_to_five_is_refused_in_dutch(network, resolved, score):
    with pytest.raises(InvalidInput) as error:
        give_satisfaction(resolved, network.club_contact, score, None)
    assert error.value.status_code == 400
    assert error.value.errors == {"score": "Kies een cijfer van 1 (zeer ontevreden) tot en met 5 (zeer tevreden)."}
    _db.session.expire_all()
    assert _db.session.get(SupportRequest, resolved.id).satisfaction_score is None
    assert _events() == 0


def test_comment_longer_than_2000_is_refused(network, resolved):
    with pytest.raises(InvalidInput) as error:
        give_satisfaction(resolved, network.club_contact, 4, "x" * 2001)
    assert error.value.errors == {"comment": "Je toelichting mag maximaal 2000 tekens lang zijn (nu 2001)."}
    give_satisfaction(resolved, network.club_contact, 4, "x" * 2000)
    assert len(resolved.satisfaction_comment) == 2000


@pytest.mark.parametrize("who", ["other_club_contact", "ondersteuner"])
def test_only_the_clubs_contacts(network, resolved, who):
    with pytest.raises(Forbidden):
        give_satisfaction(resolved, getattr(network, who), 4, None)
    assert _events() == 0


def test_a_simultaneous_change_is_a_conflict_not_a_double_score(network, resolved):
    assert resolved.satisfaction_score is None  # loaded in this session
    # Another process rates the request after this one loaded it, and commits first.
    with Session(_db.engine) as other:
        other.execute(update(SupportRequest).where(SupportRequest.id == resolved.id)
                      .values(version=SupportRequest.version + 1, satisfaction_score=2))
        other.commit()
    with pytest.raises(Conflict, match="net gewijzigd"):
        give_satisfaction(resolved, network.club_contact, 5, None)
    _db.session.expire_all()
    assert _db.session.get(SupportRequest, resolved.id).satisfaction_score == 2
    assert _events() == 0
