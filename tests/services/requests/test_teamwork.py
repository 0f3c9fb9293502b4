"""Teamwork rules below the HTTP layer: ownership in the database, clocks, concurrent claims."""
import threading
from datetime import datetime

import pytest
from sqlalchemy import text, update
from sqlalchemy.exc import IntegrityError

from loket.extensions import db as _db
from loket.models import SupportRequest
from loket.services.errors import Conflict, InvalidInput, NotFound
from loket.services.requests import actions, teamwork
from loket.services.requests.workdays import add_workdays
from tests.support.db import ON_POSTGRES
from tests.support.requests import file_request


def _file(network, *, slug="overig", sport=None, now=None, club=None, actor=None):
    return file_request(network, who=actor or "club_contact", club=club or "club_utrecht", category=slug, sport=sport,
                        title="Vraag", description="Tekst", now=now)


def test_database_refuses_a_request_without_owning_team(network):
    request = _file(network)
    with pytest.raises(IntegrityError):
        _db.session.execute(update(SupportRequest).where(SupportRequest.id == request.id).values(owner_team_id=None))
        _db.session.flush()
    _db.session.rollback()
    with pytest.raises(IntegrityError):
        _db.session.execute(text(
            "INSERT INTO support_requests (reference, club_id, category_id, title, description, status, priority,"
            " owner_team_id, created_at, updated_at, version) VALUES ('LK-2026-999999', :club, :cat, 't', 'd',"
            " 'nieuw', 'normaal', NULL, :now, :now, 1)"),
            {"club": network.club_utrecht.id, "cat": request.category_id, "now": datetime(2026, 1, 5)})
        _db.session.flush()
    _db.session.rollback()


def test_database_refuses_a_team_that_is_both_loket_and_bond(network):
    with pytest.raises(IntegrityError):
        _db.session.execute(text("UPDATE teams SET bond_id = :bond WHERE loket_id = :loket"),
                            {"bond": network.knltb.id, "loket": network.loket_utrecht.id})
        _db.session.flush()
    _db.session.rollback()


def test_accepting_a_referral_restarts_resolution_clock_but_keeps_first_response(network):
    filed = datetime(2026, 3, 2, 9)  # Mon 10:00 CET
    request = _file(network, slug="sporttechnisch-competitie", sport=network.voetbal, now=filed)
    access = teamwork.supporter_access(network.bondsspecialist, request.id)
    actions.add_message(request, actor=network.bondsspecialist, body="Eerste reactie", internal=False,
                                 as_supporter=True, now=datetime(2026, 3, 2, 10))
    teamwork.propose_referral(access, actor=network.bondsspecialist, to_team_id=network.loket_utrecht.team.id,
                              reason="generiek", now=datetime(2026, 3, 3, 9))
    accepted_at = datetime(2026, 3, 4, 9)
    teamwork.accept_referral(teamwork.supporter_access(network.ondersteuner, request.id),
                             actor=network.ondersteuner, now=accepted_at)
    _db.session.refresh(request)
    assert request.first_response_at == datetime(2026, 3, 2, 10)
    assert request.resolution_due_at == add_workdays(accepted_at, 15)
    assert request.due_at == request.resolution_due_at


def test_loket_service_level_override_applies_when_filing(network):
    network.loket_utrecht.sla_first_response_days = 1
    network.loket_utrecht.sla_resolution_days = 5
    _db.session.commit()
    filed = datetime(2026, 3, 2, 9)
    request = _file(network, now=filed)
    assert request.first_response_due_at == add_workdays(filed, 1)
    assert request.resolution_due_at == add_workdays(filed, 5)
    other = _file(network, club=network.club_amersfoort, actor=network.other_club_contact, now=filed)
    assert other.resolution_due_at == add_workdays(filed, 15)


def test_referral_from_waiting_request_restores_pause_on_decline(network):
    request = _file(network)
    owner = teamwork.supporter_access(network.ondersteuner, request.id)
    teamwork.change_status(owner, "wacht_op_club", actor=network.ondersteuner)
    teamwork.propose_referral(teamwork.supporter_access(network.ondersteuner, request.id), actor=network.ondersteuner,
                              to_team_id=network.loket_eemland.team.id, reason="club verhuisd")
    assert request.status == "doorverwezen" and request.sla_paused_at is None
    teamwork.decline_referral(teamwork.supporter_access(network.ondersteuner_eemland, request.id),
                              actor=network.ondersteuner_eemland, reason="niet verhuisd")
    _db.session.refresh(request)
    assert request.status == "wacht_op_club" and request.sla_paused_at is not None


