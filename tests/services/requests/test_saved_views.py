"""Saved queue views (issue #14 point 4): a named filter and order, per user or per team by a lead; each finds
what the queue finds, and all are counted in one query."""
import pytest
from sqlalchemy import func, select

from loket.extensions import db
from loket.models import SavedView
from loket.services.errors import Forbidden, InvalidInput, NotFound
from loket.services.requests import actions, queues, saved_views
from loket.services.requests.queues import QueueFilter
from loket.services.requests.request_search import Search
from tests.factories import make_user
from tests.support.lookups import category_id
from tests.support.db import count_queries
from tests.support.requests import file_request


def _stored() -> int:
    return db.session.scalar(select(func.count()).select_from(SavedView))


@pytest.fixture()
def requests_of_utrecht(network):
    """Four requests of loket Utrecht: one claimed by the ondersteuner, one about sport, one resolved."""
    first = file_request(network, title="Vrijwilligers gezocht")
    second = file_request(network, title="Subsidie voor een clubhuis", category="financien-subsidies-fondsen")
    third = file_request(network, title="Nog een vraag")
    fourth = file_request(network, title="Afgerond")
    actions.claim(first, actor=network.ondersteuner)
    actions.change_status(fourth, "opgelost", actor=network.ondersteuner)
    return first, second, third, fourth


FILTERS = [
    QueueFilter(),
    QueueFilter(status="alle", sort="oudste"),
    QueueFilter(assignee="ik"),
    QueueFilter(assignee="niemand", sort="club"),
    QueueFilter(search=Search.of("vrijwilliger")),
    QueueFilter(status="opgelost"),
    QueueFilter(view="inkomend"),
]


def test_a_saved_view_finds_what_the_queue_finds_and_is_counted_with_the_others_in_one_query(
        app, network, requests_of_utrecht):
    FILTERS.append(QueueFilter(category_id=category_id("financien-subsidies-fondsen")))
    try:
        views = [saved_views.save(network.ondersteuner, name=f"Weergave {number}", filters=filters)
                 for number, filters in enumerate(FILTERS)]
        for view, filters in zip(views, FILTERS):
            assert saved_views.filters_of(view) == filters
        listed = saved_views.views_of(network.ondersteuner)
        with count_queries(app) as statements:
            counted = saved_views.counted(network.ondersteuner, listed)
        assert len(statements) == 1, statements  # one count for all of them
        expected = [len(db.session.scalars(queues.queue_query(network.ondersteuner, f)).unique().all())
                    for f in FILTERS]
        assert [item.count for item in counted] == expected
        assert expected[:6] == [3, 4, 1, 2, 1, 1]
    finally:
        FILTERS.pop()


def test_a_personal_view_is_its_owners_alone(network, requests_of_utrecht):
    view = saved_views.save(network.ondersteuner, name="Mijn werk", filters=QueueFilter(assignee="ik"))
    assert saved_views.views_of(network.ondersteuner) == [view]
    assert saved_views.views_of(network.collega) == []
    with pytest.raises(NotFound):
        saved_views.delete(network.collega, view.id)
    with pytest.raises(NotFound):
        saved_views.delete(network.ondersteuner_eemland, view.id)
    assert saved_views.delete(network.ondersteuner, view.id) == "Mijn werk"
    assert _stored() == 0


