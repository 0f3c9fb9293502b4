"""The start page after login: a section per role saying what needs doing, in a constant number of queries."""
from datetime import timedelta

import pytest

from loket.extensions import db as _db
from loket.models import VerdictChange
from loket.models.base import utcnow
from loket.services.requests import actions
from tests.factories import (
    ClubFactory,
    CollaboratorFactory,
    MembershipFactory,
    OutboxMessageFactory,
    ReferralFactory,
    SupportRequestFactory,
)
from tests.support.db import count_queries
from tests.support.quality import extend_network, quality_history
from tests.support.requests import file_request


def test_visitors_get_the_public_start_page(client):
    page = client.get("/").get_data(as_text=True)
    assert "Welkom," not in page


def test_club_sees_what_waits_for_its_reaction_first(login_as, network, resolved):
    asked = file_request(network, title="Welke trainers zoeken jullie?")
    actions.change_status(asked, "wacht_op_club", actor=network.ondersteuner)
    file_request(network, title="Loopt nog")
    page = login_as("club_contact").get("/").get_data(as_text=True)
    assert "Wacht op jullie reactie (2)" in page
    assert "Loopt nog (1)" in page
    assert page.index("Welke trainers zoeken jullie?") < page.index("Loopt nog</a>")
    assert f'href="/club/aanvragen/{asked.id}"' in page
    assert f'href="/club/aanvragen/{resolved.id}"' in page
    assert "Laat weten hoe tevreden je bent." in page
    assert "Werk voor je team" not in page and "Doelen voor 2026" not in page


def test_club_without_open_requests_is_told_so(login_as, network):
    page = login_as("club_contact").get("/").get_data(as_text=True)
    assert "Er staat niets open." in page


def test_supporter_sees_mine_deadlines_and_the_queue_views(login_as, network):
    now = utcnow()
    team = network.loket_utrecht.team
    mine = file_request(network, title="Mijn aanvraag")
    actions.claim(mine, actor=network.ondersteuner)
    SupportRequestFactory(club=network.club_utrecht, due_at=now - timedelta(hours=2))
    ReferralFactory(request=SupportRequestFactory(club=network.club_amersfoort), to_team=team)
    CollaboratorFactory(request=SupportRequestFactory(club=network.club_amersfoort), team=team)
    _db.session.commit()
    page = login_as("ondersteuner").get("/").get_data(as_text=True)
    assert "Aan mij toegewezen (1)" in page
    assert f'href="/wachtrij/{mine.id}"' in page
    assert "<strong>1</strong> aanvraag is te laat" in page
    assert "<strong>1</strong> doorverwijzing wacht op ons besluit" in page
    assert 'href="/wachtrij/?weergave=inkomend"' in page
    assert "<strong>1</strong> aanvraag waar wij aan meewerken" in page
    assert 'href="/wachtrij/?weergave=samenwerking"' in page
    assert "Onze aanvragen" not in page


@pytest.mark.parametrize("who", ["bondsspecialist", "initiatiefmedewerker"])
def test_bondsspecialist_sees_the_bond_queue(login_as, network, who):
    page = login_as(who).get("/").get_data(as_text=True)
    assert "Werk voor je team" in page
    assert "Er is nu niets aan jou toegewezen." in page
    assert 'href="/wachtrij/"' in page and "Aanmeldingen" not in page


def test_an_initiative_member_sees_a_referral_waiting_for_the_teams_decision(login_as, network):
    ReferralFactory(request=SupportRequestFactory(club=network.club_utrecht), to_team=network.spn.team)
    _db.session.commit()
    page = login_as("initiatiefmedewerker").get("/").get_data(as_text=True)
    assert "doorverwijzing wacht op ons besluit" in page and 'href="/wachtrij/?weergave=inkomend"' in page


