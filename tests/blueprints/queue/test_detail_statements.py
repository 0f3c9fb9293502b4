"""The supporter's request page (/wachtrij/<id>) reads what it shows in a fixed number of SQL statements (issue #15,
point 3): at most 10, and as many for a request with one of everything (event, file, referral, collaborating team,
sjabloon, offer, request to merge with) as for one with many."""
import re
import uuid

import pytest

from loket.extensions import db
from loket.models import Attachment, CannedReply, SupportRequest
from loket.services.requests import actions, teamwork
from tests.factories import InitiativeFactory, SupportOfferFactory
from tests.support.db import count_queries
from tests.support.requests import file_request

MOST = 10
# The user's own team ids (teams.team_ids_of) come with the login (issue #15): that statement is not the page's.
USERS_TEAMS = re.compile(r"^SELECT teams\.id\b.*\bFROM teams\b.*\bWHERE teams\.(loket_id|bond_id|initiative_id) IN",
                         re.S)


def _file(request, event=None, *, name, internal=False):
    db.session.add(Attachment(request=request, event=event, internal=internal, name=name, content_type="text/plain",
                              size=2048, storage_key=uuid.uuid4().hex))


class Request:
    """A request of VV Utrechtse Boys at Sportloket Utrecht that grows unit by unit: per unit a reply to the club,
    an internal note and a club reply (each with a file, the note's internal), a file on the request itself, a
    referral to the KNVB proposed and withdrawn, a newly invited landelijk initiatief, a sjabloon and an offer of
    the loket, and another open request of the club to merge with. Between units an open referral to the KNVB
    stands, and SPN works along from the start."""

    def __init__(self, network):
        self.network, self.units = network, 0
        self.request = file_request(network, title="Vrijwilligers gezocht", description="Wie helpt ons?")
        self.id = self.request.id
        self._invite(network.spn.team.id)
        self.shows = ["Vrijwilligers gezocht", network.spn.name]

    def _access(self):
        return teamwork.supporter_access(self.network.ondersteuner, self.id)

    def _invite(self, team_id):
        teamwork.invite_team(self._access(), actor=self.network.ondersteuner, team_id=team_id, reason="Meedenken")

    def grow_to(self, units):
        n = self.network
        while self.units < units:
            i, request = self.units, db.session.get(SupportRequest, self.id)
            if (open_referral := self._access().open_referral) is not None:
                teamwork.withdraw_referral(self._access(), actor=n.ondersteuner)
            reply = actions.add_message(request, actor=n.ondersteuner, body=f"Antwoord {i}", internal=False,
                                        as_supporter=True)
            note = actions.add_message(request, actor=n.collega, body=f"Notitie {i}", internal=True,
                                       as_supporter=True)
            answer = actions.add_message(request, actor=n.club_contact, body=f"Aanvulling {i}", internal=False,
                                         as_supporter=False)
            _file(request, name=f"aanvraag-{i}.txt")
            _file(request, reply, name=f"antwoord-{i}.txt")
            _file(request, note, name=f"notitie-{i}.txt", internal=True)
            _file(request, answer, name=f"aanvulling-{i}.txt")
            initiative = InitiativeFactory(name=f"Programma {i}")
            db.session.add(CannedReply(team=n.loket_utrecht.team, title=f"Sjabloon {i}", body="Beste {club}"))
            SupportOfferFactory(organisation=n.loket_utrecht, title=f"Aanbod {i}")
            db.session.commit()
            self._invite(initiative.team.id)
            file_request(n, title=f"Nog een vraag {i}", description="Tekst")
            teamwork.propose_referral(self._access(), actor=n.ondersteuner, to_team_id=n.knvb.team.id,
                                      reason=f"Sportspecifiek {i}")
            self.shows += [f"Antwoord {i}", f"Notitie {i}", f"Aanvulling {i}", f"aanvraag-{i}.txt",
                           f"antwoord-{i}.txt", f"notitie-{i}.txt", f"aanvulling-{i}.txt", f"Programma {i}",
                           f"Sjabloon {i}", f"Nog een vraag {i}", f"Sportspecifiek {i}"]
            assert open_referral is None or i > 0
            self.units += 1


def _statements(app, client, request):
    db.session.expire_all()  # the page reads what it shows, none of it left loaded by the test
    with count_queries(app) as sent:
        answer = client.get(f"/wachtrij/{request.id}")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200
    return sent, page


@pytest.mark.parametrize("who, sees_own_lists", [("ondersteuner", True), ("initiatiefmedewerker", False)])
def test_the_request_page_sends_as_many_statements_for_many_events_files_referrals_and_teams(
        app, login_as, network, who, sees_own_lists):
    grown = Request(network)
    grown.grow_to(1)
    client = login_as(who)
    client.get(f"/wachtrij/{grown.id}")  # a first visit: nothing of it (such as its mentions) changes later ones
    few, page = _statements(app, client, grown)
    grown.grow_to(5)
    many, page = _statements(app, client, grown)
    assert len(many) == len(few), "\n\n".join(many)
    for shown in grown.shows:
        if sees_own_lists or not shown.startswith(("Sjabloon", "Nog een vraag")):
            assert shown in page, shown
    # the owner's lists: sjablonen, a request to merge with, the colleagues to assign to, the teams to invite
    assignable = f'<option value="{network.collega.id}">Cees Collega</option>'
    assert ("Sjabloon 4" in page, "Nog een vraag 4" in page, assignable in page,
            "Sportloket Eemland" in page) == (sees_own_lists,) * 4


def test_the_request_page_sends_at_most_ten_statements(app, login_as, network):
    grown = Request(network)
    grown.grow_to(3)
    client = login_as("ondersteuner")
    client.get(f"/wachtrij/{grown.id}")
    sent, _ = _statements(app, client, grown)
    counted = [statement for statement in sent if not USERS_TEAMS.match(statement)]
    assert len(counted) <= MOST, "\n\n".join(counted)
