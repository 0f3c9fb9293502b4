"""Each role's start page numbers: what needs doing now."""
from datetime import timedelta

import pytest

from loket.extensions import db as _db
from loket.models import VerdictChange
from loket.models.base import utcnow
from loket.services.reporting import home
from loket.services.requests import actions
from tests.factories import BondFactory, CollaboratorFactory, OutboxMessageFactory, ReferralFactory, SupportRequestFactory
from tests.support.requests import file_request
from tests.support.teams import TEAM_KINDS, other_team


def test_club_home_lists_what_waits_for_the_club_first(network, resolved):
    asked = file_request(network, title="Vraag met wedervraag")
    actions.change_status(asked, "wacht_op_club", actor=network.ondersteuner)
    running = file_request(network, title="Loopt nog")
    rated = file_request(network, title="Al beoordeeld")
    actions.change_status(rated, "opgelost", actor=network.ondersteuner)
    rated.satisfaction_score = 5
    other_club = file_request(network, who="other_club_contact", club="club_amersfoort")
    _db.session.commit()

    result = home.club_home(network.club_contact)

    assert {r.id for r in result.waiting} == {asked.id, resolved.id}
    assert [r.id for r in result.open] == [running.id]
    assert (result.waiting_total, result.open_total, result.more) == (2, 1, 0)
    assert other_club.id not in {r.id for r in result.waiting + result.open}


def test_club_home_shows_the_first_ones_and_counts_the_rest(network):
    for i in range(home.LIST_SIZE + 3):
        file_request(network, title=f"Vraag {i}")
    result = home.club_home(network.club_contact)
    assert len(result.open) == home.LIST_SIZE
    assert (result.open_total, result.more) == (home.LIST_SIZE + 3, 3)


def test_supporter_home_counts_mine_deadlines_referrals_and_invitations(network):
    now = utcnow()
    team = network.loket_utrecht.team
    mine = file_request(network, title="Van mij")
    actions.claim(mine, actor=network.ondersteuner)
    colleagues = file_request(network, title="Van Cees")
    actions.claim(colleagues, actor=network.collega)
    SupportRequestFactory(club=network.club_utrecht, due_at=now - timedelta(hours=1))  # overdue
    SupportRequestFactory(club=network.club_utrecht, due_at=now + timedelta(hours=3))  # at risk
    SupportRequestFactory(club=network.club_utrecht, due_at=now - timedelta(days=1),  # paused: neither
                          status="wacht_op_club", sla_paused_at=now - timedelta(days=2))
    SupportRequestFactory(club=network.club_utrecht, due_at=now - timedelta(days=1), status="opgelost")
    SupportRequestFactory(club=network.club_amersfoort, due_at=now - timedelta(hours=1))  # another team
    ReferralFactory(request=SupportRequestFactory(club=network.club_amersfoort), to_team=team)
    CollaboratorFactory(request=SupportRequestFactory(club=network.club_amersfoort), team=team)
    _db.session.commit()

    result = home.supporter_home(network.ondersteuner, now)

    assert [r.id for r in result.mine] == [mine.id]
    assert result.mine_total == 1
    assert (result.overdue, result.at_risk) == (1, 1)
    assert (result.referred_to_us, result.invited) == (1, 1)


@pytest.mark.parametrize("kind", TEAM_KINDS)
def test_supporter_home_of_a_bondsspecialist_counts_the_bond_queue(network, kind):
    """A bond's or an initiative's member: their team's queue, referrals to it and invitations, no aanmeldingen."""
    team = other_team(network, kind)
    now = utcnow()
    mine = SupportRequestFactory(club=network.club_utrecht, owner_team=team.team, assignee=team.member,
                                 due_at=now + timedelta(days=5))
    SupportRequestFactory(club=network.club_utrecht, owner_team=team.team, due_at=now - timedelta(hours=1))
    SupportRequestFactory(club=network.club_utrecht, owner_team=team.team, due_at=now + timedelta(hours=3))
    SupportRequestFactory(club=network.club_utrecht, due_at=now - timedelta(hours=1))  # the loket's
    ReferralFactory(request=SupportRequestFactory(club=network.club_amersfoort), to_team=team.team)
    CollaboratorFactory(request=SupportRequestFactory(club=network.club_amersfoort), team=team.team)
    _db.session.commit()
    result = home.supporter_home(team.member, now)
    assert [r.id for r in result.mine] == [mine.id] and result.mine_total == 1
    assert (result.overdue, result.at_risk, result.counts["team"]) == (1, 1, 3)
    assert (result.referred_to_us, result.invited, result.registrations) == (1, 1, None)


def test_coordinatie_home_has_the_targets_and_the_week(quality):
    now = utcnow()
    SupportRequestFactory(club=quality.club_zeist, created_at=now - timedelta(days=2))
    SupportRequestFactory(club=quality.club_zeist, created_at=now - timedelta(days=20))
    SupportRequestFactory(club=quality.club_zeist, created_at=now - timedelta(days=1), status="gesloten")
    quality.loket_arnhem.aangehaakt, quality.loket_arnhem.aangehaakt_at = True, (now - timedelta(days=3)).date()
    BondFactory(key="nhv", name="NHV", aangesloten=True, aangesloten_at=(now - timedelta(days=1)).date())
    BondFactory(key="oud", name="Oud", aangesloten=True, aangesloten_at=(now - timedelta(days=60)).date())
    _db.session.commit()

    result = home.coordinatie_home(now)

    assert result.targets.gemeenten_covered == 5
    assert result.targets.target_gemeenten == 342
    assert result.targets.loketten_voldoen == 1
    assert (result.fallback_new, result.fallback_open) == (2, 2)
    assert (result.loketten_aangehaakt, result.bonden_aangesloten) == (1, 1)
    assert not result.compared and result.started == result.stopped == []  # no verdict recorded a week ago


def test_coordinatie_home_names_the_loketten_that_started_or_stopped_meeting_the_criteria(quality):
    now = utcnow()
    eight_days_ago = now - timedelta(days=8)
    _db.session.add_all([VerdictChange(loket_id=quality.loket_utrecht.id, voldoet=False, changed_at=eight_days_ago),
                         VerdictChange(loket_id=quality.loket_eemland.id, voldoet=True, changed_at=eight_days_ago),
                         VerdictChange(loket_id=quality.loket_bunnik.id, voldoet=False, changed_at=eight_days_ago)])
    _db.session.commit()

    result = home.coordinatie_home(now)

    assert result.compared
    assert [row.slug for row in result.started] == ["utrecht"]  # voldoet now (see quality_history)
    assert [row.slug for row in result.stopped] == ["eemland"]


def test_beheer_home_counts_failed_messages_and_what_needs_setting_up(network):
    OutboxMessageFactory(status="failed")
    OutboxMessageFactory(status="failed", kind="job")
    OutboxMessageFactory(status="sent")
    _db.session.commit()

    result = home.beheer_home()

    assert (result.failed, result.failed_mails) == (2, 1)
    assert result.loketten_in_oprichting == 1  # Bunnik
    assert result.gemeenten_zonder_loket == 1  # Zeist
    assert result.bonden_niet_aangesloten == 1  # KNLTB
    assert result.to_set_up == 3
