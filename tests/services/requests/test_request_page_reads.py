"""The reads behind the supporter's request page (issue #15): each combined query gives what the separate reads it
replaces give — the same rows, the same order, the same privacy — in one statement."""
import uuid

from loket.extensions import db
from loket.models import Attachment, CannedReply
from loket.services.network import offers
from loket.services.requests import actions, attachments, canned_replies, queues, teamwork
from tests.factories import BondFactory, ClubFactory, LoketFactory, SupportOfferFactory, make_user
from tests.support.db import count_queries
from tests.support.lookups import category, team_of
from tests.support.requests import file_request


def _file(request, event=None, *, name, internal=False, removed=False):
    attachment = Attachment(request=request, event=event, internal=internal, name=name, content_type="text/plain",
                            size=10, storage_key=uuid.uuid4().hex)
    if removed:
        attachment.removed_at = request.created_at
    db.session.add(attachment)
    return attachment


def test_the_timeline_with_its_files_is_the_timeline_and_every_file_by_event_in_one_statement(app, network):
    request = file_request(network)
    empty_events, empty_files = attachments.supporter_timeline(request)
    assert [e.kind for e in empty_events] == ["created", "routed"] and empty_files == {}
    reply = actions.add_message(request, actor=network.ondersteuner, body="Antwoord", internal=False,
                                as_supporter=True)
    note = actions.add_message(request, actor=network.collega, body="Notitie", internal=True, as_supporter=True)
    for name in ("eerste.txt", "tweede.txt"):
        _file(request, name=name)
    _file(request, reply, name="antwoord.txt")
    _file(request, note, name="notitie.txt", internal=True)
    _file(request, note, name="weg.txt", internal=True, removed=True)
    _file(file_request(network, title="Een andere vraag"), name="van-een-ander.txt")
    db.session.commit()
    db.session.expire_all()
    assert request.title  # the request itself read again; its events, actors and files not
    with count_queries(app) as sent:
        events, files = attachments.supporter_timeline(request)
        actors = [e.actor.name if e.actor else None for e in events]
    assert len(sent) == 1, "\n".join(sent)
    assert events == queues.timeline(request, include_internal=True)
    assert files == attachments.by_event(attachments.visible(request, include_internal=True))
    assert {key: [a.name for a in found] for key, found in files.items()} == {
        None: ["eerste.txt", "tweede.txt"], reply.id: ["antwoord.txt"], note.id: ["notitie.txt"]}
    assert actors[-2:] == ["Ofelia Ondersteuner", "Cees Collega"]


def test_the_pages_teams_are_the_referral_targets_and_the_viewers_sjablonen_in_one_statement(app, network):
    request = file_request(network)
    teamwork.invite_team(teamwork.supporter_access(network.ondersteuner, request.id), actor=network.ondersteuner,
                         team_id=network.spn.team.id)
    teamwork.propose_referral(teamwork.supporter_access(network.ondersteuner, request.id),
                              actor=network.ondersteuner, to_team_id=network.knvb.team.id, reason="Sportspecifiek")
    for team, title in ((network.loket_utrecht.team, "Welkom"), (network.loket_utrecht.team, "Afgerond"),
                        (network.loket_eemland.team, "Van Eemland"), (network.spn.team, "Van SPN")):
        db.session.add(CannedReply(team=team, title=title, body="Beste {club}, groet van {loket_contact}"))
    db.session.commit()
    db.session.expire_all()
    access = teamwork.supporter_access(network.ondersteuner, request.id, for_page=True)
    with count_queries(app) as sent:
        listed = teamwork.page_teams(access, targets=True, canned=True)
        names = (access.open_referral.from_team.name, access.open_referral.to_team.name,
                 [c.team.name for c in access.collaborations],
                 [canned_replies.render(c, request, network.ondersteuner) for c in listed.canned_replies])
    assert len(sent) == 1, "\n".join(sent)
    assert names[:3] == ("Sportloket Utrecht", "KNVB", ["SPN procesbegeleiders"])
    assert names[3][0].startswith("Beste VV Utrechtse Boys, groet van Sportloket Utrecht")
    expected = teamwork.referral_target_groups(exclude_team_id=request.owner_team_id)
    assert {label: [(t.id, t.kind, t.name) for t in group] for label, group in listed.target_groups.items()} == {
        label: [(t.id, t.kind, t.name) for t in group] for label, group in expected.items()}
    initiatives = listed.target_groups[teamwork.TARGET_GROUPS["initiatief"]]
    assert [(t.name, t.description, t.email) for t in initiatives] == [
        (network.spn.name, network.spn.description, network.spn.email)]
    assert listed.canned_replies == canned_replies.usable_by(network.ondersteuner)
    assert [c.title for c in listed.canned_replies] == ["Afgerond", "Welkom"]  # never another team's

    # without the owner's lists: only the named teams (and the viewer's sjablonen when they reply)
    specialist = teamwork.supporter_access(network.bondsspecialist, request.id, for_page=True)
    assert teamwork.page_teams(specialist, targets=False, canned=False) == teamwork.PageTeams({}, [])
    assert specialist.open_referral.to_team.name == "KNVB"
    spn = teamwork.supporter_access(network.initiatiefmedewerker, request.id, for_page=True)
    assert [c.title for c in teamwork.page_teams(spn, targets=False, canned=True).canned_replies] == ["Van SPN"]


def test_the_suggested_offers_are_those_of_the_clubs_own_teams_first_in_one_statement(app, network):
    other_bond = BondFactory(key="knhb", name="KNHB", sports=[network.voetbal], aangesloten=True)
    elders = LoketFactory(name="Sportloket Elders", slug="elders")
    lone_club = ClubFactory(gemeente=network.zeist)
    make_user("clubondersteuner", elders)
    for organisation, title in ((elders, "A elders"), (network.knvb, "B knvb"), (other_bond, "C knhb"),
                                (network.loket_utrecht, "D loket"), (network.loket_utrecht, "E loket"),
                                (network.loket_eemland, "F eemland"), (network.spn, "G spn")):
        SupportOfferFactory(organisation=organisation, title=title)
    SupportOfferFactory(organisation=network.loket_utrecht, title="H andere categorie", slugs=("overig",))
    SupportOfferFactory(organisation=network.loket_utrecht, title="I verborgen", active=False)
    db.session.commit()
    category_id = category("vrijwilligers-kader").id
    for club in (network.club_utrecht, network.club_bunnik, network.club_zeist, lone_club):
        for limit in (2, 5, 20):
            expected = offers.suggest_offers(category_id, offers.suggestion_team_ids(club), limit)
            with count_queries(app) as sent:
                assert offers.suggest_offers_for(club, category_id, limit) == expected
            assert len(sent) == 1
    titles = [o.title for o in offers.suggest_offers_for(network.club_utrecht, category_id, 20)]
    first_bond = min((network.knvb, other_bond), key=lambda bond: team_of(bond).id).name.lower()
    assert titles[:2] == ["D loket", "E loket"] and titles[2][2:] == first_bond
    assert titles[4:] == ["A elders", "F eemland", "G spn"]
