"""Filing a request sends few SQL statements, and as many whatever the amount of data (issue #15 point 3: at most
12 through the API, login included). Routing reads the network in two queries (the loket with its team; the
bonden of the sports with their agreement for the category and their teams), the club's confirmation and the
team's notices are one outbox INSERT however many people the team has, and the recipients' own memberships are
not read. Every way a request can be routed is counted: to the loket, to a bond, to the loket with a bond
invited (`samen`), and to the coördinatiepunt's fallback queue.

(The speed itself is measured by `make bench`, never asserted here.)"""
import pytest

from loket.extensions import db as _db
from loket.models import Collaborator, OutboxMessage, SupportRequest
from loket.services.messaging import outbox
from loket.services.network import agreements
from loket.services.requests import filing
from tests.factories import ClubFactory, MembershipFactory, make_user
from tests.support import lookups
from tests.support.db import count_queries, count_rows
from tests.support.matrix import token_of
from tests.support.requests import file_request
from tests.support.teams import knvb_lead

API_LIMIT = 12  # issue #15: creating a request, login included
MONEY, TECH = "financien-subsidies-fondsen", "sporttechnisch-competitie"

# name → (who files, for which club, category, sport, the owning team's kind, a bond invited)
ROUTES = {
    "to the loket": ("club_contact", "club_utrecht", "overig", None, "loket", False),
    "to the bond": ("club_contact", "club_utrecht", TECH, "voetbal", "bond", False),
    "to the loket with the bond invited": ("club_contact", "club_utrecht", MONEY, None, "loket", True),
    "to the fallback queue": ("zeist_contact", "club_zeist", "overig", None, "fallback", False),
}


@pytest.fixture(autouse=True)
def dispatched(monkeypatch):
    """The outbox ids each commit hands to delivery, which here stays pending (as with an RQ worker, and as
    `make bench` measures): the inline delivery's rendering and bookkeeping is not the filing's cost."""
    handed = []
    monkeypatch.setattr(outbox, "dispatch", handed.append)
    return handed


def _agree_together(network):
    """The KNVB handles money questions together with the loket (a confirmed `samen` agreement)."""
    agreements.propose("knvb", [(MONEY, "samen")], actor=knvb_lead(network))
    agreements.confirm("knvb", actor=network.coordinator)


def _grow(network, units):
    """More of everything filing could read per row: requests of the club, clubs and contacts in its gemeente,
    colleagues in every team that receives a new request (whose notices are more outbox rows)."""
    for unit in range(units):
        for name in ("club_contact", "zeist_contact"):
            club = ClubFactory(gemeente=network.zeist if name == "zeist_contact" else network.utrecht,
                               sports=[network.voetbal, network.tennis])
            MembershipFactory(user=getattr(network, name), role="club", club=club)
        make_user("club", network.club_utrecht, name=f"Tweede contact {unit}")
        make_user("clubondersteuner", network.loket_utrecht, name=f"Ondersteuner {unit}")
        make_user("bondsspecialist", network.knvb, name=f"Bondsspecialist {unit}")
        make_user("coordinatiepunt", name=f"Coördinator {unit}")
        _db.session.commit()
        for route in ROUTES.values():
            _file(network, route, title=f"Eerdere vraag {unit}")


def _file(network, route, *, title="Een nieuwe vraag"):
    who, club, category, sport, _, _ = route
    return file_request(network, who=who, club=club, category=category, sport=sport, title=title,
                        description="Tekst van de vraag")


def _batches(statements):
    """The statements, an INSERT repeated row by row counted once: SQLite cannot return the ids of a multi-row
    INSERT in order, so the ORM writes the events one by one there (one executemany on PostgreSQL)."""
    return [s for i, s in enumerate(statements) if not (s.startswith("INSERT") and i and statements[i - 1] == s)]


def _counted(app, network, route, dispatched):
    """The statements of one filing (what the view or the login already loaded is loaded first: the actor with
    its memberships, the club, the category), and the request and the outbox rows it wrote (all handed to
    delivery)."""
    _file(network, route, title="Eerst een andere vraag")  # what a process does once is not the filing's cost
    who, club, slug, sport, _, _ = route
    actor, club, sport = getattr(network, who), getattr(network, club), getattr(network, sport) if sport else None
    assert actor.club_ids and club.gemeente and (sport is None or sport.name)
    category = lookups.category(slug)
    mails_before = count_rows(OutboxMessage)
    with count_queries(app) as statements:
        request = filing.create_request(actor=actor, club_id=club.id, category_id=category.id,
                                        sport_id=sport.id if sport else None, title="Een nieuwe vraag",
                                        description="Tekst van de vraag")
    written = count_rows(OutboxMessage) - mails_before
    assert len(dispatched[-1]) == written
    return _batches(list(statements)), request, written


@pytest.mark.parametrize("name", ROUTES)
def test_filing_sends_as_many_statements_on_more_data(app, network, dispatched, name):
    route = ROUTES[name]
    _agree_together(network)
    small, request, small_mails = _counted(app, network, route, dispatched)
    assert request.owner_team.kind == route[4]
    assert count_rows(Collaborator, Collaborator.request_id == request.id) == (1 if route[5] else 0)
    assert len(small) <= API_LIMIT - 2, "\n".join(small)  # the API's login (the token's user, memberships) on top

    _grow(network, 3)
    large, request, large_mails = _counted(app, network, route, dispatched)
    assert request.owner_team.kind == route[4]
    assert large_mails > small_mails  # the team grew: more notices, in the same one INSERT
    assert len(large) == len(small), "\n".join(large)
    assert sum(s.lstrip().upper().startswith("INSERT INTO OUTBOX") for s in large) == 1


def test_filing_through_the_api_sends_at_most_twelve_statements_on_any_data(app, network, client):
    headers = {"Authorization": f"Bearer {token_of(network.club_contact)}"}
    body = {"club": network.club_utrecht.id, "category": "overig", "title": "Een nieuwe vraag",
            "description": "Tekst van de vraag"}

    def counted():
        assert client.post("/api/v1/requests", json=body, headers=headers).status_code == 201
        with count_queries(app) as statements:
            answer = client.post("/api/v1/requests", json=body, headers=headers)
        assert answer.status_code == 201, answer.get_json()
        return list(statements)

    small = counted()
    assert len(small) <= API_LIMIT, "\n".join(small)
    _grow(network, 3)
    large = counted()
    assert len(large) == len(small), "\n".join(large)
    assert count_rows(SupportRequest) > 12
