"""Contact moments (actions.log_contact_moment): a phone call, visit or e-mail with the club on the timeline,
internal, by the owning or an invited team; the first one counts as the first response."""
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from loket.extensions import db as _db
from loket.models import Event
from loket.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from loket.services.requests import actions, queues, teamwork
from tests.support.mails import outbox_rows
from tests.support.requests import file_request

FILED = datetime(2026, 3, 2, 9)  # Monday 10:00 in Amsterdam


@pytest.fixture()
def filed(network):
    return file_request(network, now=FILED)


def _log(network, request, *, who="ondersteuner", channel="telefoon", summary="Gebeld met de voorzitter.",
         moment=None, now=FILED + timedelta(hours=2)):
    access = teamwork.supporter_access(getattr(network, who), request.id)
    return actions.log_contact_moment(access, actor=getattr(network, who), channel=channel, summary=summary,
                                      moment=moment, now=now)


def _moments(request) -> int:
    return _db.session.scalar(select(func.count()).select_from(Event).where(
        Event.request_id == request.id, Event.kind == "contact_moment"))


def test_a_contact_moment_is_an_internal_event_with_its_channel(network, filed):
    event = _log(network, filed, channel="bezoek", summary="  Langs geweest bij de training.  ")
    assert event.kind == "contact_moment" and not event.is_public
    assert event.body == "Langs geweest bij de training." and event.actor == network.ondersteuner
    assert event.data["channel"] == "bezoek" and event.data["moment"] == "2026-03-02T11:00"
    assert event.data["moment_label"] == "2 mrt 2026 12:00"  # Amsterdam time
    assert event in queues.timeline(filed, include_internal=True)
    assert event not in queues.timeline(filed, include_internal=False)  # the club does not see it
    assert outbox_rows("public_reply") == []  # nothing is mailed to the club


def test_the_first_contact_moment_counts_as_the_first_response_at_its_moment(network, filed):
    called = FILED + timedelta(hours=1)
    _log(network, filed, moment=called, now=FILED + timedelta(hours=3))
    assert filed.first_response_at == called
    assert filed.status == "in_behandeling"
    assert filed.due_at == filed.resolution_due_at  # the clock now runs towards resolution


def test_a_later_contact_moment_leaves_the_first_response_alone(network, filed):
    actions.add_message(filed, actor=network.ondersteuner, body="Eerste antwoord", internal=False, as_supporter=True,
                        now=FILED + timedelta(minutes=30))
    _log(network, filed)
    assert filed.first_response_at == FILED + timedelta(minutes=30)


def test_a_moment_typed_in_amsterdam_time_is_stored_in_utc(network, filed):
    event = _log(network, filed, moment="2026-03-02T10:30")
    assert event.data["moment"] == "2026-03-02T09:30"
    assert filed.first_response_at == datetime(2026, 3, 2, 9, 30)


def test_an_empty_moment_is_now(network, filed):
    now = FILED + timedelta(hours=5)
    _log(network, filed, moment="", now=now)
    assert filed.first_response_at == now


@pytest.mark.parametrize("moment, message", [
    (FILED + timedelta(days=1), "toekomst"),
    ("2026-03-03T10:00", "toekomst"),
    (FILED - timedelta(hours=1), "vóór het indienen"),
    ("gisteren", "geldig moment"),
    ("2026-03-02T10:00+01:00", "geldig moment"),
    ("2026-03-02\x0010:00", "geldig moment"),
    ("2" * 40, "geldig moment"),
])
def test_a_moment_in_the_future_before_filing_or_unreadable_is_refused(network, filed, moment, message):
    with pytest.raises(InvalidInput) as raised:
        _log(network, filed, moment=moment)
    assert message in raised.value.errors["moment"]
    assert _moments(filed) == 0 and filed.first_response_at is None


@pytest.mark.parametrize("channel", ["portaal", "fax", "", None])
def test_the_channel_is_a_phone_call_visit_or_e_mail(network, filed, channel):
    with pytest.raises(InvalidInput) as raised:
        _log(network, filed, channel=channel)
    assert "telefoon, bezoek of e-mail" in raised.value.errors["channel"]


@pytest.mark.parametrize("summary, message", [(" ", "Vat kort samen"), ("x" * 2001, "maximaal 2000"),
                                              ("Nul\x00", "stuurtekens")])
def test_the_summary_is_short_and_clean(network, filed, summary, message):
    with pytest.raises(InvalidInput) as raised:
        _log(network, filed, summary=summary)
    assert message in raised.value.errors["summary"]
    assert _moments(filed) == 0


def test_an_invited_team_logs_contact_moments_too(network, filed):
    owner = teamwork.supporter_access(network.ondersteuner, filed.id)
    teamwork.invite_team(owner, actor=network.ondersteuner, team_id=network.knvb.team.id)
    event = _log(network, filed, who="bondsspecialist")
    assert event.actor == network.bondsspecialist


def test_a_team_with_only_a_referral_proposal_reads_but_does_not_log(network, filed):
    owner = teamwork.supporter_access(network.ondersteuner, filed.id)
    teamwork.propose_referral(owner, actor=network.ondersteuner, to_team_id=network.knvb.team.id, reason="Voetbal")
    with pytest.raises(Forbidden):
        _log(network, filed, who="bondsspecialist")
    assert _moments(filed) == 0


def test_a_team_without_a_part_in_the_request_does_not_find_it(network, filed):
    with pytest.raises(NotFound):
        _log(network, filed, who="ondersteuner_eemland")


def test_a_closed_request_takes_no_contact_moments(network, filed):
    owner = teamwork.supporter_access(network.ondersteuner, filed.id)
    teamwork.change_status(owner, "gesloten", actor=network.ondersteuner)
    with pytest.raises(Conflict):
        _log(network, filed)
    assert _moments(filed) == 0


def test_a_resolved_request_stays_resolved(network, filed):
    owner = teamwork.supporter_access(network.ondersteuner, filed.id)
    teamwork.change_status(owner, "opgelost", actor=network.ondersteuner)
    _log(network, filed)
    assert filed.status == "opgelost"