def test_a_team_view_is_made_and_removed_by_a_lead_and_seen_by_every_member(network, requests_of_utrecht):
    lead = make_user("clubondersteuner", network.loket_utrecht, name="Lotte Lead", team_lead=True)
    team_id = network.loket_utrecht.team.id
    with pytest.raises(Forbidden):
        saved_views.save(network.ondersteuner, name="Van het team", filters=QueueFilter(), team_id=team_id)
    assert _stored() == 0
    assert [team.id for team in saved_views.teams_to_save_for(lead)] == [team_id]
    assert saved_views.teams_to_save_for(network.ondersteuner) == []
    view = saved_views.save(lead, name="Wat niemand oppakte", filters=QueueFilter(assignee="niemand"),
                            team_id=str(team_id))
    assert view.is_team_view and view.user_id is None
    assert saved_views.views_of(network.collega) == [view]
    assert saved_views.views_of(network.ondersteuner_eemland) == []
    [seen_by_member] = saved_views.counted(network.collega, [view])
    [seen_by_lead] = saved_views.counted(lead, [view])
    assert (seen_by_member.may_delete, seen_by_lead.may_delete) == (False, True)
    assert seen_by_member.count == 2
    with pytest.raises(Forbidden):
        saved_views.delete(network.collega, view.id)
    with pytest.raises(NotFound):
        saved_views.delete(network.ondersteuner_eemland, view.id)
    saved_views.delete(lead, view.id)
    assert _stored() == 0


def test_me_in_a_team_view_is_whoever_opens_it(network, requests_of_utrecht):
    lead = make_user("clubondersteuner", network.loket_utrecht, name="Lotte Lead", team_lead=True)
    view = saved_views.save(lead, name="Van mij", filters=QueueFilter(assignee="ik"),
                            team_id=network.loket_utrecht.team.id)
    assert [item.count for item in saved_views.counted(network.ondersteuner, [view])] == [1]
    assert [item.count for item in saved_views.counted(network.collega, [view])] == [0]


@pytest.mark.parametrize(("name", "filters", "team", "field"), [
    ("", QueueFilter(), None, "name"),
    ("x" * 61, QueueFilter(), None, "name"),
    ("Met\x00NUL", QueueFilter(), None, "name"),
    ("Goed", QueueFilter(view="alles"), None, "weergave"),
    ("Goed", QueueFilter(status="kapot"), None, "status"),
    ("Goed", QueueFilter(sort="willekeurig"), None, "volgorde"),
    ("Goed", QueueFilter(assignee="iemand"), None, "behandelaar"),
    ("Goed", QueueFilter(category_id=999999), None, "categorie"),
    ("Goed", QueueFilter(), "eemland", "team_id"),
    ("Goed", QueueFilter(), "99999999999", "team_id"),
])
def test_a_view_that_breaks_a_rule_is_refused_in_dutch_and_nothing_is_stored(network, name, filters, team, field):
    team_id = network.loket_eemland.team.id if team == "eemland" else team
    with pytest.raises(InvalidInput) as refused:
        saved_views.save(network.ondersteuner, name=name, filters=filters, team_id=team_id)
    assert field in refused.value.errors
    assert _stored() == 0


def test_names_are_unique_per_owner_and_the_number_of_views_is_bounded(network, monkeypatch):
    saved_views.save(network.ondersteuner, name="Dubbel", filters=QueueFilter())
    with pytest.raises(InvalidInput, match="al een weergave met deze naam"):
        saved_views.save(network.ondersteuner, name="Dubbel", filters=QueueFilter(status="alle"))
    saved_views.save(network.collega, name="Dubbel", filters=QueueFilter())  # someone else's name is free
    monkeypatch.setattr(saved_views, "VIEWS_PER_OWNER", 2)
    saved_views.save(network.ondersteuner, name="Tweede", filters=QueueFilter())
    with pytest.raises(InvalidInput, match="verwijder er eerst een"):
        saved_views.save(network.ondersteuner, name="Derde", filters=QueueFilter())
    assert _stored() == 3


def test_the_query_string_of_a_view_opens_the_same_queue(network):
    view = saved_views.save(network.ondersteuner, name="Zoeken", filters=QueueFilter(
        status="alle", assignee="niemand", search=Search.of("kantine"), sort="activiteit",
        category_id=category_id("overig")))
    assert saved_views.query_string(view) == {
        "weergave": "team", "status": "alle", "categorie": str(category_id("overig")), "behandelaar": "niemand",
        "q": "kantine", "volgorde": "activiteit"}
    assert saved_views.is_showing(view, saved_views.filters_of(view))
    assert not saved_views.is_showing(view, QueueFilter())
