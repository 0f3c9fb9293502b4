"""Issue 3 journey over HTTP: club → bond → referral to the loket → loket resolves; the club sees
every public step and no internal note; a second loket never sees the request.

Every test that proves something for a bond's team runs for a landelijk initiatief's team too (issue #12 point 3):
`team` is KNVB or SPN procesbegeleiders. An initiative owns a request only by accepting a referral (clubs never
file to it), which `owned_request` does; for the bond the club's football question routes there itself."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from loket.extensions import db as _db
from loket.models import Collaborator, Event, Referral, SupportRequest
from loket.models.base import utcnow
from tests.support.lookups import category_id as _category_id
from tests.support.requests import file_request
from tests.support.teams import TEAM_KINDS, other_team, owned_request


@pytest.fixture(params=TEAM_KINDS)
def team(request, network):
    """The bond's or the initiative's team (each test runs for both)."""
    return other_team(network, request.param)


@pytest.fixture()
def bond_request(login_as, network, team):
    """A request the bond's (or initiative's) team owns, new in its queue."""
    if team.kind == "bond":
        response = login_as("club_contact").post("/club/aanvragen/nieuw", data={
            "club": network.club_utrecht.id, "category": _category_id("sporttechnisch-competitie"),
            "sport": network.voetbal.id, "title": "Competitie en vrijwilligers",
            "description": "Onze JO13 past niet in de competitie, en we zoeken ook vrijwilligers.",
        })
        assert response.status_code == 302
        request = _db.session.scalar(select(SupportRequest))
    else:
        request = owned_request(network, team)
    assert request.owner_team_id == team.team.id and request.status == "nieuw"
    return request


def test_bond_refers_generic_part_to_loket_which_resolves(login_as, network, bond_request, team):
    request = bond_request
    club, bond, loket, other_loket = (login_as(w) for w in
                                      ("club_contact", team.member_name, "ondersteuner", "ondersteuner_eemland"))
    loket_team = network.loket_utrecht.team.id

    # The request sits in the bond's queue, not in the loket's.
    assert request.reference in bond.get("/wachtrij/").get_data(as_text=True)
    if team.kind == "bond":
        assert loket.get(f"/wachtrij/{request.id}").status_code == 404

    bond.post(f"/wachtrij/{request.id}/oppakken")
    bond.post(f"/wachtrij/{request.id}/bericht", data={"body": "Competitie is geregeld: nieuwe poule.",})
    bond.post(f"/wachtrij/{request.id}/bericht", data={"body": "BOND-INTERN: club eerder te laat", "internal": "y"})
    response = bond.post(f"/wachtrij/{request.id}/doorverwijzen", data={
        "team": loket_team, "reason": "Het vrijwilligersdeel is generiek: past bij het loket."})
    assert response.status_code == 302
    _db.session.refresh(request)
    assert request.status == "doorverwezen"
    assert request.owner_team_id == team.team.id  # ownership moves only on acceptance

    # While pending both teams see it: the loket in its incoming tab, the bond in its outgoing tab.
    assert request.reference in loket.get("/wachtrij/?weergave=inkomend").get_data(as_text=True)
    assert request.reference in bond.get("/wachtrij/?weergave=uitgaand").get_data(as_text=True)
    page = loket.get(f"/wachtrij/{request.id}").get_data(as_text=True)
    assert "Het vrijwilligersdeel is generiek" in page and "Accepteren en overnemen" in page
    # The receiving team may not reply to the club or change the status before accepting.
    assert loket.post(f"/wachtrij/{request.id}/bericht", data={"body": "te vroeg"}).status_code == 403
    assert loket.post(f"/wachtrij/{request.id}/status", data={"status": "opgelost"}).status_code == 403

    assert loket.post(f"/wachtrij/{request.id}/doorverwijzing/accepteren").status_code == 302
    _db.session.refresh(request)
    assert request.owner_team_id == loket_team
    assert request.status == "nieuw" and request.assignee_id is None
    assert bond.get(f"/wachtrij/{request.id}").status_code == 404  # handed over: the bond is out

    loket.post(f"/wachtrij/{request.id}/oppakken")
    loket.post(f"/wachtrij/{request.id}/bericht", data={"body": "LOKET-INTERN: bel de voorzitter", "internal": "y"})
    loket.post(f"/wachtrij/{request.id}/bericht", data={"body": "We koppelen jullie aan de vrijwilligerscentrale."})
    _db.session.refresh(request)
    assert loket.post(f"/wachtrij/{request.id}/status",
                      data={"status": "opgelost", "version": request.version}).status_code == 302
    _db.session.refresh(request)
    assert request.status == "opgelost" and request.resolved_at is not None

    club_page = club.get(f"/club/aanvragen/{request.id}").get_data(as_text=True)
    for public_step in ("Competitie is geregeld: nieuwe poule.", "We koppelen jullie aan de vrijwilligerscentrale.",
                        "Doorverwezen", "Sportloket Utrecht", "Opgelost"):
        assert public_step in club_page, public_step
    for internal in ("BOND-INTERN", "LOKET-INTERN", "Het vrijwilligersdeel is generiek"):
        assert internal not in club_page, internal

    assert other_loket.get(f"/wachtrij/{request.id}").status_code == 404
    for view in ("team", "inkomend", "uitgaand", "samenwerking"):
        assert request.reference not in other_loket.get(f"/wachtrij/?weergave={view}").get_data(as_text=True)

    kinds = _db.session.scalars(select(Event.kind).where(Event.request_id == request.id).order_by(Event.id)).all()
    handovers = 1 if team.kind == "bond" else 2  # the initiative got it by a referral from the loket first
    assert kinds.count("referral_proposed") == handovers and kinds.count("referral_accepted") == handovers


def test_declined_referral_returns_to_sender_with_reason(login_as, network, bond_request, team):
    request = bond_request
    bond, loket = login_as(team.member_name), login_as("ondersteuner")
    bond.post(f"/wachtrij/{request.id}/oppakken")
    bond.post(f"/wachtrij/{request.id}/doorverwijzen",
              data={"team": network.loket_utrecht.team.id, "reason": "Graag overnemen"})
    response = loket.post(f"/wachtrij/{request.id}/doorverwijzing/afwijzen", data={"reason": ""})
    assert response.status_code == 400
    assert "Leg uit waarom je de doorverwijzing afwijst." in response.get_data(as_text=True)
    assert loket.post(f"/wachtrij/{request.id}/doorverwijzing/afwijzen",
                      data={"reason": "Dit is echt competitie, KNVB."}).status_code == 302
    _db.session.refresh(request)
    assert request.status == "in_behandeling"  # as it was before the proposal
    assert request.owner_team_id == team.team.id
    referral = _db.session.scalar(select(Referral).order_by(Referral.id.desc()))
    assert referral.state == "afgewezen" and referral.decline_reason == "Dit is echt competitie, KNVB."
    assert loket.get(f"/wachtrij/{request.id}").status_code == 404
    assert "Dit is echt competitie, KNVB." in bond.get(f"/wachtrij/{request.id}").get_data(as_text=True)


def test_sender_can_withdraw_and_only_receiver_decides(login_as, network, bond_request, team):
    request = bond_request
    bond, loket = login_as(team.member_name), login_as("ondersteuner")
    bond.post(f"/wachtrij/{request.id}/doorverwijzen", data={"team": network.loket_utrecht.team.id, "reason": "x"})
    assert bond.post(f"/wachtrij/{request.id}/doorverwijzing/accepteren").status_code == 403
    assert loket.post(f"/wachtrij/{request.id}/doorverwijzing/intrekken").status_code == 403
    second = bond.post(f"/wachtrij/{request.id}/doorverwijzen", data={"team": network.loket_eemland.team.id,
                                                                        "reason": "nog een"})
    assert second.status_code == 409
    assert bond.post(f"/wachtrij/{request.id}/doorverwijzing/intrekken").status_code == 302
    _db.session.refresh(request)
    assert request.status == "nieuw"
    assert _db.session.scalar(select(Referral.state).order_by(Referral.id.desc())) == "ingetrokken"
    assert loket.post(f"/wachtrij/{request.id}/doorverwijzing/accepteren").status_code == 404


@pytest.mark.parametrize("team_attr, message", [
    (None, "Kies een loket, bond of landelijk initiatief uit de lijst."),
    ("fallback_team", "Kies een loket, bond of landelijk initiatief uit de lijst."),
    ("loket_bunnik", "nog niet operationeel"),
    ("knltb", "nog niet aangesloten"),
    ("own", "ligt al bij dit team"),
])
def test_referral_needs_a_valid_target_and_reason(login_as, network, bond_request, team, team_attr, message):
    bond = login_as(team.member_name)
    referrals_before = _db.session.scalar(select(func.count()).select_from(Referral))
    chosen = {None: None, "own": team.team, "fallback_team": network.fallback_team}.get(team_attr)
    team_id = "" if team_attr is None else (chosen or getattr(network, team_attr).team).id
    response = bond.post(f"/wachtrij/{bond_request.id}/doorverwijzen", data={"team": team_id, "reason": "reden"})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _db.session.scalar(select(func.count()).select_from(Referral)) == referrals_before
    response = bond.post(f"/wachtrij/{bond_request.id}/doorverwijzen",
                         data={"team": network.loket_utrecht.team.id, "reason": "  "})
    assert "Leg kort uit waarom je doorverwijst." in response.get_data(as_text=True)


def test_undecided_referral_is_overdue_in_both_queues_after_three_workdays(login_as, network, bond_request, team):
    bond, loket = login_as(team.member_name), login_as("ondersteuner")
    bond.post(f"/wachtrij/{bond_request.id}/doorverwijzen",
              data={"team": network.loket_utrecht.team.id, "reason": "graag"})
    assert "Doorverwijzing te laat" not in loket.get("/wachtrij/?weergave=inkomend").get_data(as_text=True)
    referral = _db.session.scalar(select(Referral).where(Referral.state == "voorgesteld"))
    referral.created_at -= timedelta(days=10)
    referral.due_at = utcnow() - timedelta(hours=1)
    _db.session.commit()
    assert "Doorverwijzing te laat" in loket.get("/wachtrij/?weergave=inkomend").get_data(as_text=True)
    assert "Doorverwijzing te laat" in bond.get("/wachtrij/?weergave=uitgaand").get_data(as_text=True)
    assert "Doorverwijzing te laat" in bond.get("/wachtrij/").get_data(as_text=True)
    assert "Besluit te laat" in loket.get(f"/wachtrij/{bond_request.id}").get_data(as_text=True)


def test_referral_due_date_is_three_workdays(login_as, network, bond_request, team):
    from loket.services.requests.workdays import add_workdays
    login_as(team.member_name).post(f"/wachtrij/{bond_request.id}/doorverwijzen",
                                    data={"team": network.loket_utrecht.team.id, "reason": "graag"})
    referral = _db.session.scalar(select(Referral).where(Referral.state == "voorgesteld"))
    assert referral.due_at == add_workdays(referral.created_at, 3)


def test_invited_bond_co_handles_while_loket_keeps_ownership_and_clock(login_as, network, team):
    club, loket, bond = login_as("club_contact"), login_as("ondersteuner"), login_as(team.member_name)
    club.post("/club/aanvragen/nieuw", data={
        "club": network.club_utrecht.id, "category": _category_id("sociaal-veilige-sport"),
        "title": "Gedragscode voor trainers", "description": "Hoe stellen we een gedragscode op?"})
    request = _db.session.scalar(select(SupportRequest))
    due_before = (request.first_response_due_at, request.resolution_due_at)
    assert bond.get(f"/wachtrij/{request.id}").status_code == 404

    assert loket.post(f"/wachtrij/{request.id}/inschakelen",
                      data={"team": team.team.id, "reason": "KNVB heeft een model-gedragscode"}).status_code == 302
    assert request.reference in bond.get("/wachtrij/?weergave=samenwerking").get_data(as_text=True)
    assert bond.get(f"/wachtrij/{request.id}").status_code == 200
    assert bond.post(f"/wachtrij/{request.id}/bericht", data={"body": "BOND-NOTITIE", "internal": "y"}).status_code == 302
    assert bond.post(f"/wachtrij/{request.id}/bericht", data={"body": "Hier is ons model."}).status_code == 302
    # Ownership and management stay with the loket.
    assert bond.post(f"/wachtrij/{request.id}/oppakken").status_code == 403
    assert bond.post(f"/wachtrij/{request.id}/status", data={"status": "opgelost"}).status_code == 403
    assert bond.post(f"/wachtrij/{request.id}/doorverwijzen",
                     data={"team": network.loket_eemland.team.id, "reason": "x"}).status_code == 403
    _db.session.refresh(request)
    assert request.owner_team.loket_id == network.loket_utrecht.id
    assert request.resolution_due_at == due_before[1]
    assert "BOND-NOTITIE" in loket.get(f"/wachtrij/{request.id}").get_data(as_text=True)
    club_page = club.get(f"/club/aanvragen/{request.id}").get_data(as_text=True)
    assert "Hier is ons model." in club_page and "BOND-NOTITIE" not in club_page
    assert team.organisation.name in club_page  # the club sees who works on it

    # Inviting the same team twice is refused; the owner ends the invitation.
    assert loket.post(f"/wachtrij/{request.id}/inschakelen", data={"team": team.team.id}).status_code == 409
    assert loket.post(f"/wachtrij/{request.id}/inschakelen/beeindigen",
                      data={"team_id": team.team.id}).status_code == 302
    assert bond.get(f"/wachtrij/{request.id}").status_code == 404
    assert _db.session.scalar(select(Collaborator.ended_at)) is not None


def test_assign_to_colleague_only_within_owning_team(login_as, network):

    request = file_request(network, category="overig", title="Vraag", description="Tekst")
    loket = login_as("ondersteuner")
    assert loket.post(f"/wachtrij/{request.id}/toewijzen", data={"assignee": network.collega.id}).status_code == 302
    _db.session.refresh(request)
    assert request.assignee_id == network.collega.id and request.status == "in_behandeling"
    response = loket.post(f"/wachtrij/{request.id}/toewijzen", data={"assignee": network.ondersteuner_eemland.id})
    assert response.status_code == 400
    assert "Kies een collega uit het team" in response.get_data(as_text=True)
    # Digits that int() refuses (superscript) or that no id can be: the same refusal, never a 500.
    for typed in ("²", str(2**64)):
        refused = loket.post(f"/wachtrij/{request.id}/toewijzen", data={"assignee": typed})
        assert refused.status_code == 400 and "Kies een collega uit het team" in refused.get_data(as_text=True)
    _db.session.refresh(request)
    assert request.assignee_id == network.collega.id
    assert loket.post(f"/wachtrij/{request.id}/toewijzen", data={"assignee": ""}).status_code == 302
    _db.session.refresh(request)
    assert request.assignee_id is None


# ---------------------------------------------------------------- a loket hands a request to a bond or an initiative

def test_loket_refers_to_the_team_which_sees_it_incoming_and_accepts_within_three_workdays(login_as, network, team):
    from loket.formatting import format_datetime
    from loket.services.requests.workdays import add_workdays
    request = file_request(network, category="vrijwilligers-kader", title="Vrijwilligersbeleid",
                           description="Hoe houden we onze vrijwilligers?")
    loket, member = login_as("ondersteuner"), login_as(team.member_name)
    assert member.get(f"/wachtrij/{request.id}").status_code == 404  # not theirs until referred
    page = loket.get(f"/wachtrij/{request.id}").get_data(as_text=True)
    assert f'<option value="{team.team.id}">{team.organisation.name}</option>' in page
    label = {"bond": "Bonden en brancheorganisaties", "initiatief": "Landelijke initiatieven"}[team.kind]
    group = page[page.index(f'<optgroup label="{label}">'):]
    assert f'<option value="{team.team.id}">' in group[:group.index("</optgroup>")]

    assert loket.post(f"/wachtrij/{request.id}/doorverwijzen", data={
        "team": team.team.id, "reason": "Dit is precies waar jullie programma over gaat."}).status_code == 302
    referral = _db.session.scalar(select(Referral))
    assert referral.due_at == add_workdays(referral.created_at, 3)
    incoming = member.get("/wachtrij/?weergave=inkomend").get_data(as_text=True)
    assert request.reference in incoming and "Doorverwijzing loopt" in incoming
    assert request.reference not in member.get("/wachtrij/").get_data(as_text=True)  # not owned yet
    detail = member.get(f"/wachtrij/{request.id}").get_data(as_text=True)
    assert "Dit is precies waar jullie programma over gaat." in detail and "Accepteren en overnemen" in detail
    assert format_datetime(referral.due_at) in detail and "Besluit te laat" not in detail
    # Before accepting it reads and notes, but neither answers the club nor manages the request.
    assert member.post(f"/wachtrij/{request.id}/bericht", data={"body": "te vroeg"}).status_code == 403
    assert member.post(f"/wachtrij/{request.id}/oppakken").status_code == 403

    assert member.post(f"/wachtrij/{request.id}/doorverwijzing/accepteren").status_code == 302
    _db.session.refresh(request)
    assert request.owner_team_id == team.team.id and request.status == "nieuw"
    assert request.reference in member.get("/wachtrij/").get_data(as_text=True)
    assert loket.get(f"/wachtrij/{request.id}").status_code == 404  # handed over: the loket is out
    assert member.post(f"/wachtrij/{request.id}/oppakken").status_code == 302
    assert member.post(f"/wachtrij/{request.id}/bericht", data={"body": "Wij nemen contact op."}).status_code == 302
    club_page = login_as("club_contact").get(f"/club/aanvragen/{request.id}").get_data(as_text=True)
    assert "Wij nemen contact op." in club_page and team.organisation.name in club_page


def test_a_referral_to_the_team_left_undecided_is_overdue_for_both(login_as, network, team):
    request = file_request(network, category="vrijwilligers-kader")
    loket, member = login_as("ondersteuner"), login_as(team.member_name)
    loket.post(f"/wachtrij/{request.id}/doorverwijzen", data={"team": team.team.id, "reason": "graag"})
    assert "Doorverwijzing te laat" not in member.get("/wachtrij/?weergave=inkomend").get_data(as_text=True)
    referral = _db.session.scalar(select(Referral))
    referral.created_at -= timedelta(days=10)
    referral.due_at = utcnow() - timedelta(hours=1)
    _db.session.commit()
    assert "Doorverwijzing te laat" in member.get("/wachtrij/?weergave=inkomend").get_data(as_text=True)
    assert "Besluit te laat" in member.get(f"/wachtrij/{request.id}").get_data(as_text=True)
    assert "Doorverwijzing te laat" in loket.get("/wachtrij/?weergave=uitgaand").get_data(as_text=True)


def test_members_of_other_teams_get_404_on_the_teams_request(login_as, network, team):
    from tests.factories import InitiativeFactory, make_user
    from tests.support.teams import owned_request as _owned
    request = _owned(network, team)
    other_initiative = make_user("initiatiefmedewerker", InitiativeFactory(name="Clubkadercoaches"))
    other_bond = make_user("bondsspecialist", network.knltb)
    _db.session.commit()
    outsiders = [other_initiative, other_bond, network.ondersteuner_eemland, network.ondersteuner,
                 network.initiatiefmedewerker if team.kind == "bond" else network.bondsspecialist]
    for outsider in outsiders:
        client = login_as(outsider)
        assert client.get(f"/wachtrij/{request.id}").status_code == 404, outsider.name
        assert client.post(f"/wachtrij/{request.id}/bericht", data={"body": "x"}).status_code == 404
        for view in ("team", "inkomend", "uitgaand", "samenwerking"):
            assert request.reference not in client.get(f"/wachtrij/?weergave={view}").get_data(as_text=True)
    assert login_as(team.member_name).get(f"/wachtrij/{request.id}").status_code == 200


def test_invited_team_sees_the_owners_internal_notes_and_the_club_sees_none(login_as, network, team):
    """The rule (DESIGN §7, as teamwork implements it): every team with a part in the request — owner, invited,
    referred to — reads its whole timeline, internal notes included; the club never reads a note; a team without a
    part reads nothing (the test above)."""
    request = file_request(network, category="vrijwilligers-kader")
    loket, member = login_as("ondersteuner"), login_as(team.member_name)
    loket.post(f"/wachtrij/{request.id}/bericht", data={"body": "LOKET-NOTITIE: bel eerst", "internal": "y"})
    loket.post(f"/wachtrij/{request.id}/inschakelen", data={"team": team.team.id, "reason": "meedenken"})
    assert request.reference in member.get("/wachtrij/?weergave=samenwerking").get_data(as_text=True)
    assert "LOKET-NOTITIE: bel eerst" in member.get(f"/wachtrij/{request.id}").get_data(as_text=True)
    assert member.post(f"/wachtrij/{request.id}/bericht",
                       data={"body": "TEAM-NOTITIE: ken de club", "internal": "y"}).status_code == 302
    assert member.post(f"/wachtrij/{request.id}/bericht", data={"body": "Wij helpen mee."}).status_code == 302
    assert "TEAM-NOTITIE: ken de club" in loket.get(f"/wachtrij/{request.id}").get_data(as_text=True)
    club_page = login_as("club_contact").get(f"/club/aanvragen/{request.id}").get_data(as_text=True)
    assert "Wij helpen mee." in club_page
    assert "NOTITIE" not in club_page
    # The invited team steps out itself; then it reads nothing any more.
    assert member.post(f"/wachtrij/{request.id}/inschakelen/beeindigen",
                       data={"team_id": team.team.id}).status_code == 302
    assert member.get(f"/wachtrij/{request.id}").status_code == 404


def test_a_club_cannot_file_to_the_team_directly_and_routing_never_picks_an_initiative(login_as, network, team):
    from loket.models import Category
    from loket.services.requests.routing import route_for
    categories = _db.session.scalars(select(Category).where(Category.active)).all()
    for category in categories:
        chosen, _ = route_for(network.club_utrecht, category, network.voetbal if category.is_sport_specific else None)
        assert chosen.kind != "initiatief", category.slug
    # The only way to file is the club's own form or a loket supporter on its behalf; neither names a team.
    member = login_as(team.member_name)
    assert member.get("/wachtrij/nieuw").status_code == 403
    assert member.post("/wachtrij/nieuw", data={"club": network.club_utrecht.id}).status_code == 403
    assert member.post("/club/aanvragen/nieuw", data={"club": network.club_utrecht.id}).status_code == 403
    assert _db.session.scalar(select(func.count()).select_from(SupportRequest)) == 0


def test_the_request_page_says_what_each_landelijk_initiatief_does(login_as, network):
    network.spn.description = "Procesbegeleiding bij fusies en lastige veranderingen."
    _db.session.commit()
    request = file_request(network, category="vrijwilligers-kader")
    page = login_as("ondersteuner").get(f"/wachtrij/{request.id}").get_data(as_text=True)
    guide = page[page.index("Welke landelijke initiatieven zijn er?"):]
    assert "SPN procesbegeleiders" in guide and "Procesbegeleiding bij fusies en lastige veranderingen." in guide
    # Only the owning team chooses where a request goes, so only it sees the guide.
    other = login_as("initiatiefmedewerker")
    login_as("ondersteuner").post(f"/wachtrij/{request.id}/inschakelen", data={"team": network.spn.team.id})
    assert "Welke landelijke initiatieven zijn er?" not in other.get(f"/wachtrij/{request.id}").get_data(as_text=True)