def test_closed_request_cannot_be_referred(network):
    request = _file(network)
    teamwork.change_status(teamwork.supporter_access(network.ondersteuner, request.id), "gesloten",
                           actor=network.ondersteuner)
    with pytest.raises(Conflict):
        teamwork.propose_referral(teamwork.supporter_access(network.ondersteuner, request.id),
                                  actor=network.ondersteuner, to_team_id=network.loket_eemland.team.id, reason="x")


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRES, reason="needs two real concurrent sessions (PostgreSQL)")
def test_two_simultaneous_claims_exactly_one_wins(app, network):
    request_id = _file(network).id
    contenders = [network.ondersteuner.id, network.collega.id]
    barrier = threading.Barrier(len(contenders))
    outcomes = {}

    def contend(user_id):
        with app.app_context():
            from loket.models import User
            user = _db.session.get(User, user_id)
            access = teamwork.supporter_access(user, request_id)
            barrier.wait()
            try:
                teamwork.claim(access, actor=user)
                outcomes[user_id] = "won"
            except Conflict as error:
                outcomes[user_id] = error.message
            finally:
                _db.session.remove()

    for _ in range(5):  # several rounds: the race must be decided by the database every time
        _db.session.execute(update(SupportRequest).where(SupportRequest.id == request_id)
                            .values(assignee_id=None))
        _db.session.commit()
        outcomes.clear()
        threads = [threading.Thread(target=contend, args=(uid,)) for uid in contenders]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert sorted(outcomes.values(), key=len)[0] == "won"
        assert list(outcomes.values()).count("won") == 1, outcomes
        loser = next(v for v in outcomes.values() if v != "won")
        assert loser.startswith("Deze aanvraag is al opgepakt door")
        _db.session.expire_all()
        winner = next(uid for uid, v in outcomes.items() if v == "won")
        assert _db.session.get(SupportRequest, request_id).assignee_id == winner


# ---------------------------------------------------------------- every kind of team receives referrals

def test_referral_targets_are_operational_loketten_aangesloten_bonden_and_every_initiative(network):
    from tests.factories import InitiativeFactory
    InitiativeFactory(key="clubkadercoaches", name="Clubkadercoaches")
    _db.session.commit()
    targets = teamwork.referral_targets(exclude_team_id=network.loket_utrecht.team.id)
    assert [(t.kind, t.name) for t in targets] == [
        ("loket", "Sportloket Eemland"), ("bond", "KNVB"),
        ("initiatief", "Clubkadercoaches"), ("initiatief", "SPN procesbegeleiders")]
    groups = teamwork.referral_target_groups(exclude_team_id=network.spn.team.id)
    assert {label: [t.name for t in teams] for label, teams in groups.items()} == {
        "Loketten": ["Sportloket Eemland", "Sportloket Utrecht"], "Bonden en brancheorganisaties": ["KNVB"],
        "Landelijke initiatieven": ["Clubkadercoaches"]}
    assert list(groups) == ["Loketten", "Bonden en brancheorganisaties", "Landelijke initiatieven"]


@pytest.mark.parametrize("kind", ["bond", "initiatief"])
def test_a_team_accepting_a_referral_owns_it_with_a_fresh_resolution_clock(network, kind):
    from tests.support.teams import other_team, referred
    team = other_team(network, kind)
    request = _file(network, now=datetime(2026, 3, 2, 9))
    actions.add_message(request, actor=network.ondersteuner, body="Eerste reactie", internal=False,
                        as_supporter=True, now=datetime(2026, 3, 2, 10))
    referral = referred(network, request, team, now=datetime(2026, 3, 3, 9))
    assert referral.due_at == add_workdays(datetime(2026, 3, 3, 9), 3)
    assert teamwork.supporter_access(team.member, request.id).is_referral_receiver
    accepted_at = datetime(2026, 3, 4, 9)
    teamwork.accept_referral(teamwork.supporter_access(team.member, request.id), actor=team.member, now=accepted_at)
    _db.session.refresh(request)
    assert request.owner_team_id == team.team.id and request.status == "nieuw"
    assert request.first_response_at == datetime(2026, 3, 2, 10)
    assert request.resolution_due_at == add_workdays(accepted_at, 15) == request.due_at
    access = teamwork.supporter_access(team.member, request.id)
    assert access.is_owner and access.can_manage
    with pytest.raises(NotFound):
        teamwork.supporter_access(network.ondersteuner, request.id)


def test_the_fallback_queue_is_no_referral_target(network):
    request = _file(network)
    with pytest.raises(InvalidInput) as raised:
        teamwork.propose_referral(teamwork.supporter_access(network.ondersteuner, request.id),
                                  actor=network.ondersteuner, to_team_id=network.fallback_team.id, reason="x")
    assert raised.value.errors == {"team": teamwork.TARGET_MISSING}