def test_coordinatiepunt_sees_the_targets_and_the_week(login_as, network):
    extend_network(network)
    quality_history(network)
    SupportRequestFactory(club=network.club_zeist, created_at=utcnow() - timedelta(days=1))
    before = login_as("coordinator").get("/").get_data(as_text=True)
    assert "Er is nog geen oordeel van een week geleden om mee te vergelijken" in before
    week_ago = utcnow() - timedelta(days=8)
    _db.session.add_all([VerdictChange(loket_id=network.loket_utrecht.id, voldoet=False, changed_at=week_ago),
                         VerdictChange(loket_id=network.loket_eemland.id, voldoet=True, changed_at=week_ago)])
    _db.session.commit()
    page = login_as("coordinator").get("/").get_data(as_text=True)
    assert "<strong>5 van 342</strong> gemeenten hebben een operationeel loket" in page
    assert "<strong>1 van 100</strong> loketten voldoen aan de kwaliteitscriteria" in page
    assert "<strong>1 van 2</strong> bonden zijn aangesloten" in page
    assert "<strong>1</strong> nieuwe aanvraag in de opvangwachtrij" in page
    assert "Sportloket Utrecht</a> voldoet nu aan de kwaliteitscriteria" in page
    assert "Sportloket Eemland</a> voldoet niet meer aan de kwaliteitscriteria" in page
    assert "Zeist" not in page  # the fallback queue's contents stay on its own page


def test_beheer_sees_failed_messages_and_what_to_set_up(login_as, network):
    OutboxMessageFactory(status="failed")
    _db.session.commit()
    page = login_as("beheerder").get("/").get_data(as_text=True)
    assert 'href="/beheer/uitgaand?status=failed"><strong>1</strong> bericht is niet verstuurd' in page
    assert "<strong>1</strong> loket is nog in oprichting" in page
    assert "<strong>1</strong> gemeente heeft nog geen loket" in page
    assert "<strong>1</strong> bond is nog niet aangesloten" in page


def test_a_user_with_several_roles_gets_a_section_per_role(login_as, network):
    MembershipFactory(user=network.ondersteuner, role="club", club=network.club_amersfoort)
    MembershipFactory(user=network.ondersteuner, role="beheer")
    _db.session.commit()
    page = login_as("ondersteuner").get("/").get_data(as_text=True)
    assert "Onze aanvragen" in page and "Werk voor je team" in page and "Nog in te richten" in page
    assert "Doelen voor 2026" not in page


def _rows(network, count):
    """`count` rows of each kind every section shows or counts."""
    now = utcnow()
    team = network.loket_utrecht.team
    for i in range(count):
        club = ClubFactory(gemeente=network.utrecht)
        MembershipFactory(user=network.club_contact, role="club", club=club)
        SupportRequestFactory(club=club, assignee=network.ondersteuner, status="wacht_op_club" if i % 2 else "nieuw",
                              due_at=now + timedelta(hours=i - count))
        SupportRequestFactory(club=network.club_zeist, created_at=now - timedelta(days=i % 3))
        ReferralFactory(request=SupportRequestFactory(club=network.club_amersfoort), to_team=team)
        CollaboratorFactory(request=SupportRequestFactory(club=network.club_amersfoort), team=team)
        OutboxMessageFactory(status="failed")
    _db.session.commit()


@pytest.mark.parametrize("who", ["club_contact", "ondersteuner", "bondsspecialist", "initiatiefmedewerker",
                                 "coordinator", "beheerder"])
def test_the_start_page_uses_the_same_number_of_queries_for_one_row_and_many(app, login_as, network, who):
    extend_network(network)
    quality_history(network)
    client = login_as(who)
    _rows(network, 1)
    with count_queries(app) as one:
        assert client.get("/").status_code == 200
    _rows(network, 14)
    with count_queries(app) as many:
        assert client.get("/").status_code == 200
    assert len(many) == len(one), "\n".join(many)


def test_a_person_waiting_to_join_a_club_is_told_so_on_the_start_page(app, network):
    from loket.services.network import registrations
    from tests.support.registrations import PASSWORD as JOIN_PASSWORD, confirmation_token, contact_data

    registrations.request_to_join(network.club_utrecht.id, contact_data(email="piet@uboys.example"))
    registrations.confirm_registration(confirmation_token("piet@uboys.example"))
    client = app.test_client()
    client.post("/inloggen", data={"email": "piet@uboys.example", "password": JOIN_PASSWORD})
    page = client.get("/").get_data(as_text=True)
    assert "Je hebt nog geen rol in Loket." in page and "Je bent hier als: ." not in page
    assert "aan te sluiten wacht op goedkeuring" in page and network.club_utrecht.name in page


def test_a_club_still_waiting_for_its_loket_is_told_so_on_the_start_page(login_as, network):
    network.club_utrecht.status = "aangemeld"
    _db.session.commit()
    page = login_as("club_contact").get("/").get_data(as_text=True)
    assert "Je aanmelding wacht op het loket." in page
